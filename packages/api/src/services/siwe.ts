// Sign-In with Ethereum (ERC-4361) on viem/siwe, threats A1–A4.
//
// Order of checks in `verifySignIn` (each failure is UNAUTHORIZED with a message the user can act on):
//  1. parse the message; every field is compared with the server's configuration (domain, uri origin,
//     scheme, chain id, version) — never with anything taken from the request;
//  2. time: expirationTime is required and in the future, notBefore not in the future, issuedAt not
//     in the future (60 s skew) and not before the nonce was issued;
//  3. the nonce is PEEKED: it must have been issued by this server, be unused and unexpired;
//  4. the signature: EOAs are checked locally (ecrecover); otherwise the address must hold code on
//     the configured chain (whose id is checked) and answer ERC-1271 `isValidSignature` with the magic
//     value. Contract wallets get short sessions (SESSION_TTL_CONTRACT_SECONDS, threat A3);
//  5. only then is the nonce CONSUMED, atomically (`UPDATE … WHERE usedAt IS NULL AND expiresAt > now`
//     affects one row for exactly one of any number of concurrent requests), in the same transaction
//     that creates the account and the session. A bad signature therefore never burns a victim's
//     nonce (A4), and a replayed or concurrent message never yields a second session (A1).
import { randomBytes } from "node:crypto";
import { TRPCError } from "@trpc/server";
import { hashMessage, isAddress, recoverMessageAddress, type Hex } from "viem";
import { parseSiweMessage, validateSiweMessage } from "viem/siwe";
import type { Db } from "@zkarena/db";
import type { ApiEnv } from "../env.ts";
import { pruneRateLimitBuckets } from "./rate-limit.ts";
import { createSession, type Session } from "./session.ts";

/** ERC-1271 `isValidSignature(bytes32,bytes)` returns this selector when the signature is valid. */
export const ERC1271_MAGIC_VALUE = "0x1626ba7e";

export const erc1271Abi = [
  {
    type: "function",
    name: "isValidSignature",
    stateMutability: "view",
    inputs: [
      { name: "hash", type: "bytes32" },
      { name: "signature", type: "bytes" },
    ],
    outputs: [{ name: "magicValue", type: "bytes4" }],
  },
] as const;

/** What SIWE needs from the chain (a viem public client fits). */
export interface SiweChainReader {
  getChainId(): Promise<number>;
  getCode(args: { address: `0x${string}` }): Promise<Hex | undefined>;
  readContract(args: {
    address: `0x${string}`;
    abi: typeof erc1271Abi;
    functionName: "isValidSignature";
    args: readonly [Hex, Hex];
  }): Promise<Hex>;
}

const NONCE_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
export const NONCE_LENGTH = 32;
const CLOCK_SKEW_MS = 60_000;

/** 32 alphanumeric characters from the CSPRNG (~190 bits; no modulo bias: 62·4 = 248 ≤ 256). */
export function generateNonce(): string {
  let out = "";
  while (out.length < NONCE_LENGTH) {
    for (const byte of randomBytes(NONCE_LENGTH * 2)) {
      if (byte < 248 && out.length < NONCE_LENGTH) out += NONCE_ALPHABET[byte % 62];
    }
  }
  return out;
}

export interface IssuedNonce {
  nonce: string;
  expiresAt: Date;
  /** The values the signed message must carry (ERC-4361 fields), from the server's configuration. */
  domain: string;
  uri: string;
  scheme: string;
  chainId: number;
  version: "1";
}

/** Issues a server-side, single-use nonce with a TTL (threat A1). */
export async function issueNonce(db: Db, env: ApiEnv): Promise<IssuedNonce> {
  const nonce = generateNonce();
  const expiresAt = new Date(Date.now() + env.SIWE_NONCE_TTL_SECONDS * 1000);
  await db.authNonce.create({ data: { nonce, expiresAt } });
  // Housekeeping: drop nonces that expired a day ago (bounded, so one request never does much work).
  await db.$executeRaw`
    DELETE FROM "AuthNonce" WHERE "nonce" IN (
      SELECT "nonce" FROM "AuthNonce" WHERE "expiresAt" < now() - interval '1 day' LIMIT 100)`;
  await pruneRateLimitBuckets(db);
  const uri = new URL(env.SIWE_URI);
  return {
    nonce,
    expiresAt,
    domain: env.SIWE_DOMAIN,
    uri: uri.origin,
    scheme: uri.protocol.replace(/:$/, ""),
    chainId: env.CHAIN_ID,
    version: "1",
  };
}

function deny(message: string): never {
  throw new TRPCError({ code: "UNAUTHORIZED", message });
}

export interface SignInResult {
  session: Session;
  token: string;
  kind: "eoa" | "contract";
}

export interface VerifyOptions {
  message: string;
  signature: Hex;
  userAgent: string | null;
  /** Resolves ERC-1271 signatures; without it only EOAs can sign in. */
  chain: SiweChainReader | null;
  /**
   * Called once the signature has verified, before the nonce is consumed (the per-address rate
   * limit): only the address's owner can spend its budget, so nobody can lock a victim out.
   */
  afterSignature?: (address: `0x${string}`) => Promise<void>;
}

/** Checks a signed ERC-4361 message and opens a session (see the header for the order of checks). */
export async function verifySignIn(db: Db, env: ApiEnv, opts: VerifyOptions): Promise<SignInResult> {
  const expectedUri = new URL(env.SIWE_URI);
  const expectedScheme = expectedUri.protocol.replace(/:$/, "");
  const again = `Request a new sign-in message from ${expectedUri.origin} and sign it.`;

  const m = parseSiweMessage(opts.message);
  if (
    !m.address ||
    !isAddress(m.address, { strict: false }) ||
    !m.domain ||
    !m.uri ||
    !m.nonce ||
    !m.version
  ) {
    deny(`This is not a complete Sign-In with Ethereum (ERC-4361) message. ${again}`);
  }
  if (m.version !== "1") deny(`Unsupported sign-in message version "${m.version}". ${again}`);
  if (m.domain !== env.SIWE_DOMAIN) {
    deny(
      `This sign-in message is for "${m.domain}", not this site (${env.SIWE_DOMAIN}). Never sign messages a different site shows you. ${again}`,
    );
  }
  if (m.scheme !== expectedScheme) {
    deny(
      `The sign-in message must name the scheme "${expectedScheme}" (it has "${m.scheme ?? "none"}"). ${again}`,
    );
  }
  let uriOrigin: string;
  try {
    uriOrigin = new URL(m.uri).origin;
  } catch {
    deny(`The sign-in message's URI "${m.uri}" is not a URL. ${again}`);
  }
  if (uriOrigin !== expectedUri.origin) {
    deny(`This sign-in message is for "${m.uri}", not ${expectedUri.origin}. ${again}`);
  }
  if (m.chainId !== env.CHAIN_ID) {
    deny(
      `This sign-in message is for chain ${m.chainId ?? "(none)"}, but zkArena runs on chain ${env.CHAIN_ID}. Switch your wallet's network. ${again}`,
    );
  }
  const now = new Date();
  if (!m.expirationTime || Number.isNaN(m.expirationTime.getTime())) {
    deny(`The sign-in message must carry an expiration time. ${again}`);
  }
  if (m.expirationTime <= now)
    deny(`This sign-in message expired at ${m.expirationTime.toISOString()}. ${again}`);
  if (m.notBefore && (Number.isNaN(m.notBefore.getTime()) || m.notBefore > now)) {
    deny(
      `This sign-in message is not valid before ${m.notBefore.toISOString()}. Wait, or ${again.toLowerCase()}`,
    );
  }
  if (
    !m.issuedAt ||
    Number.isNaN(m.issuedAt.getTime()) ||
    m.issuedAt.getTime() > now.getTime() + CLOCK_SKEW_MS
  ) {
    deny(
      `The sign-in message's issue time is missing or in the future; check your computer's clock. ${again}`,
    );
  }
  const address = m.address.toLowerCase() as `0x${string}`;
  if (
    !validateSiweMessage({
      message: m,
      domain: env.SIWE_DOMAIN,
      nonce: m.nonce,
      scheme: expectedScheme,
      address: m.address,
      time: now,
    })
  ) {
    deny(`This sign-in message is not valid. ${again}`);
  }

  // Peek (do not consume) the nonce.
  const stored = await db.authNonce.findUnique({ where: { nonce: m.nonce } });
  if (!stored) deny(`This sign-in message's nonce was not issued by this server. ${again}`);
  if (stored.usedAt) deny(`This sign-in message was already used. ${again}`);
  if (stored.expiresAt <= now) deny(`This sign-in message's nonce expired. ${again}`);
  if (m.issuedAt.getTime() < stored.createdAt.getTime() - CLOCK_SKEW_MS) {
    deny(`This sign-in message claims to be older than its nonce. ${again}`);
  }

  const kind = await checkSignature(env, m.address, opts.message, opts.signature, opts.chain);
  await opts.afterSignature?.(address);

  const ttl = kind === "contract" ? env.SESSION_TTL_CONTRACT_SECONDS : env.SESSION_TTL_SECONDS;
  return db.$transaction(async (tx) => {
    const consumed = await tx.authNonce.updateMany({
      where: { nonce: m.nonce, usedAt: null, expiresAt: { gt: new Date() } },
      data: { usedAt: new Date(), usedBy: address },
    });
    if (consumed.count !== 1) deny(`This sign-in message was already used. ${again}`);
    await tx.account.upsert({ where: { address }, create: { address }, update: {} });
    const { session, token } = await createSession(tx, env, {
      address,
      chainId: env.CHAIN_ID,
      ttlSeconds: ttl,
      userAgent: opts.userAgent,
    });
    return { session, token, kind };
  });
}

async function checkSignature(
  env: ApiEnv,
  address: `0x${string}`,
  message: string,
  signature: Hex,
  chain: SiweChainReader | null,
): Promise<"eoa" | "contract"> {
  const bad =
    "The signature does not match the sign-in message and address. Sign the message again with the same wallet.";
  // 65-byte ECDSA signatures are tried locally first: no chain round trip for the common case.
  if (signature.length === 132) {
    try {
      const recovered = await recoverMessageAddress({ message, signature });
      if (recovered.toLowerCase() === address.toLowerCase()) return "eoa";
    } catch {
      // not a valid ECDSA signature; a contract wallet may still accept it
    }
  }
  if (!chain) deny(bad);
  let chainId: number;
  let code: Hex | undefined;
  try {
    chainId = await chain.getChainId();
    code = await chain.getCode({ address });
  } catch {
    throw new TRPCError({
      code: "SERVICE_UNAVAILABLE",
      message: "The chain could not be reached to check a contract-wallet signature. Try again in a minute.",
    });
  }
  // ERC-4361: ERC-1271 MUST be resolved on the message's chain (checked equal to CHAIN_ID above).
  if (chainId !== env.CHAIN_ID) {
    throw new TRPCError({
      code: "SERVICE_UNAVAILABLE",
      message: `The server's RPC endpoint is on chain ${chainId}, not ${env.CHAIN_ID}; contract wallets cannot sign in until the operator fixes RPC_URL.`,
    });
  }
  if (!code || code === "0x") deny(bad);
  let answer: Hex;
  try {
    answer = await chain.readContract({
      address,
      abi: erc1271Abi,
      functionName: "isValidSignature",
      args: [hashMessage(message), signature],
    });
  } catch {
    deny(`${bad} (the contract wallet rejected it)`);
  }
  if (answer.toLowerCase() !== ERC1271_MAGIC_VALUE) deny(bad);
  return "contract";
}
