// @zkarena/zk: model formats, quantization, reference inference, commitments, circuit inputs
// (@zkarena/zk/core), and the prover (snarkjs).
export * from "./core.ts";
export * from "./prove.ts";
export * from "./sdk.ts";
