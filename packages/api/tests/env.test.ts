import { describe, expect, it } from "vitest";
import { ApiConfigError, readApiEnv } from "../src/env.ts";
import { redactRpcUrl } from "../src/router/status.ts";

describe("readApiEnv", () => {
  it("defaults to the local anvil chain", () => {
    expect(readApiEnv({})).toEqual({ RPC_URL: "http://127.0.0.1:8545", CHAIN_ID: 31337 });
  });

  it("treats empty values as unset", () => {
    expect(readApiEnv({ RPC_URL: "", CHAIN_ID: " " }).CHAIN_ID).toBe(31337);
  });

  it("rejects a non-http RPC URL and a non-numeric chain id, naming both", () => {
    expect(() => readApiEnv({ RPC_URL: "ws://x", CHAIN_ID: "abc" })).toThrow(ApiConfigError);
    expect(() => readApiEnv({ RPC_URL: "ws://x", CHAIN_ID: "abc" })).toThrow(/RPC_URL[\s\S]*CHAIN_ID/);
  });
});

describe("redactRpcUrl", () => {
  it("keeps a local URL and hides provider keys", () => {
    expect(redactRpcUrl("http://127.0.0.1:8545")).toBe("http://127.0.0.1:8545");
    expect(redactRpcUrl("https://eth.example.com/v2/SECRETKEY")).toBe("https://eth.example.com/…");
  });
});
