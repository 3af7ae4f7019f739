#!/usr/bin/env python3
"""Talks to `sentigraph serve` as a TensorFlow Serving client would, with only Python's standard library, and
checks its answers against Keras' own predictions (within 1e-5).

Serves three of the Keras-made models in savedmodels/ from one TF Serving model config file: a Keras 3
`model.export()` LSTM, a Keras 2 style GRU signature and a float-input export (the `mean` family). Sends row,
columnar and named-input requests (TF Serving's JSON shapes) for random token rows, compares with each family's
`model.keras` loaded in Keras, checks status/metadata/error bodies, then sends SIGTERM and expects exit 0.
Usage: $PYTHON scripts/check_serve.py [EXPORT_DIR]   (EXPORT_DIR is ignored; the models come from savedmodels/)
"""
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

import numpy as np
import keras

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MODELS = {"lstm": "export", "gru": "keras2", "mean": "export"}


def call(url, body=None):
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(url, data=data, headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(req, timeout=60) as r:
            return r.status, json.loads(r.read())
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read())


def main():
    work = tempfile.mkdtemp(prefix="check_serve_")
    lines = ["model_config_list {"]
    for name, style in MODELS.items():
        shutil.copytree(os.path.join(ROOT, "savedmodels", name, style), os.path.join(work, name, "1"))
        lines.append('  config { name: "%s" base_path: "%s" model_platform: "tensorflow" }' % (name, os.path.join(work, name)))
    lines.append("}")
    config = os.path.join(work, "models.config")
    open(config, "w").write("\n".join(lines) + "\n")
    log = open(os.path.join(work, "serve.log"), "w+")
    server = subprocess.Popen([os.path.join(ROOT, "scripts", "sentigraph"), "serve", "--rest_api_port=0",
                               "--model_config_file=" + config], stdout=log, stderr=subprocess.STDOUT)
    failures = 0
    try:
        base = wait_ready(server, log)
        rng = np.random.RandomState(7)
        for name in MODELS:
            keras_model = keras.models.load_model(os.path.join(ROOT, "savedmodels", name, "model.keras"))
            tokens = rng.randint(0, 60, size=(32, 16)).astype("int32")
            expected = keras_model.predict(tokens, verbose=0).reshape(-1)
            status, meta = call(base + "/v1/models/%s/metadata" % name)
            sig = meta["metadata"]["signature_def"]["signature_def"]["serving_default"]
            input_name = next(iter(sig["inputs"]))
            bodies = {
                "row": {"instances": tokens.tolist()},
                "columnar": {"signature_name": "serving_default", "inputs": tokens.tolist()},
                "named": {"inputs": {input_name: tokens.tolist()}},
                "objects": {"instances": [{input_name: row} for row in tokens.tolist()]},
            }
            for form, body in bodies.items():
                status, reply = call(base + "/v1/models/%s:predict" % name, body)
                values = reply.get("predictions", reply.get("outputs")) if status == 200 else None
                got = np.array(values, dtype="float32").reshape(-1) if values is not None else None
                ok = got is not None and got.shape == expected.shape and np.abs(got - expected).max() <= 1e-5
                print("%s %-5s %-8s %s" % ("ok  " if ok else "FAIL", name, form,
                      "max |diff| %.2e" % np.abs(got - expected).max() if got is not None and got.shape == expected.shape
                      else "%d %s" % (status, reply)))
                failures += not ok
        status, reply = call(base + "/v1/models/lstm")
        state = reply["model_version_status"][0]
        ok = status == 200 and state["version"] == "1" and state["state"] == "AVAILABLE" \
            and state["status"]["error_code"] == "OK"
        print("%s status %s" % ("ok  " if ok else "FAIL", reply))
        failures += not ok
        status, reply = call(base + "/v1/models/lstm:predict", {"instances": [[1, "x"]]})
        ok = status == 400 and isinstance(reply.get("error"), str)
        print("%s bad request -> %d %s" % ("ok  " if ok else "FAIL", status, reply))
        failures += not ok
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            code = server.wait(timeout=60)
        except subprocess.TimeoutExpired:
            server.kill()
            code = "killed"
        log.seek(0)
        text = log.read()
        ok = code == 0 and "serve: stopped" in text
        print("%s SIGTERM -> exit %s" % ("ok  " if ok else "FAIL", code))
        failures += not ok
        if failures:
            print(text[-3000:])
        shutil.rmtree(work, ignore_errors=True)
    sys.exit(1 if failures else 0)


def wait_ready(server, log, limit=300):
    """The server's base URL once /readyz answers 200 (the port is read from its first log line)."""
    end = time.time() + limit
    base = None
    while time.time() < end:
        if server.poll() is not None:
            log.seek(0)
            raise SystemExit("serve exited with %s:\n%s" % (server.returncode, log.read()[-3000:]))
        if base is None:
            log.seek(0)
            m = re.search(r"REST API at (http://[0-9.]+:\d+)", log.read())
            base = m.group(1) if m else None
        if base is not None:
            try:
                with urllib.request.urlopen(base + "/readyz", timeout=5) as r:
                    if r.status == 200:
                        return base
            except (urllib.error.URLError, OSError):
                pass
        time.sleep(0.2)
    raise SystemExit("serve not ready within %d s" % limit)


if __name__ == "__main__":
    main()
