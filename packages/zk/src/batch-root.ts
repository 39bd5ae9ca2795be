// The on-chain test commitment of a batched hidden split (the shared spec in briefs/batching.md, which
// ArenaEscrow implements in Solidity):
//
//  - B = 1: the root is the batch commitment c_0 itself (a field element, as a 32-byte word); no proof.
//  - B ≥ 2: leaf_i = keccak256(keccak256(abi.encode(uint256 i, uint256 c_i))) — OpenZeppelin
//    StandardMerkleTree's double-hashed leaf, so a leaf can never be confused with an inner node and
//    binds its index; inner nodes are OpenZeppelin's commutative keccak (keccak256 of the sorted pair),
//    so the contract checks `MerkleProof.verifyCalldata(proof, root, leaf)`.
//    Layout: level 0 is the leaves in index order; each level pairs (0,1), (2,3), …; an odd last node
//    is carried up unchanged. A proof lists the siblings bottom-up, skipping the levels where the node
//    had none (so it has ⌈log2 B⌉ entries at most).
//
// Pure: no I/O, O(B) to build a tree, O(log B) to verify.
import { encodeAbiParameters, keccak256, toHex, type Hex } from "viem";
import { BN254_R } from "./shape.ts";

/** Largest number of batches a challenge may have (ArenaEscrow.MAX_BATCHES). */
export const MAX_BATCHES = 4096;

export class BatchRootError extends Error {
  override name = "BatchRootError";
}

function checkCommitment(c: bigint, what: string): void {
  if (typeof c !== "bigint" || c < 0n || c >= BN254_R)
    throw new BatchRootError(`${what} must be a field element (0 ≤ c < r), got ${String(c)}`);
}

function checkIndex(i: number | bigint, count?: number): bigint {
  const n = typeof i === "bigint" ? i : Number.isSafeInteger(i) ? BigInt(i) : -1n;
  const limit = BigInt(count ?? MAX_BATCHES);
  if (n < 0n || n >= limit)
    throw new BatchRootError(`batch index ${String(i)} is not an integer in [0, ${limit - 1n}]`);
  return n;
}

function checkCommitments(commitments: readonly bigint[]): void {
  if (commitments.length < 1 || commitments.length > MAX_BATCHES)
    throw new BatchRootError(`a split has 1 to ${MAX_BATCHES} batches, got ${commitments.length}`);
  commitments.forEach((c, i) => checkCommitment(c, `batch commitment ${i}`));
}

/** OpenZeppelin `Hashes.commutativeKeccak256`: keccak256 of the two words, smaller first. */
function hashPair(a: Hex, b: Hex): Hex {
  const [lo, hi] = BigInt(a) < BigInt(b) ? [a, b] : [b, a];
  return keccak256(`0x${lo.slice(2)}${hi.slice(2)}`);
}

/** leaf_i = keccak256(bytes.concat(keccak256(abi.encode(uint256(i), uint256(c_i))))). */
export function batchLeaf(i: number | bigint, c: bigint): Hex {
  const index = checkIndex(i);
  checkCommitment(c, "batch commitment");
  return keccak256(keccak256(encodeAbiParameters([{ type: "uint256" }, { type: "uint256" }], [index, c])));
}

/** Every level of the tree, leaves first, root last (B ≥ 2). */
function levels(commitments: readonly bigint[]): Hex[][] {
  const out: Hex[][] = [commitments.map((c, i) => batchLeaf(i, c))];
  for (let level = out[0] as Hex[]; level.length > 1;) {
    const next: Hex[] = [];
    for (let k = 0; k < level.length; k += 2) {
      const left = level[k] as Hex;
      const right = level[k + 1];
      next.push(right === undefined ? left : hashPair(left, right));
    }
    out.push(next);
    level = next;
  }
  return out;
}

/** The on-chain `testCommitment` of a split with these batch commitments (B = 1: c_0 itself). */
export function batchRoot(commitments: readonly bigint[]): Hex {
  checkCommitments(commitments);
  if (commitments.length === 1) return toHex(commitments[0] as bigint, { size: 32 });
  const all = levels(commitments);
  return (all[all.length - 1] as Hex[])[0] as Hex;
}

/** Siblings of batch `i`, bottom-up (empty when B = 1). */
export function batchProof(commitments: readonly bigint[], i: number | bigint): Hex[] {
  checkCommitments(commitments);
  let pos = Number(checkIndex(i, commitments.length));
  if (commitments.length === 1) return [];
  const proof: Hex[] = [];
  const all = levels(commitments);
  for (const level of all.slice(0, -1)) {
    const sibling = level[pos ^ 1];
    if (sibling !== undefined) proof.push(sibling);
    pos >>= 1;
  }
  return proof;
}

/**
 * Whether `proof` shows that batch `i` of the split with this root has commitment `c`. An empty proof
 * is the B = 1 case: true iff `i` is 0 and the root is `c` itself. Never throws for a wrong proof;
 * throws BatchRootError only for malformed arguments.
 */
export function verifyBatchProof(root: Hex, i: number | bigint, c: bigint, proof: readonly Hex[]): boolean {
  if (!/^0x[0-9a-fA-F]{64}$/.test(root))
    throw new BatchRootError(`root must be a 32-byte hex word, got ${root}`);
  proof.forEach((p, k) => {
    if (!/^0x[0-9a-fA-F]{64}$/.test(p)) throw new BatchRootError(`proof[${k}] must be a 32-byte hex word`);
  });
  const index = checkIndex(i);
  checkCommitment(c, "batch commitment");
  if (proof.length === 0) return index === 0n && BigInt(root) === c;
  const computed = proof.reduce<Hex>((node, sibling) => hashPair(node, sibling), batchLeaf(index, c));
  return BigInt(computed) === BigInt(root);
}
