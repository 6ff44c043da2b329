#!/usr/bin/env python3
"""Single 1×1 conv layers on small maps, ours against onnxruntime (issue 22: Inception-ResNet-v2's 8×8
1×1 convs and InceptionNeXt's stage-4 MLP stream megabytes of weights for 49-64 pixels).

Each case is one torch Conv2d (random weights, seeded) + ReLU, exported with the classic exporter
(`torch.onnx.export(dynamo=False)`) to --out. Timing, alternating rounds: each round runs every binary
given with --bin (e.g. an old and a new build) and onnxruntime (intra-op threads T, inter-op 1,
sequential, all graph optimisations), in a rotated order, each for the median of --runs passes; ours is
`bench FILE --json --threads T --iterations N --min-time 0 --no-peak`. Reported per case and thread
count: the best of the rounds and the ratios to onnxruntime's best (below 1: ours is faster). Both
sides time a whole pass of the one-layer model (ours includes its input and output layout copies).

Needs /work/venv (torch, onnx, onnxruntime) and a release build of inception-explorer. Run it under
`flock /work/bench.lock` on a shared machine and say so beside the numbers.
Usage: python3 Benchmarks/family/pointwise_vs_ort.py [--bin PATH]... [--threads 1,2] [--rounds 5]
                                                     [--runs 50] [--out DIR] [--only SUBSTRING]
"""
import argparse, os, sys
import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from engines import median_ms, ort_session, ours_ms  # noqa: E402  (how each engine is timed)

# (name, input channels, output channels, height, width): the layers of issue 22.
CASES = [
    ("ir_conv2d_7b_2080x1536_8x8", 2080, 1536, 8, 8),
    ("ir_block8_b0_2080x192_8x8", 2080, 192, 8, 8),
    ("ir_block8_up_448x2080_8x8", 448, 2080, 8, 8),
    ("nx_s4_fc1_768x3072_7x7", 768, 3072, 7, 7),
    ("nx_s4_fc2_3072x768_7x7", 3072, 768, 7, 7),
]


def export(name, cin, cout, h, w, out_dir):
    import torch
    path = os.path.join(out_dir, name + ".onnx")
    if os.path.exists(path):
        return path
    torch.manual_seed(22)
    model = torch.nn.Sequential(torch.nn.Conv2d(cin, cout, 1), torch.nn.ReLU()).eval()
    torch.onnx.export(model, torch.randn(1, cin, h, w), path, input_names=["x"], output_names=["y"], dynamo=False)
    return path


def ort_ms(path, threads, runs, x):
    sess = ort_session(path, threads)
    return median_ms(lambda: sess.run(None, {"x": x}), runs)


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", action="append", help="inception-explorer binaries (default: the release build)")
    ap.add_argument("--threads", default="1,2")
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--runs", type=int, default=50)
    ap.add_argument("--out", default="/tmp/pointwise-onnx")
    ap.add_argument("--only")
    args = ap.parse_args()
    bins = args.bin or [os.path.join(here, "..", "..", ".build", "release", "inception-explorer")]
    threads = [int(t) for t in args.threads.split(",")]
    os.makedirs(args.out, exist_ok=True)
    cases = [c for c in CASES if not args.only or args.only in c[0]]
    paths = {c[0]: export(*c, args.out) for c in cases}
    engines = ["ort"] + [f"bin{i}" for i in range(len(bins))]
    best = {}
    for rnd in range(args.rounds):
        for name, cin, cout, h, w in cases:
            x = np.random.default_rng(22).standard_normal((1, cin, h, w)).astype(np.float32)
            for t in threads:
                order = engines[rnd % len(engines):] + engines[:rnd % len(engines)]
                for e in order:
                    ms = (ort_ms(paths[name], t, args.runs, x) if e == "ort"
                          else ours_ms(bins[int(e[3:])], paths[name], t, args.runs))
                    key = (name, t, e)
                    best[key] = min(best.get(key, ms), ms)
    for i, b in enumerate(bins):
        print(f"bin{i}: {b}")
    for name, cin, cout, h, w in cases:
        gflop = 2 * cin * cout * h * w / 1e9
        for t in threads:
            o = best[(name, t, "ort")]
            cols = [f"ort {o:6.3f} ms ({gflop / o * 1e3:5.1f} GFLOP/s)"]
            for i in range(len(bins)):
                m = best[(name, t, f"bin{i}")]
                cols.append(f"bin{i} {m:6.3f} ms ({gflop / m * 1e3:5.1f}) x{m / o:5.3f}")
            print(f"{name:28s} {t}T  " + "  ".join(cols))


if __name__ == "__main__":
    main()
