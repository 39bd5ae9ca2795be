import { describe, expect, it } from "vitest";
import { parsePublicEnv } from "../src/env.ts";
import { formatAmount, sharePercent } from "../src/format.ts";
import { createWagmiConfig, DEV_WALLET_ADDRESS } from "../src/wagmi.ts";

describe("parsePublicEnv", () => {
  it("defaults to the local anvil chain", () => {
    expect(parsePublicEnv({})).toEqual({
      chainId: 31337,
      rpcUrl: "http://127.0.0.1:8545",
      siteUrl: "http://127.0.0.1:3000",
    });
  });

  it("reads the chain id, RPC URL and site origin it is started with", () => {
    expect(
      parsePublicEnv({
        NEXT_PUBLIC_CHAIN_ID: "8453",
        NEXT_PUBLIC_RPC_URL: "https://rpc.example.org",
        SIWE_URI: "https://arena.example.org/",
      }),
    ).toEqual({
      chainId: 8453,
      rpcUrl: "https://rpc.example.org",
      siteUrl: "https://arena.example.org",
    });
  });

  it("rejects a bad chain id, a non-http RPC URL and a non-http site origin, naming each", () => {
    expect(() =>
      parsePublicEnv({ NEXT_PUBLIC_CHAIN_ID: "-1", NEXT_PUBLIC_RPC_URL: "ftp://x", SIWE_URI: "arena" }),
    ).toThrow(/NEXT_PUBLIC_CHAIN_ID[\s\S]*NEXT_PUBLIC_RPC_URL[\s\S]*SIWE_URI/);
  });
});

describe("createWagmiConfig", () => {
  it("offers the development wallet on the local chain only", () => {
    const local = createWagmiConfig({ chainId: 31337, rpcUrl: "http://127.0.0.1:8645" });
    expect(local.connectors.map((c) => c.id)).toEqual(["injected", "mock"]);
    expect(local.chains[0]?.rpcUrls.default.http).toEqual(["http://127.0.0.1:8645"]);

    const real = createWagmiConfig({ chainId: 8453, rpcUrl: "https://rpc.example.org" });
    expect(real.connectors.map((c) => c.id)).toEqual(["injected"]);
    expect(DEV_WALLET_ADDRESS).toBe("0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266");
  });
});

describe("formatAmount", () => {
  it("formats base units exactly, with at most four decimals", () => {
    expect(formatAmount("2500000000000000000", 18, "ETH")).toBe("2.5 ETH");
    expect(formatAmount("1234567", 6, "USDC")).toBe("1.2345 USDC");
    expect(formatAmount("0", 18, "ETH")).toBe("0 ETH");
    expect(formatAmount(null, 18, "ETH")).toBe("—");
  });
});

describe("sharePercent", () => {
  it("gives a sponsor's share of the pot to two decimals, rounded down", () => {
    expect(sharePercent(300n, 400n)).toBe("75.00%");
    expect(sharePercent(2n, 3n)).toBe("66.66%");
    expect(sharePercent(5n, 5n)).toBe("100.00%");
  });

  it("says 0.00% for an empty pot instead of dividing by zero", () => {
    expect(sharePercent(0n, 0n)).toBe("0.00%");
  });
});
