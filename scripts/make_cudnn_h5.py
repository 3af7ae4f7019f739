#!/usr/bin/env python3
"""Keras 2.2-era .h5 files with CuDNNLSTM / CuDNNGRU layers, and what Keras 2 would have predicted from them.

Keras 3 cannot make such files (it has no CuDNN layers), so they are written with h5py in the layout Keras 2.2.4's
`model.save()` wrote: byte-string attributes, a Keras 2.2 model_config (initializers as VarianceScaling, no
InputLayer in a Sequential), `model_weights/<layer>/<layer>/kernel:0` datasets listed by `weight_names`. The
recurrent weights are random values in CuDNN's layout (LSTM bias 8*units: input and recurrent halves; GRU bias
6*units), with input_dim != units so that a wrong reshape shows.

The golden probabilities come from Keras 3: the same model built with LSTM / GRU(reset_after=True) and the CuDNN
weights converted as Keras 2's `_convert_rnn_weights` did when loading CuDNN weights into LSTM / GRU (per gate:
input kernel transposed and re-read in Fortran order, recurrent kernel transposed; LSTM biases summed, GRU bias
reshaped to (2, 3*units)); the conversion below is written from that description, not taken from Java.

Writes savedmodels/legacy/{cudnn_lstm,cudnn_gru,bidirectional_cudnn_lstm}.h5 and cudnn_golden.json.
Run from the repo root:  $PYTHON scripts/make_cudnn_h5.py
"""
import json
import os

import h5py
import numpy as np
import keras
from keras import layers

OUT = "savedmodels/legacy"
VOCAB, SEQ, EMBED = 30, 10, 6
GLOROT = {"class_name": "VarianceScaling",
          "config": {"scale": 1.0, "mode": "fan_avg", "distribution": "uniform", "seed": None}}
NONE_ARGS = ["kernel_regularizer", "recurrent_regularizer", "bias_regularizer", "activity_regularizer",
             "kernel_constraint", "recurrent_constraint", "bias_constraint"]


def embedding():
    return {"class_name": "Embedding", "config": {
        "name": "embedding_1", "trainable": True, "batch_input_shape": [None, SEQ], "dtype": "float32",
        "input_dim": VOCAB, "output_dim": EMBED,
        "embeddings_initializer": {"class_name": "RandomUniform",
                                   "config": {"minval": -0.05, "maxval": 0.05, "seed": None}},
        "embeddings_regularizer": None, "activity_regularizer": None, "embeddings_constraint": None,
        "mask_zero": False, "input_length": SEQ}}


def cudnn(cls, name, units, return_sequences):
    cfg = {"name": name, "trainable": True, "return_sequences": return_sequences, "return_state": False,
           "stateful": False, "units": units, "kernel_initializer": GLOROT,
           "recurrent_initializer": {"class_name": "Orthogonal", "config": {"gain": 1.0, "seed": None}},
           "bias_initializer": {"class_name": "Zeros", "config": {}}}
    if cls == "CuDNNLSTM":
        cfg["unit_forget_bias"] = True
    cfg.update({k: None for k in NONE_ARGS})
    return {"class_name": cls, "config": cfg}


def dense(name, units, activation):
    return {"class_name": "Dense", "config": {
        "name": name, "trainable": True, "units": units, "activation": activation, "use_bias": True,
        "kernel_initializer": GLOROT, "bias_initializer": {"class_name": "Zeros", "config": {}},
        "kernel_regularizer": None, "bias_regularizer": None, "activity_regularizer": None,
        "kernel_constraint": None, "bias_constraint": None}}


def cudnn_weights(rng, gates, units, input_dim):
    kernel = rng.normal(0, 0.5, (input_dim, gates * units)).astype("float32")
    recurrent = rng.normal(0, 0.5, (units, gates * units)).astype("float32")
    bias = rng.normal(0, 0.5, (2 * gates * units,)).astype("float32")
    return [kernel, recurrent, bias]


def per_gate(matrix, gates, f):
    return np.concatenate([f(block) for block in np.split(matrix, gates, axis=1)], axis=1)


def converted(weights, gates):
    """CuDNN layout -> Keras LSTM / GRU(reset_after=True) layout, as Keras 2 loaded it."""
    kernel, recurrent, bias = weights
    kernel = per_gate(kernel, gates, lambda k: k.T.reshape(k.shape, order="F"))
    recurrent = per_gate(recurrent, gates, lambda k: k.T)
    bias = bias[: gates * recurrent.shape[0]] + bias[gates * recurrent.shape[0]:] if gates == 4 \
        else bias.reshape(2, -1)
    return [kernel, recurrent, bias]


def specs(rng):
    """name -> (Keras 2 layer configs, {layer name: stored weights}, the Keras 3 model, its weights in order)."""
    out = {}
    emb = rng.normal(0, 0.5, (VOCAB, EMBED)).astype("float32")
    lstm = cudnn_weights(rng, 4, 4, EMBED)
    head = [rng.normal(0, 0.5, (4, 1)).astype("float32"), rng.normal(0, 0.5, (1,)).astype("float32")]
    k3 = keras.Sequential([keras.Input((SEQ,), dtype="int32"), layers.Embedding(VOCAB, EMBED), layers.LSTM(4),
                           layers.Dense(1, activation="sigmoid")])
    out["cudnn_lstm"] = ([embedding(), cudnn("CuDNNLSTM", "cu_dnnlstm_1", 4, False), dense("dense_1", 1, "sigmoid")],
                         [("embedding_1", [("embeddings", emb)]),
                          ("cu_dnnlstm_1", list(zip(["kernel", "recurrent_kernel", "bias"], lstm))),
                          ("dense_1", list(zip(["kernel", "bias"], head)))],
                         k3, [emb] + converted(lstm, 4) + head)

    emb = rng.normal(0, 0.5, (VOCAB, EMBED)).astype("float32")
    gru = cudnn_weights(rng, 3, 5, EMBED)
    hidden = [rng.normal(0, 0.5, (5, 3)).astype("float32"), rng.normal(0, 0.5, (3,)).astype("float32")]
    head = [rng.normal(0, 0.5, (3, 1)).astype("float32"), rng.normal(0, 0.5, (1,)).astype("float32")]
    k3 = keras.Sequential([keras.Input((SEQ,), dtype="int32"), layers.Embedding(VOCAB, EMBED),
                           layers.GRU(5, return_sequences=True), layers.GlobalMaxPooling1D(),
                           layers.Dense(3, activation="relu"), layers.Dense(1, activation="sigmoid")])
    pool = {"class_name": "GlobalMaxPooling1D",
            "config": {"name": "global_max_pooling1d_1", "trainable": True, "data_format": "channels_last"}}
    out["cudnn_gru"] = ([embedding(), cudnn("CuDNNGRU", "cu_dnngru_1", 5, True), pool,
                         dense("dense_1", 3, "relu"), dense("dense_2", 1, "sigmoid")],
                        [("embedding_1", [("embeddings", emb)]),
                         ("cu_dnngru_1", list(zip(["kernel", "recurrent_kernel", "bias"], gru))),
                         ("global_max_pooling1d_1", []),
                         ("dense_1", list(zip(["kernel", "bias"], hidden))),
                         ("dense_2", list(zip(["kernel", "bias"], head)))],
                        k3, [emb] + converted(gru, 3) + hidden + head)

    emb = rng.normal(0, 0.5, (VOCAB, EMBED)).astype("float32")
    fwd, bwd = cudnn_weights(rng, 4, 3, EMBED), cudnn_weights(rng, 4, 3, EMBED)
    head = [rng.normal(0, 0.5, (6, 1)).astype("float32"), rng.normal(0, 0.5, (1,)).astype("float32")]
    k3 = keras.Sequential([keras.Input((SEQ,), dtype="int32"), layers.Embedding(VOCAB, EMBED),
                           layers.Bidirectional(layers.LSTM(3)), layers.Dense(1, activation="sigmoid")])
    bidir = {"class_name": "Bidirectional", "config": {
        "name": "bidirectional_1", "trainable": True, "layer": cudnn("CuDNNLSTM", "cu_dnnlstm_1", 3, False),
        "merge_mode": "concat"}}
    names = ["kernel", "recurrent_kernel", "bias"]
    out["bidirectional_cudnn_lstm"] = (
        [embedding(), bidir, dense("dense_1", 1, "sigmoid")],
        [("embedding_1", [("embeddings", emb)]),
         ("bidirectional_1", [("forward_cu_dnnlstm_1/" + n, w) for n, w in zip(names, fwd)]
          + [("backward_cu_dnnlstm_1/" + n, w) for n, w in zip(names, bwd)]),
         ("dense_1", list(zip(["kernel", "bias"], head)))],
        k3, [emb] + converted(fwd, 4) + converted(bwd, 4) + head)
    return out


def write_keras2_h5(path, name, layer_configs, stored):
    """What Keras 2.2.4's model.save wrote (less the optimizer state, which sentigraph does not read)."""
    b = lambda s: s.encode("utf8")
    with h5py.File(path, "w") as f:
        f.attrs["keras_version"] = b("2.2.4")
        f.attrs["backend"] = b("tensorflow")
        f.attrs["model_config"] = b(json.dumps({"class_name": "Sequential",
                                                "config": {"name": name, "layers": layer_configs}}))
        f.attrs["training_config"] = b(json.dumps({"optimizer_config": {"class_name": "Adam", "config": {}},
                                                   "loss": "binary_crossentropy", "metrics": ["acc"]}))
        weights = f.create_group("model_weights")
        weights.attrs["layer_names"] = np.array([b(n) for n, _ in stored])
        weights.attrs["backend"] = b("tensorflow")
        weights.attrs["keras_version"] = b("2.2.4")
        for layer, values in stored:
            g = weights.create_group(layer)
            names = [layer + "/" + n + ":0" for n, _ in values]
            g.attrs["weight_names"] = np.array([b(n) for n in names]) if names else np.array([])
            for n, (_, v) in zip(names, values):
                g.create_dataset(n, data=v)


def main():
    rng = np.random.RandomState(14)
    probe = rng.randint(0, VOCAB, size=(4, SEQ)).astype("int32")
    probe[0, :4] = 0
    golden = {"keras_version": keras.__version__, "tokens": probe.tolist(), "models": {}}
    for name, (configs, stored, model, keras_weights) in specs(rng).items():
        model.set_weights(keras_weights)
        write_keras2_h5(os.path.join(OUT, name + ".h5"), name, configs, stored)
        golden["models"][name] = model.predict(probe, verbose=0)[:, 0].astype(float).tolist()
        print(name, "written")
    with open(os.path.join(OUT, "cudnn_golden.json"), "w") as f:
        json.dump(golden, f)


if __name__ == "__main__":
    main()
