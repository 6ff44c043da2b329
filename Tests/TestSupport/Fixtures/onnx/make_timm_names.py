#!/usr/bin/env python3
"""Remakes timm_v4_names.onnx (committed; `swift test` needs no Python): timm inception_v4's module
tree at toy widths, exported as family_check.py exports timm models (torch.onnx.export, dynamo=False,
eval mode, batchnorm folded), so its node names have the shapes the full model's have:

  /features/features.0/conv/Conv                 a stem ConvNormAct in the top-level Sequential
  /features/features.1/maxpool/MaxPool           Mixed3a: a lone nn.MaxPool2d module beside a
  /features/features.1/conv/conv/Conv            ConvNormAct named `conv`
  /features/features.2/branch0/conv/Conv         InceptionA (3 of them, as v4's 4): a branch that is
  /features/features.2/branch1/branch1.0/conv/Conv   one ConvNormAct, Sequential branches, an
  /features/features.2/branch3/branch3.0/AveragePool avg-pool branch
  /features/features.5/branch2/MaxPool           ReductionA: a lone nn.MaxPool2d branch
  /features/features.6/branch1_1a/conv/Conv      InceptionC: torch.cat inside a branch, the
  /features/features.6/Concat                    branches' modules all direct attributes

The modules are timm's own ConvNormAct with the partial InceptionV4 uses; the blocks copy timm's
Mixed3a, InceptionA, ReductionA and InceptionC (timm/models/inception_v4.py: attribute names and
forward order) with widths cut to a few channels, so the file is a few KB.

  python3 Tests/TestSupport/Fixtures/onnx/make_timm_names.py     (torch, timm)
"""
import os
from functools import partial

import torch
import torch.nn as nn
from timm.layers import ConvNormAct

HERE = os.path.dirname(os.path.abspath(__file__))
conv_block = partial(ConvNormAct, padding=0, norm_layer="batchnorm2d", act_layer="relu",
                     norm_kwargs=dict(eps=1e-3), act_kwargs=dict(inplace=True))


class Mixed3a(nn.Module):
    def __init__(self):
        super().__init__()
        self.maxpool = nn.MaxPool2d(3, stride=2)
        self.conv = conv_block(4, 4, kernel_size=3, stride=2)

    def forward(self, x):
        return torch.cat((self.maxpool(x), self.conv(x)), 1)


class InceptionA(nn.Module):  # 8 -> 2 + 2 + 2 + 2
    def __init__(self):
        super().__init__()
        self.branch0 = conv_block(8, 2, kernel_size=1, stride=1)
        self.branch1 = nn.Sequential(conv_block(8, 2, kernel_size=1, stride=1),
                                     conv_block(2, 2, kernel_size=3, stride=1, padding=1))
        self.branch2 = nn.Sequential(conv_block(8, 2, kernel_size=1, stride=1),
                                     conv_block(2, 2, kernel_size=3, stride=1, padding=1),
                                     conv_block(2, 2, kernel_size=3, stride=1, padding=1))
        self.branch3 = nn.Sequential(nn.AvgPool2d(3, stride=1, padding=1, count_include_pad=False),
                                     conv_block(8, 2, kernel_size=1, stride=1))

    def forward(self, x):
        return torch.cat((self.branch0(x), self.branch1(x), self.branch2(x), self.branch3(x)), 1)


class ReductionA(nn.Module):  # 8 -> 3 + 3 + 8
    def __init__(self):
        super().__init__()
        self.branch0 = conv_block(8, 3, kernel_size=3, stride=2)
        self.branch1 = nn.Sequential(conv_block(8, 2, kernel_size=1, stride=1),
                                     conv_block(2, 2, kernel_size=3, stride=1, padding=1),
                                     conv_block(2, 3, kernel_size=3, stride=2))
        self.branch2 = nn.MaxPool2d(3, stride=2)

    def forward(self, x):
        return torch.cat((self.branch0(x), self.branch1(x), self.branch2(x)), 1)


class InceptionC(nn.Module):  # 14 -> 2 + (2 + 2) + (2 + 2) + 2
    def __init__(self):
        super().__init__()
        self.branch0 = conv_block(14, 2, kernel_size=1, stride=1)
        self.branch1_0 = conv_block(14, 3, kernel_size=1, stride=1)
        self.branch1_1a = conv_block(3, 2, kernel_size=(1, 3), stride=1, padding=(0, 1))
        self.branch1_1b = conv_block(3, 2, kernel_size=(3, 1), stride=1, padding=(1, 0))
        self.branch2_0 = conv_block(14, 3, kernel_size=1, stride=1)
        self.branch2_1 = conv_block(3, 3, kernel_size=(3, 1), stride=1, padding=(1, 0))
        self.branch2_2 = conv_block(3, 4, kernel_size=(1, 3), stride=1, padding=(0, 1))
        self.branch2_3a = conv_block(4, 2, kernel_size=(1, 3), stride=1, padding=(0, 1))
        self.branch2_3b = conv_block(4, 2, kernel_size=(3, 1), stride=1, padding=(1, 0))
        self.branch3 = nn.Sequential(nn.AvgPool2d(3, stride=1, padding=1, count_include_pad=False),
                                     conv_block(14, 2, kernel_size=1, stride=1))

    def forward(self, x):
        x0 = self.branch0(x)
        x1_0 = self.branch1_0(x)
        x1 = torch.cat((self.branch1_1a(x1_0), self.branch1_1b(x1_0)), 1)
        x2_0 = self.branch2_0(x)
        x2_2 = self.branch2_2(self.branch2_1(x2_0))
        x2 = torch.cat((self.branch2_3a(x2_2), self.branch2_3b(x2_2)), 1)
        return torch.cat((x0, x1, x2, self.branch3(x)), 1)


class TinyV4(nn.Module):
    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(conv_block(3, 4, kernel_size=3, stride=2), Mixed3a(),
                                      InceptionA(), InceptionA(), InceptionA(), ReductionA(), InceptionC())
        self.global_pool = nn.AdaptiveAvgPool2d(1)
        self.last_linear = nn.Linear(12, 5)

    def forward(self, x):
        return self.last_linear(torch.flatten(self.global_pool(self.features(x)), 1))


if __name__ == "__main__":
    torch.manual_seed(0)
    m = TinyV4().eval()
    torch.onnx.export(m, (torch.randn(1, 3, 35, 35),), os.path.join(HERE, "timm_v4_names.onnx"), dynamo=False)
