#!/usr/bin/env python3
"""The Python side of scripts/bench-savedmodel-vs-keras: trains the notebooks' `lstm` model (Embedding 10000x100,
LSTM(100, dropout 0.3), Dense(1, sigmoid); 500 tokens) in Keras 3 for a few batches, exports it with
model.export(OUT) (and model.save(OUT.keras)), then times what a Python user does with it on the 25,000 test reviews, batch 256:
  keras_predict   model.predict(x, batch_size=256) on the Keras model itself
  tf_serving      tf.saved_model.load(OUT).signatures["serving_default"] called batch by batch
plus load + first batch for the SavedModel; REVIEWS=N times the first N reviews only. Prints one JSON line. When OUT_DIR and OUT_DIR.keras exist (a later
round of the bench), the model is loaded from OUT_DIR.keras instead of trained again.

Usage: $PYTHON scripts/keras_savedmodel_bench.py OUT_DIR [IMDB_NPZ]   (random ids when no npz is given)
"""
import json
import os
import sys
import time

import numpy as np
import tensorflow as tf
import keras

SEQ, WORDS, BATCH = 500, 10000, 256


def test_reviews(npz):
    if npz is None:
        rng = np.random.RandomState(42)
        return rng.randint(0, WORDS, size=(25000, SEQ)).astype("int32"), "random ids"
    # keras.datasets.imdb.load_data(num_words=10000)'s encoding; it no longer takes a path outside its cache
    with np.load(npz, allow_pickle=True) as f:
        raw = f["x_test"]
    x = [[1] + [w + 3 if w + 3 < WORDS else 2 for w in review] for review in raw]
    return keras.utils.pad_sequences(x, maxlen=SEQ).astype("int32"), "imdb test split"


def train_and_save(x, out):
    model = keras.Sequential([keras.Input((SEQ,), dtype="int32", name="tokens"), keras.layers.Embedding(WORDS, 100),
                              keras.layers.LSTM(100, dropout=0.3), keras.layers.Dense(1, activation="sigmoid")])
    model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
    model.fit(x[:1024], np.random.RandomState(1).randint(0, 2, 1024).astype("float32"), batch_size=128, epochs=1,
              verbose=0)
    model.export(out, verbose=False)
    model.save(out + ".keras")
    return model


def main():
    out = sys.argv[1]
    x, source = test_reviews(sys.argv[2] if len(sys.argv) > 2 else None)
    if os.path.isdir(out) and os.path.isfile(out + ".keras"):
        model = keras.models.load_model(out + ".keras")
    else:
        model = train_and_save(x, out)  # before REVIEWS cuts x: training takes 1024 reviews
    x = x[:int(os.environ.get("REVIEWS", len(x)))]

    model.predict(x[:BATCH], batch_size=BATCH, verbose=0)
    t = time.time()
    model.predict(x, batch_size=BATCH, verbose=0)
    keras_per_s = len(x) / (time.time() - t)

    t = time.time()
    serving = tf.saved_model.load(out).signatures["serving_default"]
    serving(tokens=tf.constant(x[:BATCH]))
    load_and_first = time.time() - t
    t = time.time()
    for start in range(0, len(x), BATCH):
        serving(tokens=tf.constant(x[start:start + BATCH]))
    serving_per_s = len(x) / (time.time() - t)
    print(json.dumps({"reviews": len(x), "batch": BATCH, "seq_len": SEQ, "data": source,
                      "keras_predict_per_s": keras_per_s, "tf_serving_per_s": serving_per_s,
                      "tf_load_and_first_batch_s": load_and_first, "keras": keras.__version__,
                      "tensorflow": tf.__version__}))


if __name__ == "__main__":
    main()
