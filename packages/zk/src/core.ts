// @zkarena/zk/core: everything a page needs before proving — model formats (JSON, ONNX), shapes and
// the circuit registry, quantization, the reference integer model, commitments (models, hidden
// splits in batches) and circuit inputs — without snarkjs (which the root entry and the prover add).
export * from "./shape.ts";
export * from "./model.ts";
export * from "./quantize.ts";
export * from "./reference.ts";
export * from "./commit.ts";
export * from "./input.ts";
export * from "./shapes.ts";
export * from "./calldata.ts";
export * from "./batch-root.ts";
export * from "./artifacts.ts";
export * from "./batch.ts";
export * from "./onnx.ts";
