#!/usr/bin/env python3
"""The whole Inception family against its sources of truth: export each model the way its users do,
count it from the graph and from torch, then ask inception-explorer to open, count and run it.

For each model (randomly initialised; batchnorm statistics randomised so a wrong fold shows):
  1. torch's own counts: sum(p.numel()) of parameters (batchnorm gamma/beta included) and of buffers
     (running mean/var), as the issue's published numbers are taken.
  2. `torch.onnx.export(dynamo=False)` in eval mode (batchnorm after a conv is folded by the exporter,
     so the file holds fewer parameters than torch: one per folded channel... see docs/family.md).
  3. Counts from the ONNX graph itself, per node (graph_counts below): conv weight (+ bias; a grouped
     conv's weight is already [out, in/groups, kh, kw]), Gemm / MatMul weight (+ the bias Add after a
     MatMul), 2 parameters + 2 buffers per BatchNormalization channel, 2 per LayerNormalization
     channel (gamma, beta), a Mul by a per-channel initializer (layer scale) as C parameters; scalar
     constants (the residual scale 0.17, GELU's 0.5 and 1) are not parameters. MACs as fvcore: conv
     and linear only, no bias.
  4. `inception-explorer summary MODEL.onnx --format json`: params, buffers and MACs must equal (3);
     a refusal is recorded with its one line (the first blocker).
  5. `inception-explorer run MODEL.onnx --input x.npy --save DIR` against onnxruntime on the same file
     and input: max |ours - ort| / max |ort| must be <= 1e-4.

Needs (Benchmarks only; `swift test` never does): a venv with torch, torchvision, onnx, onnxruntime,
timm, and `pip install --no-deps facenet-pytorch pretrainedmodels munch six requests` (their pins on
torch are old); a release build: swift build -c release --product inception-explorer
Usage: python3 Benchmarks/family/family_check.py [--out DIR] [--model NAME]... [--markdown FILE]
"""
import argparse, datetime, json, os, platform, subprocess, sys, warnings
import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BIN = os.path.join(ROOT, ".build", "release", "inception-explorer")
TOL = 1e-4
warnings.filterwarnings("ignore")
sys.path.insert(0, os.path.join(ROOT, "Benchmarks", "onnx-import"))
from onnx_graph_counts import graph_counts  # noqa: E402  (one counting rule for every benchmark)

# name -> (library, how to build it, input C,H,W)
MODELS = {
    "googlenet": ("torchvision", lambda: __import__("torchvision").models.googlenet(weights=None, aux_logits=False, init_weights=True), (3, 224, 224)),
    "inception_v3": ("timm", lambda: timm_model("inception_v3"), (3, 299, 299)),
    "inception_v4": ("timm", lambda: timm_model("inception_v4"), (3, 299, 299)),
    "bninception": ("pretrainedmodels (Cadene)", lambda: __import__("pretrainedmodels").bninception(num_classes=1000, pretrained=None), (3, 224, 224)),
    "inception_resnet_v2": ("timm", lambda: timm_model("inception_resnet_v2"), (3, 299, 299)),
    "InceptionResnetV1": ("facenet-pytorch", lambda: facenet(), (3, 160, 160)),
    # The default, as deployed for face recognition: no classifier, the 512-d embedding L2-normalised.
    "InceptionResnetV1-embedding": ("facenet-pytorch", lambda: facenet(classify=False), (3, 160, 160)),
    "legacy_xception": ("timm", lambda: timm_model("legacy_xception"), (3, 299, 299)),
    "xception41": ("timm", lambda: timm_model("xception41"), (3, 299, 299)),
    "inception_next_tiny": ("timm", lambda: timm_model("inception_next_tiny"), (3, 224, 224)),
}


def timm_model(name):
    import timm
    return timm.create_model(name, pretrained=False)


def facenet(classify=True):
    from facenet_pytorch import InceptionResnetV1
    return InceptionResnetV1(classify=True, num_classes=1000) if classify else InceptionResnetV1()


def randomize_bn(model, seed=0):
    import torch
    g = torch.Generator().manual_seed(seed)
    for m in model.modules():
        if isinstance(m, (torch.nn.BatchNorm1d, torch.nn.BatchNorm2d)) and m.running_mean is not None:
            with torch.no_grad():
                m.running_mean.copy_(torch.randn(m.num_features, generator=g) * 0.1)
                m.running_var.copy_(torch.rand(m.num_features, generator=g) + 0.5)
                if m.weight is not None:
                    m.weight.copy_(torch.rand(m.num_features, generator=g) + 0.5)


def export(name, out_dir):
    import torch
    torch.manual_seed(0)
    library, make, chw = MODELS[name]
    m = make().eval()
    randomize_bn(m)
    params = sum(p.numel() for p in m.parameters())
    buffers = sum(b.numel() for n, b in m.named_buffers() if "num_batches_tracked" not in n)
    path = os.path.join(out_dir, name + ".onnx")
    x = torch.randn(1, *chw)
    torch.onnx.export(m, (x,), path, dynamo=False)
    return path, chw, params, buffers


def cpu_name():
    try:
        with open("/proc/cpuinfo") as f:
            return next(l.split(":", 1)[1].strip() for l in f if l.startswith("model name"))
    except (OSError, StopIteration):
        return platform.machine()


def ours(*args):
    return subprocess.run([BIN, *args], capture_output=True, text=True)


def compare_outputs(path, chw, work):
    import onnxruntime as ort
    x = np.random.default_rng(0).standard_normal((1,) + chw).astype(np.float32)
    xin = os.path.join(work, "x.npy"); np.save(xin, x)
    save = os.path.join(work, os.path.basename(path) + ".run")
    r = ours("run", path, "--input", xin, "--save", save)
    if r.returncode != 0:
        return None, r.stderr.strip()
    y = np.load(os.path.join(save, "output.npy")).reshape(1, -1)
    sess = ort.InferenceSession(path, providers=["CPUExecutionProvider"])
    ref = sess.run(None, {sess.get_inputs()[0].name: x})[0].reshape(1, -1)
    return float(np.abs(y - ref).max() / np.abs(ref).max()), None


def main():
    global BIN
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default=os.path.join(ROOT, "bench-out", "family"))
    ap.add_argument("--model", action="append", choices=list(MODELS))
    ap.add_argument("--binary", default=None, help="the inception-explorer to test (default: the release build)")
    ap.add_argument("--markdown", help="write the results table here (e.g. docs/family.md's table)")
    args = ap.parse_args()
    BIN = args.binary or BIN
    os.makedirs(args.out, exist_ok=True)
    rows, failed = [], False
    for name in args.model or list(MODELS):
        library = MODELS[name][0]
        try:
            path, chw, tp, tb = export(name, args.out)
        except Exception as e:  # an export the library itself cannot make here
            print(f"{name}: export failed: {e}"); failed = True; continue
        gp, gb, gm = graph_counts(path)
        s = ours("summary", path, "--format", "json")
        if s.returncode != 0:
            line = s.stderr.strip().splitlines()[0] if s.stderr.strip() else f"exit {s.returncode}"
            line = line.replace(path, os.path.basename(path))
            print(f"{name} ({library}): torch params {tp:,}; graph params {gp:,} MACs {gm:,}; REFUSED: {line}")
            rows.append((name, library, tp, gp, gm, None, None, line)); continue
        t = json.loads(s.stdout)["totals"]
        counts_ok = (t["params"], t["buffers"], t["macs"]) == (gp, gb, gm)
        rel, err = compare_outputs(path, chw, args.out)
        ok = counts_ok and rel is not None and rel <= TOL
        failed |= not ok
        print(f"{name} ({library}): torch params {tp:,} buffers {tb:,}; graph params {gp:,} buffers {gb:,} MACs {gm:,}; "
              f"ours params {t['params']:,} buffers {t['buffers']:,} MACs {t['macs']:,}; "
              f"run vs onnxruntime {('%.2e' % rel) if rel is not None else err} -> {'OK' if ok else 'MISMATCH'}")
        rows.append((name, library, tp, gp, gm, (t["params"], t["macs"]), rel, None if ok else (err or "counts differ")))
    if args.markdown:
        with open(args.markdown, "w") as f:
            f.write(f"Machine: {cpu_name()}; {datetime.date.today()}; "
                    f"`python3 Benchmarks/family/family_check.py`\n\n")
            f.write("| model | library | torch params | graph params | graph MACs | ours (params, MACs) | run vs onnxruntime | note |\n")
            f.write("|---|---|---:|---:|---:|---|---:|---|\n")
            for name, lib, tp, gp, gm, o, rel, note in rows:
                f.write(f"| {name} | {lib} | {tp:,} | {gp:,} | {gm:,} | {'%s, %s' % (format(o[0], ','), format(o[1], ',')) if o else 'refused'} | "
                        f"{('%.1e' % rel) if rel is not None else '-'} | {(note or '').replace('|', '/')} |\n")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
