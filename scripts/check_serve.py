#!/usr/bin/env python3
"""Talks to `sentigraph serve` as a TensorFlow Serving client would, with only Python's standard library, and
checks its answers against Keras' own predictions (within 1e-5).

Serves three of the Keras-made models in savedmodels/ from one TF Serving model config file: a Keras 3
`model.export()` LSTM, a Keras 2 style GRU signature and a float-input export (the `mean` family). Sends row,
columnar and named-input requests (TF Serving's JSON shapes) for random token rows, compares with each family's
`model.keras` loaded in Keras, checks status/metadata/error bodies, then sends SIGTERM and expects exit 0.

The same server's gRPC API is called with the client grpcio-tools compiles from TF Serving's own .proto files (as
tensorflow-serving-api's client is made): Predict in both TensorProto forms (typed int_val and packed
tensor_content) against Keras, GetModelMetadata, GetModelStatus, and a HandleReloadConfigRequest that adds a model
and one that takes it away again. The lstm model's logging_config logs every request until that reload; after
SIGTERM, TensorFlow reads the log files back (tf.data.TFRecordDataset) and each record's response is checked
against Keras on the record's request.
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

import grpc
import numpy as np
import keras

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PROTOS = os.path.join(ROOT, "src", "main", "proto")
MODELS = {"lstm": "export", "gru": "keras2", "mean": "export"}
# every request to this model is logged (TF Serving's logging_config), until a gRPC reload drops its config
LOGGED = "lstm"
LOGGING = (' logging_config { sampling_config { sampling_rate: 1.0 }'
           ' log_collector_config { type: "tfrecord" filename_prefix: "%s" } }')


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
        logging = LOGGING % os.path.join(work, "logs", name) if name == LOGGED else ""
        lines.append('  config { name: "%s" base_path: "%s" model_platform: "tensorflow"%s }'
                     % (name, os.path.join(work, name), logging))
    lines.append("}")
    config = os.path.join(work, "models.config")
    open(config, "w").write("\n".join(lines) + "\n")
    log = open(os.path.join(work, "serve.log"), "w+")
    server = subprocess.Popen([os.path.join(ROOT, "scripts", "sentigraph"), "serve", "--rest_api_port=0", "--port=0",
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
        failures += check_grpc(grpc_address(log), work, config)
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
        if code == 0:
            failures += check_request_log(work)
        if failures:
            print(text[-3000:])
        shutil.rmtree(work, ignore_errors=True)
    sys.exit(1 if failures else 0)


class Serving:
    """The client tensorflow-serving-api ships, made as it is made: grpcio-tools compiles TF Serving's own .proto
    files (those the server was generated from, src/main/proto) into messages and stubs; TensorFlow's protos they
    import are tensorflow's own modules."""

    def __init__(self, channel, work):
        out = os.path.join(work, "grpc-client")
        os.makedirs(out, exist_ok=True)
        protos = sorted(os.path.relpath(os.path.join(d, f), PROTOS)
                        for d, _, fs in os.walk(os.path.join(PROTOS, "tensorflow_serving")) for f in fs
                        if f.endswith(".proto"))
        # protoc in a process of its own: its C++ protobuf and TensorFlow's, loaded together, crash
        include = subprocess.run([sys.executable, "-c", "import importlib.resources as r;"
                                  " print(r.files('grpc_tools') / '_proto')"], capture_output=True, text=True,
                                 check=True).stdout.strip()
        compiled = subprocess.run([sys.executable, "-m", "grpc_tools.protoc", "-I" + PROTOS, "-I" + include,
                                   "--python_out=" + out, "--grpc_python_out=" + out] + protos,
                                  capture_output=True, text=True)
        if compiled.returncode != 0:
            raise SystemExit("grpcio-tools could not compile TF Serving's protos in %s: %s" % (PROTOS, compiled.stderr))
        sys.path.insert(0, out)
        import importlib
        self.apis = {name: importlib.import_module("tensorflow_serving.apis." + name) for name in
                     ("predict_pb2", "get_model_metadata_pb2", "get_model_status_pb2", "model_management_pb2",
                      "prediction_service_pb2_grpc", "model_service_pb2_grpc")}
        self.prediction = self.apis["prediction_service_pb2_grpc"].PredictionServiceStub(channel)
        self.models = self.apis["model_service_pb2_grpc"].ModelServiceStub(channel)

    def message(self, name):
        for module in self.apis.values():
            if hasattr(module, name.split(".")[-1]):
                return getattr(module, name.split(".")[-1])
        raise KeyError(name)

    def call(self, service, method, request, response):
        stub = self.prediction if service == "PredictionService" else self.models
        return getattr(stub, method)(request, timeout=120)


def check_grpc(address, work, config):
    """Predict (both tensor forms), metadata, status and two config reloads over gRPC; the count of failures."""
    failures = 0
    serving = Serving(grpc.insecure_channel(address), work)
    PredictRequest = serving.message("tensorflow.serving.PredictRequest")
    keras_model = keras.models.load_model(os.path.join(ROOT, "savedmodels", "lstm", "model.keras"))
    tokens = np.random.RandomState(11).randint(0, 60, size=(8, 16)).astype("int32")
    expected = keras_model.predict(tokens, verbose=0).reshape(-1)

    def predict(model, fill):
        request = PredictRequest()
        request.model_spec.name = model
        tensor = request.inputs["tokens"]
        tensor.dtype = 3  # DT_INT32
        for size in tokens.shape:
            tensor.tensor_shape.dim.add().size = int(size)
        fill(tensor)
        reply = serving.call("PredictionService", "Predict", request, "PredictResponse")
        out = next(iter(reply.outputs.values()))
        return np.array(out.float_val, dtype="float32") if out.float_val else \
            np.frombuffer(out.tensor_content, dtype="<f4")

    forms = {"int_val": lambda t: t.int_val.extend(tokens.reshape(-1).tolist()),
             "tensor_content": lambda t: setattr(t, "tensor_content", tokens.astype("<i4").tobytes())}
    for form, fill in forms.items():
        try:
            got = predict("lstm", fill)
            ok = got.shape == expected.shape and np.abs(got - expected).max() <= 1e-5
            detail = "max |diff| %.2e" % np.abs(got - expected).max() if got.shape == expected.shape else got.shape
        except grpc.RpcError as e:
            ok, detail = False, "%s %s" % (e.code(), e.details())
        print("%s grpc  lstm  %-14s %s" % ("ok  " if ok else "FAIL", form, detail))
        failures += not ok

    metadata = serving.message("tensorflow.serving.GetModelMetadataRequest")()
    metadata.model_spec.name = "lstm"
    metadata.metadata_field.append("signature_def")
    reply = serving.call("PredictionService", "GetModelMetadata", metadata, "GetModelMetadataResponse")
    defs = serving.message("tensorflow.serving.SignatureDefMap")()
    reply.metadata["signature_def"].Unpack(defs)
    inputs = defs.signature_def["serving_default"].inputs
    ok = reply.model_spec.version.value == 1 and "tokens" in inputs and inputs["tokens"].dtype == 3
    print("%s grpc  metadata %s" % ("ok  " if ok else "FAIL", sorted(defs.signature_def.keys())))
    failures += not ok

    def status(model):
        request = serving.message("tensorflow.serving.GetModelStatusRequest")()
        request.model_spec.name = model
        try:
            return serving.call("ModelService", "GetModelStatus", request, "GetModelStatusResponse").model_version_status
        except grpc.RpcError as e:
            return e.code()

    versions = status("lstm")
    ok = not isinstance(versions, grpc.StatusCode) and versions[0].version == 1 and versions[0].state == 30
    print("%s grpc  status %s" % ("ok  " if ok else "FAIL", brief(versions)))
    failures += not ok

    def reload(names):
        request = serving.message("tensorflow.serving.ReloadConfigRequest")()
        for name in names:
            entry = request.config.model_config_list.config.add()
            entry.name = name
            entry.base_path = os.path.join(work, "lstm" if name == "again" else name)
            entry.model_platform = "tensorflow"
        return serving.call("ModelService", "HandleReloadConfigRequest", request, "ReloadConfigResponse")

    reply = reload(list(MODELS) + ["again"])
    added = status("again")
    again = predict("again", forms["tensor_content"])
    ok = reply.status.error_code == 0 and not isinstance(added, grpc.StatusCode) and added[0].state == 30 \
        and np.abs(again - expected).max() <= 1e-5
    print("%s grpc  reload adds a model: %s" % ("ok  " if ok else "FAIL", brief(added)))
    failures += not ok
    reload(list(MODELS))
    gone = status("again")
    ok = gone == grpc.StatusCode.NOT_FOUND
    print("%s grpc  reload removes it: %s" % ("ok  " if ok else "FAIL", gone))
    failures += not ok
    return failures


def check_request_log(work):
    """The request log of LOGGED, read by TensorFlow's own TFRecord reader (which checks every CRC) and parsed with
    the PredictionLog that grpcio-tools compiled from TF Serving's protos: one record per predict that reached the
    model before the reload dropped its logging_config (the four REST bodies, the two gRPC tensor forms), each
    request's token ids answered in its logged response as Keras answers them. The count of failures."""
    import importlib
    import tensorflow as tf
    PredictionLog = importlib.import_module("tensorflow_serving.apis.prediction_log_pb2").PredictionLog
    folder = os.path.join(work, "logs")
    names = sorted(os.listdir(folder)) if os.path.isdir(folder) else []
    files = [os.path.join(folder, n) for n in names if n.startswith(LOGGED + "-") and n.endswith(".tfrecord")]
    records = []
    try:
        for raw in tf.data.TFRecordDataset(files):
            record = PredictionLog()
            record.ParseFromString(raw.numpy())
            records.append(record)
    except tf.errors.OpError as e:
        print("FAIL request log unreadable by TensorFlow: %s" % e.message)
        return 1
    keras_model = keras.models.load_model(os.path.join(ROOT, "savedmodels", LOGGED, "model.keras"))
    worst = 0.0
    ok = len(files) > 0 and len(files) == len(names) and len(records) == 6
    for record in records:
        meta = record.log_metadata
        request, response = record.predict_log.request, record.predict_log.response
        tensor = request.inputs["tokens"]
        shape = [d.size for d in tensor.tensor_shape.dim]
        ids = np.array(tensor.int_val, dtype="int32") if tensor.int_val else \
            np.frombuffer(tensor.tensor_content, dtype="<i4")
        logged = np.array(next(iter(response.outputs.values())).float_val, dtype="float32")
        expected = keras_model.predict(ids.reshape(shape), verbose=0).reshape(-1)
        ok &= meta.model_spec.name == LOGGED and meta.model_spec.version.value == 1 \
            and meta.sampling_config.sampling_rate == 1.0 and list(meta.saved_model_tags) == ["serve"] \
            and record.WhichOneof("log_type") == "predict_log" and logged.shape == expected.shape
        if logged.shape == expected.shape:
            worst = max(worst, float(np.abs(logged - expected).max()))
    ok &= worst <= 1e-5
    print("%s request log: %d records in %s read by tf.data.TFRecordDataset, max |diff| vs Keras %.2e"
          % ("ok  " if ok else "FAIL", len(records), names, worst))
    return int(not ok)


def brief(versions):
    """(version, state) pairs of a status answer, or the call's error code."""
    if isinstance(versions, grpc.StatusCode):
        return versions
    return [(v.version, v.state) for v in versions]


def grpc_address(log):
    """The gRPC address from the server's startup line."""
    log.seek(0)
    m = re.search(r"gRPC API at ([0-9.]+:\d+)", log.read())
    if not m:
        raise SystemExit("no gRPC address in the server's log")
    return m.group(1)


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
