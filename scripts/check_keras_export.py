#!/usr/bin/env python3
"""Opens sentigraph's .keras exports with keras.models.load_model, as a Python user would, and checks that
Keras predicts what sentigraph predicted (written by KerasFileTest into EXPORT_DIR/keras/), within 1e-5.

Also checks that each file loads without warnings, that Keras sees the layer types sentigraph wrote, and that
the loaded model can be compiled and trained one step (it is a normal Keras model, not a frozen graph).
Usage: $PYTHON scripts/check_keras_export.py EXPORT_DIR      (exit 1 on any failure)
"""
import json
import os
import sys
import warnings

import numpy as np
import tensorflow as tf
import keras

tf.get_logger().setLevel("ERROR")  # retracing notes for each new model are expected here


def main():
    failures = 0
    # keras: Sequential exports of every layer type; keras-graphs: Functional and nested models written back;
    # keras-text: a model with TextVectorization inside, fed raw strings; keras-text-cnn: the text-cnn preset
    # trained here (vocabulary in the config, and in the assets); keras-legacy: Keras 2 .h5 files upgraded;
    # keras-kclass: a Dense(4, softmax) model trained on rating bands (KClassTrainingTest), 4 probabilities a row
    for kind in ("keras", "keras-graphs", "keras-text", "keras-text-cnn", "keras-legacy", "keras-kclass"):
        root = os.path.join(sys.argv[1], kind)
        if os.path.exists(os.path.join(root, "predictions.json")):
            failures += check(root)
    sys.exit(1 if failures else 0)


def check(root):
    doc = json.load(open(os.path.join(root, "predictions.json")))
    # text models take one string per row, token models the padded ids
    tokens = (tf.constant([[t] for t in doc["texts"]]) if "tokens" not in doc
              else np.array(doc["tokens"], dtype="int32"))
    failures = 0
    for case in doc["models"]:
        expected = np.array(case["probabilities"], dtype="float32")
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            model = keras.models.load_model(case["path"])
        got = model.predict(tokens, verbose=0)
        classes = got.shape[-1]
        if expected.ndim == 1:
            got = got[:, 0]
        diff = float(np.max(np.abs(got - expected)))
        problems = [f"max |diff| {diff:.2e}"] if diff > 1e-5 else []
        problems += [f"warning on load: {w.message}" for w in caught]
        if classes == 1:
            model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
        else:
            model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        labels = np.arange(len(tokens)) % (2 if classes == 1 else classes)
        loss = model.train_on_batch(tokens, labels.astype("float32" if classes == 1 else "int32"))
        if not np.all(np.isfinite(loss)):
            problems.append(f"train_on_batch gave {loss}")
        layers = ", ".join(type(layer).__name__ for layer in model.layers)
        failures += bool(problems)
        status = "FAIL" if problems else "ok "
        print(f"{status} {case['path']} [{layers}]: max |diff| {diff:.2e} {'; '.join(problems)}")
    return failures


if __name__ == "__main__":
    main()
