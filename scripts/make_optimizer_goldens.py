#!/usr/bin/env python3
"""Golden fixture for sentigraph's optimizers, made by Keras 3's own optimizers.

A [3, 2] weight starts at fixed values; each optimizer applies the same 5 fixed gradients with
`apply_gradients`, and the weight after every step is recorded in
src/test/resources/golden/optimizers/steps.json. OptimizerParityTest must match within 1e-6.

Run from the repo root:  $PYTHON scripts/make_optimizer_goldens.py
"""
import json
import os

import numpy as np
import keras

OUT = "src/test/resources/golden/optimizers"


def main():
    rng = np.random.RandomState(3)
    start = rng.normal(0, 1, size=(3, 2)).astype("float32")
    grads = [rng.normal(0, 1, size=(3, 2)).astype("float32") for _ in range(5)]
    cases = {
        "adam": keras.optimizers.Adam(learning_rate=0.01),
        "rmsprop": keras.optimizers.RMSprop(learning_rate=0.01),
        "rmsprop_small_lr": keras.optimizers.RMSprop(learning_rate=1e-4),
        "sgd": keras.optimizers.SGD(learning_rate=0.1),
        "sgd_momentum": keras.optimizers.SGD(learning_rate=0.1, momentum=0.9),
        "adagrad": keras.optimizers.Adagrad(learning_rate=0.05),
    }
    doc = {"keras_version": keras.__version__, "start": start.tolist(), "gradients": [g.tolist() for g in grads],
           "cases": {}}
    for name, opt in cases.items():
        w = keras.Variable(start.copy())
        steps = []
        for g in grads:
            opt.apply_gradients([(keras.ops.convert_to_tensor(g), w)])
            steps.append(np.asarray(w).tolist())
        doc["cases"][name] = {"config": {k: v for k, v in opt.get_config().items()
                                         if k in ("learning_rate", "momentum", "epsilon")}, "steps": steps}
    os.makedirs(OUT, exist_ok=True)
    with open(os.path.join(OUT, "steps.json"), "w") as f:
        json.dump(doc, f)
    print("wrote", os.path.join(OUT, "steps.json"))


if __name__ == "__main__":
    main()
