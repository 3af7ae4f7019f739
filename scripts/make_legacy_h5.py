#!/usr/bin/env python3
"""Legacy Keras 2 style .h5 model files with Keras' predictions, for LegacyH5Reader's tests.

Keras 3 writes the legacy layout with `model.save("x.h5")` (model_config attribute, model_weights/<layer>/
weight_names). Its model_config is in Keras 3's form, so this rewrites it with h5py into what Keras 2 wrote:
no module/registered_name/build_config, dtype "float32", Sequential without an InputLayer (the first layer
carries batch_input_shape, an Embedding its input_length), LSTM/GRU with `implementation`, Functional as class
"Model" with Keras 2's inbound_nodes lists. Writes savedmodels/legacy/<name>.h5 and golden.json (token rows
and Keras 3's probabilities from the model before saving).

Run from the repo root:  $PYTHON scripts/make_legacy_h5.py
"""
import json
import os
import shutil

import h5py
import numpy as np
import keras
from keras import layers

OUT = "savedmodels/legacy"
VOCAB, SEQ = 30, 10


def keras2_layer(layer, first_shape=None):
    cfg = dict(layer["config"])
    cfg["dtype"] = "float32"
    for key in ("quantization_config", "lora_rank", "lora_alpha", "seed"):
        cfg.pop(key, None)
    for key, value in list(cfg.items()):
        if isinstance(value, dict) and "class_name" in value:
            cfg[key] = keras2_object(value)
    if layer["class_name"] in ("LSTM", "GRU", "SimpleRNN"):
        cfg["implementation"] = 2
    if layer["class_name"] == "Embedding":
        cfg["input_length"] = SEQ
    if first_shape is not None:
        cfg["batch_input_shape"] = first_shape
    out = {"class_name": layer["class_name"], "config": cfg}
    if "inbound_nodes" in layer:
        out["name"] = layer["name"]
        out["inbound_nodes"] = [[[t["config"]["keras_history"][0], 0, 0, {}] for t in flat_tensors(node["args"])]
                                for node in layer["inbound_nodes"]]
    return out


def keras2_object(o):
    if o["class_name"] == "DTypePolicy":
        return "float32"
    cfg = {k: (keras2_object(v) if isinstance(v, dict) and "class_name" in v else v)
           for k, v in o.get("config", {}).items()}
    return {"class_name": o["class_name"], "config": cfg}


def flat_tensors(args):
    out = []
    for a in args:
        if isinstance(a, list):
            out += flat_tensors(a)
        elif isinstance(a, dict) and a.get("class_name") == "__keras_tensor__":
            out.append(a)
    return out


def keras2_config(model):
    c = json.loads(model.to_json())
    layers_ = c["config"]["layers"]
    if c["class_name"] == "Sequential":
        shape = layers_[0]["config"]["batch_shape"]
        body = [keras2_layer(l, shape if i == 0 else None) for i, l in enumerate(layers_[1:])]
        return {"class_name": "Sequential", "config": {"name": c["config"]["name"], "layers": body}}
    body = []
    for l in layers_:
        if l["class_name"] == "InputLayer":
            body.append({"class_name": "InputLayer", "name": l["name"], "inbound_nodes": [],
                         "config": {"batch_input_shape": l["config"]["batch_shape"], "dtype": "int32",
                                    "sparse": False, "ragged": False, "name": l["name"]}})
        else:
            body.append(keras2_layer(l))
    ends = lambda e: [e] if isinstance(e[0], str) else e
    return {"class_name": "Model", "config": {"name": c["config"]["name"], "layers": body,
                                              "input_layers": ends(c["config"]["input_layers"]),
                                              "output_layers": ends(c["config"]["output_layers"])}}


def save_every_format(model, folder):
    """model.keras, model.h5 in Keras 2's layout (as Keras 2.15 would write it) and export/ (model.export())."""
    model.save(os.path.join(folder, "model.keras"))
    h5 = os.path.join(folder, "model.h5")
    model.save(h5)
    with h5py.File(h5, "r+") as f:
        f.attrs["model_config"] = json.dumps(keras2_config(model))
        f.attrs["keras_version"] = "2.15.0"
    model.export(os.path.join(folder, "export"), verbose=False)


def models():
    tokens = lambda: keras.Input(shape=(SEQ,), dtype="int32")
    seq_lstm = keras.Sequential([tokens(), layers.Embedding(VOCAB, 6), layers.LSTM(4, recurrent_activation="hard_sigmoid"),
                                 layers.Dense(1, activation="sigmoid")], name="seq_lstm")
    flat = keras.Sequential([tokens(), layers.Embedding(VOCAB, 4), layers.Flatten(), layers.Dense(3, activation="relu"),
                             layers.Dense(1, activation="sigmoid")], name="embedding_flatten")
    x = tokens()
    e = layers.Embedding(VOCAB, 5)(x)
    a = layers.GRU(3, reset_after=False, recurrent_activation="hard_sigmoid")(e)
    b = layers.GlobalMaxPooling1D()(e)
    h = layers.Concatenate()([a, b])
    functional = keras.Model(x, layers.Dense(1, activation="sigmoid")(h), name="functional_gru")
    bidir = keras.Sequential([tokens(), layers.Embedding(VOCAB, 4), layers.Bidirectional(layers.LSTM(3)),
                              layers.Dense(1, activation="sigmoid")], name="bidirectional")
    return [seq_lstm, flat, functional, bidir]


def main():
    shutil.rmtree(OUT, ignore_errors=True)
    os.makedirs(OUT)
    rng = np.random.RandomState(5)
    probe = rng.randint(0, VOCAB, size=(4, SEQ)).astype("int32")
    golden = {"keras_version": keras.__version__, "tokens": probe.tolist(), "models": {}}
    for m in models():
        for layer in m.layers:
            layer.set_weights([rng.normal(0, 0.5, size=w.shape).astype("float32") for w in layer.get_weights()])
        path = os.path.join(OUT, m.name + ".h5")
        m.compile(optimizer="adam", loss="binary_crossentropy")
        m.save(path)
        with h5py.File(path, "r+") as f:
            f.attrs["model_config"] = json.dumps(keras2_config(m))
            f.attrs["keras_version"] = "2.15.0"
        golden["models"][m.name] = m.predict(probe, verbose=0)[:, 0].astype(float).tolist()
        print(m.name, "saved")
    with open(os.path.join(OUT, "golden.json"), "w") as f:
        json.dump(golden, f)


if __name__ == "__main__":
    main()
