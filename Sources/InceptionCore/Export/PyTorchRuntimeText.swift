/// The fixed parts of a generated PyTorch file: the conv and linear layer classes, the `.npy`
/// reader and `load_weights`. Only the conv class's defaults vary (the layout's most common conv,
/// so the lines that build the network stay short).
enum PyTorchRuntimeText {
    struct ConvDefaults: Equatable {
        var bias: Bool
        var batchnorm: Bool
        var relu: Bool
    }

    static func py(_ b: Bool) -> String { b ? "True" : "False" }

    static func imports(orderedDict: Bool) -> String {
        """
        import ast
        import os
        import struct
        \(orderedDict ? "from collections import OrderedDict\n" : "")
        import torch
        import torch.nn.functional as F
        from torch import nn

        """
    }

    static func convClass(_ d: ConvDefaults) -> String {
        """
        class BasicConv2d(nn.Module):
            \"\"\"A conv layer of the layout: Conv2d, BatchNorm2d where the layout has batchnorm, ReLU.\"\"\"

            def __init__(self, in_channels, out_channels, kernel_size, stride=1, padding=0, groups=1,
                         bias=\(py(d.bias)), batchnorm=\(py(d.batchnorm)), relu=\(py(d.relu))):
                super().__init__()
                self.conv = nn.Conv2d(in_channels, out_channels, kernel_size, stride=stride, padding=padding,
                                      groups=groups, bias=bias)
                self.bn = nn.BatchNorm2d(out_channels) if batchnorm else None
                self.relu = relu

            def forward(self, x):
                x = self.conv(x)
                if self.bn is not None:
                    x = self.bn(x)
                return F.relu(x) if self.relu else x

            @torch.no_grad()
            def load_folded(self, weight, bias, name):
                \"\"\"Inference weights with batchnorm folded in (what `run --save` writes): the conv takes
                the folded weight; the batchnorm becomes the identity (var + eps = 1) plus the folded shift.\"\"\"
                _copy(self.conv.weight, weight, name + ".weight")
                if self.bn is None:
                    if self.conv.bias is not None:
                        _copy(self.conv.bias, _need(bias, name), name + ".bias")
                else:
                    if self.conv.bias is not None:
                        self.conv.bias.zero_()
                    self.bn.weight.fill_(1.0)
                    _copy(self.bn.bias, _need(bias, name), name + ".bias")
                    self.bn.running_mean.zero_()
                    self.bn.running_var.fill_(1.0 - self.bn.eps)


        """
    }

    static let linearClass = """
        class BasicLinear(nn.Module):
            \"\"\"A linear layer of the layout: flattens C x H x W (in that order), Linear, ReLU if asked.\"\"\"

            def __init__(self, in_features, out_features, bias=True, relu=False):
                super().__init__()
                self.fc = nn.Linear(in_features, out_features, bias=bias)
                self.relu = relu

            def forward(self, x):
                x = self.fc(torch.flatten(x, 1))
                return F.relu(x) if self.relu else x

            @torch.no_grad()
            def load_folded(self, weight, bias, name):
                _copy(self.fc.weight, weight, name + ".weight")
                if self.fc.bias is not None:
                    _copy(self.fc.bias, _need(bias, name), name + ".bias")


        """

    /// timm's `LayerNorm2d`: nn.LayerNorm over the channels of each pixel (channels moved last and
    /// back); on the [N, C] output of a linear it is nn.LayerNorm itself. γ, β load as they are.
    static let layerNormClass = """
        class LayerNorm2d(nn.LayerNorm):
            \"\"\"Layer norm over the channels of each pixel (timm's LayerNorm2d), or of a linear layer's [N, C] output.\"\"\"

            def forward(self, x):
                if x.dim() == 2:
                    return super().forward(x)
                return super().forward(x.permute(0, 2, 3, 1)).permute(0, 3, 1, 2)

            @torch.no_grad()
            def load_folded(self, weight, bias, name):
                _copy(self.weight, weight, name + ".weight")
                _copy(self.bias, _need(bias, name), name + ".bias")


        """

    /// InceptionNeXt's layer scale: a learned γ per channel, `x · γ.reshape(1, -1, 1, 1)`.
    static let layerScaleClass = """
        class LayerScale(nn.Module):
            \"\"\"A learned scale per channel (InceptionNeXt's gamma): x * gamma.reshape(1, -1, 1, 1).\"\"\"

            def __init__(self, channels):
                super().__init__()
                self.gamma = nn.Parameter(torch.ones(channels))

            def forward(self, x):
                return x * (self.gamma if x.dim() == 2 else self.gamma.reshape(1, -1, 1, 1))

            @torch.no_grad()
            def load_folded(self, weight, bias, name):
                _copy(self.gamma, weight, name + ".weight")


        """

    /// `l2norm`: torch has no module for F.normalize.
    static let l2NormClass = """
        class L2Norm(nn.Module):
            \"\"\"The layout's l2norm: x / max(||x||_2, eps) over the channels (F.normalize(x, p=2, dim=1)).\"\"\"

            def __init__(self, eps=1e-12):
                super().__init__()
                self.eps = eps

            def forward(self, x):
                return F.normalize(x, p=2.0, dim=1, eps=self.eps)


        """

    static let loaders = """
        def _read_npy(path):
            \"\"\"A float32 C-order .npy file (format 1.0 or 2.0) as a tensor; nothing but the standard library.\"\"\"
            with open(path, "rb") as f:
                data = f.read()
            if data[:6] != b"\\x93NUMPY":
                raise ValueError(f"{path}: not a .npy file")
            if data[6] == 1:
                (length,), start = struct.unpack("<H", data[8:10]), 10
            else:
                (length,), start = struct.unpack("<I", data[8:12]), 12
            header = ast.literal_eval(data[start:start + length].decode("latin1"))
            if header["descr"] != "<f4" or header["fortran_order"]:
                raise ValueError(f"{path}: expected little-endian float32 in C order, got {header['descr']}")
            shape = tuple(header["shape"])
            count = 1
            for n in shape:
                count *= n
            body = data[start + length:]
            if len(body) != 4 * count:
                raise ValueError(f"{path}: {len(body)} data bytes, shape {shape} needs {4 * count}")
            return torch.frombuffer(bytearray(body), dtype=torch.float32).reshape(shape)


        def _copy(dst, src, name):
            if tuple(src.shape) != tuple(dst.shape):
                raise ValueError(f"{name}.npy: shape {tuple(src.shape)}, expected {tuple(dst.shape)}")
            dst.copy_(src)


        def _need(bias, name):
            if bias is None:
                raise FileNotFoundError(f"{name}.bias.npy: missing")
            return bias


        @torch.no_grad()
        def _load_batchnorm(bn, scale, shift, name):
            \"\"\"A standalone batchnorm's folded scale and shift: gamma = scale, beta = shift, identity statistics
            (mean 0, var + eps = 1).\"\"\"
            _copy(bn.weight, scale, name + ".weight")
            _copy(bn.bias, _need(shift, name), name + ".bias")
            bn.running_mean.zero_()
            bn.running_var.fill_(1.0 - bn.eps)


        def load_weights(model, directory):
            \"\"\"Loads the .npy weights that `inception-explorer run --save DIR` writes (and `run --weights`
            reads): NODE.weight.npy and NODE.bias.npy per conv, linear, standalone batchnorm and layer norm layer
            (NODE.weight.npy alone per layer scale), NODE = the node path with / -> ., batchnorm folded in. Aux-head layers without files (run skips aux heads unless --aux)
            keep their initial weights. Returns the node files read.\"\"\"
            modules = dict(model.named_modules())
            loaded = []
            for node, module_name, in_aux in WEIGHTS:
                stem = node.replace("/", ".")
                module = modules.get(module_name)
                if module is None:
                    continue  # an aux head that was not built (build(aux=False))
                weight_file = os.path.join(directory, stem + ".weight.npy")
                if in_aux and not os.path.exists(weight_file):
                    continue
                bias_file = os.path.join(directory, stem + ".bias.npy")
                bias = _read_npy(bias_file) if os.path.exists(bias_file) else None
                if isinstance(module, (nn.BatchNorm1d, nn.BatchNorm2d)):
                    _load_batchnorm(module, _read_npy(weight_file), bias, os.path.join(directory, stem))
                else:
                    module.load_folded(_read_npy(weight_file), bias, os.path.join(directory, stem))
                loaded.append(stem)
            return loaded


        if __name__ == "__main__":
            for with_aux in (False, True):
                net = build(aux=with_aux)
                print(f"aux={with_aux}: {sum(p.numel() for p in net.parameters()):,} parameters")

        """
}
