import * as snarkjs from "snarkjs";
import { describe, expect, it } from "vitest";
import { BN254_Q, ProofFormatError, proofCalldata, publicSignalsCalldata } from "../src/calldata.ts";
import { BN254_R } from "../src/shape.ts";

// snarkjs' own formatter (not in the package's ambient types): the reference for the argument order.
const exportSolidityCallData = (
  snarkjs.groth16 as unknown as {
    exportSolidityCallData(proof: unknown, publicSignals: readonly string[]): Promise<string>;
  }
).exportSolidityCallData;

// A proof-shaped object with distinct coordinates, so any swap shows (the formatter does no curve math).
const proof = {
  pi_a: ["11", "12", "1"],
  pi_b: [
    ["21", "22"],
    ["23", "24"],
    ["1", "0"],
  ],
  pi_c: [(BN254_Q - 1n).toString(), "32", "1"],
  protocol: "groth16",
  curve: "bn128",
};

describe("proofCalldata", () => {
  it("returns the verifier's arguments in the order snarkjs' exportSolidityCallData prints them", async () => {
    const text = await exportSolidityCallData(proof, ["5"]);
    const [pA, pB, pC] = JSON.parse(`[${text}]`) as [string[], string[][], string[]];
    const calldata = proofCalldata(proof);
    expect(calldata.pA).toEqual(pA.map(BigInt));
    expect(calldata.pB).toEqual(pB.map((row) => row.map(BigInt)));
    expect(calldata.pC).toEqual(pC.map(BigInt));
    expect(calldata.pB).toEqual([
      [22n, 21n],
      [24n, 23n],
    ]);
  });

  it("refuses coordinates ≥ q, non-decimal strings, non-affine points and other protocols", () => {
    const withA = (pi_a: string[]) => ({ ...proof, pi_a });
    expect(() => proofCalldata(withA([BN254_Q.toString(), "1", "1"]))).toThrow(/pi_a\.0 must be below/);
    expect(() => proofCalldata(withA(["0x1", "1", "1"]))).toThrow(ProofFormatError);
    expect(() => proofCalldata(withA(["01", "1", "1"]))).toThrow(/decimal integer/);
    expect(() => proofCalldata(withA(["1", "1", "2"]))).toThrow(/pi_a\.2/);
    expect(() => proofCalldata({ ...proof, protocol: "plonk" })).toThrow(/protocol/);
    expect(() => proofCalldata(null)).toThrow(/pass the `proof` object/);
  });
});

describe("publicSignalsCalldata", () => {
  it("converts decimal signals and refuses values ≥ r", () => {
    expect(publicSignalsCalldata(["0", "42", (BN254_R - 1n).toString()])).toEqual([0n, 42n, BN254_R - 1n]);
    expect(() => publicSignalsCalldata([BN254_R.toString()])).toThrow(/signal 0 is not below/);
    expect(() => publicSignalsCalldata(["1", "-1"])).toThrow(/signal 1 is not a decimal/);
  });
});
