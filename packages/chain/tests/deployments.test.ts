import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { DeploymentFileError, deploymentsDir, loadDeployment, parseDeployment } from "../src/deployments.ts";

const valid = {
  chainId: 31337,
  contracts: {
    VerifierRegistry: {
      address: "0x5fbdb2315678afecb367f032d93f642f64180aa3",
      blockNumber: 1,
      txHash: "0xa841342d51d264e47f2838031978b1935d4fae0203604b4cf70df0e62ac1812c",
      codeHash: "0x58F78BF8AE003465D66A883E011DE018215B1A390484DEF57B54DC3833E9F824",
    },
    ArenaEscrow: {
      address: "0xe7f1725e7734ce288f8367e1bb143e90bb3f0512",
      blockNumber: 2,
      txHash: "0x" + "22".repeat(32),
      codeHash: "0x" + "33".repeat(32),
    },
  },
  deployedAt: "2026-11-25T04:56:09.005Z",
};

describe("parseDeployment", () => {
  it("accepts a record and normalises addresses and hashes", () => {
    const deployment = parseDeployment(valid);
    expect(deployment.contracts.VerifierRegistry.address).toBe("0x5FbDB2315678afecb367f032d93F642f64180aa3");
    expect(deployment.contracts.VerifierRegistry.codeHash).toBe(
      "0x58f78bf8ae003465d66a883e011de018215b1a390484def57b54dc3833e9f824",
    );
  });

  it("accepts the JSON text as well", () => {
    expect(parseDeployment(JSON.stringify(valid)).chainId).toBe(31337);
  });

  it("rejects invalid JSON with the source name and what to do", () => {
    expect(() => parseDeployment("{not json", "deployments/31337.json")).toThrow(DeploymentFileError);
    expect(() => parseDeployment("{not json", "deployments/31337.json")).toThrow(
      /deployments\/31337\.json is not valid JSON .*Redeploy with `node contracts\/scripts\/deploy\.mjs/,
    );
  });

  it("rejects a record without the registry, naming the field", () => {
    expect(() => parseDeployment({ ...valid, contracts: {} })).toThrow(/contracts\.VerifierRegistry/);
    const { ArenaEscrow: _omitted, ...withoutEscrow } = valid.contracts;
    expect(() => parseDeployment({ ...valid, contracts: withoutEscrow })).toThrow(/contracts\.ArenaEscrow/);
  });

  it("rejects a malformed address", () => {
    const bad = structuredClone(valid);
    bad.contracts.VerifierRegistry.address = "0x1234";
    expect(() => parseDeployment(bad)).toThrow(
      /contracts\.VerifierRegistry\.address: must be a 20-byte 0x address/,
    );
  });

  it("rejects a malformed hash and a negative block number together", () => {
    const bad = structuredClone(valid);
    bad.contracts.VerifierRegistry.txHash = "0xabc";
    bad.contracts.VerifierRegistry.blockNumber = -1;
    expect(() => parseDeployment(bad)).toThrow(
      /txHash: must be a 32-byte 0x hash.*blockNumber|blockNumber.*txHash/,
    );
  });

  it("defaults verifiers to {} and validates recorded verifiers", () => {
    expect(parseDeployment(valid).verifiers).toEqual({});
    const verifier = {
      ...valid.contracts.ArenaEscrow,
      contract: "MlpD4H3C3N4Verifier",
      registryKey: "0x" + "44".repeat(32),
      vkHash: "0x" + "55".repeat(32),
      nPublic: 5,
    };
    const withVerifier = parseDeployment({ ...valid, verifiers: { "mlp-d4-h3-c3-n4": verifier } });
    expect(withVerifier.verifiers["mlp-d4-h3-c3-n4"]?.address).toBe(
      "0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512",
    );
    expect(() => parseDeployment({ ...valid, verifiers: { "Bad Id": verifier } })).toThrow(/verifiers/);
    expect(() =>
      parseDeployment({ ...valid, verifiers: { "mlp-d4-h3-c3-n4": { ...verifier, nPublic: 0 } } }),
    ).toThrow(/verifiers\.mlp-d4-h3-c3-n4\.nPublic/);
    expect(() =>
      parseDeployment({ ...valid, verifiers: { "mlp-d4-h3-c3-n4": { ...verifier, vkHash: "0x12" } } }),
    ).toThrow(/vkHash: must be a 32-byte 0x hash/);
  });

  it("reads the development token on chain 31337 and rejects it on any other chain", () => {
    const devToken = {
      ...valid.contracts.ArenaEscrow,
      contract: "DevToken",
      name: "zkArena Dev USD",
      symbol: "zkUSD",
      decimals: 18,
    };
    expect(parseDeployment(valid).devToken).toBeUndefined();
    const withToken = parseDeployment({ ...valid, devToken });
    expect(withToken.devToken?.symbol).toBe("zkUSD");
    expect(withToken.devToken?.address).toBe("0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512");
    expect(() => parseDeployment({ ...valid, chainId: 1, devToken })).toThrow(
      /devToken: a development token may only be recorded for chain 31337/,
    );
    expect(() => parseDeployment({ ...valid, devToken: { ...devToken, symbol: "z USD" } })).toThrow(
      /devToken\.symbol: must be 1-16 letters or digits/,
    );
    expect(() => parseDeployment({ ...valid, devToken: { ...devToken, decimals: 99 } })).toThrow(
      /devToken\.decimals/,
    );
  });

  it("rejects a bad deployedAt", () => {
    expect(() => parseDeployment({ ...valid, deployedAt: "yesterday" })).toThrow(/deployedAt/);
  });
});

describe("loadDeployment", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "zkarena-deployments-"));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("returns null when nothing is recorded for the chain", async () => {
    expect(await loadDeployment(424242, dir)).toBeNull();
  });

  it("reads and validates <dir>/<chainId>.json", async () => {
    await writeFile(path.join(dir, "31337.json"), JSON.stringify(valid));
    const deployment = await loadDeployment(31337, dir);
    expect(deployment?.contracts.VerifierRegistry.blockNumber).toBe(1);
  });

  it("rejects a file recorded for another chain", async () => {
    await writeFile(path.join(dir, "1.json"), JSON.stringify(valid));
    await expect(loadDeployment(1, dir)).rejects.toThrow(/records chain 31337, not 1/);
  });

  it("rejects a corrupt file, naming it", async () => {
    await writeFile(path.join(dir, "5.json"), "");
    await expect(loadDeployment(5, dir)).rejects.toThrow(new RegExp(`${dir}/5\\.json is not valid JSON`));
  });

  it("rejects a chain id that is not a positive integer", async () => {
    await expect(loadDeployment(0, dir)).rejects.toThrow(RangeError);
  });

  it("defaults to packages/chain/deployments", () => {
    expect(deploymentsDir).toBe(path.resolve(import.meta.dirname, "..", "deployments"));
  });
});
