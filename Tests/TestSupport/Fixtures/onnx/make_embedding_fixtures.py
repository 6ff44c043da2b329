#!/usr/bin/env python3
"""Remakes the two facenet-tail fixtures of the ONNX tests (committed; `swift test` needs no Python).

  python3 Tests/TestSupport/Fixtures/onnx/make_embedding_fixtures.py      (torch, onnx, onnxruntime, numpy)

facenet-pytorch's InceptionResnetV1 ends: global average pool → view(N, -1) → Linear(1792, 512,
bias=False) → BatchNorm1d(512, eps=0.001) → F.normalize(p=2, dim=1) (the default, a face embedding) or →
Linear(512, classes) (classify=True). These are that tail on a tiny stem, exported as facenet's users do
(torch.onnx.export, dynamo=False, eval mode; batchnorm statistics randomised so a wrong fold shows):

  tiny_embedding.onnx   conv → GAP → MatMul (no bias) → BatchNormalization on [N, 6] → ReduceL2 → Clip →
                        Expand(Shape) → Div
  tiny_logits.onnx      the same up to the BatchNormalization, then Gemm (classify=True)

and adds their facts to fixtures.json (the same keys make_fixtures.py writes: counts from the ONNX graph
itself by Benchmarks/onnx-import/onnx_graph_counts.py, output shape) with input_*.npy / output_*.npy
(onnxruntime on a seeded input). Leaves every other fixture alone.
"""
import json, os, sys, warnings
import numpy as np
import onnxruntime as ort

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "..", "..", "Benchmarks", "onnx-import"))
from onnx_graph_counts import graph_counts  # noqa: E402  (shared with the benchmark)
warnings.filterwarnings("ignore")


def tail(classify):
    import torch, torch.nn as nn, torch.nn.functional as F

    class Tail(nn.Module):
        def __init__(self):
            super().__init__()
            self.conv = nn.Conv2d(3, 8, 3, padding=1, bias=False)
            self.bn = nn.BatchNorm2d(8, eps=0.001)
            self.avgpool_1a = nn.AdaptiveAvgPool2d(1)
            self.last_linear = nn.Linear(8, 6, bias=False)
            self.last_bn = nn.BatchNorm1d(6, eps=0.001)
            self.logits = nn.Linear(6, 4) if classify else None

        def forward(self, x):
            x = F.relu(self.bn(self.conv(x)))
            x = self.avgpool_1a(x)
            x = self.last_bn(self.last_linear(x.view(x.shape[0], -1)))
            return self.logits(x) if classify else F.normalize(x, p=2, dim=1)

    torch.manual_seed(0)
    m = Tail().eval()
    g = torch.Generator().manual_seed(1)
    with torch.no_grad():
        for bn in (m.bn, m.last_bn):
            bn.running_mean.copy_(torch.randn(bn.num_features, generator=g) * 0.3)
            bn.running_var.copy_(torch.rand(bn.num_features, generator=g) + 0.5)
            bn.weight.copy_(torch.rand(bn.num_features, generator=g) + 0.5)
            bn.bias.copy_(torch.randn(bn.num_features, generator=g) * 0.1)
    return m


def main():
    import torch
    facts_path = os.path.join(HERE, "fixtures.json")
    with open(facts_path) as f:
        facts = json.load(f)
    for name, classify in (("tiny_embedding", False), ("tiny_logits", True)):
        path = os.path.join(HERE, name + ".onnx")
        x = np.random.default_rng(3).standard_normal((1, 3, 5, 5)).astype(np.float32)
        torch.onnx.export(tail(classify), (torch.from_numpy(x),), path, dynamo=False)
        sess = ort.InferenceSession(path, providers=["CPUExecutionProvider"])
        y = sess.run(None, {sess.get_inputs()[0].name: x})[0]
        np.save(os.path.join(HERE, f"input_{name}.npy"), x)
        np.save(os.path.join(HERE, f"output_{name}.npy"), y)
        params, buffers, macs = graph_counts(path)
        facts[name] = {"buffers": buffers, "macs": macs, "output": list(y.shape), "params": params}
        print(f"{name}: {os.path.getsize(path)} bytes, params {params}, buffers {buffers}, MACs {macs}, output {y.shape}")
    with open(facts_path, "w") as f:
        json.dump(facts, f, indent=2, sort_keys=True)
        f.write("\n")


if __name__ == "__main__":
    main()
