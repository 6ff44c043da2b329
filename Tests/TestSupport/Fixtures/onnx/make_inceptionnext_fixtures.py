#!/usr/bin/env python3
"""Remakes the InceptionNeXt-layer fixtures of the ONNX tests (committed; `swift test` needs no
Python). Kept apart from make_fixtures.py so the two can be rerun on their own.

  python3 Tests/TestSupport/Fixtures/onnx/make_inceptionnext_fixtures.py   (torch, timm, onnx, onnxruntime, numpy)

Writes, next to this script:
  tiny_inceptionnext_erf.onnx   a tiny net built from timm's own InceptionNeXt parts (timm 1.0.x:
                                inception_next.ConvMlp with nn.GELU, MlpClassifierHead, layers.LayerNorm2d)
                                without the channel split: stem conv + BN (folded by the exporter), a
                                residual block  x + gamma * mlp(bn(dwconv(x)))  (gamma a [C] parameter
                                exported as a Mul by a [1, C, 1, 1] initializer), a LayerNorm2d (exported
                                as Transpose, LayerNormalization, Transpose) and the MLP head (global
                                pool, fc1, GELU, LayerNorm on the vector, fc2). torch.onnx.export,
                                dynamo=False, eval, opset 17: every GELU is the Erf chain
                                Div -> Erf -> Add -> Mul -> Mul.
  tiny_inceptionnext_gelu.onnx  the same module at opset 20, where the exporter writes the Gelu operator.
  bad_gelu_chain.onnx           onnx.helper by hand: the Erf chain with 2 where GELU adds 1, which must be
                                refused (never run as GELU).
  inceptionnext_fixtures.json   for each good model: params and buffers counted by torch
                                (sum(p.numel()), as timm reports them), params, buffers and MACs counted
                                from the ONNX graph itself (Benchmarks/onnx-import/onnx_graph_counts.py),
                                the output shape; input_<name>.npy and output_<name>.npy: onnxruntime's
                                output on a seeded input.
"""
import json, os, sys, warnings
import numpy as np
import onnx
import onnxruntime as ort
from onnx import TensorProto, helper

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "..", "..", "Benchmarks", "onnx-import"))
from onnx_graph_counts import graph_counts  # noqa: E402
warnings.filterwarnings("ignore")


def tiny_net():
    import torch, torch.nn as nn
    from timm.layers import LayerNorm2d
    from timm.models.inception_next import ConvMlp, MlpClassifierHead

    class Block(nn.Module):  # timm MetaNeXtBlock with a plain depthwise 3x3 as its token mixer
        def __init__(self, c):
            super().__init__()
            self.token_mixer = nn.Conv2d(c, c, 3, padding=1, groups=c)
            self.norm = nn.BatchNorm2d(c)
            self.mlp = ConvMlp(c, 2 * c, act_layer=nn.GELU)
            self.gamma = nn.Parameter(torch.rand(c) + 0.5)

        def forward(self, x):
            shortcut = x
            x = self.mlp(self.norm(self.token_mixer(x)))
            return x.mul(self.gamma.reshape(1, -1, 1, 1)) + shortcut

    class Tiny(nn.Module):
        def __init__(self):
            super().__init__()
            self.stem = nn.Sequential(nn.Conv2d(3, 8, 2, stride=2), nn.BatchNorm2d(8))
            self.block = Block(8)
            self.norm = LayerNorm2d(8)
            self.head = MlpClassifierHead(8, num_classes=5, mlp_ratio=3)

        def forward(self, x):
            return self.head(self.norm(self.block(self.stem(x))))

    torch.manual_seed(0)
    m = Tiny().eval()
    g = torch.Generator().manual_seed(1)
    with torch.no_grad():
        for mod in m.modules():
            if isinstance(mod, nn.BatchNorm2d):
                mod.running_mean.copy_(torch.randn(mod.num_features, generator=g) * 0.1)
                mod.running_var.copy_(torch.rand(mod.num_features, generator=g) + 0.5)
                mod.weight.copy_(torch.rand(mod.num_features, generator=g) + 0.5)
            if isinstance(mod, nn.LayerNorm):  # LayerNorm2d too: γ, β away from 1, 0 so they must be used
                mod.weight.copy_(torch.rand(mod.normalized_shape, generator=g) + 0.5)
                mod.bias.copy_(torch.randn(mod.normalized_shape, generator=g) * 0.1)
    return m


def bad_gelu_chain():
    x = helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 4, 3, 3])
    y = helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, 4, 3, 3])
    consts = [helper.make_tensor("sqrt2", TensorProto.FLOAT, [], [2 ** 0.5]),
              helper.make_tensor("two", TensorProto.FLOAT, [], [2.0]),
              helper.make_tensor("half", TensorProto.FLOAT, [], [0.5])]
    nodes = [helper.make_node("Div", ["x", "sqrt2"], ["d"], name="act/Div"),
             helper.make_node("Erf", ["d"], ["e"], name="act/Erf"),
             helper.make_node("Add", ["e", "two"], ["a"], name="act/Add"),
             helper.make_node("Mul", ["x", "a"], ["m"], name="act/Mul"),
             helper.make_node("Mul", ["m", "half"], ["y"], name="act/Mul_1")]
    g = helper.make_graph(nodes, "bad_gelu_chain", [x], [y], consts)
    return helper.make_model(g, opset_imports=[helper.make_opsetid("", 17)], ir_version=8)


def main():
    import torch
    m = tiny_net()
    params = sum(p.numel() for p in m.parameters())
    buffers = sum(b.numel() for n, b in m.named_buffers() if "num_batches_tracked" not in n)
    x = np.random.default_rng(0).standard_normal((1, 3, 16, 16)).astype(np.float32)
    facts = {}
    for name, opset in (("tiny_inceptionnext_erf", 17), ("tiny_inceptionnext_gelu", 20)):
        path = os.path.join(HERE, name + ".onnx")
        torch.onnx.export(m, (torch.from_numpy(x),), path, dynamo=False, opset_version=opset)
        ops = [n.op_type for n in onnx.load(path).graph.node]
        assert ("Erf" in ops) == (opset == 17) and ("Gelu" in ops) == (opset == 20), ops
        assert "LayerNormalization" in ops and "Transpose" in ops, ops
        sess = ort.InferenceSession(path, providers=["CPUExecutionProvider"])
        y = sess.run(None, {sess.get_inputs()[0].name: x})[0]
        with torch.no_grad():
            assert np.abs(m(torch.from_numpy(x)).numpy() - y).max() <= 1e-5 * max(1, np.abs(y).max())
        np.save(os.path.join(HERE, f"input_{name}.npy"), x)
        np.save(os.path.join(HERE, f"output_{name}.npy"), y)
        gp, gb, gm = graph_counts(path)
        facts[name] = {"torch_params": params, "torch_buffers": buffers, "params": gp, "buffers": gb, "macs": gm,
                       "output": list(y.shape)}
        print(name, facts[name])
    onnx.save(bad_gelu_chain(), os.path.join(HERE, "bad_gelu_chain.onnx"))
    with open(os.path.join(HERE, "inceptionnext_fixtures.json"), "w") as f:
        json.dump(facts, f, indent=2, sort_keys=True)
        f.write("\n")


if __name__ == "__main__":
    main()
