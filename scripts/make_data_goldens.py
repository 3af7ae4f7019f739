#!/usr/bin/env python3
"""Golden fixtures for sentigraph's IMDB loader, made by Keras itself.

Runs the real `keras.datasets.imdb.load_data` (its `get_file` pointed at the shared imdb.npz, whose bytes
differ from Keras' download but whose content is the same) and `keras.utils.pad_sequences` for several
settings, and writes, per setting, one gzipped JSON file under src/test/resources/golden/data/:
labels, unpadded lengths, a CRC-32 of every padded row (int32 little-endian bytes), and a few full rows.
The Java test ImdbParityTest matches every row and label, in order.

Run from the repo root:  $PYTHON scripts/make_data_goldens.py [path/to/imdb.npz]
(PYTHON: a venv with tensorflow-cpu / keras 3; default data: ../shared/data/imdb/imdb.npz)
"""
import base64
import gzip
import json
import os
import sys
import zlib

import numpy as np
import keras
from keras.src.datasets import imdb

NPZ = sys.argv[1] if len(sys.argv) > 1 else "../shared/data/imdb/imdb.npz"
OUT = "src/test/resources/golden/data"

SETTINGS = [
    dict(name="nw10000_len500", load=dict(num_words=10000), seq_len=500),
    dict(name="nw5000_len100", load=dict(num_words=5000), seq_len=100),
    dict(name="nw20000_len80", load=dict(num_words=20000), seq_len=80),
    dict(name="nw20000_len30", load=dict(num_words=20000), seq_len=30),
    dict(name="nw10000_skip2_maxlen200_len80", load=dict(num_words=10000, skip_top=2, maxlen=200), seq_len=80),
    dict(name="nw10000_from2_len80_post", load=dict(num_words=10000, index_from=2), seq_len=80,
         padding="post", truncating="post"),
    dict(name="nwNone_len500", load=dict(), seq_len=500),
]


def b64(array, dtype):
    return base64.b64encode(np.asarray(array, dtype=dtype).astype("<" + dtype[1:]).tobytes()).decode()


def make_tiny():
    """A 7+5 review npz in Keras' layout (reviews.npz, so it is never taken for the real imdb.npz), with Keras' load_data output for two settings: the fixture the
    default test suite uses when ../shared is absent."""
    rng = np.random.RandomState(0)
    words = ["the", "film", "was", "great", "bad", "plot", "acting", "and", "i", "loved", "it", "boring"]
    x_train = np.empty(7, dtype=object)
    x_test = np.empty(5, dtype=object)
    for arr in (x_train, x_test):
        for i in range(len(arr)):
            arr[i] = [int(r) for r in rng.randint(1, len(words) + 1, size=rng.randint(2, 9))]
    y_train = np.array([1, 0, 1, 1, 0, 0, 1], dtype=np.int64)
    y_test = np.array([0, 1, 0, 1, 1], dtype=np.int64)
    out = "src/test/resources/fixtures/tiny_imdb"
    os.makedirs(out, exist_ok=True)
    np.savez(os.path.join(out, "reviews.npz"), x_train=x_train, y_train=y_train, x_test=x_test, y_test=y_test)
    with open(os.path.join(out, "imdb_word_index.json"), "w") as f:
        json.dump({w: i + 1 for i, w in enumerate(words)}, f)
    imdb.get_file = lambda *args, **kwargs: os.path.abspath(os.path.join(out, "reviews.npz"))
    expected = {}
    for name, load, seq_len in (("nw10_len6", dict(num_words=10), 6), ("skip2_maxlen7_len5", dict(skip_top=2, maxlen=7), 5)):
        (xtr, ytr), (xte, yte) = imdb.load_data(**load)
        expected[name] = {"load_data": load, "seq_len": seq_len,
                          "x_train": keras.utils.pad_sequences(xtr, maxlen=seq_len).tolist(), "y_train": ytr.tolist(),
                          "x_test": keras.utils.pad_sequences(xte, maxlen=seq_len).tolist(), "y_test": yte.tolist()}
    with open(os.path.join(out, "expected.json"), "w") as f:
        json.dump(expected, f)


def main():
    make_tiny()
    imdb.get_file = lambda *args, **kwargs: os.path.abspath(NPZ)  # the shared copy; same content as Keras'
    os.makedirs(OUT, exist_ok=True)
    for s in SETTINGS:
        (xtr, ytr), (xte, yte) = imdb.load_data(**s["load"])
        padding = s.get("padding", "pre")
        truncating = s.get("truncating", "pre")
        doc = {"name": s["name"], "load_data": s["load"], "seq_len": s["seq_len"], "padding": padding,
               "truncating": truncating, "keras_version": keras.__version__}
        for split, x, y in (("train", xtr, ytr), ("test", xte, yte)):
            padded = keras.utils.pad_sequences(x, maxlen=s["seq_len"], padding=padding, truncating=truncating)
            crcs = [zlib.crc32(row.astype("<i4").tobytes()) for row in padded]
            doc[split] = {
                "count": len(x),
                "labels": "".join(str(int(v)) for v in y),
                "lengths_b64_i4": b64([len(r) for r in x], "<i4"),
                "crc32_b64_u4": b64(crcs, "<u4"),
                "rows": {str(i): padded[i].tolist() for i in (0, 1, len(x) - 1)},
            }
        path = os.path.join(OUT, s["name"] + ".json.gz")
        with gzip.open(path, "wt") as f:
            json.dump(doc, f)
        print(path, os.path.getsize(path), "bytes")


if __name__ == "__main__":
    main()
