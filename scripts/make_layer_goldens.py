#!/usr/bin/env python3
"""Golden fixtures for sentigraph's layers, made by Keras 3 itself.

For each layer family (and each preset architecture at a small size) this builds a Keras Sequential model,
gives it random weights of useful magnitude, and writes src/test/resources/golden/layers/<name>.json with
Keras' own `model.get_config()`, the weights keyed `layerName/weightName` (Keras layout), a few token rows
and Keras' predicted probabilities (inference mode). LayerParityTest rebuilds each model from the config,
loads the weights and must match within 1e-5.

Run from the repo root:  $PYTHON scripts/make_layer_goldens.py   (PYTHON: a venv with tensorflow-cpu)
"""
import json
import os

import numpy as np
import keras
from keras import layers

OUT = "src/test/resources/golden/layers"
VOCAB, SEQ = 40, 12


def model(name, body, dtype="int32"):
    m = keras.Sequential([keras.Input(shape=(SEQ,), dtype=dtype, name="tokens")] + body, name=name)
    return m


def families():
    emb = lambda: layers.Embedding(VOCAB, 8)
    return [
        model("mean_embedding", [emb(), layers.GlobalAveragePooling1D(), layers.Dense(1, activation="sigmoid")]),
        model("dense_raw", [layers.Dense(16, activation="relu"), layers.Dense(1, activation="sigmoid")], dtype="float32"),
        model("dense_embedding", [emb(), layers.Flatten(), layers.Dense(8, activation="tanh"),
                                  layers.Dense(1, activation="sigmoid")]),
        model("cnn", [emb(), layers.Conv1D(6, 3, padding="same", activation="relu"), layers.MaxPooling1D(2),
                      layers.Flatten(), layers.Dense(8, activation="relu"), layers.Dense(1, activation="sigmoid")]),
        model("cnn_valid_strided", [emb(), layers.Conv1D(5, 4, strides=2, padding="valid"),
                                    layers.MaxPooling1D(2, padding="same"), layers.Dropout(0.5),
                                    layers.Flatten(), layers.Dense(1, activation="sigmoid")]),
        model("rnn", [emb(), layers.SimpleRNN(6), layers.Dense(1, activation="sigmoid")]),
        model("irnn", [emb(), layers.SimpleRNN(5, activation="relu",
                                               kernel_initializer=keras.initializers.RandomNormal(stddev=0.001),
                                               recurrent_initializer=keras.initializers.Identity(gain=1.0)),
                       layers.Dense(1, activation="sigmoid")]),
        model("rnn_stacked", [emb(), layers.SimpleRNN(6, return_sequences=True), layers.SimpleRNN(4),
                              layers.Dense(1, activation="sigmoid")]),
        model("lstm", [emb(), layers.LSTM(6, dropout=0.3), layers.Dense(1, activation="sigmoid")]),
        model("lstm_sequences", [emb(), layers.LSTM(5, return_sequences=True), layers.GlobalAveragePooling1D(),
                                 layers.Dense(1, activation="sigmoid")]),
        model("lstm_relu_unrolled", [emb(), layers.LSTM(5, activation="relu"), layers.Dense(1, activation="sigmoid")]),
        model("gru", [emb(), layers.GRU(6), layers.Dense(1, activation="sigmoid")]),
        model("cnn_gru", [emb(), layers.Conv1D(6, 3, padding="same", activation="relu"), layers.MaxPooling1D(2),
                          layers.GRU(5, dropout=0.3, return_sequences=True), layers.GRU(4),
                          layers.Dense(1, activation="sigmoid")]),
        model("cnn_lstm", [emb(), layers.Conv1D(6, 3, padding="same", activation="relu"), layers.MaxPooling1D(2),
                           layers.LSTM(5, dropout=0.3), layers.Dense(1, activation="sigmoid")]),
        # keras.io's "Bidirectional LSTM on IMDB" shape, and the other wrapped cells and merge modes
        model("bilstm", [emb(), layers.Bidirectional(layers.LSTM(4, return_sequences=True)),
                         layers.Bidirectional(layers.LSTM(3)), layers.Dense(1, activation="sigmoid")]),
        model("bigru_sum", [emb(), layers.Bidirectional(layers.GRU(4), merge_mode="sum"),
                            layers.Dense(1, activation="sigmoid")]),
        model("birnn_mul_sequences", [emb(), layers.Bidirectional(layers.SimpleRNN(3, return_sequences=True),
                                                                  merge_mode="mul"),
                                      layers.GlobalMaxPooling1D(), layers.Dense(1, activation="sigmoid")]),
        model("bilstm_ave_hard_sigmoid", [emb(), layers.Bidirectional(
            layers.LSTM(3, dropout=0.2, recurrent_activation="hard_sigmoid"), merge_mode="ave"),
            layers.Dense(1, activation="sigmoid")]),
        # keras.io's "Text classification from scratch" body (strided Conv1D, GlobalMaxPooling1D)
        model("text_cnn", [emb(), layers.Dropout(0.5), layers.Conv1D(5, 3, strides=2, padding="valid", activation="relu"),
                           layers.Conv1D(5, 3, strides=2, padding="valid", activation="relu"),
                           layers.GlobalMaxPooling1D(), layers.Dense(4, activation="relu"), layers.Dropout(0.5),
                           layers.Dense(1, activation="sigmoid")]),
        model("spatial_dropout_cnn_same_strided", [emb(), layers.SpatialDropout1D(0.3),
                                                   layers.Conv1D(4, 3, strides=3, padding="same"),
                                                   layers.GlobalMaxPooling1D(), layers.Dense(1, activation="sigmoid")]),
        model("gru_reset_before", [emb(), layers.GRU(5, reset_after=False), layers.Dense(1, activation="sigmoid")]),
        model("gru_keras2_defaults", [emb(), layers.GRU(4, reset_after=False, recurrent_activation="hard_sigmoid",
                                                        return_sequences=True),
                                      layers.GRU(3, recurrent_activation="hard_sigmoid"),
                                      layers.Dense(1, activation="sigmoid")]),
        model("lstm_hard_sigmoid", [emb(), layers.LSTM(4, recurrent_activation="hard_sigmoid"),
                                    layers.Dense(1, activation="sigmoid")]),
    ]


def weight_key(layer, w):
    """`layerName/weightName`; Bidirectional's two layers are told apart as `name/forward/kernel`, `name/backward/...`."""
    if isinstance(layer, layers.Bidirectional):
        side = "forward" if "/forward_" in w.path else "backward"
        return f"{layer.name}/{side}/{w.name}"
    return f"{layer.name}/{w.name}"


def main():
    os.makedirs(OUT, exist_ok=True)
    rng = np.random.RandomState(7)
    tokens = rng.randint(0, VOCAB, size=(5, SEQ)).astype("int32")
    tokens[0, :4] = 0  # some pre-padding, as real batches have
    for m in families():
        for layer in m.layers:
            layer.set_weights([rng.normal(0, 0.4, size=w.shape).astype("float32") for w in layer.get_weights()])
        x = tokens.astype(m.inputs[0].dtype)
        probabilities = m.predict(x, verbose=0)[:, 0]
        weights = {weight_key(layer, w): {"shape": list(w.shape), "values": np.asarray(w).ravel().tolist()}
                   for layer in m.layers for w in layer.weights}
        doc = {"keras_version": keras.__version__, "config": json.loads(m.to_json()), "weights": weights,
               "tokens": tokens.tolist(), "probabilities": probabilities.astype(float).tolist(),
               "params": int(m.count_params())}
        with open(os.path.join(OUT, m.name + ".json"), "w") as f:
            json.dump(doc, f)
        print(m.name, m.count_params(), "params")


if __name__ == "__main__":
    main()
