// Named circuit shapes. Only `ci` and `ciLinear` are in circuits/circuits.json today: the development setup's
// `prepare phase2` grows ~4.5× per two powers (~100 s at 2^12, ~490 s at 2^14, ~2 100 s at 2^16
// on these machines), and `npm start`'s first build must stay fast. `demo` and `benchmark` need a
// pinned public phase-1 file (or a faster known-τ dev setup) before they can be registered.
//
// Constraint counts (circom2 --O2, measured):
//   ci         4-3-3,   N = 4:  1 498  = 722 fixed + 194 per sample
//   ciLinear   4-0-3,   N = 4:  1 066  (LinearAccuracy)
//   64-16-10 (inBits 4, wBits 8, bBits 16, hBits 8, shift 6): 11 798 fixed + 2 276 per sample
//              (1 024 layer-1 products, 368 ReLU + requantization (19-bit decompositions), 160
//              layer-2 products, 210 + 216 range checks and comparisons for the argmax, 256 + 4
//              feature/label range checks, ~35 Poseidon for the ~260 packed bits, 3 isCorrect)
import { shapeId, type MlpShape } from "./shape.ts";

export interface NamedShape {
  id: string;
  shape: MlpShape;
  /** Registered in circuits/circuits.json (built by `npm run build -w @zkarena/circuits`). */
  registered: boolean;
  /** Constraints: measured for registered shapes, fixed + N · per-sample otherwise. */
  constraints: number;
  /** Smallest power of tau with 2^power ≥ constraints + public signals + 1. */
  power: number;
}

const named = (shape: MlpShape, registered: boolean, constraints: number): NamedShape => ({
  id: shapeId(shape),
  shape,
  registered,
  constraints,
  power: Math.ceil(Math.log2(constraints + 5 + 1)),
});

const digits = { D: 64, H: 16, C: 10, inBits: 4, wBits: 8, bBits: 16, hBits: 8, shift: 6 } as const;

export const MLP_SHAPES = {
  /** CI: tiny, power 11 (shares the commitment circuit's cached powers of tau). */
  ci: named({ D: 4, H: 3, C: 3, N: 4, inBits: 4, wBits: 8, bBits: 12, hBits: 8, shift: 4 }, true, 1498),
  /** CI, linear (H = 0; LinearAccuracy): power 11. */
  ciLinear: named({ D: 4, H: 0, C: 3, N: 4, inBits: 4, wBits: 8, bBits: 12, hBits: 8, shift: 0 }, true, 1066),
  /** Demo: 8×8 digits, 8 samples per proof. */
  demo: named({ ...digits, N: 8 }, false, 11_798 + 8 * 2_276),
  /** Benchmark: 8×8 digits, 32 samples per proof. */
  benchmark: named({ ...digits, N: 32 }, false, 11_798 + 32 * 2_276),
} as const satisfies Record<string, NamedShape>;
