#!/usr/bin/env python3
"""A small IMDB-shaped model whose Dense kernel holds one NaN, as a diverged training leaves it.

Keras loads it and predicts NaN for every review, with no error; sentigraph must refuse it at load, naming the
layer and the weight, at every door. Writes savedmodels/nan/model.keras, model.h5 (Keras 2's layout, as
make_legacy_h5.py writes it) and export/ (model.export()).

Run from the repo root:  $PYTHON scripts/make_nan_models.py
"""
import os
import shutil
import sys

import numpy as np
import keras
from keras import layers

sys.path.insert(0, os.path.dirname(__file__))
from make_legacy_h5 import save_every_format  # noqa: E402

OUT = "savedmodels/nan"


def main():
    shutil.rmtree(OUT, ignore_errors=True)
    os.makedirs(OUT)
    keras.utils.set_random_seed(4)
    model = keras.Sequential([keras.Input(shape=(10,), dtype="int32"), layers.Embedding(30, 4),
                              layers.GlobalAveragePooling1D(), layers.Dense(1, activation="sigmoid", name="head")],
                             name="diverged")
    kernel, bias = model.get_layer("head").get_weights()
    kernel[2, 0] = np.nan
    model.get_layer("head").set_weights([kernel, bias])
    assert np.isnan(model.predict(np.ones((1, 10), "int32"), verbose=0)).all()
    save_every_format(model, OUT)
    print("nan models saved")


if __name__ == "__main__":
    main()
