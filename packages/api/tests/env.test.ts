import { describe, expect, it } from "vitest";
import { ApiConfigError, readApiEnv } from "../src/env.ts";
import { redactRpcUrl } from "../src/router/status.ts";

describe("readApiEnv", () => {
  it("defaults to the local anvil chain", () => {
    const env = readApiEnv({});
    expect(env.RPC_URL).toBe("http://127.0.0.1:8545");
    expect(env.CHAIN_ID).toBe(31337);
    expect(env.SIWE_DOMAIN).toBe("127.0.0.1:3000");
    expect(env.developmentDefaults).toEqual(["SESSION_SECRET", "DATASET_MASTER_KEY"]);
  });

  it("treats empty values as unset", () => {
    expect(readApiEnv({ RPC_URL: "", CHAIN_ID: " " }).CHAIN_ID).toBe(31337);
  });

  it("rejects a non-http RPC URL and a non-numeric chain id, naming both", () => {
    expect(() => readApiEnv({ RPC_URL: "ws://x", CHAIN_ID: "abc" })).toThrow(ApiConfigError);
    expect(() => readApiEnv({ RPC_URL: "ws://x", CHAIN_ID: "abc" })).toThrow(/RPC_URL[\s\S]*CHAIN_ID/);
  });
});

describe("readApiEnv in production", () => {
  it("refuses to start without the secrets and the sign-in origin, naming each", () => {
    expect(() => readApiEnv({ NODE_ENV: "production" })).toThrow(
      /SESSION_SECRET[\s\S]*DATASET_MASTER_KEY[\s\S]*SIWE_DOMAIN[\s\S]*SIWE_URI/,
    );
  });

  it("accepts a complete production configuration and uses no development default", () => {
    const env = readApiEnv({
      NODE_ENV: "production",
      SESSION_SECRET: "s".repeat(40),
      DATASET_MASTER_KEY: "ab".repeat(32),
      SIWE_DOMAIN: "zkarena.example.org",
      SIWE_URI: "https://zkarena.example.org",
    });
    expect(env.developmentDefaults).toEqual([]);
    expect(env.DATASET_MASTER_KEY.toString("hex")).toBe("ab".repeat(32));
  });

  it("rejects a short session secret and a master key that is not 32 bytes of hex", () => {
    expect(() => readApiEnv({ SESSION_SECRET: "short", DATASET_MASTER_KEY: "abcd" })).toThrow(
      /SESSION_SECRET[\s\S]*DATASET_MASTER_KEY/,
    );
  });
});

describe("redactRpcUrl", () => {
  it("keeps a local URL and hides provider keys", () => {
    expect(redactRpcUrl("http://127.0.0.1:8545")).toBe("http://127.0.0.1:8545");
    expect(redactRpcUrl("https://eth.example.com/v2/SECRETKEY")).toBe("https://eth.example.com/…");
  });
});
