#!/usr/bin/env python3
"""Loads sentigraph's SavedModel exports in Python TensorFlow/Keras, as a Python user would, and checks their
predictions against sentigraph's own (written by SavedModelExporterTest into EXPORT_DIR/savedmodel/).

Each export is called through tf.saved_model.load(dir).signatures["serving_default"] and through
keras.layers.TFSMLayer(dir, call_endpoint="serving_default"); both must match within 1e-5. The serve_text
signature gets raw reviews: its token ids must equal Keras' own preprocessing of the same text (legacy
text_to_word_sequence, the word index with index_from/oov/num_words, pad_sequences), and its probabilities
serving_default's on those ids. A text model's export (savedmodel-text-cnn) takes raw strings in serving_default:
its graph's token ids must equal Keras' TextVectorization's, its probabilities sentigraph's and Keras'. A K-class
model trained by sentigraph (savedmodel-kclass) must give sentigraph's class probabilities.
Usage: $PYTHON scripts/check_savedmodel_export.py EXPORT_DIR      (exit 1 on any mismatch)
"""
import json
import os
import sys
import tarfile

import numpy as np
import tensorflow as tf
import keras
from keras.src.legacy.preprocessing.text import text_to_word_sequence


def keras_token_ids(texts, word_index, data):
    """What a Keras user does by hand: imdb.load_data's encoding of raw text, then pad_sequences."""
    rows = []
    for text in texts:
        ids = [data["start_char"]]
        for word in text_to_word_sequence(text):
            rank = word_index.get(word)
            i = data["oov_char"] if rank is None else rank + data["index_from"]
            if i >= data["num_words"] or i < data["skip_top"]:
                i = data["oov_char"]
            ids.append(i)
        rows.append(ids)
    return keras.utils.pad_sequences(rows, maxlen=data["seq_len"], padding=data["padding"],
                                     truncating=data["truncating"], dtype="int32")


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
        expected_ids = keras_token_ids(doc["texts"], doc["word_index"], doc["data"])
        loaded = tf.saved_model.load(case["path"])
        text_out = loaded.signatures["serve_text"](text=tf.constant(doc["texts"]))
        ids_ok = np.array_equal(text_out["token_ids"].numpy(), expected_ids)
        reference = serving(tokens=tf.constant(expected_ids))["probability"].numpy()
        diff = float(np.max(np.abs(text_out["probability"].numpy() - reference)))
        ok = ids_ok and diff <= 1e-5
        failures += not ok
        print(f"{'ok ' if ok else 'FAIL'} {case['path']} serve_text: token ids {'equal' if ids_ok else 'DIFFER'}"
              f" to Keras' preprocessing, max |diff| {diff:.2e}")
        if not ids_ok:
            print("   sentigraph:", text_out["token_ids"].numpy().tolist(), "\n   keras:     ", expected_ids.tolist())
    failures += check_real_reviews(os.path.join(sys.argv[1], "savedmodel_real", "export.json"))
    failures += check_text_models(os.path.join(sys.argv[1], "savedmodel-text-cnn", "predictions.json"))
    failures += check_class_models(os.path.join(sys.argv[1], "savedmodel-kclass", "predictions.json"))
    sys.exit(1 if failures else 0)


def check_text_models(path):
    """A model that reads text (the text-cnn preset, written by TextCnnPresetTest): serving_default takes raw
    strings; its in-graph token ids (signature tokenize) must equal those of Keras' own TextVectorization from
    the same model's .keras export, and its probabilities sentigraph's and Keras'."""
    if not os.path.exists(path):
        return 0
    doc = json.load(open(path))
    texts = tf.constant(doc["texts"])
    failures = 0
    for case in doc["models"]:
        loaded = tf.saved_model.load(case["path"])
        got = loaded.signatures["serving_default"](text=texts)["probability"].numpy()[:, 0]
        ids = loaded.signatures["tokenize"](text=texts)["token_ids"].numpy()
        keras_model = keras.models.load_model(case["keras"])
        keras_ids = keras_model.layers[0](tf.reshape(texts, (-1, 1))).numpy()
        via_keras = keras_model.predict(tf.reshape(texts, (-1, 1)), verbose=0)[:, 0]
        via_tokens = loaded.signatures["serve_tokens"](tokens=tf.constant(ids))["probability"].numpy()[:, 0]
        expected = np.array(case["probabilities"], dtype="float32")
        diff = max(float(np.max(np.abs(got - expected))), float(np.max(np.abs(via_keras - got))),
                   float(np.max(np.abs(via_tokens - got))))
        ids_ok = np.array_equal(ids, keras_ids)
        ok = ids_ok and diff <= 1e-5
        failures += not ok
        print(f"{'ok ' if ok else 'FAIL'} {case['path']} serving_default on {len(doc['texts'])} raw texts: token ids"
              f" {'equal' if ids_ok else 'DIFFER from'} Keras' TextVectorization, max |diff| {diff:.2e}"
              " (sentigraph, Keras, serve_tokens)")
    return failures


def check_class_models(path):
    """A K-class model trained by sentigraph (Dense(4, softmax) on rating bands, written by KClassTrainingTest):
    serving_default's class probabilities through tf.saved_model.load and keras.layers.TFSMLayer must equal
    sentigraph's, row by row and class by class."""
    if not os.path.exists(path):
        return 0
    doc = json.load(open(path))
    tokens = tf.constant(np.array(doc["tokens"], dtype="int32"))
    failures = 0
    for case in doc["models"]:
        expected = np.array(case["probabilities"], dtype="float32")
        via_tf = tf.saved_model.load(case["path"]).signatures["serving_default"](tokens=tokens)[case["output"]].numpy()
        via_keras = np.asarray(keras.layers.TFSMLayer(case["path"], call_endpoint="serving_default")(tokens)[case["output"]])
        for name, got in (("tf.saved_model.load", via_tf), ("keras.layers.TFSMLayer", via_keras)):
            ok = got.shape == expected.shape and float(np.max(np.abs(got - expected))) <= 1e-5
            failures += not ok
            diff = float(np.max(np.abs(got - expected))) if got.shape == expected.shape else float("inf")
            print(f"{'ok ' if ok else 'FAIL'} {case['path']} via {name}: {got.shape[-1]} class probabilities,"
                  f" max |diff| {diff:.2e}")
    return failures


def check_real_reviews(info_path, count=400):
    """serve_text on real aclImdb test reviews with the real IMDB word index (when the Java test had the data)."""
    if not os.path.exists(info_path):
        print("skip serve_text on real reviews: the IMDB data was absent for the Java tests")
        return 0
    info = json.load(open(info_path))
    if not info["acl_imdb"]:
        print("skip serve_text on real reviews: no aclImdb archive beside the IMDB data")
        return 0
    texts = []
    with tarfile.open(info["acl_imdb"]) as archive:
        for member in archive:
            if member.isfile() and "/test/" in member.name and member.name.endswith(".txt"):
                texts.append(archive.extractfile(member).read().decode("utf-8"))
                if len(texts) == count:
                    break
    expected = keras_token_ids(texts, json.load(open(info["word_index"])), info["data"])
    loaded = tf.saved_model.load(info["path"])
    out = loaded.signatures["serve_text"](text=tf.constant(texts))
    differing = int((out["token_ids"].numpy() != expected).any(axis=1).sum())
    reference = loaded.signatures["serving_default"](tokens=tf.constant(expected))["probability"].numpy()
    diff = float(np.max(np.abs(out["probability"].numpy() - reference)))
    ok = differing == 0 and diff <= 1e-5
    print(f"{'ok ' if ok else 'FAIL'} {info['path']} serve_text on {len(texts)} real reviews, IMDB word index:"
          f" {differing} rows differ from Keras' preprocessing, max |diff| {diff:.2e}")
    return 0 if ok else 1


if __name__ == "__main__":
    main()
