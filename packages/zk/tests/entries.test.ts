// The entries a web page loads before proving must not pull in the prover: "@zkarena/zk/core" has
// no static import of snarkjs (verifyBatchedProof loads it on demand), and exports what the pages use.
import { build } from "esbuild";
import { describe, expect, it } from "vitest";
import * as core from "../src/core.ts";
import * as root from "../src/index.ts";

async function staticImports(entry: string) {
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    write: false,
    metafile: true,
    platform: "browser",
    format: "esm",
    logLevel: "silent",
    // Bundle our sources only; record which packages are imported, and how.
    plugins: [
      {
        name: "externals",
        setup(b) {
          b.onResolve({ filter: /^[^./]/ }, (args) => ({ path: args.path, external: true }));
        },
      },
    ],
  });
  const imports = Object.values(result.metafile.inputs).flatMap((i) => i.imports);
  return {
    static: new Set(imports.filter((i) => i.kind === "import-statement").map((i) => i.path)),
    dynamic: new Set(imports.filter((i) => i.kind === "dynamic-import").map((i) => i.path)),
  };
}

describe("package entries", () => {
  it("core imports snarkjs only dynamically; the root entry imports it statically", async () => {
    const c = await staticImports(new URL("../src/core.ts", import.meta.url).pathname);
    expect(c.static.has("snarkjs")).toBe(false);
    expect(c.dynamic.has("snarkjs")).toBe(true);
    expect(c.static.has("circomlibjs")).toBe(true);
    const r = await staticImports(new URL("../src/index.ts", import.meta.url).pathname);
    expect(r.static.has("snarkjs")).toBe(true);
  });

  it("core exports everything the root exports except the prover", () => {
    const missing = Object.keys(root).filter((k) => !(k in core));
    // prove.ts and sdk.ts: the prover and its errors, which import snarkjs.
    expect(missing.sort()).toEqual(
      [
        "LocalVerificationError",
        "ProofCancelledError",
        "ProofMismatchError",
        "ProofRequestError",
        "createProver",
        "proveMlp",
        "proveWithCircuit",
        "verifyMlp",
      ].sort(),
    );
    const used = ["quantize", "parseModel", "importOnnx", "modelCommitment", "randomSalt", "submitProofArgs"];
    for (const name of [
      ...used,
      "hiddenSplitCommitment",
      "batchProofRequest",
      "MLP_SHAPES",
      "CIRCUIT_REGISTRY",
    ]) {
      expect(core, name).toHaveProperty(name);
    }
  });
});
