#!/usr/bin/env python3
"""Text classifiers with the heads tutorials teach besides Dense(1, sigmoid), with Keras' outputs as goldens.

- logit:    Dense(1) with no activation, trained from_logits=True (TensorFlow's "Basic text classification").
- softmax3: Dense(3, activation="softmax") (negative / neutral / positive).
- logits3:  Dense(3) with no activation, trained with SparseCategoricalCrossentropy(from_logits=True).

Each as savedmodels/heads/<name>/model.keras, model.h5 (Keras 2's layout, as make_legacy_h5.py writes it) and
export/ (model.export()); golden.json holds the token rows and each model's raw outputs.

Run from the repo root:  $PYTHON scripts/make_head_models.py
"""
import json
import os
import shutil
import sys

import numpy as np
import keras
from keras import layers

sys.path.insert(0, os.path.dirname(__file__))
from make_legacy_h5 import save_every_format  # noqa: E402

OUT = "savedmodels/heads"
VOCAB, SEQ = 30, 10
HEADS = {"logit": (1, None), "softmax3": (3, "softmax"), "logits3": (3, None)}


def main():
    shutil.rmtree(OUT, ignore_errors=True)
    os.makedirs(OUT)
    keras.utils.set_random_seed(6)
    rng = np.random.RandomState(6)
    tokens = rng.randint(0, VOCAB, size=(5, SEQ)).astype("int32")
    golden = {"keras_version": keras.__version__, "seq_len": SEQ, "tokens": tokens.tolist(), "outputs": {}}
    for name, (units, activation) in HEADS.items():
        model = keras.Sequential([keras.Input(shape=(SEQ,), dtype="int32"), layers.Embedding(VOCAB, 6),
                                  layers.GlobalAveragePooling1D(), layers.Dense(8, activation="relu"),
                                  layers.Dense(units, activation=activation)], name=name)
        for layer in model.layers:
            layer.set_weights([rng.normal(0, 0.8, size=w.shape).astype("float32") for w in layer.get_weights()])
        folder = os.path.join(OUT, name)
        os.makedirs(folder)
        save_every_format(model, folder)
        golden["outputs"][name] = model.predict(tokens, verbose=0).astype(float).tolist()
        print(name, "saved")
    with open(os.path.join(OUT, "golden.json"), "w") as f:
        json.dump(golden, f)


if __name__ == "__main__":
    main()
