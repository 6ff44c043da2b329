#!/usr/bin/env python3
"""Writes Layouts/inception-v4.json, bn-inception.json, inception-resnet-v2.json and xception.json from
the reference torch modules.

The block structure (which branch feeds which, where the concats are) is written out here as the
sources' forward() methods have it; every conv's widths, kernel, stride and pad, and every pool's
settings, are read from the instantiated module, so a number cannot be mistyped. The script then
checks that the layout's parameter count equals torch's sum(p.numel()).

Needs torch, timm and pretrainedmodels (`pip install --no-deps pretrainedmodels munch six`); used to
regenerate the files only, never by `swift test`. Afterwards, canonicalise each file through the
tool and re-embed:

    swift run inception-explorer export Layouts/X.json -o /tmp/X.json && mv /tmp/X.json Layouts/X.json
    scripts/embed-layouts.sh

`make_family_layouts.py xception.json` writes that file only.
"""
import json
import sys
from pathlib import Path

import torch.nn as nn

ROOT = Path(__file__).resolve().parents[2]


def pair(v):
    if isinstance(v, (tuple, list)):
        return v[0] if v[0] == v[1] else [v[0], v[1]]
    return v


def conv_layer(conv: nn.Conv2d, batchnorm: bool):
    assert conv.dilation == (1, 1)
    layer = {"op": "conv", "out": conv.out_channels, "kernel": pair(conv.kernel_size)}
    if conv.stride != (1, 1):
        layer["stride"] = pair(conv.stride)
    if conv.padding != (0, 0):
        layer["pad"] = pair(conv.padding)
    if conv.groups != 1:
        layer["groups"] = conv.groups
    if conv.bias is None:
        layer["bias"] = False
    if batchnorm:
        layer["batchnorm"] = True
    return layer


def pool_layer(p):
    op = "maxpool" if isinstance(p, nn.MaxPool2d) else "avgpool"
    layer = {"op": op, "kernel": pair(p.kernel_size), "stride": pair(p.stride)}
    if pair(p.padding) != 0:
        layer["pad"] = pair(p.padding)
    if p.ceil_mode:
        layer["ceil"] = True
    if op == "avgpool" and not p.count_include_pad:
        layer["count_pad"] = False
    return layer


def named(name, layer):
    return {"name": name, **layer}


def block(name, branches):
    return {"name": name, "op": "inception",
            "branches": [{"name": n, "layers": ls} for n, ls in branches]}


def nested(branches):
    return {"op": "inception", "branches": [{"name": n, "layers": ls} for n, ls in branches]}


# ---------------------------------------------------------------- Inception-v4 (timm)

def cna(m):
    """timm ConvNormAct: conv (no bias) -> BatchNorm2d -> ReLU."""
    assert isinstance(m.bn, nn.BatchNorm2d), m
    return conv_layer(m.conv, batchnorm=True)


def seq(m):
    if isinstance(m, nn.Sequential):
        return [seq_item(x) for x in m]
    return [seq_item(m)]


def seq_item(m):
    if isinstance(m, (nn.MaxPool2d, nn.AvgPool2d)):
        return pool_layer(m)
    return cna(m)


def inception_v4():
    import timm
    model = timm.create_model("inception_v4", pretrained=False)
    f = model.features
    # TF-slim's scope names (timm's comments call features[10] Mixed6a and features[18] Mixed7a).
    names = ["Conv2d_1a_3x3", "Conv2d_2a_3x3", "Conv2d_2b_3x3", "Mixed_3a", "Mixed_4a", "Mixed_5a",
             "Mixed_5b", "Mixed_5c", "Mixed_5d", "Mixed_5e", "Mixed_6a",
             "Mixed_6b", "Mixed_6c", "Mixed_6d", "Mixed_6e", "Mixed_6f", "Mixed_6g", "Mixed_6h", "Mixed_7a",
             "Mixed_7b", "Mixed_7c", "Mixed_7d"]
    assert len(names) == len(f)
    layers = [named(names[i], cna(f[i])) for i in range(3)]
    for i in range(3, len(f)):
        m, n = f[i], names[i]
        kind = type(m).__name__
        if kind == "Mixed3a":
            layers.append(block(n, [("maxpool", seq(m.maxpool)), ("conv", seq(m.conv))]))
        elif kind == "Mixed4a":
            layers.append(block(n, [("branch0", seq(m.branch0)), ("branch1", seq(m.branch1))]))
        elif kind == "Mixed5a":
            layers.append(block(n, [("conv", seq(m.conv)), ("maxpool", seq(m.maxpool))]))
        elif kind in ("InceptionA", "InceptionB"):
            layers.append(block(n, [(b, seq(getattr(m, b))) for b in ("branch0", "branch1", "branch2", "branch3")]))
        elif kind in ("ReductionA", "ReductionB"):
            layers.append(block(n, [(b, seq(getattr(m, b))) for b in ("branch0", "branch1", "branch2")]))
        elif kind == "InceptionC":
            layers.append(block(n, [
                ("branch0", seq(m.branch0)),
                ("branch1", [cna(m.branch1_0), nested([("branch1_1a", seq(m.branch1_1a)),
                                                       ("branch1_1b", seq(m.branch1_1b))])]),
                ("branch2", [cna(m.branch2_0), cna(m.branch2_1), cna(m.branch2_2),
                             nested([("branch2_3a", seq(m.branch2_3a)), ("branch2_3b", seq(m.branch2_3b))])]),
                ("branch3", seq(m.branch3)),
            ]))
        else:
            raise SystemExit(f"unexpected block {kind}")
    assert isinstance(model.global_pool.pool, nn.AdaptiveAvgPool2d)
    layers += [
        {"name": "global_pool", "op": "globalavgpool"},
        # The paper's figure 9: dropout (keep 0.8) before the classifier; timm's head_drop defaults to 0.
        {"name": "dropout", "op": "dropout", "rate": 0.2},
        {"name": "last_linear", "op": "linear", "out": model.last_linear.out_features},
        {"name": "prob", "op": "softmax"},
    ]
    params = sum(p.numel() for p in model.parameters())
    return model, params, {
        "format": "inception-layout/1",
        "name": "Inception-v4",
        "description": (
            "Inception-v4 (Szegedy, Ioffe, Vanhoucke, Alemi 2016, Inception-v4, Inception-ResNet and the "
            "Impact of Residual Connections on Learning, figures 3-9) with the structure of timm's "
            "inception_v4 (timm/models/inception_v4.py, from Cadene's port of the TF-slim weights): every conv "
            "without bias, batchnorm then ReLU; blocks named by their TF-slim scopes (features[3..21] = "
            f"Mixed_3a..Mixed_7d), branches by timm's attributes; {params:,} parameters as torch counts them"),
        "input": {"channels": 3, "height": 299, "width": 299},
        "layers": layers,
    }


# ---------------------------------------------------------------- BN-Inception (pretrainedmodels)

def bninception():
    import pretrainedmodels
    model = pretrainedmodels.bninception(num_classes=1000, pretrained=None)

    def c(name):
        assert isinstance(getattr(model, name + "_bn"), nn.BatchNorm2d)
        return conv_layer(getattr(model, name), batchnorm=True)

    def p(name):
        return pool_layer(getattr(model, name))

    layers = [
        named("conv1_7x7_s2", c("conv1_7x7_s2")),
        named("pool1_3x3_s2", p("pool1_3x3_s2")),
        named("conv2_3x3_reduce", c("conv2_3x3_reduce")),
        named("conv2_3x3", c("conv2_3x3")),
        named("pool2_3x3_s2", p("pool2_3x3_s2")),
    ]
    for b in ("3a", "3b", "3c", "4a", "4b", "4c", "4d", "4e", "5a", "5b"):
        s = f"inception_{b}_"
        branches = []
        if hasattr(model, s + "1x1"):
            branches.append(("1x1", [c(s + "1x1")]))
        branches.append(("3x3", [c(s + "3x3_reduce"), c(s + "3x3")]))
        branches.append(("double_3x3", [c(s + "double_3x3_reduce"), c(s + "double_3x3_1"), c(s + "double_3x3_2")]))
        if hasattr(model, s + "pool_proj"):
            branches.append(("pool_proj", [p(s + "pool"), c(s + "pool_proj")]))
        else:
            branches.append(("pool", [p(s + "pool")]))
        layers.append(block(f"inception_{b}", branches))
    layers += [
        named("global_pool", p("global_pool")),
        {"name": "last_linear", "op": "linear", "out": model.last_linear.out_features},
        {"name": "prob", "op": "softmax"},
    ]
    params = sum(q.numel() for q in model.parameters())
    return model, params, {
        "format": "inception-layout/1",
        "name": "BN-Inception",
        "description": (
            "BN-Inception (Ioffe and Szegedy 2015, Batch Normalization: Accelerating Deep Network Training by "
            "Reducing Internal Covariate Shift, section 4.2 and its figure 5 network) with the structure and "
            "names of Cadene's pretrainedmodels bninception (pretrainedmodels/models/bninception.py, the "
            "Caffe port): every conv with bias, then batchnorm, then ReLU; pools in ceil mode as in Caffe; "
            "the double 3x3 in place of GoogLeNet's 5x5; 3c and 4e are stride-2 reductions with a max pool "
            f"branch and no 1x1; 5b pools with max; {params:,} parameters as torch counts them"),
        "input": {"channels": 3, "height": 224, "width": 224},
        "layers": layers,
    }


# ---------------------------------------------------------------- Inception-ResNet-v2 (timm)

def residual_block(name, m, branch_names, scale, relu):
    """timm Block35 / Block17 / Block8: concat(branches) -> 1x1 conv (bias, no batchnorm, no
    activation) -> out * scale + x -> ReLU (none in the last Block8)."""
    conv = conv_layer(m.conv2d, batchnorm=False)
    conv["activation"] = "none"
    layer = {"name": name, "op": "inception", "join": "sum"}
    if relu:
        layer["activation"] = "relu"
    residual = {"name": "residual", "layers": [
        nested([(b, seq(getattr(m, b))) for b in branch_names]), conv]}
    if scale != 1:
        residual["scale"] = scale
    layer["branches"] = [{"name": "shortcut", "layers": []}, residual]
    return layer


def inception_resnet_v2():
    import timm
    model = timm.create_model("inception_resnet_v2", pretrained=False)
    m = model
    layers = [named(n, cna(getattr(m, n))) for n in ("conv2d_1a", "conv2d_2a", "conv2d_2b")]
    layers.append(named("maxpool_3a", pool_layer(m.maxpool_3a)))
    layers += [named(n, cna(getattr(m, n))) for n in ("conv2d_3b", "conv2d_4a")]
    layers.append(named("maxpool_5a", pool_layer(m.maxpool_5a)))
    layers.append(block("mixed_5b", [(b, seq(getattr(m.mixed_5b, b))) for b in ("branch0", "branch1", "branch2", "branch3")]))
    for i, b in enumerate(m.repeat):
        layers.append(residual_block(f"block35_{i + 1}", b, ("branch0", "branch1", "branch2"), b.scale, True))
    layers.append(block("mixed_6a", [(b, seq(getattr(m.mixed_6a, b))) for b in ("branch0", "branch1", "branch2")]))
    for i, b in enumerate(m.repeat_1):
        layers.append(residual_block(f"block17_{i + 1}", b, ("branch0", "branch1"), b.scale, True))
    layers.append(block("mixed_7a", [(b, seq(getattr(m.mixed_7a, b))) for b in ("branch0", "branch1", "branch2", "branch3")]))
    for i, b in enumerate(m.repeat_2):
        layers.append(residual_block(f"block8_{i + 1}", b, ("branch0", "branch1"), b.scale, b.relu is not None))
    layers.append(residual_block("block8", m.block8, ("branch0", "branch1"), m.block8.scale, m.block8.relu is not None))
    layers.append(named("conv2d_7b", cna(m.conv2d_7b)))
    assert isinstance(model.global_pool.pool, nn.AdaptiveAvgPool2d)
    layers += [
        {"name": "global_pool", "op": "globalavgpool"},
        # The paper's figure 15: dropout (keep 0.8) before the classifier; timm's drop_rate defaults to 0.
        {"name": "dropout", "op": "dropout", "rate": 0.2},
        {"name": "classif", "op": "linear", "out": model.classif.out_features},
        {"name": "prob", "op": "softmax"},
    ]
    counts = (len(m.repeat), len(m.repeat_1), len(m.repeat_2) + 1)
    params = sum(p.numel() for p in model.parameters())
    return model, params, {
        "format": "inception-layout/1",
        "name": "Inception-ResNet-v2",
        "description": (
            "Inception-ResNet-v2 (Szegedy, Ioffe, Vanhoucke, Alemi 2016, Inception-v4, Inception-ResNet and "
            "the Impact of Residual Connections on Learning, figures 3 and 15-19) with the structure and names "
            "of timm's inception_resnet_v2 (timm/models/inception_resnet_v2.py, the released TF-slim weights): "
            f"{counts[0]}/{counts[1]}/{counts[2]} residual blocks of widths 320/1088/2080 (the paper's figure 15 "
            "says 5/10/5), each concat -> 1x1 conv with bias and no activation, scaled by 0.17/0.10/0.20 and "
            "added to its input, then ReLU; the last block (block8) has scale 1 and no ReLU; other convs "
            f"without bias, batchnorm then ReLU; {params:,} parameters as torch counts them"),
        "input": {"channels": 3, "height": 299, "width": 299},
        "layers": layers,
    }


# ---------------------------------------------------------------- Xception (timm legacy_xception)

def separable(m, bn, relu):
    """timm SeparableConv2d: a depthwise conv (groups = in channels, no bias, nothing after it), then a
    1x1 pointwise conv (no bias); the BatchNorm2d that follows it in the block belongs to the pointwise
    conv, and so does a ReLU right after that batchnorm."""
    assert m.conv1.groups == m.conv1.in_channels == m.conv1.out_channels
    dw = conv_layer(m.conv1, batchnorm=False)
    dw["activation"] = "none"
    pw = conv_layer(m.pointwise, batchnorm=bn is not None)
    if bn is not None:
        assert isinstance(bn, nn.BatchNorm2d) and bn.num_features == m.pointwise.out_channels
    if not relu:
        pw["activation"] = "none"
    return [dw, pw]


def xception_rep(rep):
    """A Block's rep: [ReLU] → SepConv → BN, repeated, then a MaxPool in stride-2 blocks. The ReLU that
    opens the branch is a standalone relu (pre-activation: the shortcut sees the block's input before
    it); a ReLU after a batchnorm is that pointwise conv's activation."""
    items = list(rep)
    layers = []
    i = 0
    while i < len(items):
        m = items[i]
        if isinstance(m, nn.ReLU):
            assert i == 0, "a ReLU inside the branch follows a batchnorm"
            layers.append({"op": "relu"})
            i += 1
        elif type(m).__name__ == "SeparableConv2d":
            bn = items[i + 1]
            relu = i + 2 < len(items) and isinstance(items[i + 2], nn.ReLU)
            layers += separable(m, bn, relu)
            i += 3 if relu else 2
        elif isinstance(m, nn.MaxPool2d):
            layers.append(pool_layer(m))
            i += 1
        else:
            raise SystemExit(f"unexpected layer {type(m).__name__} in a Block's rep")
    return layers


def xception():
    import timm
    model = timm.create_model("legacy_xception", pretrained=False)
    m = model
    layers = [named("conv1", conv_layer(m.conv1, batchnorm=True)),
              named("conv2", conv_layer(m.conv2, batchnorm=True))]
    for i in range(1, 13):
        b = getattr(m, f"block{i}")
        skip = [] if b.skip is None else [
            {**conv_layer(b.skip, batchnorm=True), "activation": "none"}]
        # Block.forward: x = rep(inp); x += skip (the 1x1 conv + BN, or inp itself); no ReLU after it.
        layers.append({"name": f"block{i}", "op": "inception", "join": "sum", "branches": [
            {"name": "rep", "layers": xception_rep(b.rep)},
            {"name": "skip", "layers": skip}]})
    for n in ("conv3", "conv4"):
        for j, layer in enumerate(separable(getattr(m, n), getattr(m, "bn" + n[-1]), relu=True)):
            layers.append(named(f"{n}_{'depthwise' if j == 0 else 'pointwise'}", layer))
    assert isinstance(model.global_pool.pool, nn.AdaptiveAvgPool2d)
    layers += [
        {"name": "global_pool", "op": "globalavgpool"},
        # The paper (section 4.3): dropout of rate 0.5 before the logistic regression layer; timm's
        # drop_rate defaults to 0, which changes no count.
        {"name": "dropout", "op": "dropout", "rate": 0.5},
        {"name": "fc", "op": "linear", "out": model.fc.out_features},
        {"name": "prob", "op": "softmax"},
    ]
    params = sum(p.numel() for p in model.parameters())
    return model, params, {
        "format": "inception-layout/1",
        "name": "Xception",
        "description": (
            "Xception (Chollet 2017, Xception: Deep Learning with Depthwise Separable Convolutions, figure 5: "
            "entry flow, middle flow repeated eight times, exit flow) with the structure and names of timm's "
            "legacy_xception (timm/models/xception.py, the Keras weights ported by Cadene): every block a sum "
            "of its rep branch (ReLU -> separable conv -> batchnorm, repeated; a 3x3 stride-2 max pool in "
            "the strided blocks) and its skip branch (a 1x1 stride-2 conv with batchnorm, or the identity), "
            "no ReLU after the sum; block1 starts without a ReLU; a separable conv is a depthwise 3x3 "
            "(groups = channels, no bias, nothing after it) then a 1x1 conv with batchnorm; "
            f"{params:,} parameters as torch counts them"),
        "input": {"channels": 3, "height": 299, "width": 299},
        "layers": layers,
    }


def main():
    """Writes every file, or only those named on the command line (`make_family_layouts.py xception.json`)."""
    makers = (("inception-v4.json", inception_v4), ("bn-inception.json", bninception),
              ("inception-resnet-v2.json", inception_resnet_v2), ("xception.json", xception))
    wanted = set(sys.argv[1:]) or {file for file, _ in makers}
    unknown = wanted - {file for file, _ in makers}
    if unknown:
        raise SystemExit(f"unknown layout file(s): {', '.join(sorted(unknown))}")
    for file, make in makers:
        if file not in wanted:
            continue
        _, params, layout = make()
        path = ROOT / "Layouts" / file
        path.write_text(json.dumps(layout, indent=2) + "\n")
        print(f"{path}: torch counts {params:,} parameters")


if __name__ == "__main__":
    sys.exit(main())
