#!/usr/bin/env python3
"""A text classifier with two named heads, as Keras' Functional API builds them, with Keras' outputs as goldens.

`two_heads`: Embedding -> GlobalAveragePooling1D -> Dense(8, relu), then `positive` = Dense(1, sigmoid) and
`stars` = Dense(3, softmax) (negative / neutral / positive), both model outputs in that order. Saved as
savedmodels/multi_output/model.keras, model.h5 (Keras 2's layout, as make_legacy_h5.py writes it) and export/
(model.export(), whose signature names the outputs output_0 and output_1); golden.json holds the token rows
and each output's raw values.

Run from the repo root:  $PYTHON scripts/make_multi_output_models.py
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

OUT = "savedmodels/multi_output"
VOCAB, SEQ = 30, 10


def main():
    shutil.rmtree(OUT, ignore_errors=True)
    os.makedirs(OUT)
    keras.utils.set_random_seed(8)
    rng = np.random.RandomState(8)
    tokens = rng.randint(0, VOCAB, size=(5, SEQ)).astype("int32")
    x = keras.Input(shape=(SEQ,), dtype="int32", name="tokens")
    h = layers.Dense(8, activation="relu")(layers.GlobalAveragePooling1D()(layers.Embedding(VOCAB, 6)(x)))
    model = keras.Model(x, [layers.Dense(1, activation="sigmoid", name="positive")(h),
                            layers.Dense(3, activation="softmax", name="stars")(h)], name="two_heads")
    for layer in model.layers:
        layer.set_weights([rng.normal(0, 0.8, size=w.shape).astype("float32") for w in layer.get_weights()])
    save_every_format(model, OUT)
    positive, stars = model.predict(tokens, verbose=0)
    golden = {"keras_version": keras.__version__, "seq_len": SEQ, "tokens": tokens.tolist(),
              "outputs": {"positive": positive.astype(float).tolist(), "stars": stars.astype(float).tolist()}}
    with open(os.path.join(OUT, "golden.json"), "w") as f:
        json.dump(golden, f)


if __name__ == "__main__":
    main()
