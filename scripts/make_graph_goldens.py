#!/usr/bin/env python3
"""Golden fixtures for Functional models (layer graphs, merges, nested models), made by Keras 3 itself.

Sibling of make_layer_goldens.py: for each model this writes src/test/resources/golden/graphs/<name>.json with
Keras' `model.to_json()`, the weights keyed `layerName/weightName` (nested models flattened), token rows and
Keras' probabilities, and <name>.keras (Keras' own `model.save`) so the reader is tested on Keras' h5 layout.
It also writes configs sentigraph must refuse with one clear line into golden/graphs_bad/<name>.json.

Run from the repo root:  $PYTHON scripts/make_graph_goldens.py   (PYTHON: a venv with tensorflow-cpu)
"""
import json
import os

import numpy as np
import keras
from keras import layers

OUT = "src/test/resources/golden/graphs"
BAD = "src/test/resources/golden/graphs_bad"
VOCAB, SEQ = 40, 12


def tokens_input():
    return keras.Input(shape=(SEQ,), dtype="int32", name="tokens")


def branches():
    x = tokens_input()
    e = layers.Embedding(VOCAB, 8)(x)
    a = layers.Dense(4, activation="relu")(layers.GlobalAveragePooling1D()(e))
    b = layers.LSTM(4)(e)
    c = layers.Concatenate()([a, b])
    return keras.Model(x, layers.Dense(1, activation="sigmoid")(c), name="branches")


def merges():
    x = tokens_input()
    g = layers.GlobalAveragePooling1D()(layers.Embedding(VOCAB, 6)(x))
    d1 = layers.Dense(5, activation="tanh")(g)
    d2 = layers.Dense(5)(g)
    s = layers.Add()([d1, d2])
    m = layers.Multiply()([d1, d2, s])
    avg = layers.Average()([s, m, d1])
    c = layers.Concatenate(axis=-1)([avg, d2])
    return keras.Model(x, layers.Dense(1, activation="sigmoid")(c), name="merges")


def time_concat():
    x = tokens_input()
    e = layers.Embedding(VOCAB, 4)(x)
    conv = layers.Conv1D(4, 3, padding="same", activation="relu")(e)
    c = layers.Concatenate(axis=1)([e, conv])
    return keras.Model(x, layers.Dense(1, activation="sigmoid")(layers.Flatten()(c)), name="time_concat")


def nested_sequential():
    inner = keras.Sequential([layers.Embedding(VOCAB, 6), layers.Conv1D(5, 3, padding="same", activation="relu"),
                              layers.MaxPooling1D(2), layers.Flatten()], name="features")
    x = tokens_input()
    h = inner(x)
    h = layers.Dense(4, activation="relu")(h)
    return keras.Model(x, layers.Dense(1, activation="sigmoid")(h), name="nested_sequential")


def nested_functional():
    # a Sequential model holding a Functional one, as end-to-end exports hold the trained model
    i = keras.Input(shape=(SEQ,), dtype="int32")
    features = keras.Model(i, layers.GRU(5)(layers.Embedding(VOCAB, 6)(i)), name="features")
    return keras.Sequential([tokens_input(), features, layers.Dropout(0.2), layers.Dense(1, activation="sigmoid")],
                            name="nested_functional")


def two_inputs():
    a, b = keras.Input(shape=(SEQ,), dtype="int32"), keras.Input(shape=(SEQ,), dtype="int32")
    e = layers.Embedding(VOCAB, 4)
    c = layers.Concatenate()([layers.Flatten()(e(a)), layers.Flatten()(e(b))])
    return keras.Model([a, b], layers.Dense(1, activation="sigmoid")(c), name="two_inputs")


def two_outputs():
    x = tokens_input()
    g = layers.GlobalAveragePooling1D()(layers.Embedding(VOCAB, 4)(x))
    return keras.Model(x, [layers.Dense(1, activation="sigmoid")(g), layers.Dense(1)(g)], name="two_outputs")


@keras.saving.register_keras_serializable(package="my_project")
class Scale(layers.Layer):
    def call(self, x):
        return 2.0 * x


def custom_layer():
    x = tokens_input()
    g = Scale(name="scale")(layers.GlobalAveragePooling1D()(layers.Embedding(VOCAB, 4)(x)))
    return keras.Model(x, layers.Dense(1, activation="sigmoid")(g), name="custom_layer")


def lambda_layer():
    x = tokens_input()
    g = layers.Lambda(lambda t: t * 2.0, name="double")(layers.GlobalAveragePooling1D()(layers.Embedding(VOCAB, 4)(x)))
    return keras.Model(x, layers.Dense(1, activation="sigmoid")(g), name="lambda_layer")


def flat_layers(model):
    for layer in model.layers:
        if isinstance(layer, keras.Model):
            yield from flat_layers(layer)
        else:
            yield layer


def main():
    os.makedirs(OUT, exist_ok=True)
    os.makedirs(BAD, exist_ok=True)
    rng = np.random.RandomState(11)
    tokens = rng.randint(0, VOCAB, size=(5, SEQ)).astype("int32")
    tokens[0, :4] = 0
    for build in [branches, merges, time_concat, nested_sequential, nested_functional]:
        m = build()
        flat = list(flat_layers(m))
        for layer in flat:
            layer.set_weights([rng.normal(0, 0.4, size=w.shape).astype("float32") for w in layer.get_weights()])
        probabilities = m.predict(tokens, verbose=0)[:, 0]
        weights = {f"{layer.name}/{w.name}": {"shape": list(w.shape), "values": np.asarray(w).ravel().tolist()}
                   for layer in flat for w in layer.weights}
        doc = {"keras_version": keras.__version__, "config": json.loads(m.to_json()), "weights": weights,
               "tokens": tokens.tolist(), "probabilities": probabilities.astype(float).tolist(),
               "params": int(m.count_params())}
        with open(os.path.join(OUT, m.name + ".json"), "w") as f:
            json.dump(doc, f)
        m.save(os.path.join(OUT, m.name + ".keras"))
        print(m.name, m.count_params(), "params")
    for build in [two_inputs, two_outputs, custom_layer, lambda_layer]:
        m = build()
        with open(os.path.join(BAD, m.name + ".json"), "w") as f:
            json.dump({"config": json.loads(m.to_json())}, f)
        print("bad:", m.name)


if __name__ == "__main__":
    main()
