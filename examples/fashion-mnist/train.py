#!/usr/bin/python3
"""Train the baseline 196-25-10 MLP on 14×14 Fashion-MNIST in PyTorch and export it as ONNX.

    apt-get install -y python3-torch python3-onnx            # dataset-fashion-mnist optional
    /usr/bin/python3 examples/fashion-mnist/train.py [--size 14|8] [--out model.onnx] [--epochs 15]

--size 8 trains the 64-16-10 model for the demo circuit mlp-d64-h16-c10-n32 on 8×8 images (the
14×14 ones zero-padded to 16×16 and averaged over 2×2 blocks): `npm run bench:models` uses it.

Training data: Debian's full 60 000 training images (pooled to 14×14 exactly as derive.py does) when
dataset-fashion-mnist is installed, else the 1 000-image sample in data/. The held-out split is always
data/test-* (the first 560 images of the official test set, never trained on), so the numbers are
comparable either way.

Inputs are what the circuit reads: each 14×14 pixel (0..255) quantized to 4 bits,
q = floor(p · 15 / 255 + 1/2) ∈ [0, 15] — the values of the challenge's split files — so the float
model is trained on exactly the features it is scored on (import / quantize with input max 15).

The model is what a data scientist would write: x / 15 → nn.Flatten → Linear(196, 25) → ReLU →
Linear(25, 10), cross-entropy, Adam; exported with torch.onnx.export (opset 13), so the file holds
Div / Flatten / Gemm / Relu / Gemm (the importer folds the Div into the first layer).
"""
import argparse
import gzip
import os
import struct

import numpy as np
import torch
from torch import nn

HERE = os.path.dirname(os.path.abspath(__file__))
DEBIAN = "/usr/share/datasets/fashion-mnist"


def read_idx(path):
    with gzip.open(path, "rb") as f:
        data = f.read()
    ndim = struct.unpack(">I", data[:4])[0] & 0xFF
    dims = struct.unpack(">" + "I" * ndim, data[4 : 4 + 4 * ndim])
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * ndim).reshape(dims)


def pool14(images):
    x = images.reshape(-1, 14, 2, 14, 2).astype(np.uint32).sum(axis=(2, 4))
    return ((x + 2) // 4).astype(np.uint8)


def pool8(x14):
    """14×14 → 8×8 for the demo circuit (64 inputs): zero-pad to 16×16, mean of each 2×2 block."""
    x = np.zeros((len(x14), 16, 16), dtype=np.uint32)
    x[:, 1:15, 1:15] = x14.reshape(-1, 14, 14)
    x = x.reshape(-1, 8, 2, 8, 2).sum(axis=(2, 4))
    return ((x + 2) // 4).astype(np.uint8)


def load(size):
    test_x = read_idx(os.path.join(HERE, "data", "test-images-14x14-idx3-ubyte.gz"))
    test_y = read_idx(os.path.join(HERE, "data", "test-labels-idx1-ubyte.gz"))
    if os.path.exists(os.path.join(DEBIAN, "train-images-idx3-ubyte.gz")):
        train_x = pool14(read_idx(os.path.join(DEBIAN, "train-images-idx3-ubyte.gz")))
        train_y = read_idx(os.path.join(DEBIAN, "train-labels-idx1-ubyte.gz"))
        source = f"Debian dataset-fashion-mnist ({len(train_y)} training images)"
    else:
        train_x = read_idx(os.path.join(HERE, "data", "train-images-14x14-idx3-ubyte.gz"))
        train_y = read_idx(os.path.join(HERE, "data", "train-labels-idx1-ubyte.gz"))
        source = f"the shipped sample data/train-* ({len(train_y)} training images)"
    if size == 8:
        train_x, test_x = pool8(train_x), pool8(test_x)
    # 4-bit features, as in the challenge's files: floor(p * 15 / 255 + 0.5)
    f = lambda a: torch.floor(torch.tensor(a.reshape(len(a), 1, size, size), dtype=torch.float32) * 15 / 255 + 0.5)
    return f(train_x), torch.tensor(train_y, dtype=torch.long), f(test_x), torch.tensor(test_y, dtype=torch.long), source


class Scale(nn.Module):
    """x / s: inputs in [0, 15] → [0, 1] inside the model (exported as one Div)."""

    def __init__(self, s):
        super().__init__()
        self.s = s

    def forward(self, x):
        return x / self.s


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--size", type=int, choices=[14, 8], default=14, help="14 (benchmark circuit) or 8 (demo circuit)")
    ap.add_argument("--out", default=None, help="default model.onnx (14×14) / model-8x8.onnx (8×8)")
    ap.add_argument("--epochs", type=int, default=15)
    ap.add_argument("--hidden", type=int, default=None, help="default 25 (14×14) / 16 (8×8)")
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    torch.manual_seed(args.seed)
    torch.set_num_threads(2)
    out = args.out or os.path.join(HERE, "model.onnx" if args.size == 14 else "model-8x8.onnx")
    hidden = args.hidden or (25 if args.size == 14 else 16)
    xtr, ytr, xte, yte, source = load(args.size)
    D = args.size * args.size
    model = nn.Sequential(Scale(15.0), nn.Flatten(), nn.Linear(D, hidden), nn.ReLU(), nn.Linear(hidden, 10))
    opt = torch.optim.Adam(model.parameters(), lr=2e-3)
    loss_fn = nn.CrossEntropyLoss()
    batch = 128
    print(f"training on {source}, {args.epochs} epochs")
    for epoch in range(args.epochs):
        model.train()
        perm = torch.randperm(len(ytr))
        for i in range(0, len(ytr), batch):
            idx = perm[i : i + batch]
            opt.zero_grad()
            loss = loss_fn(model(xtr[idx]), ytr[idx])
            loss.backward()
            opt.step()
        model.eval()
        with torch.no_grad():
            acc = (model(xte).argmax(1) == yte).float().mean().item()
        print(f"epoch {epoch + 1:2d}: loss {loss.item():.3f}, held-out accuracy {acc:.4f}")
    model.eval()
    torch.onnx.export(
        model,
        xte[:1],
        out,
        input_names=["image"],
        output_names=["logits"],
        dynamic_axes={"image": {0: "batch"}, "logits": {0: "batch"}},
        opset_version=13,
        do_constant_folding=True,
    )
    with torch.no_grad():
        acc = (model(xte).argmax(1) == yte).float().mean().item()
    print(f"PyTorch float accuracy on the held-out {len(yte)} images: {acc:.4f}")
    print(f"wrote {out} ({os.path.getsize(out)} bytes)")


if __name__ == "__main__":
    main()
