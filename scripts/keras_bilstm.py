#!/usr/bin/env python3
"""keras.io's "Bidirectional LSTM on IMDB", run by Keras 3 on this machine: the reference for sentigraph's
`bilstm` preset (same model, data, optimizer and batch). Prints one JSON line with the test accuracy per epoch
and seconds per epoch.

Data: the shared imdb.npz, with keras.datasets.imdb.load_data's steps applied here (Keras' loader rejects the
shared file by hash): shuffle train then test with RandomState(113), start char 1, index_from 3, ids at or
above num_words become 2; then pad_sequences(maxlen=200).

Usage: $PYTHON scripts/keras_bilstm.py [IMDB_NPZ] [--epochs N] [--steps N]
  --steps N stops each epoch after N batches (a smoke run; the full run is 2 epochs of 782 steps)
"""
import argparse
import json
import time

import numpy as np
import keras
from keras import layers

MAX_FEATURES, MAXLEN = 20000, 200


def load(path, num_words):
    with np.load(path, allow_pickle=True) as f:
        x_train, y_train, x_test, y_test = f["x_train"], f["y_train"], f["x_test"], f["y_test"]
    rng = np.random.RandomState(113)
    order = np.arange(len(x_train))
    rng.shuffle(order)
    x_train, y_train = x_train[order], y_train[order]
    order = np.arange(len(x_test))
    rng.shuffle(order)
    x_test, y_test = x_test[order], y_test[order]
    fix = lambda xs: [[1] + [w + 3 if w + 3 < num_words else 2 for w in x] for x in xs]
    return (fix(x_train), y_train), (fix(x_test), y_test)


def model():
    inputs = keras.Input(shape=(None,), dtype="int32")
    x = layers.Embedding(MAX_FEATURES, 128)(inputs)
    x = layers.Bidirectional(layers.LSTM(64, return_sequences=True))(x)
    x = layers.Bidirectional(layers.LSTM(64))(x)
    return keras.Model(inputs, layers.Dense(1, activation="sigmoid")(x))


def main():
    p = argparse.ArgumentParser()
    p.add_argument("npz", nargs="?", default="../shared/data/imdb/imdb.npz")
    p.add_argument("--epochs", type=int, default=2)
    p.add_argument("--steps", type=int, default=None)
    a = p.parse_args()
    (x_train, y_train), (x_test, y_test) = load(a.npz, MAX_FEATURES)
    x_train = keras.utils.pad_sequences(x_train, maxlen=MAXLEN)
    x_test = keras.utils.pad_sequences(x_test, maxlen=MAXLEN)
    if a.steps:
        x_train, y_train = x_train[: 32 * a.steps], y_train[: 32 * a.steps]
        x_test, y_test = x_test[: 32 * a.steps], y_test[: 32 * a.steps]
    m = model()
    m.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
    history = []
    for epoch in range(a.epochs):
        start = time.time()
        h = m.fit(x_train, y_train, batch_size=32, epochs=1, verbose=0)
        seconds = time.time() - start
        loss, acc = m.evaluate(x_test, y_test, batch_size=256, verbose=0)
        history.append({"epoch": epoch + 1, "seconds": seconds, "loss": float(h.history["loss"][0]),
                        "test_accuracy": float(acc)})
    print(json.dumps({"model": "keras.io bidirectional_lstm_imdb", "keras": keras.__version__,
                      "train_reviews": len(x_train), "history": history}))


if __name__ == "__main__":
    main()
