// 14×14 Fashion-MNIST for the example and `npm run bench:models` (Node only: files and gunzip).
//
// Held-out split: data/test-* (the first 560 images of the official test set, pooled 2×2 by
// derive.py). Training split: Debian's full 60 000 images (/usr/share/datasets/fashion-mnist,
// pooled here exactly as derive.py does) when installed, else the 1 000-image sample data/train-*.
// Features are what the benchmark circuit reads: each pixel p quantized to 4 bits,
// floor(p · 15 / 255 + 1/2) ∈ [0, 15] (= quantizeInput(p, 4, 255)); quantize models with inputMax = 15.
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { gunzipSync } from "node:zlib";
import type { FloatSample } from "@zkarena/zk";

export const DATA_DIR = fileURLToPath(new URL("./data/", import.meta.url));
export const DEBIAN_DIR = "/usr/share/datasets/fashion-mnist";
export const CLASS_NAMES = [
  "T-shirt/top",
  "Trouser",
  "Pullover",
  "Dress",
  "Coat",
  "Sandal",
  "Shirt",
  "Sneaker",
  "Bag",
  "Ankle boot",
] as const;

/** An IDX file (gzipped): its dimensions and its uint8 values. */
export function readIdx(file: string): { dims: number[]; data: Uint8Array } {
  const buf = gunzipSync(fs.readFileSync(file));
  const magic = buf.readUInt32BE(0);
  if (magic >> 8 !== 0x08)
    throw new Error(`${file}: not an unsigned-byte IDX file (magic 0x${magic.toString(16)})`);
  const ndim = magic & 0xff;
  const dims = Array.from({ length: ndim }, (_, i) => buf.readUInt32BE(4 + 4 * i));
  const data = new Uint8Array(buf.buffer, buf.byteOffset + 4 + 4 * ndim, buf.length - 4 - 4 * ndim);
  const count = dims.reduce((a, d) => a * d, 1);
  if (data.length !== count) throw new Error(`${file}: ${data.length} bytes for dims [${dims.join(", ")}]`);
  return { dims, data };
}

/** 28×28 → 14×14: mean of each 2×2 block, rounded half up (as derive.py). */
export function pool14(img28: Uint8Array, offset: number): number[] {
  const out = new Array<number>(196);
  for (let r = 0; r < 14; r++)
    for (let c = 0; c < 14; c++) {
      const a = offset + 2 * r * 28 + 2 * c;
      out[r * 14 + c] = Math.floor((img28[a]! + img28[a + 1]! + img28[a + 28]! + img28[a + 29]! + 2) / 4);
    }
  return out;
}

/** A pixel 0..255 as the circuit's 4-bit feature. */
export const to4bit = (p: number): number => Math.floor((p * 15) / 255 + 0.5);

/** Features are 4-bit values: quantizing with this input max is the identity. */
export const INPUT_MAX = 15;

/** 14×14 → 8×8 (the demo circuit's 64 inputs): zero-pad to 16×16, mean of each 2×2 block (as train.py). */
export function pool8(p14: readonly number[]): number[] {
  const at = (r: number, c: number) =>
    r >= 1 && r <= 14 && c >= 1 && c <= 14 ? p14[(r - 1) * 14 + (c - 1)]! : 0;
  const out = new Array<number>(64);
  for (let r = 0; r < 8; r++)
    for (let c = 0; c < 8; c++)
      out[r * 8 + c] = Math.floor(
        (at(2 * r, 2 * c) + at(2 * r, 2 * c + 1) + at(2 * r + 1, 2 * c) + at(2 * r + 1, 2 * c + 1) + 2) / 4,
      );
  return out;
}

/** Image side: 14 (196 inputs, the benchmark circuit) or 8 (64 inputs, the demo circuit). */
export type Size = 14 | 8;

function samples(
  images: { dims: number[]; data: Uint8Array },
  labels: Uint8Array,
  limit?: number,
  size: Size = 14,
): FloatSample[] {
  const [n, h, w] = images.dims as [number, number, number];
  const count = Math.min(n, labels.length, limit ?? Infinity);
  const out: FloatSample[] = [];
  for (let i = 0; i < count; i++) {
    const pixels =
      h === 28 && w === 28
        ? pool14(images.data, i * 784)
        : Array.from(images.data.subarray(i * h * w, (i + 1) * h * w));
    if (pixels.length !== 196) throw new Error(`image ${i} is ${h}×${w}, expected 14×14 or 28×28`);
    out.push({ x: (size === 8 ? pool8(pixels) : pixels).map(to4bit), label: labels[i]! });
  }
  return out;
}

/** The held-out split (560 images unless `limit`). */
export function loadTest(limit?: number, size: Size = 14): FloatSample[] {
  return samples(
    readIdx(path.join(DATA_DIR, "test-images-14x14-idx3-ubyte.gz")),
    readIdx(path.join(DATA_DIR, "test-labels-idx1-ubyte.gz")).data,
    limit,
    size,
  );
}

/** The training split: Debian's 60 000 images when installed, else the shipped 1 000 (`source` says which). */
export function loadTrain(limit?: number, size: Size = 14): { samples: FloatSample[]; source: string } {
  const debian = path.join(DEBIAN_DIR, "train-images-idx3-ubyte.gz");
  if (fs.existsSync(debian)) {
    const s = samples(
      readIdx(debian),
      readIdx(path.join(DEBIAN_DIR, "train-labels-idx1-ubyte.gz")).data,
      limit,
      size,
    );
    return { samples: s, source: `Debian dataset-fashion-mnist (${s.length} images)` };
  }
  const s = samples(
    readIdx(path.join(DATA_DIR, "train-images-14x14-idx3-ubyte.gz")),
    readIdx(path.join(DATA_DIR, "train-labels-idx1-ubyte.gz")).data,
    limit,
    size,
  );
  return { samples: s, source: `the shipped sample (${s.length} images)` };
}
