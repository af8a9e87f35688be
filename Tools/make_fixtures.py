#!/usr/bin/env python3
"""Write the small PyTorch reference fixtures used by resnetc's numeric tests.

Run by hand (never by CI):  python3 Tools/make_fixtures.py --out Tests/Fixtures

For each network NAME it writes
  NAME.safetensors       state_dict, module names as-is (incl. BN int64
                         num_batches_tracked buffers), float32 parameters
  NAME_input.npy         float32 input, numpy default_rng(seed).standard_normal
  NAME_output.npy        PyTorch float32 eval-mode output for that input
  NAME_output_fp64.npy   the same model and input evaluated in float64 (<f8)
plus fixtures.json (the manifest) and torchvision_keys/resnet{18,34,50,101,152}.txt
(key<TAB>shape like 64x3x7x7, empty for scalars<TAB>dtype, in state_dict order).

Weights: torch.manual_seed(k) then default init, then for every BatchNorm2d in
module order running_mean = randn*0.1, running_var = U(0.5,1.5),
weight = U(0.5,1.5), bias = randn*0.1 (so BN folding is really exercised).
Deterministic: the same torch version writes byte-identical files.
"""
import argparse
import copy
import json
import os

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
import torchvision
from torchvision.models.resnet import BasicBlock, Bottleneck, conv1x1


# ---------------------------------------------------------------------------
# ResBlock6 (base-width parameterised) -- same module names as the bench's.
# ---------------------------------------------------------------------------
class PlainResBlock(nn.Module):
    """conv3x3(s, bias) -> bn1 -> relu -> conv3x3(bias) -> bn2, plus identity or a
    1x1 strided `downsample` conv followed by `downsample_bn`; relu(main + shortcut)."""

    def __init__(self, cin, cout, stride=1):
        super().__init__()
        self.conv1 = nn.Conv2d(cin, cout, 3, stride=stride, padding=1, bias=True)
        self.bn1 = nn.BatchNorm2d(cout)
        self.conv2 = nn.Conv2d(cout, cout, 3, padding=1, bias=True)
        self.bn2 = nn.BatchNorm2d(cout)
        self.downsample = None
        if cin != cout or stride != 1:
            self.downsample = nn.Conv2d(cin, cout, 1, stride=stride, bias=True)
            self.downsample_bn = nn.BatchNorm2d(cout)

    def forward(self, x):
        main = self.bn2(self.conv2(F.relu(self.bn1(self.conv1(x)))))
        shortcut = x if self.downsample is None else self.downsample_bn(self.downsample(x))
        return F.relu(main + shortcut)


class ResBlock6Net(nn.Module):
    """block1..block6 with widths base*(1,2,4,8,16,32), stride 2 from block2 on;
    flatten; fc = Linear(32*base, classes)."""

    def __init__(self, base=4, classes=10):
        super().__init__()
        widths = [base * (1 << i) for i in range(6)]
        cin = 3
        for i, w in enumerate(widths):
            setattr(self, f"block{i + 1}", PlainResBlock(cin, w, 1 if i == 0 else 2))
            cin = w
        self.fc = nn.Linear(cin, classes)

    def forward(self, x):
        for i in range(6):
            x = getattr(self, f"block{i + 1}")(x)
        return self.fc(torch.flatten(x, 1))


# ---------------------------------------------------------------------------
# MnistResNet -- same module names as the bench's.
# ---------------------------------------------------------------------------
class MnistBlock(nn.Module):
    """relu(x + conv2(relu(conv1(x)))) with conv1 = 5x5 to 30 channels, conv2 = 3x3 back."""

    def __init__(self, channels):
        super().__init__()
        self.conv1 = nn.Conv2d(channels, 30, 5, padding=2)
        self.conv2 = nn.Conv2d(30, channels, 3, padding=1)

    def forward(self, x):
        return F.relu(x + self.conv2(F.relu(self.conv1(x))))


class MnistNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 20, 5, padding=2)
        self.resblock1 = MnistBlock(20)
        self.conv2 = nn.Conv2d(20, 15, 3, padding=1)
        self.resblock2 = MnistBlock(15)
        self.maxpool = nn.MaxPool2d(2)
        self.out = nn.Linear(15 * 7 * 7, 5 * 7 * 7)
        self.out1 = nn.Linear(5 * 7 * 7, 10)

    def forward(self, x):
        x = self.resblock1(F.relu(self.maxpool(self.conv1(x))))
        x = self.resblock2(F.relu(self.maxpool(self.conv2(x))))
        x = F.relu(self.out(torch.flatten(x, 1)))
        return self.out1(x)


# ---------------------------------------------------------------------------
# CIFAR ResNet-20 with the option-A (zero-pad, parameter-free) shortcut.
# ---------------------------------------------------------------------------
class CifarBasicBlock(nn.Module):
    def __init__(self, cin, planes, stride=1):
        super().__init__()
        self.conv1 = nn.Conv2d(cin, planes, 3, stride=stride, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(planes)
        self.conv2 = nn.Conv2d(planes, planes, 3, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(planes)
        self.stride = stride
        self.pad_before = (planes - cin) // 2
        self.pad_after = planes - cin - self.pad_before
        self.needs_projection = stride != 1 or cin != planes

    def shortcut(self, x):
        if not self.needs_projection:
            return x
        s = self.stride
        return F.pad(x[:, :, ::s, ::s], (0, 0, 0, 0, self.pad_before, self.pad_after))

    def forward(self, x):
        out = F.relu(self.bn1(self.conv1(x)))
        out = self.bn2(self.conv2(out))
        return F.relu(out + self.shortcut(x))


class CifarResNet(nn.Module):
    def __init__(self, blocks_per_stage=3, classes=10):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 16, 3, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(16)
        cin = 16
        for k, planes in enumerate((16, 32, 64)):
            blocks = []
            for i in range(blocks_per_stage):
                stride = 2 if (k > 0 and i == 0) else 1
                blocks.append(CifarBasicBlock(cin, planes, stride))
                cin = planes
            setattr(self, f"layer{k + 1}", nn.Sequential(*blocks))
        self.fc = nn.Linear(64, classes)

    def forward(self, x):
        x = F.relu(self.bn1(self.conv1(x)))
        x = self.layer3(self.layer2(self.layer1(x)))
        x = F.adaptive_avg_pool2d(x, 1)
        return self.fc(torch.flatten(x, 1))


# ---------------------------------------------------------------------------
# torchvision-layout ResNet with a configurable base width, built from
# torchvision's own BasicBlock / Bottleneck / conv1x1.
# ---------------------------------------------------------------------------
class WidthResNet(nn.Module):
    """torchvision.models.ResNet's structure and attribute names, stage widths
    base*(1,2,4,8) instead of 64*(1,2,4,8); init mirrors torchvision's."""

    def __init__(self, block, layers, base=64, num_classes=1000):
        super().__init__()
        self.inplanes = base
        self.conv1 = nn.Conv2d(3, base, kernel_size=7, stride=2, padding=3, bias=False)
        self.bn1 = nn.BatchNorm2d(base)
        self.relu = nn.ReLU(inplace=True)
        self.maxpool = nn.MaxPool2d(kernel_size=3, stride=2, padding=1)
        for k, n in enumerate(layers):
            stage = self._stage(block, base * (1 << k), n, 1 if k == 0 else 2)
            setattr(self, f"layer{k + 1}", stage)
        self.avgpool = nn.AdaptiveAvgPool2d((1, 1))
        self.fc = nn.Linear(base * 8 * block.expansion, num_classes)
        for m in self.modules():
            if isinstance(m, nn.Conv2d):
                nn.init.kaiming_normal_(m.weight, mode="fan_out", nonlinearity="relu")
            elif isinstance(m, nn.BatchNorm2d):
                nn.init.constant_(m.weight, 1)
                nn.init.constant_(m.bias, 0)

    def _stage(self, block, planes, n, stride):
        downsample = None
        if stride != 1 or self.inplanes != planes * block.expansion:
            downsample = nn.Sequential(conv1x1(self.inplanes, planes * block.expansion, stride),
                                       nn.BatchNorm2d(planes * block.expansion))
        blocks = [block(self.inplanes, planes, stride, downsample)]
        self.inplanes = planes * block.expansion
        blocks += [block(self.inplanes, planes) for _ in range(1, n)]
        return nn.Sequential(*blocks)

    def forward(self, x):
        x = self.maxpool(self.relu(self.bn1(self.conv1(x))))
        x = self.layer4(self.layer3(self.layer2(self.layer1(x))))
        return self.fc(torch.flatten(self.avgpool(x), 1))


ARCH = {"resnet18": (BasicBlock, [2, 2, 2, 2]), "resnet50": (Bottleneck, [3, 4, 6, 3])}


def width_resnet(arch, base, classes):
    block, layers = ARCH[arch]
    return WidthResNet(block, layers, base=base, num_classes=classes)


# ---------------------------------------------------------------------------
def randomize_bn(model):
    """Non-trivial BN statistics and affine parameters, drawn in module order."""
    with torch.no_grad():
        for m in model.modules():
            if isinstance(m, nn.BatchNorm2d):
                c = m.num_features
                m.running_mean.copy_(torch.randn(c) * 0.1)
                m.running_var.copy_(torch.empty(c).uniform_(0.5, 1.5))
                m.weight.copy_(torch.empty(c).uniform_(0.5, 1.5))
                m.bias.copy_(torch.randn(c) * 0.1)


# name: (torch/numpy seed, constructor, input shape, net file, defines)
FIXTURES = [
    ("resblock6_small", 1, lambda: ResBlock6Net(base=4), (2, 3, 28, 28),
     "Graphs/resblock6.net", {"base": 4}),
    ("mnist_resnet", 2, MnistNet, (1, 1, 28, 28), "Graphs/mnist_resnet.net", {}),
    ("cifar_resnet20", 3, CifarResNet, (1, 3, 32, 32), "Graphs/cifar_resnet20.net", {}),
    ("resnet18_small", 4, lambda: width_resnet("resnet18", 8, 10), (2, 3, 64, 64),
     "Graphs/resnet18.net", {"base": 8, "classes": 10, "size": 64}),
    ("resnet50_small", 5, lambda: width_resnet("resnet50", 8, 10), (1, 3, 64, 64),
     "Graphs/resnet50.net", {"base": 8, "classes": 10, "size": 64}),
]


def shape_text(shape):
    return "x".join(str(d) for d in shape)


def key_signature(sd):
    return [(k, tuple(v.shape), v.dtype) for k, v in sd.items()]


def check_builder_matches_torchvision():
    """At base 64 / 1000 classes the width builder must equal torchvision exactly."""
    for arch in ARCH:
        mine = key_signature(width_resnet(arch, 64, 1000).state_dict())
        theirs = key_signature(getattr(torchvision.models, arch)(weights=None).state_dict())
        assert mine == theirs, f"{arch}: width builder's state_dict differs from torchvision's"
    print("width builder matches torchvision resnet18/resnet50 state_dict keys and shapes")


def write_torchvision_keys(out_dir):
    key_dir = os.path.join(out_dir, "torchvision_keys")
    os.makedirs(key_dir, exist_ok=True)
    for arch in ("resnet18", "resnet34", "resnet50", "resnet101", "resnet152"):
        sd = getattr(torchvision.models, arch)(weights=None).state_dict()
        lines = [f"{k}\t{shape_text(v.shape)}\t{str(v.dtype).removeprefix('torch.')}"
                 for k, v in sd.items()]
        with open(os.path.join(key_dir, f"{arch}.txt"), "w") as f:
            f.write("\n".join(lines) + "\n")
        print(f"torchvision_keys/{arch}.txt: {len(lines)} entries")


def write_fixture(out_dir, name, seed, make, input_shape, net, defines):
    from safetensors.torch import save_file

    torch.manual_seed(seed)
    model = make()
    randomize_bn(model)
    model.eval()
    x_np = np.random.default_rng(seed).standard_normal(input_shape).astype(np.float32)
    with torch.inference_mode():
        y = model(torch.from_numpy(x_np)).numpy()
    model64 = copy.deepcopy(model).double()
    with torch.inference_mode():
        y64 = model64(torch.from_numpy(x_np).double()).numpy()
    assert y.dtype == np.float32 and y64.dtype == np.float64

    sd = {k: v.detach().contiguous() for k, v in model.state_dict().items()}
    for k, v in sd.items():
        ok = v.dtype == torch.int64 if k.endswith("num_batches_tracked") else v.dtype == torch.float32
        assert ok, f"{name}: {k} has dtype {v.dtype}"
    st_path = os.path.join(out_dir, f"{name}.safetensors")
    save_file(sd, st_path)
    np.save(os.path.join(out_dir, f"{name}_input.npy"), x_np)
    np.save(os.path.join(out_dir, f"{name}_output.npy"), y)
    np.save(os.path.join(out_dir, f"{name}_output_fp64.npy"), y64)

    size = os.path.getsize(st_path)
    diff = float(np.abs(y.astype(np.float64) - y64).max())
    print(f"{name}: out {list(y.shape)} absmax {np.abs(y).max():.4g} fp32-vs-fp64 {diff:.3g}"
          f" safetensors {size / 1e6:.2f} MB")
    return {
        "name": name, "net": net, "defines": defines, "batch": input_shape[0],
        "input_shape": list(input_shape), "output_shape": list(y.shape),
        "params": int(sum(p.numel() for p in model.parameters())),
        "max_abs_output": float(np.abs(y).max()),
    }


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", default="Tests/Fixtures")
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)
    torch.set_num_threads(1)  # fixed reduction order -> reproducible outputs

    check_builder_matches_torchvision()
    manifest = [write_fixture(args.out, *spec) for spec in FIXTURES]
    with open(os.path.join(args.out, "fixtures.json"), "w") as f:
        json.dump(manifest, f, indent=1)
        f.write("\n")
    write_torchvision_keys(args.out)
    print("wrote", args.out)


if __name__ == "__main__":
    main()
