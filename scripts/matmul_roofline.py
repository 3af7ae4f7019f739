#!/usr/bin/env python3
"""What fp32 matmul throughput this machine's TensorFlow kernels reach, for a large square product and for the
shapes the `lstm` preset's step is made of (B128 x T500, Embedding 100, LSTM 100): the hoisted input projection
and its gradients, and the per-step recurrent products of one or two batch chains. `sentigraph bench` reports
the GFLOP/s a preset's step achieves; this says how far above it the kernels can go on these shapes.
Prints one JSON line.

Usage: $PYTHON scripts/matmul_roofline.py   (a venv with tensorflow-cpu; THREADS, default: all cores)
"""
import json
import os
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
import tensorflow as tf  # noqa: E402

threads = int(os.environ.get("THREADS", os.cpu_count()))
tf.config.threading.set_intra_op_parallelism_threads(threads)
tf.config.threading.set_inter_op_parallelism_threads(1)

SHAPES = {
    "square_4096": (4096, 4096, 4096),
    "lstm_input_projection_64000x100x400": (64000, 100, 400),
    "lstm_kernel_gradient_100x64000x400": (100, 64000, 400),
    "lstm_step_128x200x400": (128, 200, 400),
    "lstm_step_one_chain_of_two_64x200x400": (64, 200, 400),
}


def gflops(m, k, n):
    """Products repeated inside one graph loop, so small shapes are timed without Python's per-call overhead."""
    a, b = tf.random.normal([m, k]), tf.random.normal([k, n])
    reps = max(5, int(2e10 / (2 * m * k * n)))

    @tf.function
    def repeated():
        return tf.while_loop(lambda i, s: i < reps, lambda i, s: (i + 1, s + tf.matmul(a, b)[0, 0]),
                             (tf.constant(0), tf.constant(0.0)))[1]

    repeated()
    t = time.time()
    repeated().numpy()
    return 2 * m * k * n * reps / (time.time() - t) / 1e9


print(json.dumps({"threads": threads, "tensorflow": tf.__version__,
                  **{name: round(gflops(*shape), 1) for name, shape in SHAPES.items()}}))
