#!/usr/bin/env python3
"""Writes the image fixtures under Tests/Fixtures/images/ and Graphs/imagenet_classes.txt.

Run by hand from the repository root: python3 Tools/make_image_fixtures.py
Needs numpy, Pillow, torch and torchvision. Every output is deterministic.

- PNG files written by a small writer here (so each filter type, interlacing and bit depth
  is chosen on purpose), each with NAME.npy: the pixels as Pillow decodes them (uint8 HWC;
  palette files converted to RGB; 16-bit files as float32 value*255/65535, read raw).
- P5/P6 files and their pixels.
- inflate_payload.bin and its zlib streams made by zlib: stored (level 0), fixed-Huffman
  (Z_FIXED) and dynamic-Huffman (default) blocks.
- photo.png / gray.png and torchvision's preprocessing of them (tensor path, float32,
  bilinear, antialias=True), the reference for Image.tensor(for:…) and ImageResize; RGB → gray
  uses 0.299 R + 0.587 G + 0.114 B without rounding, as resnetc defines it.
- Graphs/digits_images/: the first 20 held-out digits of Graphs/digits_test_images.npy as 8-bit
  gray PNGs (pixel = round(value · 255), value = sklearn value / 16) and labels.csv (file,label),
  a small image dataset for `resnetc run` and `resnetc eval --dataset DIR`.
"""
import json
import os
import struct
import zlib

import numpy as np
import torch
from PIL import Image
from torchvision.transforms import functional as F

OUT = "Tests/Fixtures/images"
IMAGENET_MEAN = [0.485, 0.456, 0.406]
IMAGENET_STD = [0.229, 0.224, 0.225]


def chunk(kind, data):
    body = kind + data
    return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body) & 0xFFFFFFFF)


def filter_rows(raw_rows, bpp, filters):
    """Applies PNG filters (one per row, cycling through `filters`) to unfiltered rows."""
    out = bytearray()
    prev = bytes(len(raw_rows[0])) if raw_rows else b""
    for index, row in enumerate(raw_rows):
        kind = filters[index % len(filters)]
        encoded = bytearray(len(row))
        for i, x in enumerate(row):
            a = row[i - bpp] if i >= bpp else 0
            b = prev[i]
            c = prev[i - bpp] if i >= bpp else 0
            if kind == 0:
                pred = 0
            elif kind == 1:
                pred = a
            elif kind == 2:
                pred = b
            elif kind == 3:
                pred = (a + b) // 2
            else:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                pred = a if pa <= pb and pa <= pc else (b if pb <= pc else c)
            encoded[i] = (x - pred) & 0xFF
        out.append(kind)
        out += encoded
        prev = row
    return bytes(out)


def pack_rows(samples, depth):
    """samples: (h, w*spp) ints → list of packed row bytes at `depth` bits."""
    rows = []
    for line in samples:
        if depth == 8:
            rows.append(bytes(int(v) for v in line))
        elif depth == 16:
            rows.append(b"".join(struct.pack(">H", int(v)) for v in line))
        else:
            bits = "".join(format(int(v), "0%db" % depth) for v in line)
            bits += "0" * (-len(bits) % 8)
            rows.append(bytes(int(bits[i:i + 8], 2) for i in range(0, len(bits), 8)))
    return rows


ADAM7 = [(0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2)]


def write_png(name, samples, color_type, depth, filters=(0, 1, 2, 3, 4), interlace=False,
              palette=None, level=9, strategy=zlib.Z_DEFAULT_STRATEGY):
    """samples: (h, w, spp) array of sample values at `depth`."""
    h, w, spp = samples.shape
    bpp = max(1, depth * spp // 8)
    data = b""
    if interlace:
        for x0, y0, dx, dy in ADAM7:
            sub = samples[y0::dy, x0::dx]
            if sub.size == 0:
                continue
            data += filter_rows(pack_rows(sub.reshape(sub.shape[0], -1), depth), bpp, filters)
    else:
        data = filter_rows(pack_rows(samples.reshape(h, -1), depth), bpp, filters)
    compressor = zlib.compressobj(level, zlib.DEFLATED, 15, 9, strategy)
    stream = compressor.compress(data) + compressor.flush()
    png = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, depth, color_type, 0, 0, int(interlace)))
    png += chunk(b"tEXt", b"Comment\x00resnetc fixture")
    if palette is not None:
        png += chunk(b"PLTE", bytes(palette))
    # Split the data over two IDAT chunks, as large files do.
    half = len(stream) // 2
    png += chunk(b"IDAT", stream[:half]) + chunk(b"IDAT", stream[half:]) + chunk(b"IEND", b"")
    path = os.path.join(OUT, name + ".png")
    with open(path, "wb") as f:
        f.write(png)
    return path


def save_pixels(name, path, sixteen_bit=None):
    if sixteen_bit is not None:
        pixels = (sixteen_bit.astype(np.float64) * 255.0 / 65535.0).astype(np.float32)
    else:
        image = Image.open(path)
        if image.mode == "P":
            image = image.convert("RGB")
        elif image.mode == "1":
            image = image.convert("L")
        pixels = np.asarray(image)
        if pixels.ndim == 2:
            pixels = pixels[:, :, None]
        pixels = pixels.astype(np.uint8)
    np.save(os.path.join(OUT, name + ".npy"), np.ascontiguousarray(pixels))


def pattern(h, w, channels, seed, maximum=255):
    rng = np.random.default_rng(seed)
    y, x = np.mgrid[0:h, 0:w]
    base = np.stack([(x * 17 + y * 5 + 40 * c) % (maximum + 1) for c in range(channels)], axis=-1)
    noise = rng.integers(0, maximum + 1, size=(h, w, channels))
    return np.where(rng.random((h, w, channels)) < 0.3, noise, base).astype(np.int64)


def png_fixtures():
    cases = [
        ("gray8", 0, 8, 1, {}),
        ("gray_alpha8", 4, 8, 2, {}),
        ("rgb8", 2, 8, 3, {}),
        ("rgba8", 6, 8, 4, {}),
        ("rgb8_stored", 2, 8, 3, {"level": 0}),
        ("rgb8_fixed", 2, 8, 3, {"strategy": zlib.Z_FIXED}),
        ("rgb8_interlaced", 2, 8, 3, {"interlace": True}),
        ("gray8_paeth", 0, 8, 1, {"filters": (4,)}),
    ]
    for index, (name, color_type, depth, spp, extra) in enumerate(cases):
        samples = pattern(11, 13, spp, seed=index)
        path = write_png(name, samples, color_type, depth, **extra)
        save_pixels(name, path)
        # Pillow must read back exactly what was written (checks the writer, interlacing included).
        assert np.array_equal(np.load(os.path.join(OUT, name + ".npy")), samples), name
    for depth in (1, 2, 4):
        samples = pattern(9, 19, 1, seed=depth, maximum=(1 << depth) - 1)
        path = write_png("gray%d" % depth, samples, 0, depth)
        save_pixels("gray%d" % depth, path)
    rng = np.random.default_rng(42)
    palette = rng.integers(0, 256, size=(12 * 3,)).tolist()
    indices = rng.integers(0, 12, size=(10, 14, 1))
    path = write_png("palette8", indices, 3, 8, palette=palette)
    save_pixels("palette8", path)
    indices4 = rng.integers(0, 12, size=(7, 9, 1))
    path = write_png("palette4", indices4, 3, 4, palette=palette)
    save_pixels("palette4", path)
    for name, color_type, spp in (("gray16", 0, 1), ("rgb16", 2, 3)):
        samples = pattern(6, 7, spp, seed=spp, maximum=65535)
        write_png(name, samples, color_type, 16)
        save_pixels(name, None, sixteen_bit=samples)


def pnm_fixtures():
    rgb = pattern(5, 6, 3, seed=7).astype(np.uint8)
    with open(os.path.join(OUT, "rgb.ppm"), "wb") as f:
        f.write(b"P6\n# a comment\n6 5\n255\n" + rgb.tobytes())
    np.save(os.path.join(OUT, "rgb_ppm.npy"), rgb)
    gray = pattern(4, 3, 1, seed=8, maximum=1000)
    with open(os.path.join(OUT, "gray16.pgm"), "wb") as f:
        f.write(b"P5 3 4 1000\n" + gray.astype(">u2").tobytes())
    np.save(os.path.join(OUT, "gray16_pgm.npy"), (gray.astype(np.float64) * 255.0 / 1000.0).astype(np.float32))


def inflate_fixtures():
    rng = np.random.default_rng(3)
    words = [b"resnet", b"conv", b"batchnorm", b"relu", b"residual", b"\n", b" "]
    payload = b"".join(words[i] for i in rng.integers(0, len(words), size=1500)) + bytes(rng.integers(0, 256, 500).tolist())
    with open(os.path.join(OUT, "inflate_payload.bin"), "wb") as f:
        f.write(payload)
    for name, level, strategy in (("stored", 0, zlib.Z_DEFAULT_STRATEGY), ("fixed", 9, zlib.Z_FIXED),
                                  ("dynamic", 9, zlib.Z_DEFAULT_STRATEGY)):
        compressor = zlib.compressobj(level, zlib.DEFLATED, 15, 9, strategy)
        with open(os.path.join(OUT, "inflate_%s.zlib" % name), "wb") as f:
            f.write(compressor.compress(payload) + compressor.flush())


def smooth_image(h, w, channels, seed):
    """A photo-like image: low-frequency color plus some texture."""
    rng = np.random.default_rng(seed)
    coarse = rng.random((h // 8 + 2, w // 8 + 2, channels))
    up = np.asarray(Image.fromarray((coarse * 255).astype(np.uint8).squeeze()).resize((w, h), Image.BICUBIC), dtype=np.float64)
    if up.ndim == 2:
        up = up[:, :, None]
    texture = rng.normal(0, 12, size=(h, w, channels))
    return np.clip(up + texture, 0, 255).astype(np.uint8)


def torchvision_reference(pixels, resize, crop, scale, mean, std, channels):
    """torchvision's tensor path on float32 values 0…255: Resize (bilinear, antialias),
    CenterCrop, ×scale, Normalize. Returns NCHW float32."""
    x = torch.from_numpy(pixels.astype(np.float32)).permute(2, 0, 1)
    if x.shape[0] == 1 and channels == 3:
        x = x.repeat(3, 1, 1)
    if x.shape[0] == 3 and channels == 1:
        x = (0.299 * x[0:1] + 0.587 * x[1:2] + 0.114 * x[2:3]).to(torch.float32)
    if resize is not None:
        x = F.resize(x, resize, interpolation=F.InterpolationMode.BILINEAR, antialias=True)
    if crop is not None:
        x = F.center_crop(x, crop)
    x = x * scale
    if mean is not None:
        x = F.normalize(x, mean, std)
    return x.unsqueeze(0).contiguous().numpy().astype(np.float32)


def pil_reference(path, resize, crop, mean, std):
    """The usual PIL pipeline (Resize on a PIL image rounds to uint8), for the report only."""
    image = Image.open(path).convert("RGB")
    image = F.resize(image, resize, interpolation=F.InterpolationMode.BILINEAR)
    image = F.center_crop(image, crop)
    return F.normalize(F.to_tensor(image), mean, std).unsqueeze(0).numpy()


def preprocessing_fixtures():
    photo = smooth_image(90, 120, 3, seed=5)
    Image.fromarray(photo).save(os.path.join(OUT, "photo.png"))
    gray = smooth_image(30, 40, 1, seed=6)
    Image.fromarray(gray[:, :, 0]).save(os.path.join(OUT, "gray.png"))
    cases = {
        "photo_imagenet": (photo, [64], [56], 1 / 255, IMAGENET_MEAN, IMAGENET_STD, 3),
        "photo_exact": (photo, [40, 50], None, 1 / 255, None, None, 3),
        "gray_upscale": (gray, [48], [44, 40], 1 / 255, IMAGENET_MEAN, IMAGENET_STD, 3),
        "photo_luma": (photo, [37, 53], [31, 50], 1 / 255, [0.5], [0.25], 1),
        "photo_odd": (photo, [83], [80, 81], 1 / 255, IMAGENET_MEAN, IMAGENET_STD, 3),
        "photo_shrink6": (photo, [15], None, 1 / 255, None, None, 3),
    }
    for name, (pixels, resize, crop, scale, mean, std, channels) in cases.items():
        np.save(os.path.join(OUT, name + ".npy"), torchvision_reference(pixels, resize, crop, scale, mean, std, channels))
    ours = torchvision_reference(photo, [64], [56], 1 / 255, IMAGENET_MEAN, IMAGENET_STD, 3)
    pil = pil_reference(os.path.join(OUT, "photo.png"), [64], [56], IMAGENET_MEAN, IMAGENET_STD)
    print("photo_imagenet: tensor path vs PIL path max |diff| = %.4g" % np.abs(ours - pil).max())


def imagenet_classes():
    from torchvision.models import ResNet50_Weights
    names = ResNet50_Weights.IMAGENET1K_V2.meta["categories"]
    assert len(names) == 1000 and all("\n" not in n and n for n in names)
    with open("Graphs/imagenet_classes.txt", "w") as f:
        f.write("\n".join(names) + "\n")


def digits_images():
    out = "Graphs/digits_images"
    os.makedirs(out, exist_ok=True)
    images = np.load("Graphs/digits_test_images.npy")[:20]
    labels = np.load("Graphs/digits_test_labels.npy")[:20]
    rows = ["file,label"]
    for index, (image, label) in enumerate(zip(images, labels)):
        name = "digit_%02d.png" % index
        Image.fromarray(np.round(image[0] * 255).astype(np.uint8), mode="L").save(os.path.join(out, name))
        rows.append("%s,%d" % (name, int(label)))
    with open(os.path.join(out, "labels.csv"), "w") as f:
        f.write("\n".join(rows) + "\n")


def main():
    os.makedirs(OUT, exist_ok=True)
    torch.set_num_threads(1)
    png_fixtures()
    pnm_fixtures()
    inflate_fixtures()
    preprocessing_fixtures()
    imagenet_classes()
    digits_images()
    total = sum(os.path.getsize(os.path.join(OUT, f)) for f in os.listdir(OUT))
    print("wrote %d files, %d bytes" % (len(os.listdir(OUT)), total))


if __name__ == "__main__":
    main()
