#!/usr/bin/env python3
"""Where the time of one pass goes in our engine and in onnxruntime, layer beside layer (issue 22).

A whole-pass ratio says who is ahead, not where. This script times the same ONNX file op by op on
both engines, in alternating rounds, and pairs each of our ops with the onnxruntime node that
computes the same layer, so a claim like "the 728→728 1×1 convs run equally fast in both" can be
checked per layer.

- Ours: `inception-explorer bench MODEL.onnx --profile --json` (each op timed inside passes run op
  by op; the median of --runs passes per op).
- onnxruntime 1.32: its own profiler (`SessionOptions.enable_profiling`), the median of --runs
  passes per node, intra-op threads T, inter-op 1, all graph optimisations (so its NCHWc convs with
  fused ReLU / Add, as in a real session).
- Rounds alternate the two engines; per op and node the script keeps the *minimum* of the round
  medians: on a shared host neighbours only ever add time, and a slow round would otherwise hide in
  one side's numbers and not the other's.

Pairing is by name. Our op paths come from the ONNX node names (the importer's scope parts, e.g.
`blocks.2/stack/act3`); onnxruntime names a fused node after one of the nodes it fused (e.g.
`/blocks/blocks.2/stack/act3/Relu_output_0_nchwc`). Each of our ops, in order, takes the not yet
paired node of a matching type (a conv or linear op: Conv, FusedConv, Gemm, ...; a pool: a pool;
the rest: element-wise and normalisation nodes) whose name holds the most of the op path's parts
(numeric parts such as the importer's `0` levels are ignored); ties go to the node nearest the last
pair in onnxruntime's order. Ops whose names share no part with any node pair with the next free
compute node in order. Nodes no op pairs with (a standalone ReLU that we fuse into the next
conv, Concat that we never run, layout reorders) are listed as "theirs only", so the two totals
still add up to each engine's sum of ops. Check the pairs it prints before trusting a row.

Needs /work/venv (onnxruntime 1.32, numpy) and a release build:
    swift build -c release --product inception-explorer
Usage: python3 Benchmarks/family/per_op_vs_ort.py MODEL.onnx [--threads 1] [--rounds 8] [--runs 7]
                                                  [--binary PATH] [--top 25] [--json FILE]
Run it under `flock /work/bench.lock` on a shared machine, and say so beside the numbers.
"""
import argparse, collections, json, os, re, subprocess, sys, tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from engines import ort_session  # noqa: E402  (onnxruntime set up as every family benchmark does)

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_BINARY = os.path.join(HERE, "..", "..", ".build", "release", "inception-explorer")
# onnxruntime's node types one of our ops may pair with, by what our op computes: a conv or linear
# layer (whatever it fused) only with a conv or matrix product, a pool with a pool, the rest with
# the element-wise and normalisation nodes. Standalone ReLU, Concat and Split nodes pair with none.
MATMUL = {"Conv", "FusedConv", "NchwcConv", "Gemm", "MatMul", "FusedMatMul", "FusedGemm"}
POOL = {"MaxPool", "AveragePool", "NchwcMaxPool", "NchwcAveragePool", "GlobalAveragePool",
        "NchwcGlobalAveragePool", "GlobalMaxPool"}
OTHER = {"LRN", "Softmax", "LayerNormalization", "SimplifiedLayerNormalization", "Gelu", "BiasGelu",
         "Erf", "Add", "Mul", "Sum", "BatchNormalization", "ReduceMean", "ReduceL2", "Div",
         "LpNormalization", "Sigmoid", "Tanh", "Clip"}


def accepts(kind, node_type):
    """Whether an op of ours of this kind may pair with an onnxruntime node of this type."""
    if "conv" in kind or kind == "linear":
        return node_type in MATMUL
    if "pool" in kind:
        return node_type in POOL
    return node_type in OTHER


def ours_round(binary, model, threads, runs):
    out = subprocess.run(
        [binary, "bench", model, "--threads", str(threads), "--iterations", str(runs), "--min-time", "0",
         "--no-peak", "--profile", "--json"], capture_output=True, text=True, check=True).stdout
    d = json.loads(out.splitlines()[0])
    return [(o["path"], o["kind"], o["median_ms"]) for o in d["ops"]]


def ort_round(model, threads, runs):
    import numpy as np
    s = ort_session(model, threads, profile_prefix=os.path.join(tempfile.gettempdir(), "per_op_vs_ort"))
    i = s.get_inputs()[0]
    x = np.random.default_rng(0).standard_normal([d if isinstance(d, int) else 1 for d in i.shape]).astype(np.float32)
    for _ in range(3 + runs):
        s.run(None, {i.name: x})
    path = s.end_profiling()
    with open(path) as f:
        events = json.load(f)
    os.remove(path)
    times, kinds, order = collections.defaultdict(list), {}, []
    for e in events:
        if e.get("cat") == "Node" and e["name"].endswith("_kernel_time"):
            n = e["name"][: -len("_kernel_time")]
            if n not in kinds:
                order.append(n)
            kinds[n] = e["args"].get("op_name", "?")
            times[n].append(e["dur"] / 1000)
    # The profile holds the 3 warm-up passes too: keep each node's last `runs` times.
    med = {n: sorted(t[-runs:])[len(t[-runs:]) // 2] for n, t in times.items()}
    return [(n, kinds[n], med[n]) for n in order]


def parts(name):
    """Name parts that can tell layers apart: path components without numeric-only levels."""
    name = re.sub(r"_output_\d+(_nchwc)?$", "", name)
    return [p for p in name.strip("/").split("/") if p and not p.isdigit()]


def pair(ours, theirs):
    """For each of our ops, the index of its onnxruntime node (or None)."""
    taken = [False] * len(theirs)
    tparts = [set(parts(n)) for n, _, _ in theirs]
    last, result = 0, []
    for path, ours_kind, _ in ours:
        want = parts(path)
        best, best_key = None, None
        for j, (n, kind, _) in enumerate(theirs):
            if taken[j] or not accepts(ours_kind, kind):
                continue
            score = sum(1 for p in want if p in tparts[j])
            if score == 0:
                continue
            key = (score, -abs(j - last))
            if best_key is None or key > best_key:
                best, best_key = j, key
        if best is not None:
            taken[best] = True
            last = best
        result.append(best)
    # Ops whose names share no part with any node left (the importer names some exit-flow layers by
    # one scope part only) take the next free compute node after the previous pair, in order.
    for i, j in enumerate(result):
        if j is not None:
            continue
        after = max([k for k in result[:i] if k is not None], default=-1)
        for k in range(after + 1, len(theirs)):
            if not taken[k] and accepts(ours[i][1], theirs[k][1]):
                taken[k] = True
                result[i] = k
                break
    return result


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("model")
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--rounds", type=int, default=8)
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--binary", default=DEFAULT_BINARY)
    ap.add_argument("--top", type=int, default=25, help="rows of the largest differences to print")
    ap.add_argument("--json", help="write the pairs and totals here")
    a = ap.parse_args()

    ours_min, theirs_min = {}, {}
    ours_meta, theirs_meta = None, None
    sums = {"ours": [], "ort": []}
    for r in range(a.rounds):
        for side in (("ours", "ort") if r % 2 == 0 else ("ort", "ours")):
            if side == "ours":
                rows = ours_round(a.binary, a.model, a.threads, a.runs)
                ours_meta = ours_meta or [(p, k) for p, k, _ in rows]
                for p, _, ms in rows:
                    ours_min[p] = min(ours_min.get(p, 1e30), ms)
            else:
                rows = ort_round(a.model, a.threads, a.runs)
                theirs_meta = theirs_meta or [(n, k) for n, k, _ in rows]
                for n, _, ms in rows:
                    theirs_min[n] = min(theirs_min.get(n, 1e30), ms)
            sums[side].append(sum(ms for _, _, ms in rows))
        print(f"round {r + 1}: sum of op medians ours {sums['ours'][-1]:.1f} ms, onnxruntime {sums['ort'][-1]:.1f} ms",
              file=sys.stderr)

    ours = [(p, k, ours_min[p]) for p, k in ours_meta]
    theirs = [(n, k, theirs_min[n]) for n, k in theirs_meta]
    pairs = pair(ours, theirs)
    paired = set(j for j in pairs if j is not None)
    rows = [(p, k, ms, theirs[j][0] if j is not None else None, theirs[j][2] if j is not None else None)
            for (p, k, ms), j in zip(ours, pairs)]

    name = os.path.basename(a.model)
    print(f"{name}, {a.threads} thread(s), {a.rounds} alternating rounds of {a.runs} passes; per op the minimum of the round medians")
    print(f"sum of ops: ours {sum(ms for _, _, ms in ours):.2f} ms, onnxruntime {sum(ms for _, _, ms in theirs):.2f} ms "
          f"(whole rounds: ours best {min(sums['ours']):.1f}, onnxruntime best {min(sums['ort']):.1f})")
    by_kind = collections.defaultdict(lambda: [0.0, 0.0, 0])
    for p, k, ms, n, tms in rows:
        by_kind[k][0] += ms
        by_kind[k][1] += tms or 0
        by_kind[k][2] += 1
    print("\nby our op kind (ours / the onnxruntime nodes paired with them)")
    for k, (o, t, c) in sorted(by_kind.items(), key=lambda kv: -kv[1][0]):
        print(f"  {k:16s} {c:4d} ops  ours {o:8.2f} ms  onnxruntime {t:8.2f} ms  ratio {o / t if t else float('nan'):5.2f}")
    only = collections.defaultdict(lambda: [0.0, 0])
    for j, (n, k, ms) in enumerate(theirs):
        if j not in paired:
            only[k][0] += ms
            only[k][1] += 1
    print("theirs only (no op of ours pairs with them; we fuse or skip these):",
          ", ".join(f"{k} {ms:.2f} ms ({c})" for k, (ms, c) in sorted(only.items(), key=lambda kv: -kv[1][0])) or "none")
    unpaired = [r for r in rows if r[3] is None]
    if unpaired:
        print("ours only:", ", ".join(f"{p} {ms:.2f} ms" for p, _, ms, _, _ in unpaired))

    print(f"\nthe {a.top} largest differences (ours − onnxruntime), then the {a.top // 2} where we lead most")
    diff = sorted((r for r in rows if r[3] is not None), key=lambda r: r[2] - r[4], reverse=True)
    fmt = "  {:+7.3f} ms  ours {:7.3f}  ort {:7.3f}  {:12s} {:32s} ~ {}"
    for p, k, ms, n, tms in diff[: a.top]:
        print(fmt.format(ms - tms, ms, tms, k, p, n))
    print("  ...")
    for p, k, ms, n, tms in diff[-(a.top // 2):]:
        print(fmt.format(ms - tms, ms, tms, k, p, n))

    if a.json:
        with open(a.json, "w") as f:
            json.dump({"model": name, "threads": a.threads, "rounds": a.rounds, "runs": a.runs,
                       "pairs": [{"op": p, "kind": k, "ours_ms": ms, "ort_node": n, "ort_ms": tms}
                                 for p, k, ms, n, tms in rows],
                       "theirs_only": [{"node": n, "kind": k, "ms": ms}
                                       for j, (n, k, ms) in enumerate(theirs) if j not in paired]}, f, indent=1)


if __name__ == "__main__":
    main()
