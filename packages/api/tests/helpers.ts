// Shared test helpers: a configuration, contexts with or without a session, SIWE messages signed by
// real keys (anvil's well-known development accounts), and an assertion for typed tRPC errors.
import { expect } from "vitest";
import { TRPCError } from "@trpc/server";
import { createSiweMessage, type SiweMessage } from "viem/siwe";
import { privateKeyToAccount, type PrivateKeyAccount } from "viem/accounts";
import type { TestDb } from "@zkarena/db/testing";
import { readApiEnv, type ApiEnv } from "../src/env.ts";
import { createCaller } from "../src/root.ts";
import { createTRPCContext, type Session } from "../src/trpc.ts";
import { createSession } from "../src/services/session.ts";
import type { SiweChainReader } from "../src/services/siwe.ts";
import type { EscrowReader } from "../src/services/escrow.ts";

export const alice: PrivateKeyAccount = privateKeyToAccount(
  "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80",
);
export const bob: PrivateKeyAccount = privateKeyToAccount(
  "0x59c6995e998f97a5a0044966f0945389dc9c86dae88c7a8412f4603b6b78690d",
);
export const carol: PrivateKeyAccount = privateKeyToAccount(
  "0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a",
);

export const lower = (a: PrivateKeyAccount) => a.address.toLowerCase() as `0x${string}`;

export function testEnv(overrides: Record<string, string> = {}): ApiEnv {
  return readApiEnv({
    NODE_ENV: "test",
    SIWE_DOMAIN: "arena.test:3000",
    SIWE_URI: "http://arena.test:3000",
    CHAIN_ID: "31337",
    SESSION_SECRET: "test-session-secret-0123456789abcdef",
    DATASET_MASTER_KEY: "11".repeat(32),
    RATE_LIMIT_AUTH_PER_MINUTE: "1000",
    RATE_LIMIT_WRITE_PER_MINUTE: "1000",
    RATE_LIMIT_DOWNLOAD_PER_MINUTE: "1000",
    ...overrides,
  });
}

export interface CallerOptions {
  session?: Session | null;
  cookie?: string;
  clientIp?: string;
  env?: ApiEnv;
  chain?: SiweChainReader | null;
  /** The escrow for money reads (default: none, so tests never reach a chain by accident). */
  escrow?: EscrowReader | null;
}

/** A caller plus the response headers it writes (Set-Cookie). */
export async function callerFor(db: TestDb, opts: CallerOptions = {}) {
  const headers = new Headers();
  if (opts.cookie) headers.set("cookie", opts.cookie);
  const resHeaders = new Headers();
  const ctx = await createTRPCContext({
    headers,
    db,
    resHeaders,
    clientIp: opts.clientIp ?? "192.0.2.1",
    env: opts.env ?? testEnv(),
    chain: opts.chain ?? null,
    escrow: opts.escrow ?? null,
    ...(opts.session !== undefined ? { session: opts.session } : {}),
  });
  return { api: createCaller(ctx), resHeaders, ctx };
}

/** A real Session row (and account) for `who`, as a signed-in context would carry. */
export async function sessionFor(db: TestDb, who: PrivateKeyAccount, env = testEnv()): Promise<Session> {
  const address = lower(who);
  await db.db.account.upsert({ where: { address }, create: { address }, update: {} });
  const { session } = await createSession(db.db, env, {
    address,
    chainId: env.CHAIN_ID,
    ttlSeconds: 3600,
    userAgent: null,
  });
  return session;
}

export function siweMessage(
  who: PrivateKeyAccount,
  nonce: string,
  overrides: Partial<SiweMessage> = {},
): string {
  const now = Date.now();
  return createSiweMessage({
    address: who.address,
    chainId: 31337,
    domain: "arena.test:3000",
    uri: "http://arena.test:3000",
    scheme: "http",
    nonce,
    version: "1",
    statement: "Sign in to zkArena.",
    issuedAt: new Date(now - 1000),
    expirationTime: new Date(now + 5 * 60_000),
    ...overrides,
  });
}

export async function expectTRPCError(
  promise: Promise<unknown>,
  code: TRPCError["code"],
  message?: string | RegExp,
): Promise<TRPCError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error, `expected ${code}`).toBeInstanceOf(TRPCError);
  expect((error as TRPCError).code).toBe(code);
  if (message !== undefined) expect((error as TRPCError).message).toMatch(message);
  return error as TRPCError;
}
