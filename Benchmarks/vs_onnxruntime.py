#!/usr/bin/env python3
"""Side by side with onnxruntime: whole inception-layout/1 nodes (blocks or a whole network), the
same weights and input, checked for agreement, then timed alternately at 1 and 2 threads.

For each case:
  1. `inception-explorer run LAYOUT --block PATH --save DIR` writes input.npy, output.npy and every
     conv/linear weight (batchnorm folded in) named by node path ("/" -> ".").
  2. This script builds the ONNX graph of the same node from the layout JSON: Conv (+ bias) and Relu,
     MaxPool / AveragePool (ceil_mode, count_include_pad), GlobalAveragePool, LRN, Flatten + Gemm,
     Softmax, Concat; dropout is the identity and aux heads are skipped (inference).
  3. ORT's output must match ours: max |ort - ours| / max |ours| <= 1e-4 (the runtime tests' metric).
  4. Rounds alternate ORT and our `bench --json --threads T` at T = 1, 2 so both see the same machine
     load. Each round is the median of --runs passes per side; the table gives, per side, the best
     round (a round where a neighbour held a core says nothing about either engine) and ours/ORT
     (< 1: ours is faster).

Needs: pip install onnx onnxruntime numpy; a release build: swift build -c release --product inception-explorer
Usage: python3 Benchmarks/vs_onnxruntime.py [--rounds 5] [--runs 100] [--only inception_3a] [--case LAYOUT:PATH]
"""
import argparse, json, os, statistics, subprocess, sys, tempfile, time
import numpy as np
import onnx
import onnxruntime as ort
from onnx import TensorProto, helper, numpy_helper

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEFAULT_CASES = [
    ("builtin:googlenet", "inception_3a"), ("builtin:googlenet", "inception_4e"), ("builtin:googlenet", "inception_5b"),
    ("builtin:inception-v3", "Mixed_5b"), ("builtin:inception-v3", "Mixed_6b"), ("builtin:inception-v3", "Mixed_7b"),
    ("builtin:googlenet", ""),
]


def layout_json(ref):
    path = os.path.join(ROOT, "Layouts", ref[len("builtin:"):] + ".json") if ref.startswith("builtin:") else ref
    with open(path) as f:
        return json.load(f)


def pair(v, default):
    if v is None:
        v = default
    return (v, v) if isinstance(v, int) else (v[0], v[1])


class GraphBuilder:
    """Emits ONNX nodes for a list of layout layers, reading weights from the saved directory."""

    def __init__(self, weights_dir):
        self.dir = weights_dir
        self.nodes, self.inits = [], []
        self.count = 0

    def fresh(self, stem):
        self.count += 1
        return f"{stem}_{self.count}"

    def load(self, path, kind):
        f = os.path.join(self.dir, path.replace("/", ".") + f".{kind}.npy")
        return np.load(f) if os.path.exists(f) else None

    def init(self, array, stem):
        name = self.fresh(stem)
        self.inits.append(numpy_helper.from_array(np.ascontiguousarray(array, dtype=np.float32), name))
        return name

    def node(self, op, inputs, **attrs):
        out = self.fresh(op.lower())
        self.nodes.append(helper.make_node(op, inputs, [out], **attrs))
        return out

    def layers(self, layers, prefix, x, rank):
        for i, layer in enumerate(layers):
            name = layer.get("name", str(i))
            x, rank = self.layer(layer, f"{prefix}/{name}" if prefix else name, x, rank)
        return x, rank

    def layer(self, layer, path, x, rank):
        op = layer["op"]
        if op == "conv":
            kh, kw = pair(layer["kernel"], 1)
            sh, sw = pair(layer.get("stride"), 1)
            pad = layer.get("pad", 0)
            ph, pw = ((kh - 1) // 2, (kw - 1) // 2) if pad == "same" else pair(pad, 0)
            inputs = [x, self.init(self.load(path, "weight"), "w")]
            bias = self.load(path, "bias")
            if bias is not None:
                inputs.append(self.init(bias, "b"))
            y = self.node("Conv", inputs, kernel_shape=[kh, kw], strides=[sh, sw], pads=[ph, pw, ph, pw])
            if layer.get("activation", "relu") == "relu":
                y = self.node("Relu", [y])
            return y, 4
        if op in ("maxpool", "avgpool"):
            kh, kw = pair(layer["kernel"], 1)
            sh, sw = pair(layer.get("stride"), layer["kernel"])
            ph, pw = pair(layer.get("pad"), 0)
            attrs = dict(kernel_shape=[kh, kw], strides=[sh, sw], pads=[ph, pw, ph, pw],
                         ceil_mode=1 if layer.get("ceil", False) else 0)
            if op == "avgpool":
                attrs["count_include_pad"] = 1 if layer.get("count_pad", True) else 0
            return self.node("MaxPool" if op == "maxpool" else "AveragePool", [x], **attrs), 4
        if op == "globalavgpool":
            return self.node("GlobalAveragePool", [x]), 4
        if op == "lrn":
            return self.node("LRN", [x], size=layer.get("size", 5), alpha=layer.get("alpha", 1e-4),
                             beta=layer.get("beta", 0.75), bias=layer.get("k", 1.0)), 4
        if op == "linear":
            flat = self.node("Flatten", [x], axis=1) if rank != 2 else x
            inputs = [flat, self.init(self.load(path, "weight"), "w")]
            bias = self.load(path, "bias")
            if bias is not None:
                inputs.append(self.init(bias, "b"))
            y = self.node("Gemm", inputs, transB=1)
            if layer.get("activation", "none") == "relu":
                y = self.node("Relu", [y])
            return y, 2
        if op == "softmax":
            if rank == 2:
                return self.node("Softmax", [x], axis=1), 2
            shape = self.node("Shape", [x])
            s = self.node("Softmax", [self.node("Flatten", [x], axis=1)], axis=1)
            return self.node("Reshape", [s, shape]), 4
        if op == "dropout":
            return x, rank
        if op == "aux":
            return x, rank
        if op == "inception":
            outs = [self.layers(b["layers"], f"{path}/{b.get('name', str(j))}", x, rank)[0]
                    for j, b in enumerate(layer["branches"])]
            return self.node("Concat", outs, axis=1), 4
        raise SystemExit(f"{path}: unknown op {op}")


def resolve(doc, path):
    """The layers a node path runs and the path prefix of their names."""
    if not path:
        return doc["layers"], ""
    kids = [("layer", l) for l in doc["layers"]]
    node = None
    for part in path.split("/"):
        match = [k for k in kids if k[1].get("name") == part]
        if not match and part.isdigit() and int(part) < len(kids) and "name" not in kids[int(part)][1]:
            match = [kids[int(part)]]
        if not match:
            raise SystemExit(f"no node {path}")
        node = match[0]
        kind, obj = node
        if kind == "branch":
            kids = [("layer", l) for l in obj["layers"]]
        elif obj["op"] == "inception":
            kids = [("branch", b) for b in obj["branches"]]
        elif obj["op"] == "aux":
            kids = [("layer", l) for l in obj["layers"]]
        else:
            kids = []
    kind, obj = node
    if kind == "branch" or obj["op"] == "aux":
        return obj["layers"], path
    return [obj], path.rsplit("/", 1)[0] if "/" in path else ""


def build_model(doc, path, weights_dir, input_shape):
    layers, prefix = resolve(doc, path)
    g = GraphBuilder(weights_dir)
    y, _ = g.layers(layers, prefix, "x", 4)
    graph = helper.make_graph(g.nodes, "node", [helper.make_tensor_value_info("x", TensorProto.FLOAT, list(input_shape))],
                              [helper.make_tensor_value_info(y, TensorProto.FLOAT, None)], g.inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
    return model.SerializeToString()


def session(blob, threads):
    so = ort.SessionOptions()
    so.intra_op_num_threads = threads
    so.inter_op_num_threads = 1
    so.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
    so.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    return ort.InferenceSession(blob, so, providers=["CPUExecutionProvider"])


def ort_median(sess, feed, runs):
    for _ in range(max(3, runs // 10)):
        sess.run(None, feed)
    t = []
    for _ in range(runs):
        t0 = time.perf_counter_ns()
        sess.run(None, feed)
        t.append((time.perf_counter_ns() - t0) / 1e6)
    return statistics.median(t)


def ours_median(binary, layout, path, threads, runs):
    cmd = [binary, "bench", layout, "--json", "--threads", str(threads), "--iterations", str(runs), "--min-time", "0",
           "--warmup", str(max(3, runs // 10)), "--no-peak"]
    if path:
        cmd += ["--block", path]
    out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    return json.loads(out.splitlines()[0])


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--bin", default=os.path.join(ROOT, ".build/release/inception-explorer"))
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--runs", type=int, default=100)
    ap.add_argument("--threads", default="1,2")
    ap.add_argument("--only", help="run only cases whose path contains this")
    ap.add_argument("--case", action="append", help="LAYOUT:PATH, e.g. builtin:googlenet:inception_3a (repeatable; replaces the defaults; empty PATH = whole network)")
    args = ap.parse_args()
    # "builtin:googlenet:inception_3a" or "Layouts/x.json:Mixed_5b"; an empty path is the whole network.
    cases = [tuple(c.rsplit(":", 1)) for c in args.case] if args.case else DEFAULT_CASES
    threads = [int(t) for t in args.threads.split(",")]
    print(f"onnxruntime {ort.__version__}, numpy {np.__version__}; batch 1; per side the best of {args.rounds} "
          f"alternating rounds, each the median of {args.runs} runs")
    header = f"{'case':28} {'T':>2} {'ORT ms':>9} {'ours ms':>9} {'ours/ORT':>8} {'ORT GF/s':>9} {'ours GF/s':>9} {'max rel err':>11}"
    print(header)
    print("-" * len(header))
    sys.stdout.flush()
    for layout, path in cases:
        label = (layout.replace("builtin:", "") + ":" + (path or "(network)"))
        if args.only and args.only not in label:
            continue
        with tempfile.TemporaryDirectory() as work:
            subprocess.run([args.bin, "run", layout] + (["--block", path] if path else []) + ["--save", work, "--seed", "0"],
                           check=True, capture_output=True, text=True)
            x = np.load(os.path.join(work, "input.npy"))
            ours_out = np.load(os.path.join(work, "output.npy"))
            blob = build_model(layout_json(layout), path, work, x.shape)
            feed = {"x": x}
            ort_out = session(blob, 1).run(None, feed)[0].reshape(ours_out.shape)
            err = float(np.abs(ort_out.astype(np.float64) - ours_out).max() / max(np.abs(ours_out).max(), 1e-30))
            if err > 1e-4:
                print(f"{label}: ORT and ours disagree: max relative error {err:.2e} > 1e-4")
            o = {t: [] for t in threads}
            us = {t: [] for t in threads}
            macs = None
            sessions = {t: session(blob, t) for t in threads}
            for _ in range(args.rounds):
                for t in threads:
                    o[t].append(ort_median(sessions[t], feed, args.runs))
                    r = ours_median(args.bin, layout, path, t, args.runs)
                    us[t].append(r["median_ms"])
                    macs = r["macs"]
            for t in threads:
                a, b = min(o[t]), min(us[t])
                print(f"{label:28} {t:>2} {a:9.3f} {b:9.3f} {b / a:8.2f} {2 * macs / a / 1e6:9.1f} "
                      f"{2 * macs / b / 1e6:9.1f} {err:11.1e}")
                sys.stdout.flush()


if __name__ == "__main__":
    main()
