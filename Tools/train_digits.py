#!/usr/bin/env python3
"""Train the small residual network of Graphs/digits_resnet.net on scikit-learn's 8x8 digits.

Run by hand (never by CI), from the repository root (about a minute on one core):

    pip install torch safetensors numpy scikit-learn
    python3 Tools/train_digits.py

Data: sklearn.datasets.load_digits (1,797 images, 8x8, values 0..16), scaled to [0, 1] by /16;
a fixed split (train_test_split, test_size=360, random_state=0, stratified). Model: the same
layers and torchvision-style names as the .net file (conv1/bn1, layer1.{0,1}, layer2.{0,1} with
a projection downsample, fc). Training: Adam, lr 3e-3, batch 64, 40 epochs, light shift
augmentation, seed 0, one thread, so a rerun with the same versions gives the same weights.

Writes
  Graphs/digits_resnet.safetensors        the trained state_dict, unchanged names
  Graphs/digits_test_images.npy           held-out images, float32, 360x1x8x8
  Graphs/digits_test_labels.npy           their digits, int64, 360
  Tests/Fixtures/digits_torch_logits.npy  PyTorch's eval-mode logits on them, float32, 360x10
and prints the held-out accuracy that `resnetc eval` must reproduce prediction by prediction.
"""
import os

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from safetensors.torch import save_file
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split


class BasicBlock(nn.Module):
    def __init__(self, cin, planes, stride=1):
        super().__init__()
        self.conv1 = nn.Conv2d(cin, planes, 3, stride=stride, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(planes)
        self.conv2 = nn.Conv2d(planes, planes, 3, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(planes)
        self.downsample = None
        if stride != 1 or cin != planes:
            self.downsample = nn.Sequential(nn.Conv2d(cin, planes, 1, stride=stride, bias=False),
                                            nn.BatchNorm2d(planes))

    def forward(self, x):
        y = F.relu(self.bn1(self.conv1(x)))
        y = self.bn2(self.conv2(y))
        shortcut = x if self.downsample is None else self.downsample(x)
        return F.relu(y + shortcut)


class DigitsResNet(nn.Module):
    def __init__(self, width=16, classes=10):
        super().__init__()
        self.conv1 = nn.Conv2d(1, width, 3, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(width)
        self.layer1 = nn.Sequential(BasicBlock(width, width), BasicBlock(width, width))
        self.layer2 = nn.Sequential(BasicBlock(width, 2 * width, 2), BasicBlock(2 * width, 2 * width))
        self.fc = nn.Linear(2 * width, classes)

    def forward(self, x):
        x = F.relu(self.bn1(self.conv1(x)))
        x = self.layer2(self.layer1(x))
        return self.fc(torch.flatten(F.adaptive_avg_pool2d(x, 1), 1))


def shifted(batch, generator):
    """Random shifts of up to one pixel (zero fill), a cheap augmentation for 8x8 digits."""
    out = torch.zeros_like(batch)
    dy, dx = torch.randint(-1, 2, (2,), generator=generator).tolist()
    ys, yd = (slice(0, 8 - dy), slice(dy, 8)) if dy >= 0 else (slice(-dy, 8), slice(0, 8 + dy))
    xs, xd = (slice(0, 8 - dx), slice(dx, 8)) if dx >= 0 else (slice(-dx, 8), slice(0, 8 + dx))
    out[:, :, yd, xd] = batch[:, :, ys, xs]
    return out


def main():
    torch.manual_seed(0)
    torch.set_num_threads(1)
    digits = load_digits()
    images = (digits.images / 16.0).astype(np.float32)[:, None, :, :]
    labels = digits.target.astype(np.int64)
    x_train, x_test, y_train, y_test = train_test_split(images, labels, test_size=360, random_state=0,
                                                        stratify=labels)
    model = DigitsResNet()
    optimizer = torch.optim.Adam(model.parameters(), lr=3e-3)
    schedule = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=40)
    generator = torch.Generator().manual_seed(0)
    xt, yt = torch.from_numpy(x_train), torch.from_numpy(y_train)
    for epoch in range(40):
        model.train()
        order = torch.randperm(len(xt), generator=generator)
        for start in range(0, len(xt), 64):
            index = order[start:start + 64]
            loss = F.cross_entropy(model(shifted(xt[index], generator)), yt[index])
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
        schedule.step()
    model.eval()
    with torch.no_grad():
        logits = model(torch.from_numpy(x_test)).numpy()
    accuracy = (logits.argmax(1) == y_test).mean()
    print(f"held-out accuracy: {accuracy * 100:.2f}% ({(logits.argmax(1) == y_test).sum()}/{len(y_test)})")
    save_file({k: v.contiguous() for k, v in model.state_dict().items()}, "Graphs/digits_resnet.safetensors")
    np.save("Graphs/digits_test_images.npy", x_test)
    np.save("Graphs/digits_test_labels.npy", y_test)
    os.makedirs("Tests/Fixtures", exist_ok=True)
    np.save("Tests/Fixtures/digits_torch_logits.npy", logits.astype(np.float32))


if __name__ == "__main__":
    main()
