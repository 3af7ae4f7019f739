#!/usr/bin/env python3
"""Keras' side of docs/training.md's rating-band run: the same 4-class task and config, trained by Keras 3.

Reads aclImdb_v1 (folder or tarball) as sentigraph's `--review-labels rating-bands` does: reviews in the order train|test,
pos then neg, file names sorted; the label is the band of the star rating in `<id>_<rating>.txt` (1-2, 3-4, 7-8,
9-10 -> 0..3); words by Keras' legacy text_to_word_sequence, ranked by their count in the training reviews (first
seen wins ties), then keras.datasets.imdb.load_data's steps (start 1, OOV 2, index_from 3, shuffle with seed 113,
num_words) and pad_sequences. Then the model config given, compiled with SparseCategoricalCrossentropy and
metrics=["accuracy"], fit with adam, validation on the test split.

Usage: $PYTHON scripts/keras_rating_bands.py ACLIMDB CONFIG.json [EPOCHS] [BATCH] [SEED]
"""
import collections
import json
import os
import sys
import tarfile

import numpy as np
import keras
from keras.src.legacy.preprocessing.text import text_to_word_sequence

BANDS = {1: 0, 2: 0, 3: 1, 4: 1, 7: 2, 8: 2, 9: 3, 10: 3}


def read(path):
    """{(split, polarity): [(name, text)]}, names sorted as strings."""
    parts = collections.defaultdict(dict)
    if os.path.isdir(path):
        for split in ("train", "test"):
            for polarity in ("pos", "neg"):
                folder = os.path.join(path, split, polarity)
                for name in os.listdir(folder):
                    if name.endswith(".txt"):
                        parts[(split, polarity)][name] = open(os.path.join(folder, name), encoding="utf-8").read()
    else:
        with tarfile.open(path) as archive:
            for member in archive:
                bits = member.name.split("/")
                if member.isfile() and len(bits) >= 3 and bits[-1].endswith(".txt") and bits[-2] in ("pos", "neg") \
                        and bits[-3] in ("train", "test"):
                    parts[(bits[-3], bits[-2])][bits[-1]] = archive.extractfile(member).read().decode("utf-8")
    splits = {}
    for split in ("train", "test"):
        texts, labels = [], []
        for polarity in ("pos", "neg"):
            for name in sorted(parts[(split, polarity)]):
                texts.append(parts[(split, polarity)][name])
                labels.append(BANDS[int(name[name.rindex("_") + 1:-4])])
        splits[split] = (texts, np.array(labels, dtype="int32"))
    return splits


def main():
    source, config_path = sys.argv[1], sys.argv[2]
    epochs = int(sys.argv[3]) if len(sys.argv) > 3 else 2
    batch = int(sys.argv[4]) if len(sys.argv) > 4 else 32
    seed = int(sys.argv[5]) if len(sys.argv) > 5 else 1
    # a plain Sequential config (model.to_json() or the class_name/config form sentigraph's docs write)
    model = keras.Sequential.from_config(json.load(open(config_path))["config"])
    num_words = model.layers[0].input_dim
    seq_len = model.input_shape[1]
    splits = read(source)
    counts = collections.Counter()
    words = {s: [text_to_word_sequence(t) for t in splits[s][0]] for s in splits}
    order = {}
    for review in words["train"]:
        for w in review:
            counts[w] += 1
            order.setdefault(w, len(order))
    ranked = sorted(counts, key=lambda w: (-counts[w], order[w]))
    rank = {w: i + 1 for i, w in enumerate(ranked)}
    data = {}
    rng = np.random.RandomState(113)  # load_data shuffles the training split, then the test split, with one RNG
    for split in ("train", "test"):
        xs = [[1] + [rank[w] + 3 if w in rank else 2 for w in review] for review in words[split]]
        labels = splits[split][1]
        indices = np.arange(len(xs))
        rng.shuffle(indices)
        xs = [xs[i] for i in indices]
        labels = labels[indices]
        xs = [[w if w < num_words else 2 for w in x] for x in xs]
        data[split] = (keras.utils.pad_sequences(xs, maxlen=seq_len), labels)
    keras.utils.set_random_seed(seed)
    model.compile(optimizer=keras.optimizers.Adam(1e-3), loss=keras.losses.SparseCategoricalCrossentropy(),
                  metrics=["accuracy"])
    history = model.fit(*data["train"], epochs=epochs, batch_size=batch, validation_data=data["test"], verbose=2)
    print(json.dumps({k: [round(v, 4) for v in vs] for k, vs in history.history.items()}))


if __name__ == "__main__":
    main()
