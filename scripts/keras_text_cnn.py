#!/usr/bin/env python3
"""keras.io's "Text classification from scratch", run by Keras 3 on this machine: the reference for sentigraph's
`text-cnn` preset (same model, data, vocabulary rule, optimizer and batch). Prints one JSON line with the test
accuracy per epoch and seconds per epoch.

As in the example: TextVectorization(max_tokens=20000, output_sequence_length=500) adapted on the training texts,
Embedding(20000, 128), Dropout(0.5), two Conv1D(128, 7, valid, relu, strides 3), GlobalMaxPooling1D,
Dense(128, relu), Dropout(0.5), Dense(1, sigmoid); adam, binary crossentropy, batch 32, 3 epochs. Two changes,
both made on sentigraph's side too: Keras' standard `lower_and_strip_punctuation` standardisation (the example's
custom function, which also strips `<br />`, cannot be saved portably), and all 25,000 training reviews trained
on (no 20% validation split), tested on the 25,000 test reviews.

Data: aclImdb_v1.tar.gz (or its labelled part) read in place, or an extracted aclImdb folder.

Usage: $PYTHON scripts/keras_text_cnn.py [ACLIMDB_TAR_GZ_OR_FOLDER] [--epochs N] [--steps N] [--vocabulary FILE]
  --steps N        stops each epoch after N batches and tests on 32*N reviews (a smoke run; the full run is
                   3 epochs of 782 steps)
  --vocabulary F   also writes the adapted vocabulary to F, one word a line (to compare with a sentigraph run
                   folder's vocabulary.txt)
"""
import argparse
import json
import os
import tarfile
import time

import numpy as np
import tensorflow as tf
import keras
from keras import layers

MAX_FEATURES, SEQ_LEN = 20000, 500


def read(path):
    """{(split, label): [text bytes]} for train/test x pos/neg, files in name order."""
    parts = {(s, p): [] for s in ("train", "test") for p in ("pos", "neg")}
    if os.path.isdir(path):
        for (s, p), texts in parts.items():
            folder = os.path.join(path, s, p)
            for name in sorted(os.listdir(folder)):
                if name.endswith(".txt"):
                    with open(os.path.join(folder, name), "rb") as f:
                        texts.append(f.read())
        return parts
    found = {}
    with tarfile.open(path, "r:*") as tar:
        for member in tar:
            bits = member.name.split("/")
            if member.isfile() and len(bits) >= 3 and bits[-1].endswith(".txt") and (bits[-3], bits[-2]) in parts:
                found.setdefault((bits[-3], bits[-2]), []).append((bits[-1], tar.extractfile(member).read()))
    for key, files in found.items():
        parts[key] = [text for _, text in sorted(files)]
    return parts


def split(parts, name):
    texts = parts[(name, "pos")] + parts[(name, "neg")]
    labels = np.array([1] * len(parts[(name, "pos")]) + [0] * len(parts[(name, "neg")]), dtype="float32")
    return texts, labels


def model():
    inputs = keras.Input(shape=(None,), dtype="int64")
    x = layers.Embedding(MAX_FEATURES, 128)(inputs)
    x = layers.Dropout(0.5)(x)
    x = layers.Conv1D(128, 7, padding="valid", activation="relu", strides=3)(x)
    x = layers.Conv1D(128, 7, padding="valid", activation="relu", strides=3)(x)
    x = layers.GlobalMaxPooling1D()(x)
    x = layers.Dense(128, activation="relu")(x)
    x = layers.Dropout(0.5)(x)
    return keras.Model(inputs, layers.Dense(1, activation="sigmoid", name="predictions")(x))


def main():
    p = argparse.ArgumentParser()
    p.add_argument("data", nargs="?", default="../shared/data/aclImdb/aclImdb_v1_labeled.tar.gz")
    p.add_argument("--epochs", type=int, default=3)
    p.add_argument("--steps", type=int, default=None)
    p.add_argument("--vocabulary", default=None)
    a = p.parse_args()
    parts = read(a.data)
    train_texts, y_train = split(parts, "train")
    test_texts, y_test = split(parts, "test")
    vectorize = layers.TextVectorization(max_tokens=MAX_FEATURES, output_mode="int", output_sequence_length=SEQ_LEN)
    start = time.time()
    vectorize.adapt(tf.data.Dataset.from_tensor_slices(train_texts).batch(1024))
    adapt_seconds = time.time() - start
    if a.vocabulary:
        with open(a.vocabulary, "w", encoding="utf-8", newline="\n") as f:
            f.write("\n".join(vectorize.get_vocabulary()))
    ids = lambda texts: np.concatenate([vectorize(tf.constant(texts[i:i + 1024])).numpy()
                                        for i in range(0, len(texts), 1024)])
    x_train, x_test = ids(train_texts), ids(test_texts)
    if a.steps:
        rows = np.random.RandomState(0).permutation(len(x_train))[: 32 * a.steps]
        x_train, y_train = x_train[rows], y_train[rows]
        rows = np.random.RandomState(1).permutation(len(x_test))[: 32 * a.steps]
        x_test, y_test = x_test[rows], y_test[rows]
    m = model()
    m.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
    history = []
    for epoch in range(a.epochs):
        start = time.time()
        h = m.fit(x_train, y_train, batch_size=32, epochs=1, shuffle=True, verbose=0)
        seconds = time.time() - start
        loss, acc = m.evaluate(x_test, y_test, batch_size=256, verbose=0)
        history.append({"epoch": epoch + 1, "seconds": seconds, "loss": float(h.history["loss"][0]),
                        "test_loss": float(loss), "test_accuracy": float(acc)})
    print(json.dumps({"model": "keras.io text_classification_from_scratch (lower_and_strip_punctuation)",
                      "keras": keras.__version__, "train_reviews": len(x_train), "test_reviews": len(x_test),
                      "vocabulary": len(vectorize.get_vocabulary()), "adapt_seconds": round(adapt_seconds, 1),
                      "history": history}))


if __name__ == "__main__":
    main()
