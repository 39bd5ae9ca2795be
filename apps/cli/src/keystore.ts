// Web3 Secret Storage v3 keystores (the JSON that geth, ethers' `Wallet.encrypt`, foundry's
// `cast wallet import` and MetaMask exports write): scrypt or pbkdf2, AES-128-CTR, keccak256 MAC.
// viem has no keystore support, so the ~40 lines live here; node:crypto does the work.
import {
  createCipheriv,
  createDecipheriv,
  pbkdf2Sync,
  randomBytes,
  randomUUID,
  scryptSync,
} from "node:crypto";
import { bytesToHex, concatBytes, hexToBytes, keccak256, type Hex } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { z } from "zod";
import { CliError, EXIT } from "./errors.ts";

const hex = z.string().regex(/^(0x)?[0-9a-fA-F]*$/, { error: "must be hex" });
const keystoreSchema = z.object({
  version: z.literal(3, { error: "only version 3 keystores are supported" }),
  address: z.string().optional(),
  crypto: z.object({
    cipher: z.literal("aes-128-ctr", { error: "only aes-128-ctr keystores are supported" }),
    ciphertext: hex,
    cipherparams: z.object({ iv: hex }),
    kdf: z.enum(["scrypt", "pbkdf2"], { error: "kdf must be scrypt or pbkdf2" }),
    kdfparams: z.looseObject({
      dklen: z.number().int().min(32).max(64),
      salt: hex,
      n: z.number().int().positive().optional(),
      r: z.number().int().positive().optional(),
      p: z.number().int().positive().optional(),
      c: z.number().int().positive().optional(),
      prf: z.literal("hmac-sha256").optional(),
    }),
    mac: hex,
  }),
});

export type Keystore = z.infer<typeof keystoreSchema>;

const bytes = (h: string) => hexToBytes((h.startsWith("0x") ? h : `0x${h}`) as Hex);

function deriveKey(ks: Keystore["crypto"], passphrase: string): Uint8Array {
  const p = ks.kdfparams;
  const salt = bytes(p.salt);
  if (ks.kdf === "scrypt") {
    const { n, r, p: par } = p;
    if (!n || !r || !par) throw new CliError("keystore: scrypt needs n, r and p", EXIT.input);
    return scryptSync(passphrase.normalize("NFKC"), salt, p.dklen, {
      N: n,
      r,
      p: par,
      maxmem: 128 * n * r * par + 64 * 1024 * 1024,
    });
  }
  if (!p.c) throw new CliError("keystore: pbkdf2 needs c", EXIT.input);
  return pbkdf2Sync(passphrase.normalize("NFKC"), salt, p.c, p.dklen, "sha256");
}

/** The private key in a v3 keystore; a wrong passphrase fails the MAC check (exit code 6). */
export function decryptKeystore(json: unknown, passphrase: string, source = "keystore"): Hex {
  const parsed = keystoreSchema.safeParse(json);
  if (!parsed.success)
    throw new CliError(
      `${source} is not a v3 JSON keystore: ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`,
      EXIT.input,
    );
  const c = parsed.data.crypto;
  const key = deriveKey(c, passphrase);
  const ciphertext = bytes(c.ciphertext);
  const mac = keccak256(concatBytes([key.slice(16, 32), ciphertext]));
  if (mac.slice(2).toLowerCase() !== c.mac.replace(/^0x/, "").toLowerCase())
    throw new CliError(`${source}: wrong passphrase (the keystore's MAC does not match)`, EXIT.config);
  const decipher = createDecipheriv("aes-128-ctr", key.slice(0, 16), bytes(c.cipherparams.iv));
  const pk = Buffer.concat([decipher.update(ciphertext), decipher.final()]);
  if (pk.length !== 32) throw new CliError(`${source}: the decrypted key is not 32 bytes`, EXIT.input);
  return bytesToHex(pk);
}

/** Encrypts a private key as a v3 keystore (scrypt; n = 2^18 like geth unless told otherwise). */
export function encryptKeystore(privateKey: Hex, passphrase: string, opts: { n?: number } = {}): Keystore {
  const salt = randomBytes(32);
  const iv = randomBytes(16);
  const n = opts.n ?? 262_144;
  const key = scryptSync(passphrase.normalize("NFKC"), salt, 32, {
    N: n,
    r: 8,
    p: 1,
    maxmem: 128 * n * 8 + 64 * 1024 * 1024,
  });
  const cipher = createCipheriv("aes-128-ctr", key.subarray(0, 16), iv);
  const ciphertext = Buffer.concat([cipher.update(bytes(privateKey)), cipher.final()]);
  const mac = keccak256(concatBytes([key.subarray(16, 32), ciphertext]));
  return {
    version: 3,
    address: privateKeyToAccount(privateKey).address.slice(2).toLowerCase(),
    crypto: {
      cipher: "aes-128-ctr",
      ciphertext: ciphertext.toString("hex"),
      cipherparams: { iv: iv.toString("hex") },
      kdf: "scrypt",
      kdfparams: { dklen: 32, salt: salt.toString("hex"), n, r: 8, p: 1 },
      mac: mac.slice(2),
    },
    ...{ id: randomUUID() },
  } as Keystore;
}
