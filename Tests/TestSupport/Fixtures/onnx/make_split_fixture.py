#!/usr/bin/env python3
"""Remakes the split-join fixture of Tests/InceptionONNXTests (committed; `swift test` needs no Python).

  python3 Tests/TestSupport/Fixtures/onnx/make_split_fixture.py      (torch, timm, onnx, onnxruntime, numpy)

Writes, next to this script:
  split_block.onnx        timm's own InceptionNeXt token mixer (`timm.models.inception_next.InceptionDWConv2d`,
                          branch ratio 1/8) on 40 channels: torch.split into (25, 5, 5, 5), the identity slice
                          straight to the Concat, depthwise 3x3, 1x11 and 11x1 on the others; between a
                          3x3 conv + ReLU stem and a 1x1 conv. Exported by torch.onnx.export (dynamo=False,
                          the exporter's default opset: Split with its sizes as an int64 input).
  split_block.json        params, buffers and MACs counted from the ONNX graph itself
                          (Benchmarks/onnx-import/onnx_graph_counts.py) and the output shape.
  input_split_block.npy, output_split_block.npy   a seeded input and onnxruntime's output on it.
  next_block.onnx (+ next_block.json, input_/output_next_block.npy)   timm's whole InceptionNeXt block
                          (`MetaNeXtBlock(32)`: split token mixer → BatchNorm2d → ConvMlp with GELU →
                          layer scale γ → + shortcut) after timm's stem (4x4 stride-4 conv + BatchNorm2d),
                          then a 1x1 conv; γ and the batchnorm statistics randomised so that every part
                          shows in the output. Same exporter and opset (GELU as one Gelu node).
"""
import json, os, sys, warnings
import numpy as np
import onnx
import onnxruntime as ort

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "..", "..", "Benchmarks", "onnx-import"))
from onnx_graph_counts import graph_counts  # noqa: E402
warnings.filterwarnings("ignore")


def main():
    import torch, torch.nn as nn
    from timm.models.inception_next import InceptionDWConv2d

    class SplitNet(nn.Module):
        def __init__(self):
            super().__init__()
            self.stem = nn.Conv2d(3, 40, 3, padding=1)
            self.relu = nn.ReLU()
            self.token_mixer = InceptionDWConv2d(40)
            self.head = nn.Conv2d(40, 6, 1)

        def forward(self, x):
            return self.head(self.token_mixer(self.relu(self.stem(x))))

    torch.manual_seed(0)
    net = SplitNet().eval()
    assert net.token_mixer.split_indexes == (25, 5, 5, 5)
    path = os.path.join(HERE, "split_block.onnx")
    x = torch.randn(1, 3, 12, 14)
    torch.onnx.export(net, (x,), path, dynamo=False, input_names=["x"], output_names=["y"])
    m = onnx.load(path)
    assert [n.op_type for n in m.graph.node].count("Split") == 1
    xs = np.random.default_rng(5).standard_normal((2, 3, 12, 14)).astype(np.float32)
    sess = ort.InferenceSession(path, providers=["CPUExecutionProvider"])
    y = sess.run(None, {"x": xs[:1]})[0]
    np.save(os.path.join(HERE, "input_split_block.npy"), xs[:1])
    np.save(os.path.join(HERE, "output_split_block.npy"), y)
    params, buffers, macs = graph_counts(path)
    torch_params = sum(p.numel() for p in net.parameters())
    assert params == torch_params, (params, torch_params)
    facts = {"params": params, "buffers": buffers, "macs": macs, "output": list(y.shape)}
    with open(os.path.join(HERE, "split_block.json"), "w") as f:
        json.dump(facts, f, indent=2, sort_keys=True)
        f.write("\n")
    print(facts, "torch params", torch_params, "opset", m.opset_import[0].version, os.path.getsize(path), "bytes")

    next_block()


def save_facts(name, path, net, xs):
    """Graph counts, torch's parameter count and onnxruntime's output for `path` on `xs`."""
    sess = ort.InferenceSession(path, providers=["CPUExecutionProvider"])
    y = sess.run(None, {"x": xs})[0]
    np.save(os.path.join(HERE, f"input_{name}.npy"), xs)
    np.save(os.path.join(HERE, f"output_{name}.npy"), y)
    params, buffers, macs = graph_counts(path)
    facts = {"params": params, "buffers": buffers, "macs": macs, "output": list(y.shape),
             "torch_params": sum(p.numel() for p in net.parameters())}
    with open(os.path.join(HERE, f"{name}.json"), "w") as f:
        json.dump(facts, f, indent=2, sort_keys=True)
        f.write("\n")
    print(name, facts, os.path.getsize(path), "bytes")


def next_block():
    import torch, torch.nn as nn
    from timm.models.inception_next import MetaNeXtBlock

    class NextNet(nn.Module):
        def __init__(self):
            super().__init__()
            self.stem = nn.Sequential(nn.Conv2d(3, 32, 4, stride=4), nn.BatchNorm2d(32))
            self.block = MetaNeXtBlock(32)
            self.head = nn.Conv2d(32, 6, 1)

        def forward(self, x):
            return self.head(self.block(self.stem(x)))

    torch.manual_seed(1)
    net = NextNet().eval()
    g = torch.Generator().manual_seed(2)
    with torch.no_grad():
        net.block.gamma.copy_(torch.randn(32, generator=g) * 0.5)
        for m in net.modules():
            if isinstance(m, nn.BatchNorm2d):
                m.running_mean.copy_(torch.randn(m.num_features, generator=g) * 0.1)
                m.running_var.copy_(torch.rand(m.num_features, generator=g) + 0.5)
                m.weight.copy_(torch.rand(m.num_features, generator=g) + 0.5)
                m.bias.copy_(torch.randn(m.num_features, generator=g) * 0.1)
    assert net.block.token_mixer.split_indexes == (20, 4, 4, 4)
    path = os.path.join(HERE, "next_block.onnx")
    torch.onnx.export(net, (torch.randn(1, 3, 32, 32),), path, dynamo=False, input_names=["x"], output_names=["y"])
    ops = [n.op_type for n in onnx.load(path).graph.node]
    assert {"Split", "Gelu", "BatchNormalization", "Mul", "Add"} <= set(ops), ops
    save_facts("next_block", path, net, np.random.default_rng(6).standard_normal((1, 3, 32, 32)).astype(np.float32))


if __name__ == "__main__":
    main()
