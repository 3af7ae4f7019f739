#!/usr/bin/env python3
"""Keras models that take raw text or variable-length token rows, with Keras' predictions, for loader tests.

Writes into savedmodels/:
  text/      keras.io's end-to-end pattern: Input(shape=(1,), dtype="string") -> TextVectorization (standardize
             lower_and_strip_punctuation, max_tokens 40, output_sequence_length 10) -> a nested trained Sequential
             model (Embedding, strided Conv1D, GlobalMaxPooling1D, Dense sigmoid).
             export/ (model.export: the signature takes strings), model.keras (vocabulary in the archive's assets),
             golden.json (texts, the ids Keras' layer made of them, probabilities)
  varlen/    Input(shape=(None,), dtype="int32") -> Embedding -> Bidirectional(LSTM) -> Dense sigmoid, as keras.io's
             "Bidirectional LSTM on IMDB": export/, model.keras, golden.json (ragged token rows, and Keras'
             probabilities for them pre-padded per batch to the longest row, and padded to length 12)

Run from the repo root:  $PYTHON scripts/make_text_models.py
"""
import json
import os
import shutil

import numpy as np
import tensorflow as tf
import keras
from keras import layers

OUT = "savedmodels"
GOOD = ["great", "wonderful", "loved", "best", "fun", "amazing"]
BAD = ["terrible", "awful", "hated", "worst", "dull", "boring"]
FILL = ["the", "movie", "film", "was", "it", "plot", "acting", "and", "a", "i"]

TEXTS = [
    "Great movie! I LOVED it.",
    "The worst film... dull, boring; awful acting.",
    "it's <br /> OK -- not great, not terrible",
    "",
    "Amazing,amazing (truly) wonderful: the best fun in years",
    "Café crème: zyzzyva xylophone\tand\nthe   plot",
]


def corpus(n, rng):
    texts, labels = [], []
    for _ in range(n):
        good = rng.rand() < 0.5
        words = list(rng.choice(FILL, size=rng.randint(3, 12)))
        words += list(rng.choice(GOOD if good else BAD, size=rng.randint(1, 3)))
        rng.shuffle(words)
        texts.append(" ".join(w.capitalize() if rng.rand() < 0.2 else w for w in words) + rng.choice([".", "!", ""]))
        labels.append(float(good))
    return np.array(texts), np.array(labels, dtype="float32")


def text_model(rng):
    x, y = corpus(400, rng)
    vec = layers.TextVectorization(max_tokens=40, output_mode="int", output_sequence_length=10)
    vec.adapt(x)
    core = keras.Sequential([keras.Input((10,), dtype="int64"), layers.Embedding(40, 8),
                             layers.Conv1D(6, 3, strides=2, activation="relu"), layers.GlobalMaxPooling1D(),
                             layers.Dense(1, activation="sigmoid")], name="core")
    core.compile(optimizer="adam", loss="binary_crossentropy")
    core.fit(vec(x), y, epochs=30, batch_size=32, verbose=0)
    inputs = keras.Input(shape=(1,), dtype="string", name="text")
    model = keras.Model(inputs, core(vec(inputs)), name="end_to_end")
    root = os.path.join(OUT, "text")
    shutil.rmtree(root, ignore_errors=True)
    os.makedirs(root)
    model.export(os.path.join(root, "export"), verbose=False)
    model.save(os.path.join(root, "model.keras"))
    batch = tf.constant([[t] for t in TEXTS])
    ids = vec(batch).numpy()
    p = model.predict(batch, verbose=0)[:, 0]
    with open(os.path.join(root, "golden.json"), "w") as f:
        json.dump({"keras_version": keras.__version__, "texts": TEXTS, "ids": ids.tolist(),
                   "vocabulary": [str(w) for w in vec.get_vocabulary()],
                   "probabilities": p.astype(float).tolist()}, f)
    print("text saved")


def varlen_model(rng):
    inputs = keras.Input(shape=(None,), dtype="int32", name="tokens")
    h = layers.Embedding(30, 6)(inputs)
    h = layers.Bidirectional(layers.LSTM(4))(h)
    model = keras.Model(inputs, layers.Dense(1, activation="sigmoid")(h), name="varlen")
    x = rng.randint(1, 30, size=(200, 9)).astype("int32")
    model.compile(optimizer="adam", loss="binary_crossentropy")
    model.fit(x, (x[:, -1] > 15).astype("float32"), epochs=5, batch_size=32, verbose=0)
    root = os.path.join(OUT, "varlen")
    shutil.rmtree(root, ignore_errors=True)
    os.makedirs(root)
    model.export(os.path.join(root, "export"), verbose=False)
    model.save(os.path.join(root, "model.keras"))
    rows = [[int(v) for v in rng.randint(1, 30, size=n)] for n in (5, 9, 2, 7)]
    longest = max(len(r) for r in rows)
    batch = keras.utils.pad_sequences(rows, maxlen=longest, padding="pre")
    fixed = keras.utils.pad_sequences(rows, maxlen=12, padding="pre")
    with open(os.path.join(root, "golden.json"), "w") as f:
        json.dump({"keras_version": keras.__version__, "rows": rows,
                   "probabilities": model.predict(batch, verbose=0)[:, 0].astype(float).tolist(),
                   "probabilities_len12": model.predict(fixed, verbose=0)[:, 0].astype(float).tolist()}, f)
    print("varlen saved")


def main():
    keras.utils.set_random_seed(3)
    rng = np.random.RandomState(3)
    text_model(rng)
    varlen_model(rng)


if __name__ == "__main__":
    main()
