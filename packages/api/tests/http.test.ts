// The HTTP edge (what apps/web's route handler runs): body limit, cross-site refusal, the session
// cookie round trip through real Request/Response objects, 429 with Retry-After.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDb, type TestDb } from "@zkarena/db/testing";
import { clientIpFrom, handleTrpcRequest } from "../src/http.ts";
import { setLogSink } from "../src/log.ts";
import { alice, lower, siweMessage, testEnv } from "./helpers.ts";

let db: TestDb;
const restoreLog = setLogSink(() => {});

beforeAll(async () => {
  db = await createTestDb();
});

afterAll(async () => {
  restoreLog();
  await db?.close();
});

const base = "http://arena.test:3000/api/trpc";

function call(
  path: string,
  init: { body?: unknown; headers?: Record<string, string>; method?: string } = {},
  env = testEnv(),
) {
  const method = init.method ?? (init.body === undefined ? "GET" : "POST");
  const req = new Request(`${base}/${path}`, {
    method,
    headers: { "content-type": "application/json", "x-forwarded-for": "192.0.2.99", ...init.headers },
    body: init.body === undefined ? undefined : JSON.stringify({ json: init.body }),
  });
  return handleTrpcRequest(req, { endpoint: "/api/trpc", env, context: { db, chain: null } });
}

describe("handleTrpcRequest", () => {
  it("signs in over HTTP: nonce, verify sets the cookie, me reads it, signOut clears and revokes it", async () => {
    const nonceRes = await call("auth.nonce", { body: null });
    expect(nonceRes.status).toBe(200);
    const nonce = ((await nonceRes.json()) as { result: { data: { json: { nonce: string } } } }).result.data
      .json.nonce;
    const message = siweMessage(alice, nonce);
    const verifyRes = await call("auth.verify", {
      body: { message, signature: await alice.signMessage({ message }) },
      headers: { origin: "http://arena.test:3000" },
    });
    expect(verifyRes.status).toBe(200);
    const setCookie = verifyRes.headers.get("set-cookie") ?? "";
    const cookie = /^(zkarena_session=[^;]+)/.exec(setCookie)?.[1];
    expect(cookie).toBeTruthy();

    const meRes = await call("auth.me", { headers: { cookie: cookie ?? "" } });
    const me = (await meRes.json()) as { result: { data: { json: { address: string } | null } } };
    expect(me.result.data.json?.address).toBe(lower(alice));

    const outRes = await call("auth.signOut", { body: null, headers: { cookie: cookie ?? "" } });
    expect(outRes.status).toBe(200);
    expect(outRes.headers.get("set-cookie")).toContain("Max-Age=0");
    const meAfter = (await (await call("auth.me", { headers: { cookie: cookie ?? "" } })).json()) as {
      result: { data: { json: unknown } };
    };
    expect(meAfter.result.data.json).toBeNull();
  });

  it("answers 401 for a protected procedure without a session", async () => {
    const res = await call("auth.signOut", { body: null });
    expect(res.status).toBe(401);
  });

  it("refuses a body over API_MAX_BODY_BYTES with 413 and a clear message, with or without Content-Length", async () => {
    const env = testEnv({ API_MAX_BODY_BYTES: "1024" });
    const big = { message: "x".repeat(2000), signature: "0x00" };
    const declared = await call("auth.verify", { body: big }, env);
    expect(declared.status).toBe(413);
    expect(((await declared.json()) as { error: { json: { message: string } } }).error.json.message).toMatch(
      /larger than 1024 bytes/,
    );

    // A streamed body without Content-Length is counted while it is read.
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < 4; i++) controller.enqueue(new TextEncoder().encode("x".repeat(400)));
        controller.close();
      },
    });
    const req = new Request(`${base}/auth.verify`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: stream,
      duplex: "half",
    } as RequestInit);
    expect(req.headers.get("content-length")).toBeNull();
    const streamed = await handleTrpcRequest(req, {
      endpoint: "/api/trpc",
      env,
      context: { db, chain: null },
    });
    expect(streamed.status).toBe(413);
    expect(await db.db.authNonce.count({ where: { usedAt: { not: null } } })).toBe(1);
  });

  it("refuses cross-site writes (another Origin, or Sec-Fetch-Site: cross-site) with 403", async () => {
    const other = await call("auth.nonce", { body: null, headers: { origin: "http://evil.example" } });
    expect(other.status).toBe(403);
    expect(((await other.json()) as { error: { json: { message: string } } }).error.json.message).toMatch(
      /Cross-site/,
    );
    const fetchSite = await call("auth.nonce", { body: null, headers: { "sec-fetch-site": "cross-site" } });
    expect(fetchSite.status).toBe(403);
  });

  it("answers 429 with Retry-After when the sign-in burst is spent", async () => {
    const env = testEnv({ RATE_LIMIT_AUTH_PER_MINUTE: "2" });
    const headers = { "x-forwarded-for": "198.18.0.5" };
    expect((await call("auth.nonce", { body: null, headers }, env)).status).toBe(200);
    expect((await call("auth.nonce", { body: null, headers }, env)).status).toBe(200);
    const limited = await call("auth.nonce", { body: null, headers }, env);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    expect(((await limited.json()) as { error: { json: { message: string } } }).error.json.message).toMatch(
      /Retry after/,
    );
  });
});

describe("input abuse over HTTP (A6)", () => {
  it("refuses prototype-pollution keys, unknown enums and malformed ids with 400 and writes nothing", async () => {
    const id = "00000000-0000-4000-8000-000000000000";
    const before = await db.db.datasetSplit.count();
    const bodies = [
      `{"json":{"challengeId":"${id}","kind":"PUBLIC","__proto__":{"isAdmin":true}}}`,
      `{"json":{"challengeId":"${id}","kind":"PUBLIC","constructor":{"prototype":{"x":1}}}}`,
      `{"json":{"challengeId":"${id}","kind":"SECRET"}}`,
      `{"json":{"challengeId":"../../etc/passwd","kind":"PUBLIC"}}`,
    ];
    for (const body of bodies) {
      const input = encodeURIComponent(body.slice('{"json":'.length, -1));
      const res = await handleTrpcRequest(
        new Request(
          `${base}/dataset.download?input=${encodeURIComponent('{"json":')}${input}${encodeURIComponent("}")}`,
        ),
        { endpoint: "/api/trpc", env: testEnv(), context: { db, chain: null } },
      );
      expect(res.status, body).toBe(400);
      expect({} as Record<string, unknown>).not.toHaveProperty("isAdmin");
    }
    // The same key in a POST body, plain or \u-escaped.
    for (const key of ["__proto__", "\\u005f\\u005fproto\\u005f\\u005f"]) {
      const res = await handleTrpcRequest(
        new Request(`${base}/auth.verify`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: `{"json":{"message":"m","signature":"0x00","${key}":{"isAdmin":true}}}`,
        }),
        { endpoint: "/api/trpc", env: testEnv(), context: { db, chain: null } },
      );
      expect(res.status, key).toBe(400);
      expect(((await res.json()) as { error: { json: { message: string } } }).error.json.message).toMatch(
        /__proto__/,
      );
    }
    expect(await db.db.datasetSplit.count()).toBe(before);
  });
});

describe("clientIpFrom", () => {
  it("takes the entry the outermost trusted proxy appended", () => {
    const h = new Headers({ "x-forwarded-for": "6.6.6.6, 203.0.113.5, 10.0.0.2" });
    expect(clientIpFrom(h, 0)).toBe("10.0.0.2");
    expect(clientIpFrom(h, 1)).toBe("10.0.0.2");
    expect(clientIpFrom(h, 2)).toBe("203.0.113.5");
    expect(clientIpFrom(new Headers(), 0)).toBe("unknown");
    expect(clientIpFrom(new Headers({ "x-forwarded-for": "<script>" }), 0)).toBe("unknown");
  });
});
