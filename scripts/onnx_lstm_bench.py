#!/usr/bin/env python3
"""ONNX Runtime's side of scripts/bench-savedmodel-vs-keras: what a JVM team would otherwise pick (ORT through its
Java API runs the same C++ kernels as here). Builds an ONNX graph by hand (onnx.helper, no tf2onnx) from the weights
of the bench's Keras LSTM model (OUT.keras from scripts/keras_savedmodel_bench.py):
  tokens int32 [N, 500] -> Gather(embedding) -> Transpose to time-major -> LSTM -> last hidden state
  -> MatMul + Add (Dense) -> Sigmoid
checks its outputs against Keras' model.predict (max abs diff <= 1e-5, else exits 1), writes it to OUT.onnx, then
times onnxruntime.InferenceSession on it over the same reviews as the other participants, batch 256, after one
warm-up batch (load + first batch timed on their own). REVIEWS=N times the first N reviews only. Prints one JSON line.

Usage: $PYTHON scripts/onnx_lstm_bench.py OUT_DIR.keras [IMDB_NPZ]   (random ids when no npz is given;
       $PYTHON needs tensorflow-cpu, onnx and onnxruntime)
"""
import json
import os
import sys
import time

import numpy as np
import keras
import onnx
import onnxruntime as ort
from onnx import TensorProto, helper, numpy_helper

from keras_savedmodel_bench import BATCH, SEQ, test_reviews

TOLERANCE = 1e-5


def onnx_gates(w, units):
    """Keras stacks the gates i, f, c, o along the last axis; ONNX's LSTM wants i, o, f, c."""
    i, f, c, o = (w[..., k * units:(k + 1) * units] for k in range(4))
    return np.concatenate([i, o, f, c], axis=-1)


def build_onnx(model):
    embedding, lstm, dense = (next(layer for layer in model.layers if isinstance(layer, kind))
                              for kind in (keras.layers.Embedding, keras.layers.LSTM, keras.layers.Dense))
    table, = embedding.get_weights()
    kernel, recurrent, bias = lstm.get_weights()
    dense_w, dense_b = dense.get_weights()
    units = recurrent.shape[0]
    weights = {
        "embedding": table,
        # Keras' kernel [in, 4u] and recurrent_kernel [u, 4u] are x @ K; ONNX's W [1, 4u, in] and R [1, 4u, u] are W x
        "W": onnx_gates(kernel, units).T[None],
        "R": onnx_gates(recurrent, units).T[None],
        # Keras has one bias per gate; ONNX adds Wb and Rb, so all of it goes in Wb and Rb is zero
        "B": np.concatenate([onnx_gates(bias, units), np.zeros(4 * units, np.float32)])[None],
        "dense_w": dense_w, "dense_b": dense_b,
        "squeeze_axes": np.array([0], np.int64),
    }
    nodes = [
        helper.make_node("Gather", ["embedding", "tokens"], ["embedded"]),  # [N, T, in]
        helper.make_node("Transpose", ["embedded"], ["time_major"], perm=[1, 0, 2]),  # [T, N, in]
        # default activations (sigmoid, tanh, tanh) are Keras' recurrent_activation and activation
        helper.make_node("LSTM", ["time_major", "W", "R", "B"], ["", "last_h"], hidden_size=units),  # Y_h [1, N, u]
        helper.make_node("Squeeze", ["last_h", "squeeze_axes"], ["hidden"]),  # [N, u]
        helper.make_node("MatMul", ["hidden", "dense_w"], ["logit_w"]),
        helper.make_node("Add", ["logit_w", "dense_b"], ["logit"]),
        helper.make_node("Sigmoid", ["logit"], ["probability"]),  # [N, 1], like Keras' output
    ]
    graph = helper.make_graph(
        nodes, "keras_lstm",
        [helper.make_tensor_value_info("tokens", TensorProto.INT32, ["N", SEQ])],
        [helper.make_tensor_value_info("probability", TensorProto.FLOAT, ["N", 1])],
        initializer=[numpy_helper.from_array(np.ascontiguousarray(v), name) for name, v in weights.items()])
    # IR version 8 goes with opset 17; onnx's newest IR version can be newer than an installed onnxruntime reads
    onnx_model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)], ir_version=8)
    onnx.checker.check_model(onnx_model)
    return onnx_model


def main():
    keras_file = sys.argv[1]
    x, source = test_reviews(sys.argv[2] if len(sys.argv) > 2 else None)
    x = x[:int(os.environ.get("REVIEWS", len(x)))]
    model = keras.models.load_model(keras_file)
    onnx_file = os.path.splitext(keras_file)[0] + ".onnx"
    onnx.save(build_onnx(model), onnx_file)

    # Settings: ORT's defaults (graph optimisations all on, sequential executor: the graph is one chain, so an
    # inter-op pool has nothing to run side by side), and intra-op threads set to the cores this process may use,
    # since TF and sentigraph use all of them too; ORT's own default is the physical core count, which would
    # differ from the others on a machine with hyper-threads.
    threads = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    options = ort.SessionOptions()
    options.intra_op_num_threads = threads
    t = time.time()
    session = ort.InferenceSession(onnx_file, options, providers=["CPUExecutionProvider"])
    session.run(None, {"tokens": x[:BATCH]})  # also the warm-up batch
    load_and_first = time.time() - t

    check = x[:BATCH]
    diff = float(np.max(np.abs(session.run(None, {"tokens": check})[0] - model.predict(check, batch_size=BATCH,
                                                                                         verbose=0))))
    if not diff <= TOLERANCE:
        sys.exit(f"onnx_lstm_bench: ONNX graph differs from Keras predict by {diff:.3g} (> {TOLERANCE}) on "
                 f"{len(check)} reviews")
    del model  # Keras is done; only ORT runs from here

    t = time.time()
    for start in range(0, len(x), BATCH):
        session.run(None, {"tokens": x[start:start + BATCH]})
    per_s = len(x) / (time.time() - t)
    print(json.dumps({"reviews": len(x), "batch": BATCH, "seq_len": SEQ, "data": source, "ort_per_s": per_s,
                      "ort_load_and_first_batch_s": load_and_first, "max_abs_diff_vs_keras": diff,
                      "checked_reviews": len(check), "intra_op_threads": threads,
                      "onnxruntime": ort.__version__, "onnx": onnx.__version__}))


if __name__ == "__main__":
    main()
