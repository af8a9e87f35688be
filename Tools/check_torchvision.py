#!/usr/bin/env python3
"""Check full-size torchvision ResNets end to end through the resnetc command line.

Run by hand (never by CI), from the repository root, after `swift build -c release`:

    python3 Tools/check_torchvision.py [--out /tmp/tvcheck] [--arch resnet18 resnet50 ...]

For each architecture it builds torchvision's model (default init, then non-trivial BN
statistics as in make_fixtures.py), saves its state_dict unchanged with
`safetensors.torch.save_file`, saves a 224x224 input, evaluates the model in float64, then runs

    resnetc compile Graphs/ARCH.net --weights ARCH.safetensors -o ARCH.rnc
    resnetc run ARCH.rnc --input ARCH_input.npy --output ARCH_output.npy

and prints max |resnetc - PyTorch(fp64)| / max |PyTorch| (the issue's bar is 1e-4).
Files are large (up to 240 MB per network) and go to --out, never into the repository.
"""
import argparse
import os
import subprocess
import sys

import numpy as np
import torch
import torchvision
from safetensors.torch import save_file

RESNETC = os.path.join(".build", "release", "resnetc")


def randomize_batchnorm(model):
    for module in model.modules():
        if isinstance(module, torch.nn.BatchNorm2d):
            with torch.no_grad():
                module.running_mean.copy_(torch.randn_like(module.running_mean) * 0.1)
                module.running_var.copy_(torch.rand_like(module.running_var) + 0.5)
                module.weight.copy_(torch.rand_like(module.weight) + 0.5)
                module.bias.copy_(torch.randn_like(module.bias) * 0.1)


def check(arch, out_dir):
    torch.manual_seed(0)
    model = getattr(torchvision.models, arch)(weights=None)
    randomize_batchnorm(model)
    model.eval()
    weights = os.path.join(out_dir, f"{arch}.safetensors")
    save_file({k: v.contiguous() for k, v in model.state_dict().items()}, weights)
    x = np.random.default_rng(0).standard_normal((1, 3, 224, 224)).astype(np.float32)
    x_path = os.path.join(out_dir, f"{arch}_input.npy")
    np.save(x_path, x)
    with torch.no_grad():
        reference = model.double()(torch.from_numpy(x).double()).numpy()
    rnc = os.path.join(out_dir, f"{arch}.rnc")
    y_path = os.path.join(out_dir, f"{arch}_output.npy")
    subprocess.run([RESNETC, "compile", f"Graphs/{arch}.net", "--weights", weights, "-o", rnc],
                   check=True, stdout=subprocess.DEVNULL)
    subprocess.run([RESNETC, "run", rnc, "--input", x_path, "--output", y_path, "--top", "0"],
                   check=True, stdout=subprocess.DEVNULL)
    y = np.load(y_path).astype(np.float64)
    relative = np.abs(y - reference).max() / np.abs(reference).max()
    print(f"{arch}: max |error| / max |logit| = {relative:.3g}  ({'ok' if relative <= 1e-4 else 'FAIL'})")
    return relative <= 1e-4


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default="/tmp/tvcheck")
    parser.add_argument("--arch", nargs="+", default=["resnet18", "resnet34", "resnet50", "resnet101", "resnet152"])
    args = parser.parse_args()
    os.makedirs(args.out, exist_ok=True)
    torch.set_num_threads(1)
    results = [check(arch, args.out) for arch in args.arch]
    sys.exit(0 if all(results) else 1)


if __name__ == "__main__":
    main()
