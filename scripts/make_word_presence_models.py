#!/usr/bin/env python3
"""The model of "Deep Learning with Python" chapter 3: Dense layers on a word-presence vector, not on token ids.

Its input is `vectorize_sequences`' 0/1 vector (one column per word), so feeding it padded token ids answers, and
every answer is wrong; sentigraph must refuse it at every door. Writes savedmodels/word_presence/model.keras
(Keras 3) and model.h5 (rewritten into Keras 2's layout, as make_legacy_h5.py does). The vector is 100 wide to
keep the files small (the book's is 10,000).

Run from the repo root:  $PYTHON scripts/make_word_presence_models.py
"""
import json
import os
import shutil
import sys

import h5py
import keras
from keras import layers

sys.path.insert(0, os.path.dirname(__file__))
from make_legacy_h5 import keras2_config  # noqa: E402

OUT = "savedmodels/word_presence"
WORDS = 100


def main():
    shutil.rmtree(OUT, ignore_errors=True)
    os.makedirs(OUT)
    keras.utils.set_random_seed(3)
    model = keras.Sequential([keras.Input(shape=(WORDS,)), layers.Dense(16, activation="relu"),
                              layers.Dense(16, activation="relu"), layers.Dense(1, activation="sigmoid")],
                             name="word_presence")
    model.compile(optimizer="rmsprop", loss="binary_crossentropy", metrics=["accuracy"])
    model.save(os.path.join(OUT, "model.keras"))
    h5 = os.path.join(OUT, "model.h5")
    model.save(h5)
    with h5py.File(h5, "r+") as f:
        f.attrs["model_config"] = json.dumps(keras2_config(model))
        f.attrs["keras_version"] = "2.15.0"
    print("word_presence saved")


if __name__ == "__main__":
    main()
