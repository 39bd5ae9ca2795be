import { keccak256, type GetCodeParameters } from "viem";
import { describe, expect, it } from "vitest";

import { parseDeployment } from "../src/deployments.ts";
import { chainStatus, contractsStatus } from "../src/health.ts";

const code = "0x6080604052";
const deployment = parseDeployment({
  chainId: 31337,
  contracts: {
    VerifierRegistry: {
      address: "0x5FbDB2315678afecb367f032d93F642f64180aa3",
      blockNumber: 1,
      txHash: `0x${"11".repeat(32)}`,
      codeHash: keccak256(code),
    },
    ArenaEscrow: {
      address: "0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512",
      blockNumber: 2,
      txHash: `0x${"22".repeat(32)}`,
      codeHash: keccak256(code),
    },
  },
  deployedAt: "2026-11-25T00:00:00.000Z",
});

const reader = (result: `0x${string}` | undefined) => ({
  getCode: async (_args: GetCodeParameters) => result,
});

describe("contractsStatus", () => {
  it("reports code that matches the record", async () => {
    expect(await contractsStatus(reader(code), deployment)).toEqual({
      VerifierRegistry: {
        address: deployment.contracts.VerifierRegistry.address,
        hasCode: true,
        codeHashMatches: true,
      },
      ArenaEscrow: {
        address: deployment.contracts.ArenaEscrow.address,
        hasCode: true,
        codeHashMatches: true,
      },
    });
  });

  it("reports other code at the address", async () => {
    const status = await contractsStatus(reader("0x60806040"), deployment);
    expect(status.VerifierRegistry).toMatchObject({ hasCode: true, codeHashMatches: false });
  });

  it("reports an empty address (chain reset)", async () => {
    const status = await contractsStatus(reader(undefined), deployment);
    expect(status.VerifierRegistry).toMatchObject({ hasCode: false, codeHashMatches: false });
  });
});

describe("chainStatus", () => {
  it("reports a missing node with the URL and what to do, without throwing", async () => {
    // Port 9 (discard) on loopback: nothing listens there on a normal machine.
    const status = await chainStatus("http://127.0.0.1:9", { timeoutMs: 2_000 });
    expect(status.ok).toBe(false);
    expect(status.error).toMatch(/^No Ethereum node answered at http:\/\/127\.0\.0\.1:9 .*set RPC_URL/);
    expect(status.chainId).toBeNull();
  });
});
