#!/usr/bin/env python3
"""xception41's depthwise layers one at a time (issue 22): ours (one or two builds) against onnxruntime,
per op, on single-layer ONNX models with the exact shapes of timm xception41 at 299x299.

Each model is one torch Conv2d(C, C, 3, stride, padding=1, groups=C) with bias, exported with
`torch.onnx.export(dynamo=False)` into --out. Timing alternates rounds; in each round every engine runs
every model at each thread count, and each reports the conv's own time, median over --runs passes:
  ours: `bench MODEL.onnx --profile --json --threads T --iterations N --min-time 0 --no-peak`, the
        dwconv op's median_ms (the layout conversions around it are other ops);
  onnxruntime: intra-op T, inter-op 1, sequential, ORT_ENABLE_ALL, its node profiler's median `dur`
        of the Conv node (after ORT's NCHWc rewrite its reorders are nodes of their own).
Reported: the best (min) of the round medians per engine, and ours / onnxruntime.

Usage: flock /work/bench.lock python3 Benchmarks/family/dw_layers.py [--bin A [--bin B]] [--threads 1,2]
                                         [--rounds 7] [--runs 50] [--out DIR]
Needs /work/venv (torch, onnx, onnxruntime) and a release build of inception-explorer. A busy machine
shows in the spread of the rounds: compare the bests, side by side, run alternating.
"""
import argparse, json, os, statistics, subprocess, sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from engines import ort_session, warmup_runs  # noqa: E402  (onnxruntime set up as every family benchmark does)

# (name, channels, input size, stride): blocks.0-2 conv2 (stride 1) and conv3 (stride 2), and the
# middle flow's 728@19 (at parity before issue 22's depthwise work).
LAYERS = [
    ("b0.conv2 128@150", 128, 150, 1), ("b1.conv2 256@75", 256, 75, 1), ("b2.conv2 728@38", 728, 38, 1),
    ("b0.conv3 128@150/2", 128, 150, 2), ("b1.conv3 256@75/2", 256, 75, 2), ("b2.conv3 728@38/2", 728, 38, 2),
    ("b3.conv2 728@19", 728, 19, 1),
]


def export(out):
    import torch
    torch.manual_seed(0)
    paths = {}
    for name, c, hw, s in LAYERS:
        path = os.path.join(out, f"dw_{c}_{hw}_s{s}.onnx")
        if not os.path.exists(path):
            m = torch.nn.Conv2d(c, c, 3, stride=s, padding=1, groups=c).eval()
            torch.onnx.export(m, (torch.randn(1, c, hw, hw),), path, dynamo=False)
        paths[name] = path
    return paths


def ours_op_ms(binary, path, threads, runs):
    cmd = [binary, "bench", path, "--profile", "--json", "--threads", str(threads), "--iterations", str(runs),
           "--min-time", "0", "--no-peak"]
    j = json.loads(subprocess.run(cmd, capture_output=True, text=True, check=True).stdout.splitlines()[0])
    return sum(o["median_ms"] for o in j["ops"] if "dwconv" in o["kind"])


def ort_op_ms(path, threads, runs, out):
    import numpy as np
    sess = ort_session(path, threads, profile_prefix=os.path.join(out, "ort_profile"))
    inp = sess.get_inputs()[0]
    x = np.random.default_rng(0).standard_normal(inp.shape).astype(np.float32)
    warm = warmup_runs(runs)
    for _ in range(warm):
        sess.run(None, {inp.name: x})
    for _ in range(runs):
        sess.run(None, {inp.name: x})
    prof = sess.end_profiling()
    events = json.load(open(prof))
    os.remove(prof)
    durs = [e["dur"] / 1000 for e in events if e.get("cat") == "Node" and e["name"].endswith("_kernel_time")
            and e.get("args", {}).get("op_name", "").endswith("Conv")]
    return statistics.median(durs[warm:])


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--bin", action="append", help="inception-explorer builds to compare (default: .build/release)")
    ap.add_argument("--threads", default="1,2")
    ap.add_argument("--rounds", type=int, default=7)
    ap.add_argument("--runs", type=int, default=50)
    ap.add_argument("--out", default="/tmp/dw-layers")
    a = ap.parse_args()
    bins = a.bin or [os.path.join(os.path.dirname(__file__), "..", "..", ".build", "release", "inception-explorer")]
    os.makedirs(a.out, exist_ok=True)
    paths = export(a.out)
    threads = [int(t) for t in a.threads.split(",")]
    engines = [f"ours{i}" for i in range(len(bins))] + ["ort"]
    best = {}
    for r in range(a.rounds):
        for name, path in paths.items():
            for t in threads:
                for e in engines[r % len(engines):] + engines[:r % len(engines)]:
                    ms = (ort_op_ms(path, t, a.runs, a.out) if e == "ort"
                          else ours_op_ms(bins[int(e[4:])], path, t, a.runs))
                    k = (name, t, e)
                    best[k] = min(best.get(k, ms), ms)
    print("bins: " + ", ".join(f"ours{i} = {b}" for i, b in enumerate(bins)))
    print(f"best of {a.rounds} rounds of the median of {a.runs} runs, ms per op")
    print("layer                  T  " + "  ".join(f"{e:>7}" for e in engines) + "  " +
          "  ".join(f"{e}/ort" for e in engines[:-1]))
    for name in paths:
        for t in threads:
            v = [best[(name, t, e)] for e in engines]
            print(f"{name:22s} {t}  " + "  ".join(f"{x:7.3f}" for x in v) + "  " +
                  "  ".join(f"{x / v[-1]:8.2f}" for x in v[:-1]))


if __name__ == "__main__":
    sys.exit(main())
