#!/usr/bin/env python3
"""Models whose Dense layers read a word-presence vector (one column per word), not token ids, with Keras' answers.

Writes into savedmodels/word_presence/:
  model.keras, model.h5 (Keras 2's layout, as make_legacy_h5.py writes it), export/ (model.export: its signature
      takes float32 [None, 1000]): "Deep Learning with Python" chapter 3. `vectorize_sequences` turns
      imdb.load_data(num_words=1000) ids into 0/1 vectors outside the model, then Dense(16, relu) Dense(16, relu)
      Dense(1, sigmoid). 1000 words rather than the book's 10,000, to keep the files small.
      golden.json: test reviews' unpadded ids (the longest test review among them) and Keras' predictions on
      their vectorize_sequences vectors.
  multi_hot/, count/, tf_idf/: Input(shape=(), dtype="string") -> TextVectorization(max_tokens=40,
      output_mode=...) -> Dense(8, relu) -> Dense(1, sigmoid), trained on make_text_models.py's corpus:
      model.keras (vocabulary in the archive's assets, tf_idf's idf_weights among the layer's variables),
      export/ (model.export: the signature takes strings), golden.json (texts, the vectors Keras' layer made of
      them, its vocabulary, Keras' probabilities).

Run from the repo root:  $PYTHON scripts/make_word_presence_models.py [path/to/imdb.npz]
"""
import json
import os
import shutil
import sys

import numpy as np
import tensorflow as tf
import keras
from keras import layers
from keras.src.datasets import imdb

sys.path.insert(0, os.path.dirname(__file__))
from make_legacy_h5 import save_every_format  # noqa: E402
from make_text_models import TEXTS, corpus  # noqa: E402

NPZ = sys.argv[1] if len(sys.argv) > 1 else "../shared/data/imdb/imdb.npz"
OUT = "savedmodels/word_presence"
WORDS = 1000


def vectorize_sequences(sequences, dimension=WORDS):
    """The book's function, as printed."""
    results = np.zeros((len(sequences), dimension))
    for i, sequence in enumerate(sequences):
        for j in sequence:
            results[i, j] = 1.
    return results


def dlwp_model():
    imdb.get_file = lambda *args, **kwargs: os.path.abspath(NPZ)  # the shared copy; same content as Keras'
    (train_data, train_labels), (test_data, _) = imdb.load_data(num_words=WORDS)
    keras.utils.set_random_seed(3)
    model = keras.Sequential([keras.Input(shape=(WORDS,)), layers.Dense(16, activation="relu"),
                              layers.Dense(16, activation="relu"), layers.Dense(1, activation="sigmoid")],
                             name="word_presence")
    model.compile(optimizer="rmsprop", loss="binary_crossentropy", metrics=["accuracy"])
    model.fit(vectorize_sequences(train_data[:5000]), train_labels[:5000].astype("float32"), epochs=2,
              batch_size=512, verbose=0)
    save_every_format(model, OUT)
    longest = int(np.argmax([len(s) for s in test_data]))
    rows = [list(map(int, test_data[i])) for i in (0, 1, 2, 3, longest)]
    rows.append([1, 2, 2, 999, 999, 5])  # repeated ids, OOV, the last column
    p = model.predict(vectorize_sequences(rows), verbose=0)[:, 0]
    with open(os.path.join(OUT, "golden.json"), "w") as f:
        json.dump({"keras_version": keras.__version__, "num_words": WORDS, "tokens": rows,
                   "probabilities": p.astype(float).tolist()}, f)
    print("word_presence saved; longest test review has", len(rows[4]), "ids")


def vectorized_model(mode, rng):
    x, y = corpus(400, rng)
    keras.utils.set_random_seed(5)
    vec = layers.TextVectorization(max_tokens=40, output_mode=mode)
    vec.adapt(x)
    width = vec.vocabulary_size()
    head = [layers.Dense(8, activation="relu"), layers.Dense(1, activation="sigmoid")]
    core = keras.Sequential([keras.Input((width,))] + head, name="core")
    core.compile(optimizer="adam", loss="binary_crossentropy")
    core.fit(vec(x), y, epochs=30, batch_size=32, verbose=0)
    inputs = keras.Input(shape=(), dtype="string", name="text")  # (1,) would give [None, 1, width]
    if mode == "multi_hot":  # keras.io's end-to-end pattern: a nested model
        model = keras.Model(inputs, core(vec(inputs)), name="end_to_end")
    else:  # one Sequential list
        model = keras.Sequential([inputs, vec] + head, name="vectorized_" + mode)
    root = os.path.join(OUT, mode)
    os.makedirs(root)
    model.save(os.path.join(root, "model.keras"))
    model.export(os.path.join(root, "export"), verbose=False)
    batch = tf.constant(TEXTS)
    features = vec(batch).numpy()
    p = model.predict(batch, verbose=0)[:, 0]
    with open(os.path.join(root, "golden.json"), "w") as f:
        json.dump({"keras_version": keras.__version__, "texts": TEXTS, "features": features.tolist(),
                   "vocabulary": [str(w) for w in vec.get_vocabulary()],
                   "probabilities": p.astype(float).tolist()}, f)
    print(mode, "saved, width", width)


def main():
    shutil.rmtree(OUT, ignore_errors=True)
    os.makedirs(OUT)
    dlwp_model()
    rng = np.random.RandomState(11)
    for mode in ("multi_hot", "count", "tf_idf"):
        vectorized_model(mode, rng)


if __name__ == "__main__":
    main()
