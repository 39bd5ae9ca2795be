// Ambient types for snarkjs and circomlibjs, shared with circuits/ (its tsconfig includes this folder).
// Minimal types for the parts of snarkjs 0.7.6 that this package's TypeScript uses (the build
// scripts are plain .mjs). Values snarkjs returns loosely are typed `unknown` and narrowed by the
// caller.
declare module "snarkjs" {
  /** A signal value or (nested) array of them, as circom witness calculators accept. */
  export type SignalValue = bigint | number | string | SignalValue[];
  export type CircuitInput = Record<string, SignalValue>;

  export interface Logger {
    debug(message: string): void;
    info(message: string): void;
    warn(message: string): void;
    error(message: string): void;
  }

  /** fastfile's in-memory file: pass `{ type: "mem" }`, snarkjs fills `data`. */
  export interface MemFile {
    type: "mem";
    data?: Uint8Array;
  }

  export interface Groth16Proof {
    pi_a: string[];
    pi_b: string[][];
    pi_c: string[];
    protocol: string;
    curve: string;
  }

  export namespace groth16 {
    function fullProve(
      input: CircuitInput,
      wasmFile: string | Uint8Array,
      zkeyFile: string | Uint8Array,
      logger?: Logger,
    ): Promise<{ proof: Groth16Proof; publicSignals: string[] }>;
    /** Prove from a computed witness (a file, or `{ type: "mem" }` filled by wtns.calculate). */
    function prove(
      zkeyFile: string | Uint8Array,
      witness: string | MemFile,
      logger?: Logger,
      options?: { singleThread?: boolean },
    ): Promise<{ proof: Groth16Proof; publicSignals: string[] }>;
    /** Resolves false (never throws) for an invalid proof or public inputs ≥ r. */
    function verify(
      vk: unknown,
      publicSignals: readonly (string | bigint)[],
      proof: Groth16Proof,
      logger?: Logger,
    ): Promise<boolean>;
  }

  export namespace wtns {
    function calculate(
      input: CircuitInput,
      wasmFile: string | Uint8Array,
      wtnsFile: string | MemFile,
    ): Promise<void>;
    /** The witness as field elements (bigints in practice). */
    function exportJson(wtnsFile: string): Promise<unknown[]>;
  }

  export namespace r1cs {
    interface R1csInfo {
      nVars: number;
      nConstraints: number;
      nPubInputs: number;
      nPrvInputs: number;
      nOutputs: number;
      nLabels: number;
    }
    /** A linear combination: witness index → coefficient (decimal string). */
    type LinearCombination = Record<string, string>;
    interface R1csJson {
      nVars: number;
      nConstraints: number;
      nPubInputs: number;
      nPrvInputs: number;
      nOutputs: number;
      constraints: [LinearCombination, LinearCombination, LinearCombination][];
    }
    function info(r1csFile: string, logger?: Logger | null): Promise<R1csInfo>;
    function exportJson(r1csFile: string, logger?: Logger): Promise<R1csJson>;
  }

  export namespace zKey {
    function exportVerificationKey(zkeyFile: string, logger?: Logger): Promise<Record<string, unknown>>;
  }
}
