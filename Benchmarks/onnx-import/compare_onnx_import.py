#!/usr/bin/env python3
"""ONNX import against the source of truth: torchvision's own counts and onnxruntime's outputs.

For each model:
  1. Export it with torch.onnx.export(dynamo=False) — googlenet in eval mode (the exporter folds
     BatchNormalization into the convs), inception_v3 with its BatchNormalization nodes kept
     (do_constant_folding=False, training=PRESERVE) and a dynamic batch dim. Batchnorm running
     statistics are randomised first (fresh init has mean 0 / var 1, which would hide a wrong fold).
  2. Count from the ONNX graph itself, per node: conv weight + bias, Gemm weight + bias,
     2 trainable + 2 buffers per BatchNormalization channel; MACs as fvcore (conv and linear,
     no bias), from onnx shape inference. Also torchvision's parameter / buffer counts.
  3. `inception-explorer summary MODEL.onnx --format json`: params, buffers, MACs must equal (2).
  4. `inception-explorer run MODEL.onnx --input x.npy --save DIR` (the model's own weights) against
     onnxruntime on the same file and input: max |ours - ort| / max |ort| must be <= 1e-4.
  5. Optionally timm's Inception models (--timm), same checks (counts from the graph, outputs).

Needs: /work/venv-style Python with torch, torchvision, onnx, onnxruntime, numpy (timm optional);
a release build: swift build -c release --product inception-explorer
Usage: python3 Benchmarks/onnx-import/compare_onnx_import.py [--out DIR] [--timm] [--batch 2]
"""
import argparse, json, os, subprocess, sys, warnings
import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from onnx_graph_counts import graph_counts  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BIN = os.path.join(ROOT, ".build", "release", "inception-explorer")
warnings.filterwarnings("ignore")


def randomize_bn(model, seed=0):
    import torch
    g = torch.Generator().manual_seed(seed)
    for m in model.modules():
        if isinstance(m, torch.nn.BatchNorm2d):
            with torch.no_grad():
                m.running_mean.copy_(torch.randn(m.num_features, generator=g) * 0.1)
                m.running_var.copy_(torch.rand(m.num_features, generator=g) + 0.5)
                m.weight.copy_(torch.rand(m.num_features, generator=g) + 0.5)
                m.bias.copy_(torch.randn(m.num_features, generator=g) * 0.1)


def export(name, out_dir):
    import torch, torchvision
    torch.manual_seed(0)
    path = os.path.join(out_dir, name + ".onnx")
    if name in ("googlenet", "googlenet_dynamo"):
        m = torchvision.models.googlenet(weights=None, aux_logits=False, init_weights=True).eval()
        randomize_bn(m)
        x = torch.randn(1, 3, 224, 224)
        torch.onnx.export(m, (x,), path, dynamo=name.endswith("dynamo"))
    elif name == "inception_v3":
        m = torchvision.models.inception_v3(weights=None, aux_logits=True, init_weights=True).eval()
        randomize_bn(m)
        x = torch.randn(1, 3, 299, 299)
        torch.onnx.export(m, x, path, dynamo=False, do_constant_folding=False,
                          training=torch.onnx.TrainingMode.PRESERVE, input_names=["x"],
                          dynamic_axes={"x": {0: "batch_size"}})
    else:
        import timm
        m = timm.create_model(name, pretrained=False).eval()
        randomize_bn(m)
        size = m.default_cfg.get("input_size", (3, 299, 299))
        x = torch.randn(1, *size)
        torch.onnx.export(m, x, path, dynamo=False)
    params = sum(p.numel() for n, p in m.named_parameters() if "AuxLogits" not in n and "aux" not in n.split(".")[0])
    buffers = sum(b.numel() for n, b in m.named_buffers() if "num_batches_tracked" not in n and "AuxLogits" not in n)
    return path, tuple(x.shape[1:]), params, buffers


def ours_summary(path):
    out = subprocess.run([BIN, "summary", path, "--format", "json"], capture_output=True, text=True, check=True).stdout
    t = json.loads(out)["totals"]
    return t["params"], t["buffers"], t["macs"]


def compare_outputs(path, chw, batch, work):
    import onnxruntime as ort
    rng = np.random.default_rng(0)
    x = rng.standard_normal((batch,) + chw).astype(np.float32)
    xin = os.path.join(work, "x.npy"); np.save(xin, x)
    save = os.path.join(work, "run"); os.makedirs(save, exist_ok=True)
    subprocess.run([BIN, "run", path, "--input", xin, "--save", save], capture_output=True, text=True, check=True)
    ours = np.load(os.path.join(save, "output.npy")).reshape(batch, -1)
    sess = ort.InferenceSession(path, providers=["CPUExecutionProvider"])
    try:
        ref = sess.run(None, {sess.get_inputs()[0].name: x})[0].reshape(batch, -1)
    except Exception:  # a fixed batch-1 export: run the samples one by one
        ref = np.concatenate([sess.run(None, {sess.get_inputs()[0].name: x[i:i + 1]})[0].reshape(1, -1) for i in range(batch)])
    return float(np.abs(ours - ref).max() / np.abs(ref).max())


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default=os.path.join(ROOT, "bench-out", "onnx-import"))
    ap.add_argument("--timm", action="store_true", help="also timm's inception_v3 / inception_v4 / inception_resnet_v2")
    ap.add_argument("--batch", type=int, default=1)
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)
    names = ["googlenet", "inception_v3", "googlenet_dynamo"] + (["inception_v3.tv_in1k", "inception_v4", "inception_resnet_v2"] if args.timm else [])
    failed = False
    for name in names:
        try:
            path, chw, tv_params, tv_buffers = export(name, args.out)
        except Exception as e:
            print(f"{name}: export failed: {e}"); failed = True; continue
        gp, gb, gm = graph_counts(path)
        try:
            op, ob, om = ours_summary(path)
        except subprocess.CalledProcessError as e:
            print(f"{name}: import refused: {e.stderr.strip()}"); continue
        rel = compare_outputs(path, chw, args.batch if name == "inception_v3" else 1, args.out)
        ok = (op, ob, om) == (gp, gb, gm) and rel <= 1e-4
        failed |= not ok
        print(f"{name}: file {os.path.getsize(path):,} B; graph params {gp:,} buffers {gb:,} MACs {gm:,}; "
              f"ours params {op:,} buffers {ob:,} MACs {om:,}; torch params {tv_params:,} buffers {tv_buffers:,}; "
              f"run vs onnxruntime max|d|/max|y| = {rel:.2e} -> {'OK' if ok else 'MISMATCH'}")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
