#!/usr/bin/env python3
"""Small Keras-trained SavedModels with golden predictions, for sentigraph's loader tests.

For each layer family, trains a tiny Keras 3 model on a synthetic token task and writes into savedmodels/<family>/:
  export/   Keras 3 `model.export()` (input named `tokens`, int32; the `mean` family uses an unnamed input with
            no dtype, so its signature takes float32 `keras_tensor...` as Keras users' exports often do)
  keras2/   a Keras 2 / tf.keras style signature: input `embedding_input`, output named after the last layer (`dense`)
            (tf_keras is not installed here, so the signature is written with tf.saved_model.save of a tf.function
            with those names, which is what tf.keras' model.save produced)
  tfsave/   Keras 3 `tf.saved_model.save(model, dir)`: variables restorable only through the object graph
  model.keras  Keras 3 `model.save()`: config.json + model.weights.h5 (with the Adam slots, as users' files have)
  golden.json  token rows and Keras' probabilities (full precision)
The functional_* families are Functional models (keras.Input + layers called on tensors) and write export/ and
golden.json only.

Run from the repo root:  $PYTHON scripts/make_keras_savedmodels.py [FAMILY ...]   (default: all)
"""
import json
import os
import shutil
import sys

import numpy as np
import tensorflow as tf
import keras
from keras import layers

VOCAB, SEQ = 60, 16
OUT = "savedmodels"


def data(n, seed):
    rng = np.random.RandomState(seed)
    x = rng.randint(3, VOCAB, size=(n, SEQ)).astype("int32")
    y = ((x >= 10) & (x < 25)).sum(1) > ((x >= 25) & (x < 40)).sum(1)
    return x, y.astype("float32")


def families():
    named = lambda: keras.Input(shape=(SEQ,), dtype="int32", name="tokens")
    return {
        "lstm": keras.Sequential([named(), layers.Embedding(VOCAB, 8), layers.LSTM(6),
                                  layers.Dense(1, activation="sigmoid")]),
        "gru": keras.Sequential([named(), layers.Embedding(VOCAB, 8), layers.GRU(6),
                                 layers.Dense(1, activation="sigmoid")]),
        "simple_rnn": keras.Sequential([named(), layers.Embedding(VOCAB, 8), layers.SimpleRNN(6),
                                        layers.Dense(1, activation="sigmoid")]),
        "cnn": keras.Sequential([named(), layers.Embedding(VOCAB, 8), layers.Conv1D(6, 3, padding="same", activation="relu"),
                                 layers.MaxPooling1D(2), layers.Flatten(), layers.Dense(1, activation="sigmoid")]),
        "mean": keras.Sequential([keras.Input(shape=(SEQ,)), layers.Embedding(VOCAB, 8),
                                  layers.GlobalAveragePooling1D(), layers.Dense(1, activation="sigmoid")]),
        "functional_lstm": functional(layers.LSTM(6)),
        "functional_gru": functional(layers.GRU(6)),
    }


def functional(recurrent):
    tokens = keras.Input(shape=(SEQ,), dtype="int32", name="tokens")
    probability = layers.Dense(1, activation="sigmoid")(recurrent(layers.Embedding(VOCAB, 8)(tokens)))
    return keras.Model(tokens, probability)


def keras2_style(model, path):
    """A signature named as tf.keras' model.save wrote it: embedding_input -> dense."""
    module = tf.Module()
    module.model = model

    @tf.function(input_signature=[tf.TensorSpec([None, SEQ], tf.int32, name="embedding_input")])
    def serve(embedding_input):
        return {"dense": model(embedding_input)}

    module.serve = serve
    tf.saved_model.save(module, path, signatures={"serving_default": serve})


def main():
    keras.utils.set_random_seed(5)
    x, y = data(600, 1)
    probe, _ = data(6, 2)
    probe[0, :5] = 0
    only = sys.argv[1:]
    for name, model in families().items():
        if only and name not in only:
            continue
        model.compile(optimizer="adam", loss="binary_crossentropy")
        model.fit(x.astype(model.inputs[0].dtype), y, epochs=2, batch_size=32, verbose=0)
        root = os.path.join(OUT, name)
        shutil.rmtree(root, ignore_errors=True)
        os.makedirs(root)
        model.export(os.path.join(root, "export"), verbose=False)
        if not name.startswith("functional_"):
            keras2_style(model, os.path.join(root, "keras2"))
            tf.saved_model.save(model, os.path.join(root, "tfsave"))
            model.save(os.path.join(root, "model.keras"))
        p = model.predict(probe.astype(model.inputs[0].dtype), verbose=0)[:, 0]
        with open(os.path.join(root, "golden.json"), "w") as f:
            json.dump({"keras_version": keras.__version__, "seq_len": SEQ, "tokens": probe.tolist(),
                       "probabilities": p.astype(float).tolist()}, f)
        print(name, "saved")


if __name__ == "__main__":
    main()
