#!/usr/bin/env python3
"""Remakes the ONNX fixtures of Tests/InceptionONNXTests (committed; `swift test` needs no Python).

  python3 Tests/TestSupport/Fixtures/onnx/make_fixtures.py      (torch, torchvision, onnx, onnxruntime, numpy)

Writes, next to this script:
  tiny_inception_bn.onnx      a width-reduced torchvision-structured net (torch.onnx.export, dynamo=False,
                              BatchNormalization kept: do_constant_folding=False, training=PRESERVE,
                              dynamic batch): torchvision's own googlenet `Inception` block, an
                              Inception-v3 reduction block (a lone max-pool branch) and an InceptionE
                              block (torch.cat of torch.cats, which the exporter flattens into one
                              6-input Concat), the 1x1 convs' equal batchnorm initialisations
                              deduplicated by the exporter behind Identity nodes.
  tiny_inception_folded.onnx  the same net in eval mode, BN folded by the exporter, with a
                              ZeroPad2d in front of the stem max-pool (a Pad node that folds).
  helper_mix.onnx             onnx.helper by hand, IR 3 style (initializers also listed as graph inputs):
                              Pad → Conv, auto_pad SAME_UPPER, LRN, AveragePool count_include_pad 0,
                              MatMul + Add + Relu, Gemm (transB 0), Softmax.
  helper_nested.onnx          Inception-v3 figure 7 with the inner Concat kept as its own node.
  external.onnx (+ external.onnx.data)  a conv and a Gemm whose weights live in a file beside it.
  bad_*.onnx                  models the importer must refuse with a one-line message.
  fixtures.json               for every good model: params, buffers and MACs counted from the ONNX
                              graph itself (per node: conv weight + bias, Gemm/MatMul weight + bias,
                              2 trainable + 2 buffers per BatchNormalization channel; MACs conv and
                              linear only), and onnxruntime's output on a seeded input (input_*.npy,
                              output_*.npy). Other entries (make_embedding_fixtures.py's) are kept.
"""
import json, os, sys, warnings
import numpy as np
import onnx
import onnxruntime as ort
from onnx import TensorProto, helper, numpy_helper, shape_inference

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "..", "..", "Benchmarks", "onnx-import"))
from onnx_graph_counts import graph_counts  # noqa: E402  (shared with the benchmark)
warnings.filterwarnings("ignore")


def tiny_net(pad_before_pool):
    import torch, torch.nn as nn, torch.nn.functional as F
    from torchvision.models.googlenet import Inception
    from torchvision.models.inception import BasicConv2d as Conv  # conv (no bias) + BN(eps 0.001) + relu

    class TinyB(nn.Module):  # torchvision InceptionB's structure, widths / 16
        def __init__(self, cin):
            super().__init__()
            self.branch3x3 = Conv(cin, 24, kernel_size=3, stride=2)
            self.branch3x3dbl_1 = Conv(cin, 4, kernel_size=1)
            self.branch3x3dbl_2 = Conv(4, 6, kernel_size=3, padding=1)
            self.branch3x3dbl_3 = Conv(6, 6, kernel_size=3, stride=2)

        def forward(self, x):
            b = self.branch3x3dbl_3(self.branch3x3dbl_2(self.branch3x3dbl_1(x)))
            return torch.cat([self.branch3x3(x), b, F.max_pool2d(x, kernel_size=3, stride=2)], 1)

    class TinyE(nn.Module):  # torchvision InceptionE's structure, widths / 16
        def __init__(self, cin):
            super().__init__()
            self.branch1x1 = Conv(cin, 20, kernel_size=1)
            self.branch3x3_1 = Conv(cin, 24, kernel_size=1)
            self.branch3x3_2a = Conv(24, 24, kernel_size=(1, 3), padding=(0, 1))
            self.branch3x3_2b = Conv(24, 24, kernel_size=(3, 1), padding=(1, 0))
            self.branch3x3dbl_1 = Conv(cin, 28, kernel_size=1)
            self.branch3x3dbl_2 = Conv(28, 24, kernel_size=3, padding=1)
            self.branch3x3dbl_3a = Conv(24, 24, kernel_size=(1, 3), padding=(0, 1))
            self.branch3x3dbl_3b = Conv(24, 24, kernel_size=(3, 1), padding=(1, 0))
            self.branch_pool = Conv(cin, 12, kernel_size=1)

        def forward(self, x):
            a = self.branch3x3_1(x)
            a = torch.cat([self.branch3x3_2a(a), self.branch3x3_2b(a)], 1)
            d = self.branch3x3dbl_2(self.branch3x3dbl_1(x))
            d = torch.cat([self.branch3x3dbl_3a(d), self.branch3x3dbl_3b(d)], 1)
            p = self.branch_pool(F.avg_pool2d(x, kernel_size=3, stride=1, padding=1))
            return torch.cat([self.branch1x1(x), a, d, p], 1)

    class Tiny(nn.Module):
        def __init__(self):
            super().__init__()
            self.stem = Conv(3, 16, kernel_size=3, stride=2)
            self.pad = nn.ZeroPad2d(1) if pad_before_pool else nn.Identity()
            self.maxpool1 = nn.MaxPool2d(3, stride=2, ceil_mode=True)
            self.inception3a = Inception(16, 8, 8, 12, 4, 6, 6, conv_block=None)
            self.Mixed_6a = TinyB(32)
            self.Mixed_7b = TinyE(32 + 24 + 6)
            self.avgpool = nn.AdaptiveAvgPool2d((1, 1))
            self.dropout = nn.Dropout(0.2)
            self.fc = nn.Linear(128, 10)

        def forward(self, x):
            x = self.maxpool1(self.pad(self.stem(x)))
            x = self.Mixed_7b(self.Mixed_6a(self.inception3a(x)))
            return self.fc(self.dropout(torch.flatten(self.avgpool(x), 1)))

    torch.manual_seed(0)
    m = Tiny().eval()
    g = torch.Generator().manual_seed(1)
    for name, mod in m.named_modules():
        # Randomise the statistics of most batchnorms; leave the 1x1 convs of Mixed_7b at their
        # initial (equal) values so the exporter deduplicates them behind Identity nodes.
        if isinstance(mod, nn.BatchNorm2d) and not (name.startswith("Mixed_7b") and "_1." in name + "."):
            with torch.no_grad():
                mod.running_mean.copy_(torch.randn(mod.num_features, generator=g) * 0.1)
                mod.running_var.copy_(torch.rand(mod.num_features, generator=g) + 0.5)
                mod.weight.copy_(torch.rand(mod.num_features, generator=g) + 0.5)
                mod.bias.copy_(torch.randn(mod.num_features, generator=g) * 0.1)
    return m


def export_tiny():
    import torch
    x = torch.randn(1, 3, 32, 32)
    torch.onnx.export(tiny_net(False), x, os.path.join(HERE, "tiny_inception_bn.onnx"), dynamo=False,
                      do_constant_folding=False, training=torch.onnx.TrainingMode.PRESERVE,
                      input_names=["x"], output_names=["logits"], dynamic_axes={"x": {0: "batch_size"}})
    path = os.path.join(HERE, "tiny_inception_folded.onnx")
    torch.onnx.export(tiny_net(True), x, path, dynamo=False)
    # The exporter computes ZeroPad2d's pads with a chain of shape ops (ConstantOfShape, Concat,
    # Slice, ...) that the importer does not evaluate; give the Pad its pads as one initializer, as
    # tf2onnx and constant-folding tools write it, and drop the chain.
    m = onnx.load(path)
    pad = next(n for n in m.graph.node if n.op_type == "Pad")
    m.graph.initializer.append(numpy_helper.from_array(np.array([0, 0, 1, 1, 0, 0, 1, 1], dtype=np.int64), "pad.pads"))
    del pad.input[1:]
    pad.input.append("pad.pads")
    prune(m)
    onnx.save(m, path)


def prune(m):
    """Removes nodes nothing downstream of the graph outputs reads."""
    needed = {o.name for o in m.graph.output}
    keep = []
    for n in reversed(m.graph.node):
        if any(o in needed for o in n.output):
            keep.append(n)
            needed.update(n.input)
    del m.graph.node[:]
    m.graph.node.extend(reversed(keep))


def init(name, arr):
    return numpy_helper.from_array(np.asarray(arr, dtype=np.float32), name)


def weights(rng, *shape):
    return (rng.standard_normal(shape) * (2.0 / np.prod(shape[1:])) ** 0.5).astype(np.float32)


def helper_mix():
    rng = np.random.default_rng(3)
    ints = lambda name, v: numpy_helper.from_array(np.asarray(v, dtype=np.int64), name)
    inits = [init("c1.w", weights(rng, 8, 3, 5, 5)), init("c1.b", rng.standard_normal(8) * 0.1),
             ints("pad.pads", [0, 0, 2, 2, 0, 0, 2, 2]),
             init("c2.w", weights(rng, 8, 8, 3, 3)), init("c2.b", rng.standard_normal(8) * 0.1),
             init("fc1.w", weights(rng, 8 * 4 * 4, 16)), init("fc1.b", rng.standard_normal(16) * 0.1),
             init("fc2.w", weights(rng, 16, 5)), init("fc2.b", rng.standard_normal(5) * 0.1)]
    nodes = [
        helper.make_node("Pad", ["x", "pad.pads"], ["p"], name="pad1", mode="constant"),
        helper.make_node("Conv", ["p", "c1.w", "c1.b"], ["c1"], name="conv1", strides=[2, 2]),
        helper.make_node("Relu", ["c1"], ["r1"], name="relu1"),
        helper.make_node("LRN", ["r1"], ["n1"], name="norm1", size=5, alpha=1e-4, beta=0.75, bias=2.0),
        helper.make_node("Conv", ["n1", "c2.w", "c2.b"], ["c2"], name="conv2", auto_pad="SAME_UPPER"),
        helper.make_node("Relu", ["c2"], ["r2"], name="relu2"),
        helper.make_node("AveragePool", ["r2"], ["a"], name="pool2", kernel_shape=[3, 3], strides=[2, 2],
                         pads=[1, 1, 1, 1], count_include_pad=0),
        helper.make_node("Flatten", ["a"], ["f"], name="flatten", axis=1),
        helper.make_node("MatMul", ["f", "fc1.w"], ["m1"], name="fc1"),
        helper.make_node("Add", ["m1", "fc1.b"], ["m1b"], name="fc1_bias"),
        helper.make_node("Relu", ["m1b"], ["h"], name="fc1_relu"),
        helper.make_node("Gemm", ["h", "fc2.w", "fc2.b"], ["logits"], name="fc2", transB=0),
        helper.make_node("Softmax", ["logits"], ["prob"], name="prob", axis=1),
    ]
    x = helper.make_tensor_value_info("x", TensorProto.FLOAT, ["N", 3, 16, 16])
    y = helper.make_tensor_value_info("prob", TensorProto.FLOAT, ["N", 5])
    # IR 3: every initializer is also a graph input.
    ins = [x] + [helper.make_tensor_value_info(t.name, t.data_type, list(t.dims)) for t in inits]
    g = helper.make_graph(nodes, "helper_mix", ins, [y], initializer=inits)
    m = helper.make_model(g, opset_imports=[helper.make_opsetid("", 11)], producer_name="onnx.helper")
    m.ir_version = 3
    onnx.save(m, os.path.join(HERE, "helper_mix.onnx"))


def external():
    rng = np.random.default_rng(4)
    inits = [init("conv.w", weights(rng, 4, 3, 3, 3)), init("fc.w", weights(rng, 6, 4 * 6 * 6)),
             init("fc.b", rng.standard_normal(6) * 0.1)]
    nodes = [helper.make_node("Conv", ["x", "conv.w"], ["c"], name="/conv/Conv", pads=[1, 1, 1, 1]),
             helper.make_node("Relu", ["c"], ["r"], name="/relu/Relu"),
             helper.make_node("MaxPool", ["r"], ["p"], name="/pool/MaxPool", kernel_shape=[2, 2], strides=[2, 2]),
             helper.make_node("Flatten", ["p"], ["f"], name="/Flatten"),
             helper.make_node("Gemm", ["f", "fc.w", "fc.b"], ["y"], name="/fc/Gemm", transB=1)]
    g = helper.make_graph(nodes, "external", [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 3, 12, 12])],
                          [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, 6])], initializer=inits)
    m = helper.make_model(g, opset_imports=[helper.make_opsetid("", 13)])
    data = os.path.join(HERE, "external.onnx.data")
    if os.path.exists(data):
        os.remove(data)  # onnx refuses to write over it
    onnx.save(m, os.path.join(HERE, "external.onnx"), save_as_external_data=True, all_tensors_to_one_file=True,
              location="external.onnx.data", size_threshold=0)


def helper_nested():
    """Inception-v3 figure 7 with the inner torch.cat kept as its own Concat node (not flattened)."""
    rng = np.random.default_rng(6)
    inits = [init("s.w", weights(rng, 6, 4, 1, 1)), init("s.b", rng.standard_normal(6) * 0.1),
             init("a.w", weights(rng, 5, 6, 1, 3)), init("b.w", weights(rng, 5, 6, 3, 1)),
             init("t.w", weights(rng, 3, 4, 1, 1))]
    nodes = [helper.make_node("Conv", ["x", "s.w", "s.b"], ["s"], name="/Mixed/branch3x3_1/conv/Conv"),
             helper.make_node("Relu", ["s"], ["sr"], name="/Mixed/branch3x3_1/Relu"),
             helper.make_node("Conv", ["sr", "a.w"], ["a"], name="/Mixed/branch3x3_2a/conv/Conv", pads=[0, 1, 0, 1]),
             helper.make_node("Conv", ["sr", "b.w"], ["b"], name="/Mixed/branch3x3_2b/conv/Conv", pads=[1, 0, 1, 0]),
             helper.make_node("Concat", ["a", "b"], ["ab"], name="/Mixed/Concat_inner", axis=1),
             helper.make_node("Conv", ["x", "t.w"], ["t"], name="/Mixed/branch1x1/conv/Conv"),
             helper.make_node("Concat", ["t", "ab"], ["y"], name="/Mixed/Concat", axis=1)]
    g = helper.make_graph(nodes, "helper_nested", [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 4, 6, 6])],
                          [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, 13, 6, 6])], initializer=inits)
    onnx.save(helper.make_model(g, opset_imports=[helper.make_opsetid("", 13)]), os.path.join(HERE, "helper_nested.onnx"))


def bad_models():
    rng = np.random.default_rng(5)
    x = helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 4, 8, 8])

    def save(name, nodes, inits, out="y", shape=None):
        y = helper.make_tensor_value_info(out, TensorProto.FLOAT, shape)
        g = helper.make_graph(nodes, name, [x], [y], initializer=inits)
        onnx.save(helper.make_model(g, opset_imports=[helper.make_opsetid("", 13)]), os.path.join(HERE, name + ".onnx"))

    w = lambda n, o=4, k=1: init(n, weights(rng, o, 4, k, k))
    # A squeeze-and-excitation style gate: the first node that does not map is the Sigmoid.
    save("bad_sigmoid", [helper.make_node("Conv", ["x", "w"], ["c"], name="conv"),
                         helper.make_node("Sigmoid", ["c"], ["s"], name="gate7"),
                         helper.make_node("Mul", ["c", "s"], ["y"], name="scale")], [w("w")])
    save("bad_asym_pads", [helper.make_node("Conv", ["x", "w"], ["y"], name="conv_asym", pads=[0, 0, 1, 1])], [w("w", k=2)])
    save("bad_concat_axis", [helper.make_node("Conv", ["x", "a"], ["ca"], name="a"),
                             helper.make_node("Conv", ["x", "b"], ["cb"], name="b"),
                             helper.make_node("Concat", ["ca", "cb"], ["y"], name="join_h", axis=2)], [w("a"), w("b")])
    # Inputs 0 and 2 both read "s" (the output of conv s) with input 1 between them.
    save("bad_nonadjacent", [helper.make_node("Conv", ["x", "s.w"], ["s"], name="s"),
                             helper.make_node("Conv", ["s", "a"], ["ca"], name="a"),
                             helper.make_node("Conv", ["x", "b"], ["cb"], name="b"),
                             helper.make_node("Conv", ["s", "c"], ["cc"], name="c"),
                             helper.make_node("Concat", ["ca", "cb", "cc"], ["y"], name="join", axis=1)],
         [w("s.w"), init("a", weights(rng, 4, 4, 1, 1)), w("b"), init("c", weights(rng, 4, 4, 1, 1))])
    # The weight reads 3 channels; the input has 4.
    save("bad_shapes", [helper.make_node("Conv", ["x", "w3"], ["y"], name="conv_in3")],
         [init("w3", weights(rng, 4, 3, 1, 1))])
    # SAME_UPPER with a 2x2 kernel pads 1 in total: one side only.
    save("bad_same_upper", [helper.make_node("Conv", ["x", "w"], ["y"], name="conv_same", auto_pad="SAME_UPPER")],
         [w("w", k=2)])
    save("bad_residual", [helper.make_node("Conv", ["x", "w"], ["c"], name="conv"),
                          helper.make_node("Add", ["x", "c"], ["y"], name="residual")], [w("w")])


def main():
    export_tiny(); helper_mix(); helper_nested(); external(); bad_models()
    # fixtures.json also holds make_embedding_fixtures.py's entries (tiny_embedding, tiny_logits):
    # keep them, so this script rerun on its own does not drop the facts those tests read.
    facts_path = os.path.join(HERE, "fixtures.json")
    facts = {}
    if os.path.exists(facts_path):
        with open(facts_path) as f:
            facts = json.load(f)
    rng = np.random.default_rng(0)
    for name in ["tiny_inception_bn", "tiny_inception_folded", "helper_mix", "helper_nested", "external"]:
        path = os.path.join(HERE, name + ".onnx")
        sess = ort.InferenceSession(path, providers=["CPUExecutionProvider"])
        inp = sess.get_inputs()[0]
        shape = [d if isinstance(d, int) else 1 for d in inp.shape]
        x = rng.standard_normal(shape).astype(np.float32)
        y = sess.run(None, {inp.name: x})[0]
        np.save(os.path.join(HERE, f"input_{name}.npy"), x)
        np.save(os.path.join(HERE, f"output_{name}.npy"), y.astype(np.float32))
        p, b, m = graph_counts(path)
        facts[name] = {"params": p, "buffers": b, "macs": m, "output": list(y.shape)}
    with open(facts_path, "w") as f:
        json.dump(facts, f, indent=2, sort_keys=True)
        f.write("\n")
    print(json.dumps(facts, indent=1))


if __name__ == "__main__":
    main()
