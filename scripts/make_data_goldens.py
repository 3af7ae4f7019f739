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


def main():
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
