// Shared zod schemas for inputs (threat A6): every value that can reach the chain or a circuit is
// bounded here, once. Messages say what is expected, never echo the value.
import { z } from "zod";
import { BN254_R } from "./zk.ts";

export const UINT256_MAX = (1n << 256n) - 1n;

/** A 20-byte address, any case; normalised to lower case (the database convention). */
export const address = z
  .string()
  .regex(/^0x[0-9a-fA-F]{40}$/, { error: "must be a 0x-prefixed 20-byte address (40 hex digits)" })
  .transform((a) => a.toLowerCase() as `0x${string}`);

/** 32 bytes as 0x-hex (a hash), lower-cased. */
export const bytes32 = z
  .string()
  .regex(/^0x[0-9a-fA-F]{64}$/, { error: "must be 32 bytes as 0x-prefixed hex (64 hex digits)" })
  .transform((h) => h.toLowerCase() as `0x${string}`);

const decimal = z
  .string()
  .max(78, { error: "must be a decimal integer of at most 78 digits" })
  .regex(/^(0|[1-9][0-9]*)$/, {
    error: "must be a decimal integer string without sign, spaces or leading zeros",
  });

/** A uint256 as a decimal string (token amounts, ids): 0 ≤ v < 2^256. Parsed to bigint. */
export const uint256String = decimal
  .transform((s) => BigInt(s))
  .refine((v) => v <= UINT256_MAX, { error: "must be below 2^256" });

/** A BN254 field element as a decimal string (commitments, public signals): 0 ≤ v < r. */
export const fieldElementString = decimal
  .transform((s) => BigInt(s))
  .refine((v) => v < BN254_R, { error: "must be a field element (below the BN254 scalar field order r)" });
