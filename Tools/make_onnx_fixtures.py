#!/usr/bin/env python3
"""Write the small ONNX fixtures used by resnetc's importer tests (`resnetc import`).

Run by hand (never by CI):  python3 Tools/make_onnx_fixtures.py --out Tests/Fixtures/onnx

For each fixture NAME it writes
  NAME.onnx          the model, exported by torch.onnx.export (TorchScript exporter,
                     dynamo=False, as most published ResNet .onnx files were made)
  NAME_input.npy     float32 input, numpy default_rng(seed).standard_normal
  NAME_output.npy    ONNX Runtime's float32 output for that input (CPU provider)
plus unsupported_ops.onnx (Resize and Tanh, which resnetc does not import) and
manifest.json (name, opset, input and output shapes, the ONNX op types in each model).

Weights: torch.manual_seed(k) then default init, then every BatchNorm2d gets
running_mean = randn*0.1, running_var = U(0.5,1.5), weight = U(0.5,1.5),
bias = randn*0.1, so batchnorm is really exercised. The models are small on purpose
(a few KB to ~200 KB each): the tests compare resnetc with ONNX Runtime, not accuracy.
"""
import argparse
import collections
import json
import os

import numpy as np
import onnx
import onnxruntime
import torch
import torch.nn as nn
import torch.nn.functional as F


class BasicBlock(nn.Module):
    """torchvision's BasicBlock with its module names (conv1, bn1, conv2, bn2, downsample)."""

    def __init__(self, cin, planes, stride=1):
        super().__init__()
        self.conv1 = nn.Conv2d(cin, planes, 3, stride, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(planes)
        self.relu = nn.ReLU(inplace=True)
        self.conv2 = nn.Conv2d(planes, planes, 3, 1, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(planes)
        self.downsample = None
        if stride != 1 or cin != planes:
            self.downsample = nn.Sequential(nn.Conv2d(cin, planes, 1, stride, bias=False), nn.BatchNorm2d(planes))

    def forward(self, x):
        y = self.relu(self.bn1(self.conv1(x)))
        y = self.bn2(self.conv2(y))
        s = x if self.downsample is None else self.downsample(x)
        return self.relu(y + s)


class NarrowResNet18(nn.Module):
    """ResNet-18's layout (7x7 stem, maxpool, [2,2,2,2] basic blocks) at widths w, 2w, 4w, 8w."""

    def __init__(self, width=4, classes=10):
        super().__init__()
        self.conv1 = nn.Conv2d(3, width, 7, 2, 3, bias=False)
        self.bn1 = nn.BatchNorm2d(width)
        self.relu = nn.ReLU(inplace=True)
        self.maxpool = nn.MaxPool2d(3, 2, 1)
        cin = width
        for i, planes in enumerate([width, width * 2, width * 4, width * 8]):
            stride = 1 if i == 0 else 2
            setattr(self, f"layer{i + 1}", nn.Sequential(BasicBlock(cin, planes, stride), BasicBlock(planes, planes)))
            cin = planes
        self.avgpool = nn.AdaptiveAvgPool2d(1)
        self.fc = nn.Linear(cin, classes)

    def forward(self, x):
        x = self.maxpool(self.relu(self.bn1(self.conv1(x))))
        x = self.layer4(self.layer3(self.layer2(self.layer1(x))))
        return self.fc(torch.flatten(self.avgpool(x), 1))


class SmallCifarResNet(nn.Module):
    """A CIFAR-style ResNet (3x3 stem, three stages, one block each) with projection
    (1x1 conv) shortcuts instead of option A; the head flattens with view(N, -1)."""

    def __init__(self, width=4, classes=10):
        super().__init__()
        self.conv1 = nn.Conv2d(3, width, 3, 1, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(width)
        self.layer1 = nn.Sequential(BasicBlock(width, width))
        self.layer2 = nn.Sequential(BasicBlock(width, width * 2, 2))
        self.layer3 = nn.Sequential(BasicBlock(width * 2, width * 4, 2))
        self.linear = nn.Linear(width * 4, classes)

    def forward(self, x):
        x = F.relu(self.bn1(self.conv1(x)))
        x = self.layer3(self.layer2(self.layer1(x)))
        x = F.avg_pool2d(x, x.size(3))
        return self.linear(x.view(x.size(0), -1))


class MixedOpsNet(nn.Module):
    """Every other op the importer maps: SiLU (Sigmoid*Mul), LeakyReLU, Sigmoid, zero Pad
    folded into a conv and into an avgpool, a grouped dilated conv, a biased conv, MaxPool
    with ceil_mode, GlobalAveragePool, reshape, MatMul + Add bias, Softmax (and, added to the
    exported file by add_identity_and_dropout, Identity and Dropout)."""

    def __init__(self):
        super().__init__()
        self.stem = nn.Conv2d(3, 8, 3, 1, 0, bias=True)
        self.stem_bn = nn.BatchNorm2d(8)
        self.act = nn.SiLU()
        self.dw = nn.Conv2d(8, 8, 3, 1, 2, dilation=2, groups=4, bias=False)
        self.dw_bn = nn.BatchNorm2d(8)
        self.leaky = nn.LeakyReLU(0.2)
        self.pool = nn.MaxPool2d(3, 2, 1, ceil_mode=True)
        self.proj = nn.Conv2d(8, 12, 1, bias=False)
        self.gate = nn.Sigmoid()
        self.head_weight = nn.Parameter(torch.randn(12, 6) * 0.3)
        self.head_bias = nn.Parameter(torch.randn(6) * 0.1)
        self.drop = nn.Dropout(0.3)

    def forward(self, x):
        x = self.act(self.stem_bn(self.stem(F.pad(x, (1, 1, 1, 1)))))
        x = self.leaky(self.dw_bn(self.dw(x)))
        x = self.pool(x)
        x = F.avg_pool2d(F.pad(x, (1, 1, 1, 1)), 3, 1)
        x = self.gate(self.proj(x))
        x = F.adaptive_avg_pool2d(x, 1).reshape(x.shape[0], -1)
        x = self.drop(x) @ self.head_weight + self.head_bias
        return torch.softmax(x, dim=-1)


class UnsupportedNet(nn.Module):
    """Upsampling (Resize) and Tanh: operators resnetc does not import."""

    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 4, 3, 1, 1)

    def forward(self, x):
        x = torch.tanh(self.conv(x))
        return F.interpolate(x, scale_factor=2.0, mode="nearest")


def randomize_batchnorm(model, seed):
    torch.manual_seed(seed + 1000)
    for m in model.modules():
        if isinstance(m, nn.BatchNorm2d):
            n = m.num_features
            m.running_mean.copy_(torch.randn(n) * 0.1)
            m.running_var.copy_(torch.rand(n) + 0.5)
            m.weight.data.copy_(torch.rand(n) + 0.5)
            m.bias.data.copy_(torch.randn(n) * 0.1)


# name, constructor, input shape, opset, keep BatchNormalization nodes (else the exporter folds BN into the conv)
FIXTURES = [
    ("resnet18_narrow_op17", NarrowResNet18, [1, 3, 32, 32], 17, True),
    ("cifar_small_op11", SmallCifarResNet, [2, 3, 16, 16], 11, True),
    ("cifar_small_folded_op13", SmallCifarResNet, [1, 3, 16, 16], 13, False),
    ("mixed_ops_op11", MixedOpsNet, [2, 3, 12, 12], 11, True),
    ("mixed_ops_op20", MixedOpsNet, [1, 3, 12, 12], 20, True),
]


def export(model, shape, opset, keep_bn, path):
    example = torch.zeros(shape)
    training = torch.onnx.TrainingMode.PRESERVE if keep_bn else torch.onnx.TrainingMode.EVAL
    torch.onnx.export(model, (example,), path, dynamo=False, opset_version=opset, training=training,
                      input_names=["input"], output_names=["output"], do_constant_folding=True)


def add_identity_and_dropout(path, opset):
    """torch drops Dropout and nn.Identity from eval-mode exports; other exporters keep them, so
    put an Identity and a Dropout(0.3) before the MatMul by hand (both are no-ops at inference)."""
    model = onnx.load(path)
    graph = model.graph
    index = next(i for i, n in enumerate(graph.node) if n.op_type == "MatMul")
    matmul = graph.node[index]
    source = matmul.input[0]
    identity = onnx.helper.make_node("Identity", [source], ["features_identity"], name="/head/Identity")
    if opset >= 12:
        graph.initializer.append(onnx.numpy_helper.from_array(np.array(0.3, dtype=np.float32), "dropout_ratio"))
        dropout = onnx.helper.make_node("Dropout", ["features_identity", "dropout_ratio"], ["features_dropped"], name="/head/Dropout")
    else:
        dropout = onnx.helper.make_node("Dropout", ["features_identity"], ["features_dropped"], name="/head/Dropout", ratio=0.3)
    matmul.input[0] = "features_dropped"
    graph.node.insert(index, dropout)
    graph.node.insert(index, identity)
    onnx.checker.check_model(model)
    onnx.save(model, path)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", default="Tests/Fixtures/onnx")
    args = parser.parse_args()
    os.makedirs(args.out, exist_ok=True)
    manifest = []
    for k, (name, make, shape, opset, keep_bn) in enumerate(FIXTURES):
        torch.manual_seed(k)
        model = make()
        randomize_batchnorm(model, k)
        model.eval()
        path = os.path.join(args.out, name + ".onnx")
        export(model, shape, opset, keep_bn, path)
        if make is MixedOpsNet:
            add_identity_and_dropout(path, opset)
        x = np.random.default_rng(k).standard_normal(shape).astype(np.float32)
        session = onnxruntime.InferenceSession(path, providers=["CPUExecutionProvider"])
        (y,) = session.run(None, {"input": x})
        with torch.no_grad():
            reference = model(torch.from_numpy(x)).numpy()
        assert np.allclose(y, reference, rtol=1e-4, atol=1e-5), name
        np.save(os.path.join(args.out, name + "_input.npy"), x)
        np.save(os.path.join(args.out, name + "_output.npy"), y.astype(np.float32))
        ops = collections.Counter(n.op_type for n in onnx.load(path).graph.node)
        manifest.append({"name": name, "opset": opset, "input_shape": shape, "output_shape": list(y.shape),
                         "onnx_ops": dict(sorted(ops.items()))})
    torch.manual_seed(99)
    export(UnsupportedNet().eval(), [1, 3, 8, 8], 17, True, os.path.join(args.out, "unsupported_ops.onnx"))
    with open(os.path.join(args.out, "manifest.json"), "w") as f:
        json.dump(manifest, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
