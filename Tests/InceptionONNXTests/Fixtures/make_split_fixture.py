#!/usr/bin/env python3
"""Remakes the split-join fixture of Tests/InceptionONNXTests (committed; `swift test` needs no Python).

  python3 Tests/InceptionONNXTests/Fixtures/make_split_fixture.py      (torch, timm, onnx, onnxruntime, numpy)

Writes, next to this script:
  split_block.onnx        timm's own InceptionNeXt token mixer (`timm.models.inception_next.InceptionDWConv2d`,
                          branch ratio 1/8) on 40 channels: torch.split into (25, 5, 5, 5), the identity slice
                          straight to the Concat, depthwise 3x3, 1x11 and 11x1 on the others; between a
                          3x3 conv + ReLU stem and a 1x1 conv. Exported by torch.onnx.export (dynamo=False,
                          the exporter's default opset: Split with its sizes as an int64 input).
  split_block.json        params, buffers and MACs counted from the ONNX graph itself
                          (Benchmarks/onnx-import/onnx_graph_counts.py) and the output shape.
  input_split_block.npy, output_split_block.npy   a seeded input and onnxruntime's output on it.
"""
import json, os, sys, warnings
import numpy as np
import onnx
import onnxruntime as ort

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "..", "Benchmarks", "onnx-import"))
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


if __name__ == "__main__":
    main()
