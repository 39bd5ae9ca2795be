import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createTestDb, type TestDb } from "@zkarena/db/testing";
import { createCaller, createTRPCContext, readApiEnv } from "../src/index.ts";

let testDb: TestDb;

beforeAll(async () => {
  testDb = await createTestDb();
});

afterAll(async () => {
  vi.unstubAllEnvs();
  await testDb?.close();
});

describe("status.get", () => {
  it("reports the chain as down without throwing when the RPC is unreachable", async () => {
    vi.stubEnv("RPC_URL", "http://127.0.0.1:1");
    vi.stubEnv("CHAIN_ID", "31337");
    const api = createCaller(await createTRPCContext({ headers: new Headers(), db: testDb }));
    const status = await api.status.get();

    expect(status.ok).toBe(false);
    expect(status.chain.ok).toBe(false);
    expect(status.chain.rpcUrl).toBe("http://127.0.0.1:1");
    expect(status.chain.error).toBeTruthy();
    expect(status.chain.hint).toContain("npm start");
    expect(status.contracts.ok).toBe(false);

    expect(status.database.ok).toBe(true);
    expect(status.database.kind).toBe(testDb.kind);
    expect(status.database.migrations).toBeGreaterThan(0);
    expect(status.database.serverVersion).toBeTruthy();
  });

  it("reports the database as down without throwing when it could not be opened", async () => {
    vi.stubEnv("RPC_URL", "http://127.0.0.1:1");
    const api = createCaller({
      db: null,
      dbError: "connect ECONNREFUSED",
      session: null,
      headers: new Headers(),
      resHeaders: new Headers(),
      clientIp: "unknown",
      env: readApiEnv({}),
      envError: null,
      chain: null,
    });
    const status = await api.status.get();
    expect(status.database.ok).toBe(false);
    expect(status.database.error).toBe("connect ECONNREFUSED");
    expect(status.database.hint).toContain("DATABASE_URL");
  });

  it("reports a configuration error instead of throwing", async () => {
    vi.stubEnv("RPC_URL", "not a url");
    const api = createCaller(await createTRPCContext({ headers: new Headers(), db: testDb }));
    const status = await api.status.get();
    expect(status.ok).toBe(false);
    expect(status.chain.error).toContain("RPC_URL");
    expect(status.database.ok).toBe(true);
  });
});

describe("protected procedures", () => {
  it("publicProcedure refuses to run without a database, with an actionable message", async () => {
    const api = createCaller({
      db: null,
      dbError: "boom",
      session: null,
      headers: new Headers(),
      resHeaders: new Headers(),
      clientIp: "unknown",
      env: readApiEnv({}),
      envError: null,
      chain: null,
    });
    await expect(api.challenge.list()).rejects.toMatchObject({
      code: "INTERNAL_SERVER_ERROR",
      message: expect.stringContaining("npm start"),
    });
  });
});
