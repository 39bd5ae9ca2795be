import { encodeAbiParameters, keccak256, toHex, type Hex } from "viem";
import { describe, expect, it } from "vitest";
import {
  BatchRootError,
  MAX_BATCHES,
  batchLeaf,
  batchProof,
  batchRoot,
  verifyBatchProof,
} from "../src/batch-root.ts";
import { BN254_R } from "../src/shape.ts";

// Commitments spread over the field (deterministic, distinct).
const commitments = (n: number): bigint[] =>
  Array.from({ length: n }, (_, i) => BigInt(keccak256(toHex(`batch-${i}`))) % BN254_R);

// Written out independently of the module: keccak of the two words in ascending order.
const pairHash = (a: Hex, b: Hex): Hex =>
  BigInt(a) <= BigInt(b)
    ? keccak256(`0x${a.slice(2)}${b.slice(2)}`)
    : keccak256(`0x${b.slice(2)}${a.slice(2)}`);

describe("batchLeaf", () => {
  it("is OpenZeppelin's double-hashed leaf of abi.encode(uint256 i, uint256 c)", () => {
    const inner = keccak256(encodeAbiParameters([{ type: "uint256" }, { type: "uint256" }], [3n, 12345n]));
    expect(batchLeaf(3, 12345n)).toBe(keccak256(inner));
    expect(batchLeaf(3n, 12345n)).toBe(batchLeaf(3, 12345n));
  });

  it("binds the index: the same commitment at another index is another leaf", () => {
    expect(batchLeaf(0, 7n)).not.toBe(batchLeaf(1, 7n));
  });

  it("rejects commitments outside the field and bad indices", () => {
    expect(() => batchLeaf(0, BN254_R)).toThrow(BatchRootError);
    expect(() => batchLeaf(0, -1n)).toThrow(/field element/);
    expect(() => batchLeaf(-1, 1n)).toThrow(/batch index -1/);
    expect(() => batchLeaf(1.5, 1n)).toThrow(BatchRootError);
    expect(() => batchLeaf(MAX_BATCHES, 1n)).toThrow(/\[0, 4095\]/);
  });
});

describe("batchRoot", () => {
  it("is c_0 itself as a 32-byte word when B = 1", () => {
    expect(batchRoot([5n])).toBe(toHex(5n, { size: 32 }));
  });

  it("hashes two leaves for B = 2", () => {
    const c = commitments(2);
    expect(batchRoot(c)).toBe(pairHash(batchLeaf(0, c[0]!), batchLeaf(1, c[1]!)));
  });

  it("carries an odd last node up unchanged (B = 3 and B = 5)", () => {
    const c = commitments(5);
    const l = c.map((v, i) => batchLeaf(i, v));
    expect(batchRoot(c.slice(0, 3))).toBe(pairHash(pairHash(l[0]!, l[1]!), l[2]!));
    const h01 = pairHash(l[0]!, l[1]!);
    const h23 = pairHash(l[2]!, l[3]!);
    expect(batchRoot(c)).toBe(pairHash(pairHash(h01, h23), l[4]!));
  });

  it("changes when any commitment changes or two batches swap", () => {
    const c = commitments(6);
    const root = batchRoot(c);
    for (let i = 0; i < c.length; i++) {
      const changed = [...c];
      changed[i] = (changed[i]! + 1n) % BN254_R;
      expect(batchRoot(changed)).not.toBe(root);
    }
    const swapped = [c[1]!, c[0]!, ...c.slice(2)];
    expect(batchRoot(swapped)).not.toBe(root);
  });

  it("refuses an empty split, more than 4096 batches, and values ≥ r", () => {
    expect(() => batchRoot([])).toThrow(/1 to 4096 batches, got 0/);
    expect(() => batchRoot(new Array<bigint>(MAX_BATCHES + 1).fill(1n))).toThrow(/got 4097/);
    expect(() => batchRoot([1n, BN254_R])).toThrow(/batch commitment 1 must be a field element/);
  });

  it("builds the largest tree (4096 batches)", () => {
    const c = Array.from({ length: MAX_BATCHES }, (_, i) => BigInt(i) + 1n);
    const root = batchRoot(c);
    const proof = batchProof(c, 4095);
    expect(proof).toHaveLength(12);
    expect(verifyBatchProof(root, 4095, 4096n, proof)).toBe(true);
  });
});

describe("batchProof / verifyBatchProof", () => {
  it("proves every batch for every B from 1 to 33, with at most ⌈log2 B⌉ siblings", () => {
    for (let b = 1; b <= 33; b++) {
      const c = commitments(b);
      const root = batchRoot(c);
      for (let i = 0; i < b; i++) {
        const proof = batchProof(c, i);
        expect(proof.length).toBeLessThanOrEqual(Math.ceil(Math.log2(b)));
        expect(verifyBatchProof(root, i, c[i]!, proof)).toBe(true);
      }
    }
  });

  it("rejects another commitment, another index, and a tampered or truncated proof", () => {
    const c = commitments(7);
    const root = batchRoot(c);
    const proof = batchProof(c, 2);
    expect(verifyBatchProof(root, 2, c[3]!, proof)).toBe(false);
    expect(verifyBatchProof(root, 3, c[2]!, proof)).toBe(false);
    const tampered = [...proof];
    tampered[0] = keccak256(tampered[0]!);
    expect(verifyBatchProof(root, 2, c[2]!, tampered)).toBe(false);
    expect(verifyBatchProof(root, 2, c[2]!, proof.slice(0, -1))).toBe(false);
  });

  it("treats an empty proof as the B = 1 case only", () => {
    expect(verifyBatchProof(toHex(9n, { size: 32 }), 0, 9n, [])).toBe(true);
    expect(verifyBatchProof(toHex(9n, { size: 32 }), 1, 9n, [])).toBe(false);
    expect(verifyBatchProof(toHex(9n, { size: 32 }), 0, 8n, [])).toBe(false);
    const c = commitments(2);
    expect(verifyBatchProof(batchRoot(c), 0, c[0]!, [])).toBe(false);
  });

  it("rejects an index outside the split and malformed hex", () => {
    expect(() => batchProof(commitments(3), 3)).toThrow(/\[0, 2\]/);
    expect(() => verifyBatchProof("0x12", 0, 1n, [])).toThrow(/32-byte hex/);
    expect(() => verifyBatchProof(batchRoot(commitments(2)), 0, 1n, ["0x00"])).toThrow(/proof\[0\]/);
  });
});
