#!/usr/bin/env python3
"""The export's real checks, with torch and onnxruntime: what `swift test` cannot run.

For each layout (default: GoogLeNet and Inception-v3, each also with its final softmax removed so
the comparison sees logits rather than a near-flat distribution, Benchmarks/export-family-ops.json (a
projection and an identity residual, a depthwise conv, standalone relu and batchnorm, a branch scale),
Benchmarks/export-inceptionnext-ops.json (gelu, layer norm over channels and on a linear's vector, a
layer scale before a residual sum), Benchmarks/export-embedding-ops.json (facenet's tail: a linear
without bias, a batchnorm on its vector, l2norm on the vector and on a map), and Benchmarks/export-ceil-pools.json,
ceil-mode max and average pools with and without padding in the divisor):
  1. `inception-explorer run LAYOUT --seed N --aux --save DIR` writes input.npy, output.npy and every
     weight used (batchnorm folded), aux heads included.
  2. ONNX, seeded: `export LAYOUT -o X.onnx --seed N` passes onnx.checker (full check) and
     onnxruntime's output on DIR/input.npy equals DIR/output.npy: max |ort - ours| / max |ours| <= 1e-4.
  3. ONNX, from the directory: `export LAYOUT -o X.onnx --weights DIR`, the same check.
  4. PyTorch: `export LAYOUT -o X.py`; sum(p.numel()) of build(aux=False) equals summary's params
     and of build(aux=True) params + aux params; batchnorm running mean + var equal summary's buffers.
  5. After load_weights(model, DIR), eval output for DIR/input.npy equals DIR/output.npy (<= 1e-4),
     also for a run without --aux (no aux files: those layers keep their initial weights); in
     training mode (batch 2) the model returns the main output and one output per aux head.
  6. Round trip: `summary X.onnx --format json` (the importer) gives back the same params, buffers and
     MACs; reported as "n/a" when this build has no importer yet.
With --torchvision, also real models: torchvision googlenet (aux_logits=False) and inception_v3
(aux_logits=False), randomly initialised and in eval mode, exported by torch.onnx.export (dynamo=False;
BN folded for googlenet, kept for v3). `inception-explorer export TV.onnx -o OURS.onnx` (the model's own
weights) must run in onnxruntime like TV.onnx, and `export TV.onnx -o OURS.py` with load_weights on
`import TV.onnx --weights DIR` must give torchvision's own output (both <= 1e-4).

Needs: pip install torch onnx onnxruntime numpy; a build: swift build --product inception-explorer
Usage: python3 Benchmarks/export_check.py [--binary PATH] [--seed N] [--layout REF]... [--markdown]
"""
import argparse, importlib.util, json, os, subprocess, sys, tempfile
import numpy as np
import onnx
import onnxruntime as ort
import torch

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TOL = 1e-4


def sh(binary, *args):
    r = subprocess.run([binary, *args], capture_output=True, text=True)
    if r.returncode != 0:
        raise RuntimeError(f"{' '.join(args)}: exit {r.returncode}: {r.stderr.strip()}")
    return r.stdout


def layout_json(ref):
    path = os.path.join(ROOT, "Layouts", ref[len("builtin:"):] + ".json") if ref.startswith("builtin:") else ref
    with open(path) as f:
        return json.load(f)


def rel(a, b):
    a, b = np.asarray(a, dtype=np.float64).ravel(), np.asarray(b, dtype=np.float64).ravel()
    return float(np.abs(a - b).max() / max(np.abs(b).max(), 1e-30))


def ort_check(path, d):
    onnx.checker.check_model(onnx.load(path), full_check=True)
    s = ort.InferenceSession(path, providers=["CPUExecutionProvider"])
    x = np.load(os.path.join(d, "input.npy"))
    return rel(s.run(None, {s.get_inputs()[0].name: x})[0], np.load(os.path.join(d, "output.npy")))


def load_module(path):
    spec = importlib.util.spec_from_file_location(os.path.basename(path)[:-3].replace("-", "_"), path)
    m = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(m)
    return m


def check(binary, name, layout, seed, work):
    row = {"layout": name}
    d = os.path.join(work, name + "-run")
    sh(binary, "run", layout, "--seed", str(seed), "--aux", "--save", d)
    totals = json.loads(sh(binary, "summary", layout, "--format", "json"))["totals"]
    row.update(params=totals["params"], aux_params=totals["aux_params"], buffers=totals["buffers"], macs=totals["macs"])

    seeded = os.path.join(work, name + "-seeded.onnx")
    sh(binary, "export", layout, "-o", seeded, "--seed", str(seed))
    row["ort_seeded"] = ort_check(seeded, d)
    fromdir = os.path.join(work, name + "-dir.onnx")
    sh(binary, "export", layout, "-o", fromdir, "--weights", d)
    row["ort_dir"] = ort_check(fromdir, d)

    py = os.path.join(work, name + ".py")
    sh(binary, "export", layout, "-o", py)
    m = load_module(py)
    torch.manual_seed(0)
    plain, full = m.build(aux=False), m.build(aux=True)
    row["torch_params"] = sum(p.numel() for p in plain.parameters())
    row["torch_params_aux"] = sum(p.numel() for p in full.parameters())
    row["torch_buffers"] = sum(b.numel() for n, b in plain.named_buffers() if n.endswith(("running_mean", "running_var")))
    m.load_weights(full, d)
    full.eval()
    x = torch.from_numpy(np.load(os.path.join(d, "input.npy")))
    with torch.no_grad():
        row["torch_eval"] = rel(full(x).numpy(), np.load(os.path.join(d, "output.npy")))
    # A run without --aux saves no aux-head weights: those layers keep their initial values.
    d0 = os.path.join(work, name + "-run-noaux")
    sh(binary, "run", layout, "--seed", str(seed), "--save", d0)
    other = m.build(aux=True)
    m.load_weights(other, d0)
    other.eval()
    with torch.no_grad():
        row["torch_eval_noaux"] = rel(other(torch.from_numpy(np.load(os.path.join(d0, "input.npy")))).numpy(),
                                      np.load(os.path.join(d0, "output.npy")))
    full.train()
    with torch.no_grad():
        out = full(torch.cat([x, x]))
    heads = sum(1 for l in layout_json_layers(layout) if l.get("op") == "aux")
    row["train_outputs"] = len(out) if isinstance(out, tuple) else 1
    row["train_ok"] = row["train_outputs"] == 1 + heads

    r = subprocess.run([binary, "summary", seeded, "--format", "json"], capture_output=True, text=True)
    if r.returncode == 0:
        t = json.loads(r.stdout)["totals"]
        row["round_trip"] = (t["params"], t["buffers"], t["macs"]) == (totals["params"], totals["buffers"], totals["macs"])
    else:
        row["round_trip"] = None
    row["ok"] = (row["ort_seeded"] <= TOL and row["ort_dir"] <= TOL and row["torch_eval"] <= TOL and row["train_ok"]
                 and row["torch_eval_noaux"] <= TOL
                 and row["torch_params"] == row["params"] and row["torch_params_aux"] == row["params"] + row["aux_params"]
                 and row["torch_buffers"] == row["buffers"] and row["round_trip"] is not False)
    return row


def torchvision_check(binary, work):
    import torchvision
    rows = []
    torch.manual_seed(0)
    cases = [("tv-googlenet", torchvision.models.googlenet(weights=None, aux_logits=False, init_weights=True), 224, {}),
             ("tv-inception_v3", torchvision.models.inception_v3(weights=None, aux_logits=False, init_weights=True), 299,
              dict(do_constant_folding=False, training=torch.onnx.TrainingMode.PRESERVE))]
    for name, model, size, extra in cases:
        model.eval()
        with torch.no_grad():  # non-trivial batchnorm statistics, so folding them is tested
            for m in model.modules():
                if isinstance(m, torch.nn.BatchNorm2d):
                    m.running_mean.uniform_(-0.1, 0.1)
                    m.running_var.uniform_(0.5, 1.5)
        x = torch.randn(1, 3, size, size)
        tv = os.path.join(work, name + ".onnx")
        torch.onnx.export(model, x, tv, dynamo=False, **extra)
        with torch.no_grad():
            ref = model(x).numpy()
        ours = os.path.join(work, name + "-ours.onnx")
        out = sh(binary, "export", tv, "-o", ours)
        s = ort.InferenceSession(ours, providers=["CPUExecutionProvider"])
        row = {"model": name, "seeded": "seeded" in out}
        row["ort_ours_vs_torch"] = rel(s.run(None, {s.get_inputs()[0].name: x.numpy()})[0], ref)
        d = os.path.join(work, name + "-weights")
        sh(binary, "import", tv, "-o", os.path.join(work, name + ".json"), "--weights", d)
        py = os.path.join(work, name + ".py")
        sh(binary, "export", tv, "-o", py)
        net = load_module(py).build(aux=False)
        load_module(py).load_weights(net, d)
        net.eval()
        with torch.no_grad():
            row["py_vs_torch"] = rel(net(x).numpy(), ref)
        row["ok"] = row["ort_ours_vs_torch"] <= TOL and row["py_vs_torch"] <= TOL and not row["seeded"]
        rows.append(row)
    return rows


_LAYERS = {}


def layout_json_layers(ref):
    return _LAYERS[ref]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--binary", default=os.path.join(ROOT, ".build", "debug", "inception-explorer"))
    ap.add_argument("--seed", type=int, default=3)
    ap.add_argument("--layout", action="append")
    ap.add_argument("--markdown", action="store_true")
    ap.add_argument("--torchvision", action="store_true", help="also export real torchvision models (see above)")
    args = ap.parse_args()
    refs = args.layout or ["builtin:googlenet", "builtin:inception-v3", os.path.join(ROOT, "Benchmarks", "export-ceil-pools.json"),
                           os.path.join(ROOT, "Benchmarks", "export-family-ops.json"),
                           os.path.join(ROOT, "Benchmarks", "export-inceptionnext-ops.json"),
                           os.path.join(ROOT, "Benchmarks", "export-embedding-ops.json")]
    rows = []
    with tempfile.TemporaryDirectory() as work:
        for ref in refs:
            doc = layout_json(ref)
            base = os.path.basename(ref).replace("builtin:", "").replace(".json", "")
            variants = [(base, doc)]
            if doc["layers"] and doc["layers"][-1].get("op") == "softmax":
                logits = dict(doc, name=doc["name"] + " (logits)", layers=doc["layers"][:-1])
                variants.append((base + "-logits", logits))
            for name, d in variants:
                path = os.path.join(work, name + ".json")
                with open(path, "w") as f:
                    json.dump(d, f)
                _LAYERS[path] = d["layers"]
                rows.append(check(args.binary, name, path, args.seed, work))
        tv_rows = torchvision_check(args.binary, work) if args.torchvision else []
    cols = ["layout", "params", "torch_params", "aux_params", "torch_params_aux", "buffers", "torch_buffers", "macs",
            "ort_seeded", "ort_dir", "torch_eval", "torch_eval_noaux", "train_outputs", "round_trip", "ok"]
    fmt = lambda v: f"{v:.2e}" if isinstance(v, float) else ("n/a" if v is None else f"{v:,}" if isinstance(v, int) and not isinstance(v, bool) else str(v))
    if args.markdown:
        print("| " + " | ".join(cols) + " |")
        print("|" + "---|" * len(cols))
        for r in rows:
            print("| " + " | ".join(fmt(r[c]) for c in cols) + " |")
    else:
        for r in rows:
            print("  ".join(f"{c}={fmt(r[c])}" for c in cols))
    if tv_rows and args.markdown:
        keys = list(tv_rows[0])
        print("\n| " + " | ".join(keys) + " |\n|" + "---|" * len(keys))
        for r in tv_rows:
            print("| " + " | ".join(fmt(r[k]) for k in keys) + " |")
    elif tv_rows:
        for r in tv_rows:
            print("  ".join(f"{k}={fmt(v)}" for k, v in r.items()))
    print(f"torch {torch.__version__}, onnxruntime {ort.__version__}, onnx {onnx.__version__}, seed {args.seed}, tolerance {TOL}")
    sys.exit(0 if all(r["ok"] for r in rows + tv_rows) else 1)


if __name__ == "__main__":
    main()
