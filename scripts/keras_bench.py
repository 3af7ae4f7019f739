#!/usr/bin/env python3
"""The Keras side of scripts/bench-vs-keras: one preset's model built in Keras 3 from sentigraph's own
preset config (`sentigraph presets --json`), timed on random token data of the same shape:
train_on_batch median ms/step after warm-up, and predict throughput (batch 256). Prints one JSON line.

Usage: $PYTHON scripts/keras_bench.py PRESETS_JSON PRESET [STEPS]
"""
import json
import sys
import time

import numpy as np
import keras


def with_layer_modules(config):
    """Keras 3 finds a wrapped layer (Bidirectional's `layer`) only through its module."""
    for layer in config["layers"]:
        for key in ("layer", "backward_layer"):
            if isinstance(layer["config"].get(key), dict):
                layer["config"][key].setdefault("module", "keras.layers")
    return config


def build(preset):
    model = keras.Sequential.from_config(with_layer_modules(preset["model"]["config"]))
    train = preset["train"]
    optimizer = {"adam": keras.optimizers.Adam, "rmsprop": keras.optimizers.RMSprop, "sgd": keras.optimizers.SGD,
                 "adagrad": keras.optimizers.Adagrad}[train["optimizer"]](learning_rate=train["learningRate"])
    model.compile(optimizer=optimizer, loss="binary_crossentropy", metrics=["accuracy"])
    return model, train["batchSize"]


def main():
    presets = {p["name"]: p for p in json.load(open(sys.argv[1]))}
    preset = presets[sys.argv[2]]
    steps = int(sys.argv[3]) if len(sys.argv) > 3 else 20
    model, batch = build(preset)
    seq_len = preset["data"]["seq_len"]
    vocabulary = preset["data"]["num_words"] or 10000
    rng = np.random.RandomState(42)
    x = rng.randint(0, vocabulary, size=(batch, seq_len)).astype("int32")
    y = rng.randint(0, 2, size=(batch, 1)).astype("float32")
    start = time.time()
    model.train_on_batch(x, y)
    first = time.time() - start
    for _ in range(2):
        model.train_on_batch(x, y)
    times = []
    for _ in range(steps):
        t = time.time()
        model.train_on_batch(x, y)
        times.append((time.time() - t) * 1000)
    xp = rng.randint(0, vocabulary, size=(2048, seq_len)).astype("int32")
    model.predict(xp[:256], batch_size=256, verbose=0)
    t = time.time()
    model.predict(xp, batch_size=256, verbose=0)
    throughput = len(xp) / (time.time() - t)
    print(json.dumps({"preset": preset["name"], "batch": batch, "seq_len": seq_len,
                      "train_ms_per_step": float(np.median(times)), "predict_reviews_per_s": throughput,
                      "first_step_s": first, "keras": keras.__version__}))


if __name__ == "__main__":
    main()
