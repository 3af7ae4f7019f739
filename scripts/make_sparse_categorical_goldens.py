#!/usr/bin/env python3
"""Golden fixture for sentigraph's K-class training step, made by Keras 3's own fit step.

A tiny model (Embedding(20, 4), GlobalAveragePooling1D, Dense(3) with a softmax or no activation) starts from
fixed weights; compiled as a Keras user compiles a K-class model (SparseCategoricalCrossentropy, from_logits for the
logit head, metrics=["accuracy"], SGD with learning rate 1 so that the step is minus the gradient), one
train_on_batch over 6 fixed reviews gives the loss, the accuracy and the weights after the step; evaluate on the
same batch afterwards gives what Keras' evaluate reports. Then Keras' metrics of 40 reviews' fixed class
probabilities over 4 classes (one row saturated, so that the 1e-7 clip counts): the loss on probabilities,
accuracy, macro F1 (F1Score), and precision and recall per class (top_k=1) for their macro average. Written to
src/test/resources/golden/training/sparse_categorical.json; SparseCategoricalStepTest must match.

Run from the repo root:  $PYTHON scripts/make_sparse_categorical_goldens.py
"""
import json
import os

import numpy as np
import keras
from keras import layers

OUT = "src/test/resources/golden/training"
VOCAB, SEQ, CLASSES = 20, 5, 3


def main():
    rng = np.random.RandomState(22)
    tokens = rng.randint(0, VOCAB, size=(6, SEQ)).astype("int32")
    labels = np.array([0, 1, 2, 2, 1, 0], dtype="int32")
    start = [rng.normal(0, 1, size=(VOCAB, 4)).astype("float32"),
             rng.normal(0, 1, size=(4, CLASSES)).astype("float32"),
             rng.normal(0, 0.5, size=(CLASSES,)).astype("float32")]
    doc = {"keras_version": keras.__version__, "tokens": tokens.tolist(), "labels": labels.tolist(),
           "start": [w.ravel().tolist() for w in start], "cases": {}}
    for name, activation, from_logits in (("softmax", "softmax", False), ("logits", None, True)):
        model = keras.Sequential([keras.Input(shape=(SEQ,), dtype="int32"), layers.Embedding(VOCAB, 4),
                                  layers.GlobalAveragePooling1D(), layers.Dense(CLASSES, activation=activation)])
        model.set_weights(start)
        model.compile(optimizer=keras.optimizers.SGD(learning_rate=1.0),
                      loss=keras.losses.SparseCategoricalCrossentropy(from_logits=from_logits), metrics=["accuracy"])
        step = model.train_on_batch(tokens, labels, return_dict=True)
        after = model.get_weights()
        evaluated = model.evaluate(tokens, labels, batch_size=6, return_dict=True, verbose=0)
        doc["cases"][name] = {
            "loss": float(step["loss"]), "accuracy": float(step["accuracy"]),
            "history_keys": sorted(step.keys()),
            "gradients": [(b - a).ravel().tolist() for b, a in zip(start, after)],
            "after": [w.ravel().tolist() for w in after],
            "evaluate": {"loss": float(evaluated["loss"]), "accuracy": float(evaluated["accuracy"])}}
    doc["evaluation"] = evaluation(rng)
    os.makedirs(OUT, exist_ok=True)
    with open(os.path.join(OUT, "sparse_categorical.json"), "w") as f:
        json.dump(doc, f)
    print("wrote", os.path.join(OUT, "sparse_categorical.json"))


def evaluation(rng, n=40, k=4):
    labels = np.arange(n) % k
    logits = rng.normal(0, 1.5, size=(n, k)) + np.eye(k)[labels] * rng.uniform(0, 2, size=(n, 1))
    probabilities = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)
    probabilities[0] = [0.0, 1.0, 0.0, 0.0]  # label 0 given probability 0: only the clip keeps the loss finite
    probabilities = probabilities.astype("float32")
    one_hot = np.eye(k, dtype="float32")[labels]
    loss = float(np.mean(keras.losses.sparse_categorical_crossentropy(labels, probabilities)))
    accuracy = float(np.mean(keras.metrics.sparse_categorical_accuracy(labels, probabilities)))
    f1 = keras.metrics.F1Score(average="macro", threshold=None)
    f1.update_state(one_hot, probabilities)
    precision, recall = [], []
    for c in range(k):
        p = keras.metrics.Precision(top_k=1, class_id=c)
        p.update_state(one_hot, probabilities)
        r = keras.metrics.Recall(top_k=1, class_id=c)
        r.update_state(one_hot, probabilities)
        precision.append(float(p.result()))
        recall.append(float(r.result()))
    return {"labels": labels.tolist(), "probabilities": probabilities.ravel().tolist(), "classes": k, "loss": loss,
            "accuracy": accuracy, "f1": float(f1.result()), "precision": float(np.mean(precision)),
            "recall": float(np.mean(recall))}


if __name__ == "__main__":
    main()
