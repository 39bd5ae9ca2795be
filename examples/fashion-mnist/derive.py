#!/usr/bin/python3
"""Derive the example's 14×14 Fashion-MNIST sample from Debian's dataset-fashion-mnist.

    apt-get install -y dataset-fashion-mnist python3-numpy
    /usr/bin/python3 examples/fashion-mnist/derive.py

Reads the IDX files under /usr/share/datasets/fashion-mnist/ (28×28, uint8), averages each 2×2 block
(→ 14×14 = 196 features, the benchmark circuit mlp-d196-h25-c10-n28; rounded half up to uint8) and
writes, in the same IDX format, gzipped, under data/:

    train-images-14x14-idx3-ubyte.gz / train-labels-idx1-ubyte.gz   TRAIN_N images of the training set
                                                                      (class-balanced, seeded)
    test-images-14x14-idx3-ubyte.gz  / test-labels-idx1-ubyte.gz    the first TEST_N images of the
                                                                      official test set (held out: never
                                                                      used for training)

The full 60 000 / 10 000 sets are read straight from Debian's files when they are installed
(data.ts, train.py); this sample keeps the example running where they are not.
Fashion-MNIST is © Zalando SE, MIT licence (data/LICENSE).
"""
import gzip
import os
import struct

import numpy as np

SRC = "/usr/share/datasets/fashion-mnist"
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "data")
TRAIN_N = 1000
TEST_N = 560  # 20 batches of the benchmark circuit's N = 28


def read_idx(path):
    with gzip.open(path, "rb") as f:
        data = f.read()
    magic, = struct.unpack(">I", data[:4])
    ndim = magic & 0xFF
    dims = struct.unpack(">" + "I" * ndim, data[4 : 4 + 4 * ndim])
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * ndim).reshape(dims)


def write_idx(path, array):
    array = np.ascontiguousarray(array, dtype=np.uint8)
    header = struct.pack(">I", 0x0800 | array.ndim) + struct.pack(">" + "I" * array.ndim, *array.shape)
    # mtime=0: the same input gives the same bytes
    with open(path, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", compresslevel=9, mtime=0) as f:
        f.write(header + array.tobytes())


def pool14(images):
    x = images.reshape(-1, 14, 2, 14, 2).astype(np.uint32).sum(axis=(2, 4))
    return ((x + 2) // 4).astype(np.uint8)  # mean of 4, rounded half up


def main():
    train_x = pool14(read_idx(os.path.join(SRC, "train-images-idx3-ubyte.gz")))
    train_y = read_idx(os.path.join(SRC, "train-labels-idx1-ubyte.gz"))
    test_x = pool14(read_idx(os.path.join(SRC, "t10k-images-idx3-ubyte.gz")))
    test_y = read_idx(os.path.join(SRC, "t10k-labels-idx1-ubyte.gz"))
    rng = np.random.default_rng(20261201)
    per_class = TRAIN_N // 10
    pick = np.sort(
        np.concatenate([rng.choice(np.flatnonzero(train_y == c), per_class, replace=False) for c in range(10)])
    )
    os.makedirs(OUT, exist_ok=True)
    write_idx(os.path.join(OUT, "train-images-14x14-idx3-ubyte.gz"), train_x[pick])
    write_idx(os.path.join(OUT, "train-labels-idx1-ubyte.gz"), train_y[pick])
    write_idx(os.path.join(OUT, "test-images-14x14-idx3-ubyte.gz"), test_x[:TEST_N])
    write_idx(os.path.join(OUT, "test-labels-idx1-ubyte.gz"), test_y[:TEST_N])
    for name in sorted(os.listdir(OUT)):
        print(f"data/{name}: {os.path.getsize(os.path.join(OUT, name))} bytes")
    print("test label counts:", np.bincount(test_y[:TEST_N], minlength=10).tolist())


if __name__ == "__main__":
    main()
