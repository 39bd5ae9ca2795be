// @zkarena/zk: model formats, quantization, reference inference, commitments, circuit inputs.
export * from "./shape.ts";
export * from "./model.ts";
export * from "./quantize.ts";
export * from "./reference.ts";
export * from "./commit.ts";
export * from "./input.ts";
export * from "./prove.ts";
export * from "./shapes.ts";
export * from "./calldata.ts";
export * from "./batch-root.ts";
export * from "./artifacts.ts";
export * from "./batch.ts";
export * from "./sdk.ts";
export * from "./onnx.ts";
