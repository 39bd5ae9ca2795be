// Sign-In with Ethereum on a real database (threats A1, A2, A4) with real secp256k1 signatures.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDb, type TestDb } from "@zkarena/db/testing";
import { SESSION_COOKIE } from "../src/services/session.ts";
import { NONCE_LENGTH } from "../src/services/siwe.ts";
import { alice, bob, callerFor, expectTRPCError, lower, siweMessage, testEnv } from "./helpers.ts";

let db: TestDb;

beforeAll(async () => {
  db = await createTestDb();
});

afterAll(async () => {
  await db?.close();
});

async function freshNonce(clientIp = "192.0.2.10"): Promise<string> {
  const { api } = await callerFor(db, { clientIp });
  return (await api.auth.nonce()).nonce;
}

function cookieFrom(resHeaders: Headers): string {
  const setCookie = resHeaders.get("set-cookie") ?? "";
  const match = new RegExp(`${SESSION_COOKIE}=([^;]*)`).exec(setCookie);
  if (!match?.[1]) throw new Error(`no session cookie in ${JSON.stringify(setCookie)}`);
  return `${SESSION_COOKIE}=${match[1]}`;
}

async function signIn(message: string, signature: `0x${string}`) {
  const { api, resHeaders } = await callerFor(db);
  const result = await api.auth.verify({ message, signature });
  return { result, cookie: cookieFrom(resHeaders), resHeaders };
}

describe("auth.nonce", () => {
  it("issues a random alphanumeric single-use nonce stored server-side with a TTL and the expected fields", async () => {
    const { api } = await callerFor(db);
    const a = await api.auth.nonce();
    const b = await api.auth.nonce();
    expect(a.nonce).toMatch(new RegExp(`^[A-Za-z0-9]{${NONCE_LENGTH}}$`));
    expect(a.nonce).not.toBe(b.nonce);
    expect(a).toMatchObject({
      domain: "arena.test:3000",
      uri: "http://arena.test:3000",
      scheme: "http",
      chainId: 31337,
    });
    const row = await db.db.authNonce.findUniqueOrThrow({ where: { nonce: a.nonce } });
    expect(row.usedAt).toBeNull();
    const ttl = row.expiresAt.getTime() - row.createdAt.getTime();
    expect(ttl).toBeGreaterThan(590_000);
    expect(ttl).toBeLessThan(610_000);
  });
});

describe("auth.verify", () => {
  it("signs in with a valid EOA signature, binds the session to the address and sets an HttpOnly cookie", async () => {
    const nonce = await freshNonce();
    const message = siweMessage(alice, nonce);
    const { result, cookie, resHeaders } = await signIn(message, await alice.signMessage({ message }));
    expect(result.address).toBe(lower(alice));
    expect(result.walletKind).toBe("eoa");
    const setCookie = resHeaders.get("set-cookie") ?? "";
    expect(setCookie).toContain("HttpOnly");
    expect(setCookie).toContain("SameSite=Lax");
    expect(setCookie).not.toContain("Secure"); // http origin in this configuration
    const { api } = await callerFor(db, { cookie });
    expect(await api.auth.me()).toMatchObject({ address: lower(alice), chainId: 31337 });
    const row = await db.db.authNonce.findUniqueOrThrow({ where: { nonce } });
    expect(row.usedBy).toBe(lower(alice));
  });

  it("rejects a replay of the same message and signature (A1)", async () => {
    const message = siweMessage(alice, await freshNonce());
    const signature = await alice.signMessage({ message });
    await signIn(message, signature);
    const { api } = await callerFor(db);
    await expectTRPCError(api.auth.verify({ message, signature }), "UNAUTHORIZED", /already used/);
  });

  it("rejects a nonce whose TTL has passed (A1)", async () => {
    const nonce = await freshNonce();
    await db.db.authNonce.update({ where: { nonce }, data: { expiresAt: new Date(Date.now() - 1000) } });
    const message = siweMessage(alice, nonce);
    const { api } = await callerFor(db);
    await expectTRPCError(
      api.auth.verify({ message, signature: await alice.signMessage({ message }) }),
      "UNAUTHORIZED",
      /nonce expired/,
    );
  });

  it("rejects a nonce this server never issued", async () => {
    const message = siweMessage(alice, "NeverIssuedByThisServer12345678");
    const { api } = await callerFor(db);
    await expectTRPCError(
      api.auth.verify({ message, signature: await alice.signMessage({ message }) }),
      "UNAUTHORIZED",
      /not issued by this server/,
    );
  });

  it("rejects an expired message, a message without expiration and a future notBefore (A1, A2)", async () => {
    const { api } = await callerFor(db);
    const now = Date.now();
    const cases: [Parameters<typeof siweMessage>[2], RegExp][] = [
      [{ issuedAt: new Date(now - 120_000), expirationTime: new Date(now - 60_000) }, /expired at/],
      [{ expirationTime: undefined }, /must carry an expiration time/],
      [{ notBefore: new Date(now + 60 * 60_000) }, /not valid before/],
      [{ issuedAt: new Date(now + 60 * 60_000) }, /in the future/],
    ];
    for (const [overrides, expected] of cases) {
      const nonce = await freshNonce();
      const message = siweMessage(alice, nonce, overrides);
      await expectTRPCError(
        api.auth.verify({ message, signature: await alice.signMessage({ message }) }),
        "UNAUTHORIZED",
        expected,
      );
      // A refused message leaves its nonce usable.
      expect((await db.db.authNonce.findUniqueOrThrow({ where: { nonce } })).usedAt).toBeNull();
    }
  });

  it("rejects the wrong domain, URI, chain id and scheme, each with a message naming the problem (A2)", async () => {
    const { api } = await callerFor(db);
    const cases: [Parameters<typeof siweMessage>[2], RegExp][] = [
      [{ domain: "evil.example" }, /for "evil.example", not this site/],
      [{ uri: "http://evil.example/login" }, /not http:\/\/arena.test:3000/],
      [{ chainId: 1 }, /for chain 1, but zkArena runs on chain 31337/],
      [{ scheme: "https" }, /scheme "http"/],
      [{ scheme: undefined }, /scheme "http"/],
    ];
    for (const [overrides, expected] of cases) {
      const nonce = await freshNonce();
      const message = siweMessage(alice, nonce, overrides);
      await expectTRPCError(
        api.auth.verify({ message, signature: await alice.signMessage({ message }) }),
        "UNAUTHORIZED",
        expected,
      );
      expect((await db.db.authNonce.findUniqueOrThrow({ where: { nonce } })).usedAt).toBeNull();
    }
  });

  it("does not let a bad signature burn the victim's nonce (A4)", async () => {
    const nonce = await freshNonce();
    const message = siweMessage(alice, nonce);
    const { api } = await callerFor(db, { clientIp: "203.0.113.66" });
    // The attacker signs the victim's message with their own key, then sends garbage.
    await expectTRPCError(
      api.auth.verify({ message, signature: await bob.signMessage({ message }) }),
      "UNAUTHORIZED",
      /signature does not match/,
    );
    await expectTRPCError(api.auth.verify({ message, signature: `0x${"00".repeat(65)}` }), "UNAUTHORIZED");
    expect((await db.db.authNonce.findUniqueOrThrow({ where: { nonce } })).usedAt).toBeNull();
    const { result } = await signIn(message, await alice.signMessage({ message }));
    expect(result.address).toBe(lower(alice));
  });

  it("rejects a message signed for another address than the one it names", async () => {
    const message = siweMessage(alice, await freshNonce());
    const { api } = await callerFor(db);
    await expectTRPCError(
      api.auth.verify({ message, signature: await bob.signMessage({ message }) }),
      "UNAUTHORIZED",
    );
  });

  it("gives exactly one session to many concurrent verifies of one nonce (A1)", async () => {
    const nonce = await freshNonce();
    const message = siweMessage(bob, nonce);
    const signature = await bob.signMessage({ message });
    const before = await db.db.session.count({ where: { address: lower(bob) } });
    const attempts = await Promise.allSettled(
      Array.from({ length: 8 }, async () => {
        const { api } = await callerFor(db);
        return api.auth.verify({ message, signature });
      }),
    );
    const ok = attempts.filter((a) => a.status === "fulfilled");
    expect(ok).toHaveLength(1);
    for (const a of attempts) {
      if (a.status === "rejected") expect(String(a.reason)).toMatch(/already used/);
    }
    expect(await db.db.session.count({ where: { address: lower(bob) } })).toBe(before + 1);
  });

  it("rejects malformed input with BAD_REQUEST and consumes nothing", async () => {
    const { api } = await callerFor(db);
    const nonces = await db.db.authNonce.count({ where: { usedAt: { not: null } } });
    const buckets = await db.db.rateLimitBucket.count();
    await expectTRPCError(
      api.auth.verify({ message: "x", signature: "0xZZ" as `0x${string}` }),
      "BAD_REQUEST",
    );
    await expectTRPCError(
      api.auth.verify({ message: "x".repeat(4097), signature: "0x00" }),
      "BAD_REQUEST",
      /at most 4096/,
    );
    // @ts-expect-error — unknown key (prototype-pollution style)
    await expectTRPCError(api.auth.verify({ message: "m", signature: "0x00", __proto__x: 1 }), "BAD_REQUEST");
    expect(await db.db.authNonce.count({ where: { usedAt: { not: null } } })).toBe(nonces);
    expect(await db.db.rateLimitBucket.count()).toBe(buckets);
  });
});

describe("auth.signOut", () => {
  it("revokes the session server-side: the same cookie no longer signs anyone in", async () => {
    const message = siweMessage(alice, await freshNonce());
    const { cookie } = await signIn(message, await alice.signMessage({ message }));
    const signedIn = await callerFor(db, { cookie });
    expect(await signedIn.api.auth.me()).not.toBeNull();
    await signedIn.api.auth.signOut();
    expect(signedIn.resHeaders.get("set-cookie")).toMatch(new RegExp(`${SESSION_COOKIE}=;.*Max-Age=0`));
    const after = await callerFor(db, { cookie });
    expect(await after.api.auth.me()).toBeNull();
    await expectTRPCError(after.api.auth.signOut(), "UNAUTHORIZED", /Sign in/);
  });

  it("ignores a forged, tampered or foreign-secret cookie", async () => {
    const message = siweMessage(alice, await freshNonce());
    const { cookie } = await signIn(message, await alice.signMessage({ message }));
    const tampered = cookie.slice(0, -3) + (cookie.endsWith("AAA") ? "BBB" : "AAA");
    expect(await (await callerFor(db, { cookie: tampered })).api.auth.me()).toBeNull();
    const otherSecret = testEnv({ SESSION_SECRET: "another-secret-another-secret-0123456789" });
    expect(await (await callerFor(db, { cookie, env: otherSecret })).api.auth.me()).toBeNull();
    expect(await (await callerFor(db, { cookie: `${SESSION_COOKIE}=not.a.jwt` })).api.auth.me()).toBeNull();
  });

  it("stops honouring a session after its expiry", async () => {
    const message = siweMessage(alice, await freshNonce());
    const { cookie } = await signIn(message, await alice.signMessage({ message }));
    const me = await (await callerFor(db, { cookie })).api.auth.me();
    await db.db.session.updateMany({
      where: { address: lower(alice), expiresAt: me?.expiresAt },
      data: { expiresAt: new Date(Date.now() - 1000) },
    });
    expect(await (await callerFor(db, { cookie })).api.auth.me()).toBeNull();
  });
});

describe("sign-in rate limit (A7)", () => {
  it("answers TOO_MANY_REQUESTS with a retry time once an IP exceeds its burst", async () => {
    const env = testEnv({ RATE_LIMIT_AUTH_PER_MINUTE: "3" });
    const { api } = await callerFor(db, { env, clientIp: "198.51.100.7" });
    for (let i = 0; i < 3; i++) await api.auth.nonce();
    await expectTRPCError(api.auth.nonce(), "TOO_MANY_REQUESTS", /Retry after \d+ s/);
    // Another IP is not affected.
    await (await callerFor(db, { env, clientIp: "198.51.100.8" })).api.auth.nonce();
  });

  it("limits verified sign-ins per address across IPs, and garbage in a victim's name spends none of it", async () => {
    const env = testEnv({ RATE_LIMIT_AUTH_PER_MINUTE: "2" });
    // An attacker floods verify with the victim's address from many IPs: bad signatures never count.
    for (let i = 0; i < 4; i++) {
      const message = siweMessage(bob, await freshNonce(`198.51.100.${40 + i}`));
      const { api } = await callerFor(db, { env, clientIp: `198.51.100.${20 + i}` });
      await expectTRPCError(
        api.auth.verify({ message, signature: await alice.signMessage({ message }) }),
        "UNAUTHORIZED",
      );
    }
    for (let i = 0; i < 2; i++) {
      const message = siweMessage(bob, await freshNonce(`198.51.100.${50 + i}`));
      const { api } = await callerFor(db, { env, clientIp: `198.51.100.${30 + i}` });
      await api.auth.verify({ message, signature: await bob.signMessage({ message }) });
    }
    const nonce = await freshNonce("198.51.100.60");
    const message = siweMessage(bob, nonce);
    const { api } = await callerFor(db, { env, clientIp: "198.51.100.39" });
    await expectTRPCError(
      api.auth.verify({ message, signature: await bob.signMessage({ message }) }),
      "TOO_MANY_REQUESTS",
    );
    // A refused sign-in leaves the nonce usable for later.
    expect((await db.db.authNonce.findUniqueOrThrow({ where: { nonce } })).usedAt).toBeNull();
  });
});
