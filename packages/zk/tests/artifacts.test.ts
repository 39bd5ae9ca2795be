// The Node artifact loader against a real build of the CI circuit and corrupted copies of it.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { artifactPaths, vkHash as libVkHash } from "../../../circuits/scripts/lib.mjs";
import {
  ArtifactIntegrityError,
  ArtifactNotFoundError,
  canonicalJson,
  sha256Hex,
  verificationKeyHash,
} from "../src/artifacts.ts";
import { DEFAULT_BUILD_DIR, loadCircuitArtifacts } from "../src/node.ts";
import { CI_ID, CI_SHAPE, ensureBuilt } from "./helpers.ts";

type Artifact = Awaited<ReturnType<typeof ensureBuilt>>;
let artifact: Artifact;
let tmp: string;

/** A copy of build/<CI_ID>/ in a fresh build folder, with `mutate` applied. */
function corruptCopy(name: string, mutate: (dir: string) => void): string {
  const buildDir = path.join(tmp, name);
  fs.cpSync(path.dirname(artifactPaths(CI_ID).artifact), path.join(buildDir, CI_ID), { recursive: true });
  mutate(path.join(buildDir, CI_ID));
  return buildDir;
}

function flipByte(file: string, offset: number): void {
  const bytes = fs.readFileSync(file);
  bytes[offset] = (bytes[offset] as number) ^ 0x01;
  fs.writeFileSync(file, bytes);
}

async function integrityError(p: Promise<unknown>): Promise<ArtifactIntegrityError> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(ArtifactIntegrityError);
  return e as ArtifactIntegrityError;
}

beforeAll(async () => {
  artifact = await ensureBuilt(CI_ID);
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "zk-artifacts-"));
}, 600_000);
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe("canonicalJson / verificationKeyHash", () => {
  it("sorts keys recursively and hashes like the circuits build", async () => {
    expect(canonicalJson({ b: [1, { d: 2, c: "x" }], a: null })).toBe('{"a":null,"b":[1,{"c":"x","d":2}]}');
    const vk: unknown = JSON.parse(fs.readFileSync(artifactPaths(CI_ID).vk, "utf8"));
    expect(await verificationKeyHash(vk)).toBe(libVkHash(vk));
    expect(await verificationKeyHash(vk)).toBe(artifact.vkHash);
  });

  it("hashes bytes with Web Crypto as sha256sum does", async () => {
    expect(await sha256Hex("abc")).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  });
});

describe("loadCircuitArtifacts", () => {
  it("loads the real build with every hash checked", async () => {
    const c = await loadCircuitArtifacts(CI_ID);
    expect(c.id).toBe(CI_ID);
    expect(c.manifest.vkHash).toBe(artifact.vkHash);
    expect(c.shape).toEqual(CI_SHAPE);
    expect(await sha256Hex(c.zkey)).toBe(artifact.zkeySha256);
    expect(await sha256Hex(c.wasm)).toBe(artifact.wasmSha256);
    expect(c.verificationKey).toEqual(JSON.parse(fs.readFileSync(artifactPaths(CI_ID).vk, "utf8")));
    expect(c.sources.zkey).toBe(path.join(DEFAULT_BUILD_DIR, CI_ID, artifact.files.zkey));
  });

  it("accepts a matching pinned vk hash (any case)", async () => {
    const c = await loadCircuitArtifacts(CI_ID, {
      expectVkHash: artifact.vkHash.toUpperCase().replace("0X", "0x"),
    });
    expect(c.manifest.vkHash).toBe(artifact.vkHash);
  });

  it("rejects a zkey with one flipped byte, naming the file, both hashes and the fix", async () => {
    const buildDir = corruptCopy("zkey-flip", (dir) => flipByte(path.join(dir, artifact.files.zkey), 5000));
    const e = await integrityError(loadCircuitArtifacts(CI_ID, { buildDir }));
    const zkeyFile = path.join(buildDir, CI_ID, artifact.files.zkey);
    expect(e.kind).toBe("zkey");
    expect(e.file).toBe(zkeyFile);
    expect(e.expected).toBe(artifact.zkeySha256);
    expect(e.actual).toBe(await sha256Hex(new Uint8Array(fs.readFileSync(zkeyFile))));
    expect(e.actual).not.toBe(e.expected);
    expect(e.message).toContain(zkeyFile);
    expect(e.message).toContain(artifact.zkeySha256);
    expect(e.message).toContain("npm run build -w @zkarena/circuits");
  });

  it("rejects the zkey of another circuit put in its place", async () => {
    const other = await ensureBuilt("mlp-d4-h0-c3-n4");
    const otherZkey = path.join(path.dirname(artifactPaths("mlp-d4-h0-c3-n4").artifact), other.files.zkey);
    const buildDir = corruptCopy("zkey-swapped", (dir) =>
      fs.copyFileSync(otherZkey, path.join(dir, artifact.files.zkey)),
    );
    const e = await integrityError(loadCircuitArtifacts(CI_ID, { buildDir }));
    expect(e.kind).toBe("zkey");
    expect(e.expected).toBe(artifact.zkeySha256);
    expect(e.actual).toBe(other.zkeySha256);
  });

  it("rejects a truncated zkey", async () => {
    const buildDir = corruptCopy("zkey-truncated", (dir) => {
      const file = path.join(dir, artifact.files.zkey);
      fs.truncateSync(file, Math.floor(fs.statSync(file).size / 2));
    });
    expect((await integrityError(loadCircuitArtifacts(CI_ID, { buildDir }))).kind).toBe("zkey");
  });

  it("rejects a changed witness generator (wasm)", async () => {
    const buildDir = corruptCopy("wasm", (dir) => flipByte(path.join(dir, artifact.files.wasm), 100));
    const e = await integrityError(loadCircuitArtifacts(CI_ID, { buildDir }));
    expect(e.kind).toBe("wasm");
    expect(e.expected).toBe(artifact.wasmSha256);
  });

  it("rejects a tampered verification key", async () => {
    const buildDir = corruptCopy("vk", (dir) => {
      const file = path.join(dir, artifact.files.verificationKey);
      const vk = JSON.parse(fs.readFileSync(file, "utf8")) as { IC: string[][] };
      (vk.IC[0] as string[])[0] = "1";
      fs.writeFileSync(file, JSON.stringify(vk));
    });
    const e = await integrityError(loadCircuitArtifacts(CI_ID, { buildDir }));
    expect(e.kind).toBe("verificationKey");
    expect(e.expected).toBe(artifact.vkHash);
  });

  it("rejects a build whose vk is not the pinned one", async () => {
    const pinned = `0x${"ab".repeat(32)}`;
    const e = await integrityError(loadCircuitArtifacts(CI_ID, { expectVkHash: pinned }));
    expect(e.kind).toBe("verificationKey");
    expect(e.expected).toBe(pinned);
    expect(e.actual).toBe(artifact.vkHash);
    expect(e.message).toContain("registry");
  });

  it("rejects a manifest that describes another circuit", async () => {
    const buildDir = corruptCopy("other-id", (dir) => {
      const file = path.join(dir, "artifact.json");
      fs.writeFileSync(
        file,
        JSON.stringify({ ...JSON.parse(fs.readFileSync(file, "utf8")), id: "mlp-d4-h0-c3-n4" }),
      );
    });
    await expect(loadCircuitArtifacts(CI_ID, { buildDir })).rejects.toThrow(
      /describes circuit mlp-d4-h0-c3-n4/,
    );
  });

  it("rejects a manifest with a file name leaving its folder", async () => {
    const buildDir = corruptCopy("traversal", (dir) => {
      const file = path.join(dir, "artifact.json");
      const m = JSON.parse(fs.readFileSync(file, "utf8")) as { files: Record<string, string> };
      m.files.zkey = "../../secret.zkey";
      fs.writeFileSync(file, JSON.stringify(m));
    });
    await expect(loadCircuitArtifacts(CI_ID, { buildDir })).rejects.toThrow(ArtifactNotFoundError);
  });

  it("says to build when the build is missing, and lists the registry for an unknown id", async () => {
    const empty = path.join(tmp, "empty", "build");
    fs.mkdirSync(empty, { recursive: true });
    await expect(loadCircuitArtifacts(CI_ID, { buildDir: empty })).rejects.toThrow(
      /is not built .*npm run build -w @zkarena\/circuits/,
    );
    fs.writeFileSync(path.join(empty, "..", "circuits.json"), JSON.stringify({ circuits: [{ id: CI_ID }] }));
    await expect(loadCircuitArtifacts("mlp-d9-h9-c9-n9", { buildDir: empty })).rejects.toThrow(
      `circuit mlp-d9-h9-c9-n9 is not in the registry (circuits/circuits.json has: ${CI_ID})`,
    );
  });

  it("refuses an id that is not a circuit id (no paths)", async () => {
    await expect(loadCircuitArtifacts("../mlp-d4-h3-c3-n4")).rejects.toThrow(/is not a circuit id/);
  });
});
