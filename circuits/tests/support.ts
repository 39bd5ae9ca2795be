// Helpers shared by the accuracy-circuit tests (tests/mlp.test.ts, tests/shapes.test.ts).
import { BN254_R } from "../scripts/lib.mjs";
import { PACK_BITS } from "../../packages/zk/src/index.ts";

/** Deterministic pseudo-random numbers (mulberry32), so failures reproduce. */
export function rng(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** x as a field element (negative x → r − |x|). */
export const mod = (x: bigint) => ((x % BN254_R) + BN254_R) % BN254_R;

/** The circuit's packing WITHOUT range checks: lets a test build a commitment that matches an
 *  out-of-range value, so that only the range check can reject it. */
export function rawPack(values: readonly bigint[], bits: readonly number[]): bigint[] {
  const out: bigint[] = [];
  let acc = 0n;
  let used = PACK_BITS;
  values.forEach((v, i) => {
    const b = bits[i] as number;
    if (used + b > PACK_BITS) {
      if (i > 0) out.push(acc);
      acc = 0n;
      used = 0;
    }
    acc = mod(acc + mod(v) * (1n << BigInt(used)));
    used += b;
  });
  out.push(acc);
  return out;
}
