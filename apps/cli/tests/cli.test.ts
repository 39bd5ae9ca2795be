// The parts of the CLI that need no chain: the command tree (help with examples everywhere, usage
// errors), configuration precedence, keystores, file validation and the model commands.
import { mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { privateKeyToAccount } from "viem/accounts";
import { describe, expect, it } from "vitest";
import { buildProgram, run, type Io } from "../src/main.ts";
import { resolveConfig } from "../src/config.ts";
import { readCliEnv } from "../src/env.ts";
import { decryptKeystore, encryptKeystore } from "../src/keystore.ts";
import { CliError, redact } from "../src/errors.ts";
import type { Command } from "commander";

function io(env: Record<string, string> = {}, cwd = mkdtempSync(path.join(tmpdir(), "zkarena-cli-unit-"))) {
  const out = { stdout: "", stderr: "" };
  const value: Io = {
    stdout: (s) => (out.stdout += s),
    stderr: (s) => (out.stderr += s),
    env: { HOME: cwd, ZKARENA_HOME: path.join(cwd, ".zkarena"), ...env },
    cwd,
  };
  return { io: value, out, cwd };
}

const KEY = "0x59c6995e998f97a5a0044966f0945389dc9c86dae88c7a8412f4603b6b78690d" as const;

describe("the command tree", () => {
  const leaves: string[][] = [];
  const walk = (cmd: Command, prefix: string[]) => {
    for (const c of cmd.commands) {
      if (c.name() === "help") continue;
      if (c.commands.length === 0) leaves.push([...prefix, c.name()]);
      else walk(c, [...prefix, c.name()]);
    }
  };
  walk(
    buildProgram(io().io, () => {}),
    [],
  );

  it("has the commands the issue asks for", () => {
    const names = leaves.map((l) => l.join(" "));
    for (const expected of [
      "challenge list",
      "challenge show",
      "challenge download",
      "challenge leaderboard",
      "challenge create",
      "challenge reveal",
      "challenge status",
      "model import",
      "model quantize",
      "model evaluate",
      "commit",
      "prove",
      "submit",
      "claim",
      "refund",
      "ceremony contribute",
      "ceremony verify",
      "ceremony beacon",
    ])
      expect(names).toContain(expected);
  });

  it("prints --help with examples for every command, exit code 0", async () => {
    for (const leaf of leaves) {
      const t = io();
      expect(await run([...leaf, "--help"], t.io), leaf.join(" ")).toBe(0);
      expect(t.out.stdout, leaf.join(" ")).toMatch(/Examples:\n {2}\$ zkarena /);
    }
  });

  it("answers usage errors with exit code 1 and a hint", async () => {
    for (const argv of [["bogus"], ["prove", "1"], ["challenge", "download", "x", "--kind", "secret"]]) {
      const t = io();
      expect(await run(argv, t.io), argv.join(" ")).toBe(1);
      expect(t.out.stderr).toMatch(/error: .*\n\(add --help for usage and examples\)/);
    }
  });

  it("refuses a malformed challenge id with exit code 2 before touching the network", async () => {
    const t = io({ ZKARENA_RPC_URL: "http://127.0.0.1:1", ZKARENA_ESCROW: "0x" + "11".repeat(20) });
    expect(await run(["status", "one", "--json"], t.io)).toBe(2);
    expect(JSON.parse(t.out.stderr)).toMatchObject({ error: { exitCode: 2 } });
  });

  it("reports an unreachable RPC with exit code 4", async () => {
    const t = io({ ZKARENA_RPC_URL: "http://127.0.0.1:1", ZKARENA_ESCROW: "0x" + "11".repeat(20) });
    expect(await run(["status", "1", "--json"], t.io)).toBe(4);
    expect(JSON.parse(t.out.stderr).error.message).toMatch(/the RPC did not answer.*check --rpc-url/);
  });
});

describe("configuration", () => {
  it("takes flags over the environment over the config file over defaults", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "zkarena-cfg-"));
    writeFileSync(
      path.join(dir, "config.json"),
      JSON.stringify({
        rpcUrl: "http://file:1",
        apiUrl: "http://file:2",
        chainId: 5,
        escrow: "0x" + "aa".repeat(20),
      }),
    );
    const env = readCliEnv({ ZKARENA_HOME: dir, ZKARENA_API_URL: "http://env:2", ZKARENA_CHAIN_ID: "7" });
    const cfg = resolveConfig({ chainId: "9" }, env, dir);
    expect(cfg).toMatchObject({ rpcUrl: "http://file:1", apiUrl: "http://env:2", chainId: 9 });
    expect(cfg.sources).toMatchObject({ rpcUrl: "file", apiUrl: "env", chainId: "flag", escrow: "file" });
    expect(resolveConfig({}, readCliEnv({ ZKARENA_HOME: path.join(dir, "none") }), dir)).toMatchObject({
      rpcUrl: "http://127.0.0.1:8545",
      chainId: 31337,
      apiUrl: null,
    });
  });

  it("refuses an unknown key in the config file, naming the allowed ones", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "zkarena-cfg-"));
    writeFileSync(path.join(dir, "config.json"), JSON.stringify({ privateKey: KEY }));
    expect(() => resolveConfig({}, readCliEnv({ ZKARENA_HOME: dir }), dir)).toThrow(
      /Unrecognized key.*allowed keys: rpcUrl, apiUrl/,
    );
  });

  it("never shows the key: config show, address and errors", async () => {
    const t = io({ ZKARENA_PRIVATE_KEY: KEY });
    expect(await run(["config", "show", "--json"], t.io)).toBe(0);
    expect(await run(["account", "address"], t.io)).toBe(0);
    expect(t.out.stdout).toContain(privateKeyToAccount(KEY).address);
    expect(t.out.stdout + t.out.stderr).not.toContain(KEY.slice(2));
    const bad = io({ ZKARENA_PRIVATE_KEY: KEY.slice(0, 40) });
    expect(await run(["account", "address"], bad.io)).toBe(6);
    expect(bad.out.stderr).not.toContain(KEY.slice(2, 40));
    expect(redact(`oops ${KEY}`, [KEY])).toBe("oops [redacted]");
  });
});

describe("keystores (Web3 Secret Storage v3)", () => {
  it("decrypts the specification's pbkdf2 test vector", () => {
    const vector = {
      crypto: {
        cipher: "aes-128-ctr",
        cipherparams: { iv: "6087dab2f9fdbbfaddc31a909735c1e6" },
        ciphertext: "5318b4d5bcd28de64ee5559e671353e16f075ecae9f99c7a79a38af5f869aa46",
        kdf: "pbkdf2",
        kdfparams: {
          c: 262144,
          dklen: 32,
          prf: "hmac-sha256",
          salt: "ae3cd4e7013836a3df6bd7241b12db061dbe2c6785853cce422d148a624ce0bd",
        },
        mac: "517ead924a9d0dc3124507e3393d175ce3ff7c1e96529c6c555ce9e51205e9b2",
      },
      id: "3198bc9c-6672-5ab3-d995-4942343ae5b6",
      version: 3,
    };
    expect(decryptKeystore(vector, "testpassword")).toBe(
      "0x7a28b5ba57c53603b0b07b56bba752f7784bf506fa95edc395f5cf6c7514fe9d",
    );
    expect(() => decryptKeystore(vector, "wrong")).toThrow(/wrong passphrase/);
  });

  it("round-trips scrypt keystores it writes, and account create writes them 0600", async () => {
    const ks = encryptKeystore(KEY, "a good passphrase", { n: 1024 });
    expect(decryptKeystore(JSON.parse(JSON.stringify(ks)), "a good passphrase")).toBe(KEY);
    const t = io({ ZKARENA_PRIVATE_KEY: KEY, ZKARENA_KEYSTORE_PASSWORD: "a good passphrase" });
    expect(
      await run(["account", "create", "--from-env", "--out", "k.json", "--scrypt-log-n", "10"], t.io),
    ).toBe(0);
    expect(statSync(path.join(t.cwd, "k.json")).mode & 0o777).toBe(0o600);
    expect(await run(["account", "create", "--from-env", "--out", "k.json"], t.io)).toBe(2); // never overwritten
    const use = io({
      ZKARENA_KEYSTORE: path.join(t.cwd, "k.json"),
      ZKARENA_KEYSTORE_PASSWORD: "a good passphrase",
    });
    expect(await run(["account", "address", "--json"], use.io)).toBe(0);
    expect(JSON.parse(use.out.stdout).address).toBe(privateKeyToAccount(KEY).address);
  });

  it("asks for the passphrase on the terminal when it is not in the environment, and refuses without one", async () => {
    const t = io({ ZKARENA_PRIVATE_KEY: KEY, ZKARENA_KEYSTORE_PASSWORD: "terminal passphrase" });
    await run(["account", "create", "--from-env", "--out", "k.json", "--scrypt-log-n", "10"], t.io);
    const asked: string[] = [];
    const withPrompt = io({ ZKARENA_KEYSTORE: path.join(t.cwd, "k.json") });
    withPrompt.io.prompt = async (q) => (asked.push(q), "terminal passphrase");
    expect(await run(["account", "address"], withPrompt.io)).toBe(0);
    expect(asked).toEqual(["Passphrase for k.json: "]);
    const noTerminal = io({ ZKARENA_KEYSTORE: path.join(t.cwd, "k.json") });
    expect(await run(["account", "address"], noTerminal.io)).toBe(6);
    expect(noTerminal.out.stderr).toMatch(/set ZKARENA_KEYSTORE_PASSWORD or run in a terminal/);
  });
});

describe("models", () => {
  const model = {
    format: "zkarena.model/v1",
    family: "mlp",
    D: 4,
    H: 3,
    C: 3,
    W1: [
      [0.5, -0.25, 0.1, 0],
      [-0.3, 0.8, 0.2, -0.1],
      [0.05, 0.1, -0.9, 0.4],
    ],
    b1: [0.1, -0.2, 0.05],
    W2: [
      [1, -0.5, 0.2],
      [-0.4, 0.9, 0.1],
      [0.3, 0.2, -0.8],
    ],
    b2: [0, 0.1, -0.1],
  };
  const rows = [
    [15, 0, 3, 7, 0],
    [0, 15, 2, 1, 1],
    [1, 2, 15, 9, 2],
    [8, 8, 0, 4, 0],
  ];

  it("imports JSON, quantizes with fewer weight bits, and evaluates with the circuit's integers", async () => {
    const t = io();
    writeFileSync(path.join(t.cwd, "m.json"), JSON.stringify(model));
    writeFileSync(
      path.join(t.cwd, "data.json"),
      JSON.stringify({ format: "zkarena-samples-v1", samples: rows }),
    );
    expect(await run(["model", "import", "m.json", "--out", "float.json", "--json"], t.io)).toBe(0);
    expect(JSON.parse(t.out.stdout).circuits).toEqual(["mlp-d4-h3-c3-n4"]);
    t.out.stdout = "";
    const args = ["model", "quantize", "float.json", "--circuit", "mlp-d4-h3-c3-n4", "--input-max", "15"];
    expect(
      await run([...args, "--data", "data.json", "--weight-bits", "5", "--out", "q5.json", "--json"], t.io),
    ).toBe(0);
    const report = JSON.parse(t.out.stdout).report;
    expect(report.weightBits).toBe(5);
    expect(report.bits.weights.used).toBeLessThanOrEqual(5);
    const q5 = JSON.parse(readFileSync(path.join(t.cwd, "q5.json"), "utf8"));
    expect(Math.max(...q5.W1.flat().map((v: string) => Math.abs(Number(v))))).toBe(15);
    t.out.stdout = "";
    expect(await run(["model", "evaluate", "q5.json", "--data", "data.json", "--json"], t.io)).toBe(0);
    const ev = JSON.parse(t.out.stdout);
    expect(ev.correct / 4).toBeCloseTo(report.quantizedAccuracy, 10);
    expect(ev.perBatch).toEqual([{ batch: 0, correct: ev.correct, of: 4 }]);
  });

  it("names the bad field of a model and the bad row of a split (exit code 2)", async () => {
    const t = io();
    writeFileSync(
      path.join(t.cwd, "bad.json"),
      JSON.stringify({ ...model, W1: [[0, 0, 0, "x"], ...model.W1.slice(1)] }),
    );
    expect(await run(["model", "import", "bad.json", "--json"], t.io)).toBe(2);
    expect(JSON.parse(t.out.stderr).error.message).toMatch(/W1\.0\.3/);
    writeFileSync(path.join(t.cwd, "m.json"), JSON.stringify(model));
    const q = [
      "model",
      "quantize",
      "m.json",
      "--circuit",
      "mlp-d4-h3-c3-n4",
      "--input-max",
      "15",
      "--out",
      "q.json",
    ];
    expect(await run(q, t.io)).toBe(0);
    writeFileSync(
      path.join(t.cwd, "wide.json"),
      JSON.stringify({ format: "zkarena-samples-v1", samples: [[16, 0, 0, 0, 1]] }),
    );
    t.out.stderr = "";
    expect(await run(["model", "evaluate", "q.json", "--data", "wide.json"], t.io)).toBe(2);
    expect(t.out.stderr).toMatch(/row 0 feature 0 must be an integer in \[0, 15\]/);
    t.out.stderr = "";
    expect(await run([...q.slice(0, 4), "mlp-d64-h16-c10-n32", "--input-max", "15"], t.io)).toBe(2);
    expect(t.out.stderr).toMatch(/model is 4-3-3, the circuit shape is 64-16-10/);
  });

  it("imports PyTorch ONNX exports and names every unsupported operator at once", async () => {
    const fixtures = path.resolve(import.meta.dirname, "../../../packages/zk/fixtures/onnx");
    const t = io();
    expect(
      await run(["model", "import", path.join(fixtures, "mlp.onnx"), "--out", "mlp.json", "--json"], t.io),
    ).toBe(0);
    expect(JSON.parse(t.out.stdout)).toMatchObject({ D: 4, H: 3, C: 3, circuits: ["mlp-d4-h3-c3-n4"] });
    const quantize = ["model", "quantize", "mlp.json", "--circuit", "mlp-d4-h3-c3-n4", "--input-max", "8"];
    expect(await run(quantize, t.io)).toBe(0);
    t.out.stdout = "";
    expect(await run(["model", "import", path.join(fixtures, "logistic.onnx"), "--json"], t.io)).toBe(0);
    expect(JSON.parse(t.out.stdout)).toMatchObject({ H: 0, circuits: ["mlp-d4-h0-c3-n4"] });
    const bad = io();
    expect(await run(["model", "import", path.join(fixtures, "unsupported.onnx")], bad.io)).toBe(2);
    expect(bad.out.stderr).toMatch(/Tanh[^]*LeakyRelu/);
    writeFileSync(path.join(bad.cwd, "junk.onnx"), new Uint8Array([8, 7]));
    expect(await run(["model", "import", "junk.onnx"], bad.io)).toBe(2);
  });
});

describe("ceremony", () => {
  it("wraps circuits/scripts/ceremony.mjs and maps its failure to an exit code", async () => {
    const t = io();
    const code = await run(
      ["ceremony", "verify", "mlp-d4-h3-c3-n4", "--ptau", "missing.ptau", "--dir", "nowhere"],
      t.io,
    );
    expect(code).toBe(7);
    expect(t.out.stderr).toMatch(/ceremony verify for mlp-d4-h3-c3-n4 failed/);
  });
});

it("CliError carries its exit code", () => {
  expect(new CliError("x", 3).exitCode).toBe(3);
});
