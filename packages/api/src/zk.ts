// What the api uses from @zkarena/zk, in one place. @zkarena/zk ships ambient declarations for its
// untyped dependencies (snarkjs, circomlibjs) in packages/zk/types, outside its `exports`; the
// references below make every program that imports the api (apps/web's typecheck too) see them.
/* eslint-disable @typescript-eslint/triple-slash-reference -- ambient `declare module` files, not importable modules */
/// <reference path="../../zk/types/snarkjs.d.ts" />
/// <reference path="../../zk/types/circomlibjs.d.ts" />
/* eslint-enable @typescript-eslint/triple-slash-reference */
export {
  BN254_R,
  MAX_BATCHES,
  MLP_SHAPES,
  hiddenSplitCommitment,
  type MlpShape,
  type Sample,
} from "@zkarena/zk";
