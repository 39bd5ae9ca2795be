// Envelope encryption of hidden splits at rest (threat T1): AES-256-GCM everywhere.
//
//   data key  DK  = 32 random bytes, fresh per upload
//   content       = AES-256-GCM(DK, iv, plaintext, aad = "zkarena/hidden-split/v1/<challengeId>/content")
//   wrappedKey    = iv ‖ AES-256-GCM(MK, iv, DK, aad = ".../<challengeId>/key") ‖ tag
//   MK            = DATASET_MASTER_KEY from the environment (never in the database), named by encKeyId
//
// The associated data binds each ciphertext to its challenge: a row's ciphertext or wrapped key copied
// onto another challenge's row fails authentication instead of decrypting. Only ciphertext, ivs, tags
// and the wrapped key reach the database.
import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";

const IV_BYTES = 12;
const TAG_BYTES = 16;
const KEY_BYTES = 32;

export class DecryptionError extends Error {
  override name = "DecryptionError";
}

export interface SealedSplit {
  ciphertext: Uint8Array<ArrayBuffer>;
  encIv: Uint8Array<ArrayBuffer>;
  encTag: Uint8Array<ArrayBuffer>;
  wrappedKey: Uint8Array<ArrayBuffer>;
  encKeyId: string;
}

const aad = (challengeId: string, part: "content" | "key") =>
  Buffer.from(`zkarena/hidden-split/v1/${challengeId}/${part}`, "utf8");

/** Copies into a fresh ArrayBuffer-backed array (what Prisma's Bytes type wants). */
function bytes(buf: Uint8Array): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(new ArrayBuffer(buf.byteLength));
  out.set(buf);
  return out;
}

function checkKey(masterKey: Uint8Array): void {
  if (masterKey.byteLength !== KEY_BYTES) throw new DecryptionError("the master key must be 32 bytes");
}

export function sealSplit(
  masterKey: Uint8Array,
  encKeyId: string,
  challengeId: string,
  plaintext: Uint8Array,
): SealedSplit {
  checkKey(masterKey);
  const dataKey = randomBytes(KEY_BYTES);
  try {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv("aes-256-gcm", dataKey, iv);
    cipher.setAAD(aad(challengeId, "content"));
    const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
    const tag = cipher.getAuthTag();

    const wrapIv = randomBytes(IV_BYTES);
    const wrap = createCipheriv("aes-256-gcm", masterKey, wrapIv);
    wrap.setAAD(aad(challengeId, "key"));
    const wrapped = Buffer.concat([wrapIv, wrap.update(dataKey), wrap.final(), wrap.getAuthTag()]);
    return {
      ciphertext: bytes(ciphertext),
      encIv: bytes(iv),
      encTag: bytes(tag),
      wrappedKey: bytes(wrapped),
      encKeyId,
    };
  } finally {
    dataKey.fill(0);
  }
}

/** Decrypts a sealed split; throws DecryptionError (never with any data in its message). */
export function openSplit(
  masterKeys: ReadonlyMap<string, Uint8Array>,
  challengeId: string,
  sealed: {
    ciphertext: Uint8Array;
    encIv: Uint8Array;
    encTag: Uint8Array;
    wrappedKey: Uint8Array;
    encKeyId: string;
  },
): Buffer {
  const masterKey = masterKeys.get(sealed.encKeyId);
  if (!masterKey) {
    throw new DecryptionError(
      `the split was sealed with master key "${sealed.encKeyId}", which this server does not have (DATASET_MASTER_KEY_ID)`,
    );
  }
  checkKey(masterKey);
  const w = Buffer.from(sealed.wrappedKey);
  if (w.byteLength !== IV_BYTES + KEY_BYTES + TAG_BYTES)
    throw new DecryptionError("the wrapped data key is malformed");
  let dataKey: Buffer;
  try {
    const unwrap = createDecipheriv("aes-256-gcm", masterKey, w.subarray(0, IV_BYTES));
    unwrap.setAAD(aad(challengeId, "key"));
    unwrap.setAuthTag(w.subarray(IV_BYTES + KEY_BYTES));
    dataKey = Buffer.concat([unwrap.update(w.subarray(IV_BYTES, IV_BYTES + KEY_BYTES)), unwrap.final()]);
  } catch {
    throw new DecryptionError(
      "the data key does not authenticate under the master key (wrong key or tampered row)",
    );
  }
  try {
    const decipher = createDecipheriv("aes-256-gcm", dataKey, sealed.encIv);
    decipher.setAAD(aad(challengeId, "content"));
    decipher.setAuthTag(sealed.encTag);
    return Buffer.concat([decipher.update(sealed.ciphertext), decipher.final()]);
  } catch {
    throw new DecryptionError("the split's ciphertext does not authenticate (tampered row)");
  } finally {
    dataKey.fill(0);
  }
}
