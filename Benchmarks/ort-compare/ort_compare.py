#!/usr/bin/env python3
"""Side-by-side timing: onnxruntime vs ConvEngine (engine-microbench) on the same conv shapes and on
GoogLeNet inception_3a, batch 1, at 1 and 2 threads. Rounds alternate ORT and ours so both see the
same machine load. Each round times ORT then ours at one thread count (median of --runs runs each);
the report takes, per side, the best round (the machine is shared: a round where a neighbour held a
core says nothing about either engine) and gives ours / ORT (< 1 means ConvEngine is faster).

Needs: pip install onnxruntime onnx numpy, and a release build of engine-microbench:
  swift build -c release --product engine-microbench
  python3 Benchmarks/ort-compare/ort_compare.py [--rounds 3] [--runs 200] [--only NAME]
ORT times include its NCHW <-> NCHWc reorders at the graph boundary; ours start and end in the
engine's blocked layout (as inside a network), so single small convs slightly favour us.
"""
import argparse, statistics, subprocess, time
import numpy as np, onnx, onnxruntime as ort
from onnx import helper, TensorProto, numpy_helper

# name: (C, H, W, out, kh, kw, sh, sw, ph, pw) — the same cases as engine-microbench.
CASES = {
    "3a.1x1 192>64": (192, 28, 28, 64, 1, 1, 1, 1, 0, 0),
    "3a.1x1 192>96": (192, 28, 28, 96, 1, 1, 1, 1, 0, 0),
    "3a.3x3 96>128": (96, 28, 28, 128, 3, 3, 1, 1, 1, 1),
    "3a.1x1 192>16": (192, 28, 28, 16, 1, 1, 1, 1, 0, 0),
    "3a.5x5 16>32": (16, 28, 28, 32, 5, 5, 1, 1, 2, 2),
    "3a.1x1 192>32": (192, 28, 28, 32, 1, 1, 1, 1, 0, 0),
    "6b.1x1 768>128": (768, 17, 17, 128, 1, 1, 1, 1, 0, 0),
    "6b.1x7 128>128": (128, 17, 17, 128, 1, 7, 1, 1, 0, 3),
    "6b.7x1 128>192": (128, 17, 17, 192, 7, 1, 1, 1, 3, 0),
    "7b.1x1 1280>384": (1280, 8, 8, 384, 1, 1, 1, 1, 0, 0),
    "7b.1x3 384>384": (384, 8, 8, 384, 1, 3, 1, 1, 0, 1),
    "7b.3x1 384>384": (384, 8, 8, 384, 3, 1, 1, 1, 1, 0),
    "7c.1x1 2048>448": (2048, 8, 8, 448, 1, 1, 1, 1, 0, 0),
    "7b.3x3 448>384": (448, 8, 8, 384, 3, 3, 1, 1, 1, 1),
    "g.conv1 7x7/2 3>64": (3, 224, 224, 64, 7, 7, 2, 2, 3, 3),
    "g.conv2 3x3 64>192": (64, 56, 56, 192, 3, 3, 1, 1, 1, 1),
}
rng = np.random.default_rng(0)

def conv_nodes(name, x, cin, cout, kh, kw, sh=1, sw=1, ph=0, pw=0):
    w = numpy_helper.from_array((rng.standard_normal((cout, cin, kh, kw)) * 0.05).astype(np.float32), name + "_w")
    b = numpy_helper.from_array(rng.standard_normal(cout).astype(np.float32), name + "_b")
    conv = helper.make_node("Conv", [x, name + "_w", name + "_b"], [name + "_c"], kernel_shape=[kh, kw],
                            strides=[sh, sw], pads=[ph, pw, ph, pw])
    relu = helper.make_node("Relu", [name + "_c"], [name])
    return [conv, relu], [w, b]

def model(nodes, inits, inp, out):
    g = helper.make_graph(nodes, "g", [helper.make_tensor_value_info("x", TensorProto.FLOAT, inp)],
                          [helper.make_tensor_value_info(out, TensorProto.FLOAT, None)], inits)
    return helper.make_model(g, opset_imports=[helper.make_opsetid("", 13)]).SerializeToString()

def conv_model(c):
    cin, h, w, cout, kh, kw, sh, sw, ph, pw = c
    nodes, inits = conv_nodes("y", "x", cin, cout, kh, kw, sh, sw, ph, pw)
    return model(nodes, inits, [1, cin, h, w], "y"), 2 * cout * cin * kh * kw * ((h + 2*ph - kh)//sh + 1) * ((w + 2*pw - kw)//sw + 1)

def inception3a_model():
    n, i = [], []
    for args in [("b1", "x", 192, 64, 1, 1), ("r3", "x", 192, 96, 1, 1), ("b3", "r3", 96, 128, 3, 3, 1, 1, 1, 1),
                 ("r5", "x", 192, 16, 1, 1), ("b5", "r5", 16, 32, 5, 5, 1, 1, 2, 2)]:
        a, b = conv_nodes(*args); n += a; i += b
    n.append(helper.make_node("MaxPool", ["x"], ["p"], kernel_shape=[3, 3], strides=[1, 1], pads=[1, 1, 1, 1]))
    a, b = conv_nodes("bp", "p", 192, 32, 1, 1); n += a; i += b
    n.append(helper.make_node("Concat", ["b1", "b3", "b5", "bp"], ["y"], axis=1))
    return model(n, i, [1, 192, 28, 28], "y")

def ort_ms(blob, shape, threads, runs):
    so = ort.SessionOptions()
    so.intra_op_num_threads = threads
    so.inter_op_num_threads = 1
    so.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
    so.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    s = ort.InferenceSession(blob, so, providers=["CPUExecutionProvider"])
    x = {"x": rng.standard_normal(shape).astype(np.float32)}
    for _ in range(max(3, runs // 10)): s.run(None, x)
    t = []
    for _ in range(runs):
        t0 = time.perf_counter_ns(); s.run(None, x); t.append((time.perf_counter_ns() - t0) / 1e6)
    return statistics.median(t)

def ours_ms(name, threads, runs):
    out = subprocess.run([BIN, "--only", name, "--csv", "--no-peak", "--threads", str(threads), "--runs", str(runs)],
                         capture_output=True, text=True, check=True).stdout
    res = {}
    for line in out.splitlines():
        n, t, ms, _ = line.rsplit(",", 3)
        if n == name: res[int(t)] = float(ms)
    return res

ap = argparse.ArgumentParser()
ap.add_argument("--rounds", type=int, default=5)
ap.add_argument("--runs", type=int, default=200)
ap.add_argument("--only")
ap.add_argument("--bin", default=".build/release/engine-microbench")
args = ap.parse_args()
BIN = args.bin
print(f"onnxruntime {ort.__version__}; per side the best of {args.rounds} alternating rounds, each the median of {args.runs} runs")
print(f"{'case':22} {'T':>2} {'ORT ms':>9} {'ours ms':>9} {'ours/ORT':>8} {'ORT GF/s':>9} {'ours GF/s':>9}")
items = [(k, v) for k, v in CASES.items()] + [("inception_3a", None), ("inception_3a grouped", None)]
for name, c in items:
    if args.only and args.only not in name: continue
    if c is None:
        blob, flops, shape = inception3a_model(), 256.1e6, [1, 192, 28, 28]
    else:
        blob, flops = conv_model(c); shape = [1, c[0], c[1], c[2]]
    o = {1: [], 2: []}; us = {1: [], 2: []}
    for _ in range(args.rounds):
        for t in (1, 2):
            o[t].append(ort_ms(blob, shape, t, args.runs))
            us[t].append(ours_ms(name, t, args.runs)[t])
    for t in (1, 2):
        a, b = min(o[t]), min(us[t])
        print(f"{name:22} {t:>2} {a:9.3f} {b:9.3f} {b/a:8.2f} {flops/a/1e6:9.1f} {flops/b/1e6:9.1f}")
