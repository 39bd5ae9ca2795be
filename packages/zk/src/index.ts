// @zkarena/zk: model formats, quantization, reference inference, commitments, witness, prove/verify.
export {};
