import { describe, expect, it } from "vitest";

import { chainFromId, knownChains } from "../src/chains.ts";
import { parseChainEnv } from "../src/env.ts";

describe("parseChainEnv", () => {
  it("defaults RPC_URL to the local anvil and leaves CHAIN_ID unset", () => {
    expect(parseChainEnv({})).toEqual({ RPC_URL: "http://127.0.0.1:8545", CHAIN_ID: undefined });
  });

  it("treats empty values as unset", () => {
    expect(parseChainEnv({ RPC_URL: "", CHAIN_ID: "" }).RPC_URL).toBe("http://127.0.0.1:8545");
  });

  it("parses a custom URL and chain id", () => {
    expect(parseChainEnv({ RPC_URL: "https://sepolia.base.org", CHAIN_ID: "84532" })).toEqual({
      RPC_URL: "https://sepolia.base.org",
      CHAIN_ID: 84532,
    });
  });

  it("rejects a URL that is not http(s) or ws(s)", () => {
    expect(() => parseChainEnv({ RPC_URL: "ftp://node" })).toThrow(
      /RPC_URL: RPC_URL must be an http\(s\):\/\//,
    );
  });

  it("rejects a non-numeric chain id", () => {
    expect(() => parseChainEnv({ CHAIN_ID: "mainnet" })).toThrow(/CHAIN_ID/);
  });
});

describe("chainFromId", () => {
  it("returns anvil for 31337 with the given RPC URL", () => {
    const chain = chainFromId(31337, "http://127.0.0.1:9999");
    expect(chain.id).toBe(31337);
    expect(chain.rpcUrls.default.http).toEqual(["http://127.0.0.1:9999"]);
  });

  it("returns known chains unchanged without a URL", () => {
    const base = knownChains.find((chain) => chain.id === 8453);
    expect(chainFromId(8453)).toBe(base);
  });

  it("defines unknown chains with ETH as the native currency", () => {
    const chain = chainFromId(777, "http://127.0.0.1:1");
    expect(chain).toMatchObject({ id: 777, nativeCurrency: { symbol: "ETH", decimals: 18 } });
  });

  it("rejects a non-positive id", () => {
    expect(() => chainFromId(-1)).toThrow(/positive integer/);
  });
});
