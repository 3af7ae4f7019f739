#!/usr/bin/env python3
"""Loads sentigraph's SavedModel exports in Python TensorFlow/Keras, as a Python user would, and checks their
predictions against sentigraph's own (written by SavedModelExporterTest into EXPORT_DIR/savedmodel/).

Each export is called through tf.saved_model.load(dir).signatures["serving_default"] and through
keras.layers.TFSMLayer(dir, call_endpoint="serving_default"); both must match within 1e-5.
Usage: $PYTHON scripts/check_savedmodel_export.py EXPORT_DIR      (exit 1 on any mismatch)
"""
import json
import os
import sys

import numpy as np
import tensorflow as tf
import keras


def main():
    root = os.path.join(sys.argv[1], "savedmodel")
    doc = json.load(open(os.path.join(root, "predictions.json")))
    tokens = np.array(doc["tokens"], dtype="int32")
    failures = 0
    for case in doc["models"]:
        expected = np.array(case["probabilities"], dtype="float32")
        serving = tf.saved_model.load(case["path"]).signatures["serving_default"]
        via_tf = serving(tokens=tf.constant(tokens))["probability"].numpy()[:, 0]
        via_keras = np.asarray(keras.layers.TFSMLayer(case["path"], call_endpoint="serving_default")(tokens)["probability"])[:, 0]
        for name, got in (("tf.saved_model.load", via_tf), ("keras.layers.TFSMLayer", via_keras)):
            diff = float(np.max(np.abs(got - expected)))
            ok = diff <= 1e-5
            failures += not ok
            print(f"{'ok ' if ok else 'FAIL'} {case['path']} via {name}: max |diff| {diff:.2e}")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
