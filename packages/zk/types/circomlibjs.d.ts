// Minimal types for circomlibjs 0.1.7 (the TypeScript reference for circomlib's Poseidon).
declare module "circomlibjs" {
  /** An element of the BN254 scalar field in circomlibjs' internal (Montgomery) form. */
  export type FieldElement = Uint8Array;

  export interface ScalarField {
    /** Convert an element to its canonical integer. */
    toObject(element: FieldElement): bigint;
    e(value: bigint | number | string): FieldElement;
  }

  export interface Poseidon {
    /** Poseidon over 1..16 inputs, same constants as circomlib's `Poseidon(n)`. */
    (inputs: readonly (bigint | number | string | FieldElement)[]): FieldElement;
    F: ScalarField;
  }

  export function buildPoseidon(): Promise<Poseidon>;
}
