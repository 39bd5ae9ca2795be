import { describe, expect, it } from "vitest";
import { MLP_SHAPES, testCommitment, type IntModel } from "@zkarena/zk";
import { publicProofRequest } from "../src/public-split.ts";

const shape = MLP_SHAPES.ci.shape;
const rows = Array.from({ length: 9 }, (_, i) => [i, (i * 3) % 16, 15 - i, 7, i % 3]);
const competitor = {
  model: { shape } as unknown as IntModel,
  modelSalt: 5n,
  challengeId: 3n,
  submitter: 0xabcn,
};

describe("publicProofRequest", () => {
  it("proves batch i on rows [from, to) with the public salt 0, whose commitment anyone recomputes", async () => {
    const target = { index: 1, from: 4, to: 8, commitment: "0" };
    const request = publicProofRequest(shape, rows, target, "0", competitor);
    expect(request.testSalt).toBe(0n);
    expect(request.samples.map((s) => Number(s.x[0]))).toEqual([4, 5, 6, 7]);
    expect(request.samples.map((s) => Number(s.label))).toEqual([1, 2, 0, 1]);
    expect(request).toMatchObject({ modelSalt: 5n, challengeId: 3n, submitter: 0xabcn });
    // The server's definition (packages/api services/public-split.ts): testCommitment(shape, batch, 0).
    const batch = rows.slice(4, 8).map((r) => ({ x: r.slice(0, 4).map(BigInt), label: BigInt(r[4] ?? 0) }));
    expect(await testCommitment(shape, request.samples, request.testSalt)).toBe(
      await testCommitment(shape, batch, 0n),
    );
  });

  it("rejects a split shorter than the batch it names instead of proving a partial batch", () => {
    expect(() =>
      publicProofRequest(shape, rows, { index: 2, from: 8, to: 12, commitment: "0" }, "0", competitor),
    ).toThrow(/fewer than batch 2 needs/);
  });
});
