// The production setup path (scripts/ceremony.mjs over lib.mjs): phase 1 checked against a pinned
// hash, phase-2 contributions by named contributors, a final beacon, `zkey verify` against r1cs +
// ptau, vkHash pinned in (a copy of) the registry, the Solidity verifier checked against the key.
// End to end on the CI shape with a small locally made ptau (the build's 2^11 development ptau,
// whose blake2b the test passes as the pinned hash — it is not a Hermez file); and the refusals:
// a wrong ptau hash, a tampered zkey, a mismatched verifier.
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import fs from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as snarkjs from "snarkjs";
import {
  artifactPaths,
  assertVerifierMatchesKey,
  blake2bFile,
  buildCircuit,
  ceremonyBeacon,
  ceremonyContribute,
  ceremonyNew,
  ceremonyPaths,
  ceremonyPin,
  ceremonyVerify,
  checkPtau,
  loadRegistry,
  ptauPath,
  readPtauInfo,
  releaseCurves,
  renderSolidityVerifier,
  REGISTRY_PATH,
  vkHash,
  verifierKeyMismatches,
  type CeremonyTranscript,
  type VerificationKey,
} from "../scripts/lib.mjs";
import { HERMEZ_PTAU_BLAKE2B, hermezPtauFileName } from "../scripts/ptau-hashes.mjs";
import {
  mlpCircuitInput,
  publicSignalList,
  registrySchema,
  type IntModel,
  type MlpProofRequest,
} from "../../packages/zk/src/index.ts";

const ID = "mlp-d4-h3-c3-n4";
const quiet = () => {};
let tmp: string;
let ptau: string;
let ptauHash: string;
let registryPath: string;
let dir: string;

beforeAll(async () => {
  await buildCircuit(ID, { log: quiet }); // also makes the 2^11 development ptau
  ptau = ptauPath(11);
  ptauHash = await blake2bFile(ptau);
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "zkarena-ceremony-"));
  registryPath = path.join(tmp, "circuits.json");
  fs.copyFileSync(REGISTRY_PATH, registryPath);
  dir = path.join(tmp, ID);
}, 600_000);

afterAll(async () => {
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  await releaseCurves();
});

function request(): MlpProofRequest {
  const shape = { D: 4, H: 3, C: 3, N: 4, inBits: 4, wBits: 8, bBits: 12, hBits: 8, shift: 4 };
  const model: IntModel = {
    shape,
    W1: [
      [5n, -7n, 100n, -128n],
      [127n, 0n, -3n, 9n],
      [-60n, 61n, 62n, -63n],
    ],
    b1: [10n, -2048n, 2047n],
    W2: [
      [1n, 2n, 3n],
      [-4n, 5n, -6n],
      [7n, -8n, 9n],
    ],
    b2: [0n, 100n, -100n],
  };
  const samples = [
    { x: [0n, 15n, 3n, 4n], label: 0n },
    { x: [15n, 15n, 15n, 15n], label: 2n },
    { x: [1n, 2n, 3n, 4n], label: 1n },
    { x: [9n, 0n, 0n, 7n], label: 2n },
  ];
  return { model, samples, modelSalt: 12345n, testSalt: 67890n, challengeId: 42n, submitter: 0xabcdefn };
}

describe("phase 1: the published ptau hashes", () => {
  it("equal the table in snarkjs' README, row by row (powers 8–28)", () => {
    const readme = fs.readFileSync(
      path.resolve(path.dirname(createRequire(import.meta.url).resolve("snarkjs")), "..", "README.md"),
      "utf8",
    );
    const rows = [
      ...readme.matchAll(
        /^\|\s*(\d+)\s*\|[^|]*\|\s*\[(powersOfTau28_hez_final[^\]]*)\][^|]*\|\s*([0-9a-f]{128})\s*\|/gm,
      ),
    ];
    expect(rows.length).toBe(21);
    for (const [, power, file, hash] of rows) {
      expect(hermezPtauFileName(Number(power))).toBe(file);
      expect(HERMEZ_PTAU_BLAKE2B[Number(power)]).toBe(hash);
    }
    expect(Object.keys(HERMEZ_PTAU_BLAKE2B).length).toBe(21);
  });

  it("accepts the local ptau with its own hash, and reads its header", async () => {
    expect(await readPtauInfo(ptau)).toEqual({ power: 11, ceremonyPower: 11, prepared: true });
    const ok = await checkPtau(ptau, { expectedBlake2b: ptauHash, minPower: 11 });
    expect(ok).toMatchObject({ power: 11, blake2b: ptauHash, published: false });
  });

  it("refuses a wrong hash, the published hash of another file, a too small file", async () => {
    await expect(checkPtau(ptau, { expectedBlake2b: "ab".repeat(64) })).rejects.toThrow(
      /ptau hash mismatch: dev-insecure-11\.ptau has blake2b [0-9a-f]{128}, but the expected hash \(--ptau-hash\) is abab/,
    );
    // Without --ptau-hash the file must be the Hermez file of its power: this one is not.
    await expect(checkPtau(ptau)).rejects.toThrow(
      /but the published hash of powersOfTau28_hez_final_11\.ptau \(snarkjs README\) is 47c28211/,
    );
    await expect(checkPtau(ptau, { expectedBlake2b: ptauHash, minPower: 12 })).rejects.toThrow(
      /has 2\^11 powers; this circuit needs 2\^12/,
    );
    await expect(checkPtau(path.join(tmp, "missing.ptau"))).rejects.toThrow(/does not exist/);
  });
});

describe("a ceremony on the CI shape", () => {
  let transcript: CeremonyTranscript;
  let vk: VerificationKey;

  it("refuses to start from a ptau with the wrong hash", async () => {
    await expect(
      ceremonyNew(ID, {
        ptau,
        ptauHash: "00".repeat(64),
        dir: path.join(tmp, "bad"),
        registryPath,
        log: quiet,
      }),
    ).rejects.toThrow(/ptau hash mismatch/);
    expect(fs.existsSync(path.join(tmp, "bad", "transcript.json"))).toBe(false);
  });

  it("runs new → 2 contributions → beacon → verify → pin", async () => {
    await ceremonyNew(ID, { ptau, ptauHash, dir, registryPath, log: quiet });
    await expect(ceremonyBeacon(ID, { hash: "ab", dir, log: quiet })).rejects.toThrow(/no contribution yet/);
    await expect(ceremonyContribute(ID, { name: "alice", entropy: "", dir, log: quiet })).rejects.toThrow(
      /needs --entropy/,
    );
    const a = await ceremonyContribute(ID, {
      name: "alice",
      entropy: "alice's dice: 3 1 4 1 5 9 2 6",
      dir,
      log: quiet,
    });
    const b = await ceremonyContribute(ID, {
      name: "bob",
      entropy: "bob typed this at random: qpwoeiruty",
      dir,
      log: quiet,
    });
    expect(a.contributionHash).not.toBe(b.contributionHash);
    // A public value nobody could predict, e.g. the hash of a block mined after the last contribution.
    await ceremonyBeacon(ID, {
      hash: "0x5f5c3a7e0b5d1e2f3a4b5c6d7e8f9a0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f",
      iterationsExp: 10,
      dir,
      log: quiet,
    });
    await expect(
      ceremonyContribute(ID, { name: "late", entropy: "x".repeat(20), dir, log: quiet }),
    ).rejects.toThrow(/closed by its beacon/);
    const verified = await ceremonyVerify(ID, { ptau, dir, registryPath, log: quiet });
    vk = verified.vk;
    transcript = verified.transcript;
    expect(transcript.steps.map((s) => s.step)).toEqual([
      "new",
      "contribute",
      "contribute",
      "beacon",
      "verify",
    ]);
    expect(transcript.steps.filter((s) => s.step === "contribute").map((s) => s.name)).toEqual([
      "alice",
      "bob",
    ]);
    expect(transcript.phase1).toMatchObject({ power: 11, blake2b: ptauHash, published: false });
    expect(verified.vkHash).toBe(vkHash(vk));
    // Not the development key.
    const devVk = JSON.parse(fs.readFileSync(artifactPaths(ID).vk, "utf8")) as VerificationKey;
    expect(vkHash(devVk)).not.toBe(verified.vkHash);

    const pin = await ceremonyPin(ID, { dir, registryPath, log: quiet });
    expect(pin.vkHash).toBe(verified.vkHash);
    expect(pin.contributors).toEqual(["alice", "bob"]);
    const entry = loadRegistry(registryPath).find((e) => e.id === ID);
    expect(entry?.production?.vkHash).toBe(verified.vkHash);
    // packages/zk's schema accepts the pinned block.
    const parsed = registrySchema.parse(JSON.parse(fs.readFileSync(registryPath, "utf8")));
    expect(parsed.circuits.find((e) => e.id === ID)?.production?.vkHash).toBe(verified.vkHash);
    // Verifying again checks against the pin.
    await ceremonyVerify(ID, { ptau, dir, registryPath, log: quiet });
  }, 600_000);

  it("gives a key that proves: a real proof verifies with the ceremony's key, not with the dev key", async () => {
    const { input, publicSignals } = await mlpCircuitInput(request());
    const paths = ceremonyPaths(ID, dir);
    const { proof, publicSignals: ps } = await snarkjs.groth16.fullProve(
      input as snarkjs.CircuitInput,
      artifactPaths(ID).wasm,
      paths.final,
    );
    expect(ps).toEqual(publicSignalList(publicSignals).map(String));
    expect(await snarkjs.groth16.verify(vk, ps, proof)).toBe(true);
    const devVk = JSON.parse(fs.readFileSync(artifactPaths(ID).vk, "utf8"));
    expect(await snarkjs.groth16.verify(devVk, ps, proof)).toBe(false);
  }, 300_000);

  it("exports a Solidity verifier whose constants are the key's, and refuses mismatched verifiers", async () => {
    const paths = ceremonyPaths(ID, dir);
    const sol = fs.readFileSync(paths.verifier, "utf8");
    expect(sol.split("\n")[0]).toMatch(
      /generated by circuits\/scripts\/ceremony\.mjs .* production ceremony/,
    );
    expect(verifierKeyMismatches(sol, vk)).toEqual([]);
    // The INSECURE development verifier of the same circuit is not this key's verifier.
    const dev = await renderSolidityVerifier(ID, { log: quiet });
    expect(() => assertVerifierMatchesKey(dev, vk, "dev verifier")).toThrow(
      /dev verifier does not match the verification key \(\d+ mismatches: deltax1 is/,
    );
    // One changed IC constant is caught too, and so is a verifier given to `ceremony verify`.
    const ic = vk.IC[2]![0]!;
    const forged = sol.replace(ic, (BigInt(ic) + 1n).toString());
    expect(verifierKeyMismatches(forged, vk)).toEqual([`IC2x is ${BigInt(ic) + 1n}, the key has ${ic}`]);
    const forgedFile = path.join(tmp, "Forged.sol");
    fs.writeFileSync(forgedFile, forged);
    await expect(
      ceremonyVerify(ID, { ptau, dir, registryPath, verifierFile: forgedFile, log: quiet }),
    ).rejects.toThrow(/Forged\.sol does not match the verification key \(1 mismatch: IC2x is/);
  }, 300_000);

  it("refuses a tampered final zkey: first by its transcript hash, then by zkey verify", async () => {
    const copy = path.join(tmp, "tampered");
    fs.cpSync(dir, copy, { recursive: true });
    const paths = ceremonyPaths(ID, copy);
    const buf = fs.readFileSync(paths.final);
    // Flip one byte inside the last section before the contributions (a curve point of the key).
    buf[Math.floor(buf.length * 0.6)]! ^= 0x01;
    fs.writeFileSync(paths.final, buf);
    await expect(ceremonyVerify(ID, { ptau, dir: copy, registryPath, log: quiet })).rejects.toThrow(
      new RegExp(
        `${ID}_final\\.zkey has sha256 [0-9a-f]{64}, but the transcript recorded [0-9a-f]{64}: the file was changed`,
      ),
    );
    // A coordinator who also rewrites the transcript is caught by `zkey verify` itself.
    const t = JSON.parse(fs.readFileSync(paths.transcript, "utf8")) as CeremonyTranscript;
    const beacon = t.steps.find((s) => s.step === "beacon")!;
    beacon.zkeySha256 = createHash("sha256").update(buf).digest("hex");
    t.steps = t.steps.filter((s) => s.step !== "verify");
    fs.writeFileSync(paths.transcript, JSON.stringify(t));
    await expect(ceremonyVerify(ID, { ptau, dir: copy, registryPath, log: quiet })).rejects.toThrow(
      /snarkjs zkey verify FAILED for mlp-d4-h3-c3-n4_final\.zkey .*do not use it/,
    );
  }, 600_000);
});

describe("the ceremony CLI (scripts/ceremony.mjs)", () => {
  const cli = fileURLToPath(new URL("../scripts/ceremony.mjs", import.meta.url));
  const run = (...args: string[]) => spawnSync(process.execPath, [cli, ...args], { encoding: "utf8" });

  it("prints its usage, and tells what to do when a step comes out of order", () => {
    const help = run("--help");
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/new\|contribute\|beacon\|verify\|pin/);
    const empty = path.join(tmp, "empty");
    const out = run(
      "contribute",
      ID,
      "--name",
      "carol",
      "--entropy",
      "carol's secret entropy",
      "--dir",
      empty,
    );
    expect(out.status).toBe(1);
    expect(out.stderr).toMatch(
      /transcript\.json is missing or not a zkarena\.ceremony\/v1 transcript: start with `ceremony new`/,
    );
    const noHash = run("beacon", ID, "--dir", empty);
    expect(noHash.status).toBe(1);
    expect(noHash.stderr).toMatch(/beacon needs --hash/);
  });
});
