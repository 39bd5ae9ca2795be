// Circuit build pipeline shared by the CLI scripts (build.mjs, export-verifier.mjs,
// check-determinism.mjs) and the tests: registry → generated `main` wrapper → circom2 compile →
// INSECURE deterministic development setup (powers of tau + Groth16 zkey) → artifact.json.
//
// Types for this module live in lib.d.mts; keep the two in step.
//
// Everything here is deterministic on purpose: the same sources, registry entry and tool versions
// give byte-identical r1cs, wasm, zkey and verification key on every machine, so a verifier
// exported from one checkout matches proofs made from another. The price is that the setup is
// INSECURE: the "toxic waste" is derived from public beacons written below, so anyone can forge
// proofs against these keys. Production keys come from a real ceremony (README, DESIGN.md
// "Trust setup"); nothing in this file may be used to produce them.

import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { createRequire } from "node:module";
import fs from "node:fs";
import fsp from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import * as snarkjs from "snarkjs";
import { FAST_DEV_LABEL, FAST_DEV_SETUP_VERSION, fastDevZkey } from "./fast-setup.mjs";

const require = createRequire(import.meta.url);

/** Absolute path of the circuits package (the folder holding circuits.json). */
export const PACKAGE_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
/** Default output folder (git-ignored). */
export const DEFAULT_BUILD_DIR = path.join(PACKAGE_ROOT, "build");
/** The circuit registry. */
export const REGISTRY_PATH = path.join(PACKAGE_ROOT, "circuits.json");

/** Order of the BN254 scalar field: every signal is an element of Z_r. */
export const BN254_R = 21888242871839275222246405745257275088548364400416034343698204186575808495617n;

/**
 * Public beacons of the development setup. They are published here, so the resulting keys are
 * INSECURE by construction: whoever reads this file can recompute tau/alpha/beta/delta.
 * A beacon (not `contribute`) is used because snarkjs' `contribute` always mixes 64 bytes of
 * crypto.getRandomValues into the supplied entropy (snarkjs src/misc.js getRandomRng), which would
 * make the keys differ on every run; `beacon` derives its key only from the hash we pass.
 */
export const DEV_SETUP = Object.freeze({
  label: "dev-insecure",
  phase1Beacon: sha256Hex("zkarena/dev-insecure/phase1/v1 - PUBLIC BEACON, NOT A CEREMONY"),
  phase2Beacon: sha256Hex("zkarena/dev-insecure/phase2/v1 - PUBLIC BEACON, NOT A CEREMONY"),
  // 2^10 hash iterations: the minimum snarkjs accepts. A real beacon uses a future block hash and
  // a large exponent to make it slow to grind; neither matters for a key everyone can forge with.
  beaconIterationsExp: 10,
  // Registry entries with "setup": "fast-dev" skip powers of tau: scripts/fast-setup.mjs derives
  // tau, alpha, beta, delta from this PUBLIC seed and writes the zkey directly (seconds at 2^17).
  fastDevSeed: "zkarena/dev-insecure/fast-dev/v1 - PUBLIC SEED, NOT A CEREMONY",
});

/** Bumped when the build logic changes in a way that must invalidate cached outputs. */
const PIPELINE_VERSION = 1;
const ARTIFACT_FORMAT = 1;

// ----------------------------------------------------------------------------------------------
// Small helpers

function sha256Hex(data) {
  return createHash("sha256").update(data).digest("hex");
}

async function sha256File(file) {
  return sha256Hex(await fsp.readFile(file));
}

/** JSON with object keys sorted recursively and no whitespace: the input of vkHash. */
export function canonicalJson(value) {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const keys = Object.keys(value).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(value[k])}`).join(",")}}`;
  }
  if (typeof value === "bigint") return JSON.stringify(value.toString());
  return JSON.stringify(value);
}

/** `0x` + sha256 of the canonical JSON of a verification key. */
export function vkHash(vk) {
  return `0x${sha256Hex(canonicalJson(vk))}`;
}

/** "commitment-n4" → "CommitmentN4" (contract names). */
export function pascalId(id) {
  return id
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((part) => part[0].toUpperCase() + part.slice(1))
    .join("");
}

function packageVersion(name) {
  // circom2 and circomlib have no "exports" map, so their package.json resolves directly.
  return JSON.parse(fs.readFileSync(require.resolve(`${name}/package.json`), "utf8")).version;
}

function snarkjsRoot() {
  // snarkjs' "exports" map hides package.json and templates/: resolve the CommonJS entry
  // (build/main.cjs) and walk up to the package folder.
  return path.resolve(path.dirname(require.resolve("snarkjs")), "..");
}

function seconds(start) {
  return Math.round((performance.now() - start) / 10) / 100;
}

async function exists(file) {
  try {
    await fsp.access(file);
    return true;
  } catch {
    return false;
  }
}

/** Write via a temporary file and rename, so readers never see a half-written file. */
async function writeFileAtomic(file, data) {
  const tmp = `${file}.tmp-${process.pid}`;
  await fsp.writeFile(tmp, data);
  await fsp.rename(tmp, file);
}

/** snarkjs logger that forwards warnings and errors (and info when verbose) to `log`. */
function snarkLogger(log, verbose) {
  const noop = () => {};
  return {
    debug: noop,
    info: verbose ? (m) => log(`  snarkjs: ${m}`) : noop,
    warn: (m) => log(`  snarkjs warning: ${m}`),
    error: (m) => log(`  snarkjs error: ${m}`),
  };
}

/**
 * Stop the worker threads of the BN254 curve that snarkjs (and ffjavascript) cache on globalThis.
 * Call it when done with snarkjs in a CLI, or the process stays alive.
 */
export async function releaseCurves() {
  const curve = globalThis.curve_bn128;
  if (curve && typeof curve.terminate === "function") await curve.terminate();
}

// ----------------------------------------------------------------------------------------------
// Registry

const ID_RE = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const IDENT_RE = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Read and validate circuits.json. Throws with every problem listed.
 * @returns {import("./lib.d.mts").CircuitEntry[]}
 */
export function loadRegistry(registryPath = REGISTRY_PATH) {
  const raw = JSON.parse(fs.readFileSync(registryPath, "utf8"));
  const list = raw?.circuits;
  if (!Array.isArray(list)) throw new Error(`${registryPath}: expected { "circuits": [...] }`);
  const problems = [];
  const seen = new Set();
  for (const [i, e] of list.entries()) {
    const where = `circuits[${i}]${typeof e?.id === "string" ? ` (${e.id})` : ""}`;
    if (typeof e?.id !== "string" || !ID_RE.test(e.id)) problems.push(`${where}: id must match ${ID_RE}`);
    else if (seen.has(e.id)) problems.push(`${where}: duplicate id`);
    else seen.add(e.id);
    if (typeof e?.file !== "string" || !/^src\/[A-Za-z0-9_/-]+\.circom$/.test(e.file))
      problems.push(`${where}: file must be a src/….circom path`);
    else if (!fs.existsSync(path.join(PACKAGE_ROOT, e.file)))
      problems.push(`${where}: ${e.file} does not exist`);
    if (typeof e?.template !== "string" || !IDENT_RE.test(e.template))
      problems.push(`${where}: bad template name`);
    if (!Array.isArray(e?.params) || !e.params.every((p) => Number.isSafeInteger(p) && p >= 0))
      problems.push(`${where}: params must be non-negative integers`);
    if (
      !Array.isArray(e?.publicSignals) ||
      e.publicSignals.length === 0 ||
      !e.publicSignals.every((s) => typeof s === "string" && IDENT_RE.test(s))
    )
      problems.push(`${where}: publicSignals must be a non-empty list of signal names`);
    if (
      e?.outputs !== undefined &&
      (!Array.isArray(e.outputs) || !e.outputs.every((s) => e.publicSignals?.includes(s)))
    )
      problems.push(`${where}: outputs must list names that appear in publicSignals`);
    if (!Number.isInteger(e?.power) || e.power < 8 || e.power > 20)
      problems.push(`${where}: power must be 8..20`);
    if (e?.setup !== undefined && e.setup !== "dev-ptau" && e.setup !== "fast-dev")
      problems.push(`${where}: setup must be "dev-ptau" (default) or "fast-dev"`);
    if (e?.name !== undefined && (typeof e.name !== "string" || !/^[a-z][A-Za-z0-9]*$/.test(e.name)))
      problems.push(`${where}: name must be a camelCase shape name (ci, demo, …)`);
    else if (e?.name !== undefined && list.filter((o) => o?.name === e.name).length > 1)
      problems.push(`${where}: duplicate name ${e.name}`);
    if (e?.constraints !== undefined && (!Number.isSafeInteger(e.constraints) || e.constraints < 1))
      problems.push(`${where}: constraints must be the pinned positive constraint count`);
    if (e?.production !== undefined && !/^0x[0-9a-f]{64}$/.test(e.production?.vkHash ?? ""))
      problems.push(`${where}: production.vkHash must be 0x + 64 hex digits (written by ceremony.mjs pin)`);
  }
  if (problems.length > 0)
    throw new Error(`invalid ${path.basename(registryPath)}:\n  ${problems.join("\n  ")}`);
  return list.map((e) => ({ ...e, outputs: e.outputs ?? [], setup: e.setup ?? "dev-ptau" }));
}

// ----------------------------------------------------------------------------------------------
// Paths

/** Every file the build writes for one circuit. */
export function artifactPaths(id, buildDir = DEFAULT_BUILD_DIR) {
  const dir = path.join(buildDir, id);
  return {
    dir,
    wrapper: path.join(dir, `${id}.circom`),
    r1cs: path.join(dir, `${id}.r1cs`),
    sym: path.join(dir, `${id}.sym`),
    wasm: path.join(dir, `${id}_js`, `${id}.wasm`),
    zkey: path.join(dir, `${id}.${DEV_SETUP.label}.zkey`),
    vk: path.join(dir, "verification_key.json"),
    artifact: path.join(dir, "artifact.json"),
    compileStamp: path.join(dir, "compile.stamp"),
  };
}

/** The cached, prepared (phase-2-ready) development powers of tau for 2^power constraints. */
export function ptauPath(power, buildDir = DEFAULT_BUILD_DIR) {
  return path.join(buildDir, "ptau", `${DEV_SETUP.label}-${power}.ptau`);
}

// ----------------------------------------------------------------------------------------------
// Locking: `npm run build` and tests' beforeAll (of several packages) may run at once. Outputs are
// written atomically and deterministically, so a race would only waste CPU; locks avoid that. One
// lock per circuit (build/.locks/<id>, held while that circuit compiles or sets up) and one per dev
// ptau power, so a process that needs only the CI circuit never waits for the benchmark's compile.

async function withLock(lockDir, fn, log) {
  await fsp.mkdir(path.dirname(lockDir), { recursive: true });
  let announced = false;
  for (;;) {
    try {
      await fsp.mkdir(lockDir);
      await fsp.writeFile(path.join(lockDir, "pid"), String(process.pid));
      break;
    } catch (err) {
      if (err?.code !== "EEXIST") throw err;
      const owner = Number(await fsp.readFile(path.join(lockDir, "pid"), "utf8").catch(() => "NaN"));
      let alive = false;
      if (Number.isInteger(owner)) {
        try {
          process.kill(owner, 0);
          alive = true;
        } catch {
          alive = false;
        }
      }
      // The pid file is written right after mkdir; give a fresh lock a moment before calling it stale.
      const stat = await fsp.stat(lockDir).catch(() => null);
      const young = stat !== null && Date.now() - stat.mtimeMs < 5_000;
      if (!alive && !young) {
        await fsp.rm(lockDir, { recursive: true, force: true });
        continue;
      }
      if (!announced) {
        log(`waiting for another build (pid ${owner}) holding ${lockDir}`);
        announced = true;
      }
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }
  try {
    return await fn();
  } finally {
    await fsp.rm(lockDir, { recursive: true, force: true });
  }
}

// ----------------------------------------------------------------------------------------------
// Compile

/** The generated `component main` wrapper for a registry entry. */
export function wrapperSource(entry) {
  const inputs = entry.publicSignals.filter((s) => !entry.outputs.includes(s));
  return [
    `// generated by circuits/scripts/lib.mjs from circuits.json entry "${entry.id}" - do not edit`,
    "pragma circom 2.1.0;",
    `include "${entry.file}";`,
    `component main {public [${inputs.join(", ")}]} = ${entry.template}(${entry.params.join(", ")});`,
    "",
  ].join("\n");
}

async function listCircomSources(dir) {
  const out = [];
  for (const ent of await fsp.readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, ent.name);
    if (ent.isDirectory()) out.push(...(await listCircomSources(full)));
    else if (ent.name.endsWith(".circom")) out.push(full);
  }
  return out.sort();
}

/**
 * Hash of everything that determines the compiler output: the entry (minus `power`, which only
 * affects the setup), every .circom under src/ (cheaper and safer than following includes), and
 * the tool versions. circomlib is pinned by version (its files live in node_modules).
 */
async function compileStamp(entry) {
  const sources = [];
  for (const file of await listCircomSources(path.join(PACKAGE_ROOT, "src"))) {
    sources.push([path.relative(PACKAGE_ROOT, file), await sha256File(file)]);
  }
  // Only what reaches the compiler: not the setup kind, the shape name, the pinned count or the
  // production block (changing those must not recompile anything).
  const {
    power: _power,
    setup: _setup,
    name: _name,
    constraints: _constraints,
    production: _production,
    ...shape
  } = entry;
  return sha256Hex(
    canonicalJson({
      pipeline: PIPELINE_VERSION,
      shape,
      wrapper: wrapperSource(entry),
      sources,
      circom2: packageVersion("circom2"),
      circomlib: packageVersion("circomlib"),
    }),
  );
}

function longestCommonDir(dirs) {
  let common = path.resolve(dirs[0]);
  for (const d of dirs.slice(1)) {
    const abs = path.resolve(d);
    while (common !== path.dirname(common) && abs !== common && !abs.startsWith(common + path.sep)) {
      common = path.dirname(common);
    }
  }
  return common;
}

/**
 * Run circom2 (the Circom compiler as WebAssembly). circom2 maps file arguments to paths relative
 * to its working directory and cannot open anything through `..` (nor through a symlink leaving
 * it), while npm hoists circomlib to the workspace root's node_modules. So the compiler runs in
 * the deepest folder containing the package, circomlib's node_modules and the output folder, with
 * `-l` pointing at the package (for `include "src/…"`) and at that node_modules.
 */
async function runCircom(entry, outDir, log) {
  const cli = require.resolve("circom2/cli.js");
  const nodeModules = path.dirname(path.dirname(require.resolve("circomlib/package.json")));
  const cwd = longestCommonDir([PACKAGE_ROOT, nodeModules, outDir]);
  const rel = (p) => path.relative(cwd, p) || ".";
  const wrapper = path.join(outDir, `${entry.id}.circom`);
  const args = [
    cli,
    rel(wrapper),
    "--r1cs",
    "--wasm",
    "--sym",
    "--O2",
    "-l",
    rel(PACKAGE_ROOT),
    "-l",
    rel(nodeModules),
    "-o",
    rel(outDir),
  ];
  log(`  circom2 ${args.slice(1).join(" ")}   (cwd ${cwd}; prints nothing until done)`);
  const { code, stdout, stderr } = await new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd, stdio: ["ignore", "pipe", "pipe"] });
    let so = "";
    let se = "";
    child.stdout.on("data", (d) => (so += d));
    child.stderr.on("data", (d) => (se += d));
    child.on("error", reject);
    child.on("close", (c) => resolve({ code: c, stdout: so, stderr: se }));
  });
  // circom colours its output; strip ANSI escapes for logs and error messages.
  const ansi = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, "g");
  const plain = (s) => s.replace(ansi, "").trim();
  if (code !== 0)
    throw new Error(`circom2 failed for ${entry.id} (exit ${code}):\n${plain(stderr)}\n${plain(stdout)}`);
  return plain(stdout);
}

/**
 * Check that the public signals, in witness order 1..nPublic, are exactly the registry's
 * publicSignals (array signals collapse to their base name). Returns the expanded names.
 */
async function checkPublicSignals(entry, symFile, nPublic) {
  const byWitness = new Map();
  for (const line of (await fsp.readFile(symFile, "utf8")).split("\n")) {
    const [, witness, , name] = line.split(",");
    const w = Number(witness);
    if (name && w >= 1 && w <= nPublic && name.startsWith("main.") && !byWitness.has(w))
      byWitness.set(w, name.slice(5));
  }
  const names = [];
  for (let w = 1; w <= nPublic; w++) {
    const n = byWitness.get(w);
    if (n === undefined) throw new Error(`${entry.id}: no main.* signal at witness index ${w} in ${symFile}`);
    names.push(n);
  }
  const collapsed = names.map((n) => n.replace(/\[.*$/, "")).filter((n, i, a) => i === 0 || a[i - 1] !== n);
  if (canonicalJson(collapsed) !== canonicalJson(entry.publicSignals)) {
    throw new Error(
      `${entry.id}: circuits.json publicSignals ${JSON.stringify(entry.publicSignals)} do not match the ` +
        `circuit's public signal order ${JSON.stringify(collapsed)} (outputs first, then inputs in declaration order)`,
    );
  }
  return names;
}

// ----------------------------------------------------------------------------------------------
// Development setup (INSECURE)

/**
 * Create (once) build/ptau/dev-insecure-<power>.ptau: `powersoftau new` → one beacon → `prepare
 * phase2`. Deterministic; INSECURE (see DEV_SETUP).
 */
export async function ensureDevPtau(
  power,
  { buildDir = DEFAULT_BUILD_DIR, log = console.log, verbose = false } = {},
) {
  const final = ptauPath(power, buildDir);
  if (await exists(final)) return { file: final, cached: true, seconds: 0 };
  return withLock(
    path.join(buildDir, ".locks", `ptau-${power}`),
    () => makeDevPtau(power, final, { log, verbose }),
    log,
  );
}

async function makeDevPtau(power, final, { log, verbose }) {
  if (await exists(final)) return { file: final, cached: true, seconds: 0 }; // made while we waited
  await fsp.mkdir(path.dirname(final), { recursive: true });
  const logger = snarkLogger(log, verbose);
  const tmp = (step) => `${final}.${step}.tmp-${process.pid}`;
  const t0 = performance.now();
  log(
    `  INSECURE development powers of tau 2^${power}: new → beacon → prepare phase2 (computed once, cached)`,
  );
  try {
    const curve = await snarkjs.curves.getCurveFromName("bn128");
    await snarkjs.powersOfTau.newAccumulator(curve, power, tmp("0"), logger);
    const hash = await snarkjs.powersOfTau.beacon(
      tmp("0"),
      tmp("1"),
      "zkarena INSECURE dev beacon (phase 1)",
      DEV_SETUP.phase1Beacon,
      DEV_SETUP.beaconIterationsExp,
      logger,
    );
    if (!hash) throw new Error("snarkjs powersoftau beacon failed (see the log above)");
    const tp = performance.now();
    await snarkjs.powersOfTau.preparePhase2(tmp("1"), tmp("2"), logger);
    log(`  prepare phase2 at 2^${power}: ${seconds(tp)} s`);
    await fsp.rename(tmp("2"), final);
  } finally {
    for (const step of ["0", "1", "2"]) await fsp.rm(tmp(step), { force: true });
  }
  return { file: final, cached: false, seconds: seconds(t0) };
}

/** `zkey new` + one public beacon → <id>.dev-insecure.zkey; returns the verification key. */
async function devZkey(paths, ptau, log, verbose) {
  const logger = snarkLogger(log, verbose);
  const zkey0 = `${paths.zkey}.0.tmp-${process.pid}`;
  const zkey1 = `${paths.zkey}.1.tmp-${process.pid}`;
  try {
    await snarkjs.zKey.newZKey(paths.r1cs, ptau, zkey0, logger);
    const beaconHash = await snarkjs.zKey.beacon(
      zkey0,
      zkey1,
      "zkarena INSECURE dev beacon (phase 2)",
      DEV_SETUP.phase2Beacon,
      DEV_SETUP.beaconIterationsExp,
      logger,
    );
    if (!beaconHash) throw new Error("snarkjs zkey beacon failed (see the log above)");
    await fsp.rename(zkey1, paths.zkey);
  } finally {
    await fsp.rm(zkey0, { force: true });
    await fsp.rm(zkey1, { force: true });
  }
  return snarkjs.zKey.exportVerificationKey(paths.zkey, logger);
}

// ----------------------------------------------------------------------------------------------
// Build

async function readJson(file) {
  try {
    return JSON.parse(await fsp.readFile(file, "utf8"));
  } catch {
    return null;
  }
}

/** Step 1 of a build: compile, unless the compile stamp is unchanged. */
async function compileOne(entry, { buildDir, log, force }) {
  const paths = artifactPaths(entry.id, buildDir);
  await fsp.mkdir(paths.dir, { recursive: true });
  const result = {
    id: entry.id,
    dir: paths.dir,
    compileCached: true,
    setupCached: true,
    ptauCached: true,
    compileSeconds: null,
    ptauSeconds: null,
    setupSeconds: null,
  };

  // 1. Compile, unless the stamp of sources + entry + tool versions is unchanged.
  const stamp = await compileStamp(entry);
  const oldStamp = (await fsp.readFile(paths.compileStamp, "utf8").catch(() => "")).trim();
  const compiledOk =
    oldStamp === stamp &&
    (await exists(paths.r1cs)) &&
    (await exists(paths.wasm)) &&
    (await exists(paths.sym));
  if (force || !compiledOk) {
    log(`${entry.id}: compiling ${entry.file} ${entry.template}(${entry.params.join(", ")})`);
    const t0 = performance.now();
    // Compile into a scratch folder, then move the outputs in, so an interrupted compile never
    // leaves a stamp next to stale or partial files.
    const scratch = path.join(buildDir, ".tmp", `${entry.id}-${process.pid}`);
    await fsp.rm(scratch, { recursive: true, force: true });
    await fsp.mkdir(scratch, { recursive: true });
    try {
      await fsp.writeFile(path.join(scratch, `${entry.id}.circom`), wrapperSource(entry));
      await runCircom(entry, scratch, log);
      await fsp.rm(paths.compileStamp, { force: true });
      await fsp.rm(path.join(paths.dir, `${entry.id}_js`), { recursive: true, force: true });
      for (const name of await fsp.readdir(scratch))
        await fsp.rename(path.join(scratch, name), path.join(paths.dir, name));
      await writeFileAtomic(paths.compileStamp, `${stamp}\n`);
    } finally {
      await fsp.rm(scratch, { recursive: true, force: true });
      await fsp.rmdir(path.dirname(scratch)).catch(() => {}); // only when empty
    }
    result.compileCached = false;
    result.compileSeconds = seconds(t0);
  }
  return { result, stamp };
}

/**
 * Steps 2–3 of a build: read the constraint system, then the INSECURE development setup unless
 * artifact.json records the same r1cs and setup. `ptauTasks` holds dev-ptau generations that
 * buildAll may have started while compiling (power → promise).
 */
async function setupOne(entry, { result, stamp }, { buildDir, log, force, verbose, ptauTasks }) {
  const paths = artifactPaths(entry.id, buildDir);
  // 2. Read the constraint system (also validates the public-signal order).
  const r1cs = await readR1csInfo(paths.r1cs);
  const nPublic = r1cs.nOutputs + r1cs.nPubInputs;
  const publicSignalNames = await checkPublicSignals(entry, paths.sym, nPublic);
  const needed = r1cs.nConstraints + nPublic + 1; // snarkjs adds one row per public input + 1
  if (needed > 2 ** entry.power) {
    throw new Error(
      `${entry.id}: ${r1cs.nConstraints} constraints + ${nPublic + 1} need 2^${Math.ceil(Math.log2(needed))}; circuits.json says power ${entry.power}`,
    );
  }

  // 3. Setup, unless artifact.json records the same r1cs, power and beacons.
  const r1csSha256 = await sha256File(paths.r1cs);
  const setupStamp = sha256Hex(
    canonicalJson({
      pipeline: PIPELINE_VERSION,
      r1csSha256,
      power: entry.power,
      // For dev-ptau entries this is exactly what it was before fast-dev existed, so existing
      // keys stay cached.
      ...(entry.setup === "fast-dev"
        ? { setup: { seed: DEV_SETUP.fastDevSeed }, fastDev: FAST_DEV_SETUP_VERSION }
        : {
            setup: {
              label: DEV_SETUP.label,
              phase1Beacon: DEV_SETUP.phase1Beacon,
              phase2Beacon: DEV_SETUP.phase2Beacon,
              beaconIterationsExp: DEV_SETUP.beaconIterationsExp,
            },
          }),
      snarkjs: snarkjsVersion(),
    }),
  );
  const previous = await readJson(paths.artifact);
  const setupOk =
    previous?.setupStamp === setupStamp &&
    (await exists(paths.zkey)) &&
    (await exists(paths.vk)) &&
    previous.zkeySha256 === (await sha256File(paths.zkey));
  if (!force && setupOk) {
    // The constraint system is unchanged, so the keys stay valid; a recompile may still have
    // changed the witness generator (e.g. a `<--` hint), so refresh what describes it.
    const artifact = {
      ...previous,
      compileStamp: stamp,
      wasmSha256: await sha256File(paths.wasm),
      publicSignalNames,
    };
    if (canonicalJson(artifact) !== canonicalJson(previous))
      await writeFileAtomic(paths.artifact, `${JSON.stringify(artifact, null, 2)}\n`);
    log(
      `${entry.id}: ${result.compileCached ? "up to date" : "constraint system unchanged, keys reused"} (${r1cs.nConstraints} constraints)`,
    );
    return { ...result, constraints: r1cs.nConstraints, artifact };
  }

  const fast = entry.setup === "fast-dev";
  const ptau = fast
    ? null
    : await (ptauTasks?.get(entry.power) ?? ensureDevPtau(entry.power, { buildDir, log, verbose }));
  if (ptau) {
    result.ptauCached = ptau.cached;
    result.ptauSeconds = ptau.seconds;
  }
  log(
    fast
      ? `${entry.id}: INSECURE fast development setup (known tau from a public seed, no ptau) at 2^${entry.power}`
      : `${entry.id}: INSECURE development setup (zkey new + public beacon) at 2^${entry.power}`,
  );
  const t1 = performance.now();
  await fsp.rm(paths.artifact, { force: true });
  let vk;
  if (fast) {
    await fastDevZkey({
      r1csPath: paths.r1cs,
      zkeyPath: paths.zkey,
      power: entry.power,
      seed: DEV_SETUP.fastDevSeed,
      log: verbose ? log : () => {},
    });
    vk = await snarkjs.zKey.exportVerificationKey(paths.zkey, snarkLogger(log, verbose));
  } else {
    vk = await devZkey(paths, ptau.file, log, verbose);
  }
  await writeFileAtomic(paths.vk, `${JSON.stringify(vk, null, 2)}\n`);
  result.setupSeconds = seconds(t1);
  result.setupCached = false;

  const artifact = {
    format: ARTIFACT_FORMAT,
    id: entry.id,
    template: entry.template,
    file: entry.file,
    params: entry.params,
    publicSignals: entry.publicSignals,
    publicSignalNames,
    power: entry.power,
    protocol: "groth16",
    curve: "bn128",
    setup: fast
      ? {
          kind: FAST_DEV_LABEL,
          INSECURE:
            "development keys from a public seed (known tau): anyone can forge proofs; never deploy with real funds",
          seed: DEV_SETUP.fastDevSeed,
          version: FAST_DEV_SETUP_VERSION,
        }
      : {
          kind: DEV_SETUP.label,
          INSECURE:
            "development keys from public beacons: anyone can forge proofs; never deploy with real funds",
          phase1Beacon: DEV_SETUP.phase1Beacon,
          phase2Beacon: DEV_SETUP.phase2Beacon,
          beaconIterationsExp: DEV_SETUP.beaconIterationsExp,
        },
    constraints: r1cs.nConstraints,
    wires: r1cs.nVars,
    nPublic,
    nPrivateInputs: r1cs.nPrvInputs,
    files: {
      r1cs: path.relative(paths.dir, paths.r1cs),
      wasm: path.relative(paths.dir, paths.wasm),
      sym: path.relative(paths.dir, paths.sym),
      zkey: path.relative(paths.dir, paths.zkey),
      verificationKey: path.relative(paths.dir, paths.vk),
    },
    vkHash: vkHash(vk),
    vkHashAlgorithm:
      "sha256 of the verification key as canonical JSON (keys sorted recursively, no whitespace)",
    zkeySha256: await sha256File(paths.zkey),
    r1csSha256,
    wasmSha256: await sha256File(paths.wasm),
    ptauSha256: ptau ? await sha256File(ptau.file) : null,
    tools: {
      circom2: packageVersion("circom2"),
      circomlib: packageVersion("circomlib"),
      snarkjs: snarkjsVersion(),
    },
    compileStamp: stamp,
    setupStamp,
  };
  await writeFileAtomic(paths.artifact, `${JSON.stringify(artifact, null, 2)}\n`);
  log(`${entry.id}: vkHash ${artifact.vkHash}`);
  return { ...result, constraints: r1cs.nConstraints, artifact };
}

function snarkjsVersion() {
  return JSON.parse(fs.readFileSync(path.join(snarkjsRoot(), "package.json"), "utf8")).version;
}

/** At most `n` of the functions passed to the returned runner execute at once (FIFO). */
function limiter(n) {
  let active = 0;
  const queue = [];
  const pump = () => {
    while (active < n && queue.length > 0) {
      const { fn, resolve, reject } = queue.shift();
      active++;
      Promise.resolve()
        .then(fn)
        .then(resolve, reject)
        .finally(() => {
          active--;
          pump();
        });
    }
  };
  return (fn) =>
    new Promise((resolve, reject) => {
      queue.push({ fn, resolve, reject });
      pump();
    });
}

/**
 * Build every registry entry (or only `only`): compile if sources changed, then the INSECURE
 * development setup if the constraint system changed. Safe to call concurrently (file lock).
 * @param {import("./lib.d.mts").BuildOptions} [options]
 * @returns {Promise<import("./lib.d.mts").BuildResult[]>}
 */
export async function buildAll(options = {}) {
  const {
    only,
    buildDir = DEFAULT_BUILD_DIR,
    log = console.log,
    force = false,
    verbose = false,
    registryPath = REGISTRY_PATH,
  } = options;
  const registry = loadRegistry(registryPath);
  const ids = only === undefined ? null : Array.isArray(only) ? only : [only];
  if (ids) {
    const unknown = ids.filter((id) => !registry.some((e) => e.id === id));
    if (unknown.length > 0)
      throw new Error(
        `unknown circuit id(s): ${unknown.join(", ")}; known: ${registry.map((e) => e.id).join(", ")}`,
      );
  }
  const entries = ids ? registry.filter((e) => ids.includes(e.id)) : registry;
  const opts = { buildDir, log, force, verbose };
  // A pipeline, because a first build must stay short on 2 cores:
  // - the dev powers of tau (this process and its workers) is generated while circom2 compiles
  //   (child processes); it is started early only when some dev-ptau entry has no artifact yet
  //   (so it will need it);
  // - up to `parallelism` compiles run at once, the largest domain first (the longest compile is
  //   the critical path);
  // - each entry's setup starts as soon as its compile is done, one setup at a time (a setup
  //   already uses every core through the curve's worker threads);
  // - an entry's lock is held only while this process works on it (not while it waits for a slot).
  const ptauTasks = new Map();
  for (const entry of entries) {
    if (entry.setup !== "dev-ptau" || ptauTasks.has(entry.power)) continue;
    if (!force && (await exists(artifactPaths(entry.id, buildDir).artifact))) continue;
    const task = ensureDevPtau(entry.power, { buildDir, log, verbose });
    task.catch(() => {}); // awaited (and rethrown) by setupOne
    ptauTasks.set(entry.power, task);
  }
  const parallelism = Math.max(1, Math.min(2, os.availableParallelism()));
  const compileSlot = limiter(parallelism);
  const setupSlot = limiter(1);
  const entryLock = (id, fn) => withLock(path.join(buildDir, ".locks", id), fn, log);
  const byCompileOrder = [...entries].sort((a, b) => b.power - a.power);
  const tasks = new Map();
  for (const entry of byCompileOrder) {
    tasks.set(
      entry.id,
      (async () => {
        const compiled = await compileSlot(() => entryLock(entry.id, () => compileOne(entry, opts)));
        return setupSlot(() => entryLock(entry.id, () => setupOne(entry, compiled, { ...opts, ptauTasks })));
      })(),
    );
  }
  // Wait for everything (never leave work in flight), then report the first failure.
  const settled = await Promise.allSettled([...entries.map((e) => tasks.get(e.id)), ...ptauTasks.values()]);
  const failed = settled.find((r) => r.status === "rejected");
  if (failed) throw failed.reason;
  return settled.slice(0, entries.length).map((r) => r.value);
}

/** Build one circuit and return its artifact.json contents. */
export async function buildCircuit(id, options = {}) {
  const [result] = await buildAll({ ...options, only: id });
  return result.artifact;
}

/** The short table printed at the end of a build. */
export function formatBuildTable(results) {
  const rows = [["id", "constraints", "compile s", "ptau s", "setup s", "cached?"]];
  for (const r of results) {
    // yes: nothing done; "keys": recompiled but the r1cs is unchanged, so the zkey was reused;
    // "compile": compile cached, setup redone; no: both done.
    const cached =
      r.compileCached && r.setupCached ? "yes" : r.setupCached ? "keys" : r.compileCached ? "compile" : "no";
    const ptau = r.ptauSeconds === null ? "-" : r.ptauCached ? "cached" : String(r.ptauSeconds);
    rows.push([
      r.id,
      String(r.constraints),
      r.compileSeconds === null ? "-" : String(r.compileSeconds),
      ptau,
      r.setupSeconds === null ? "-" : String(r.setupSeconds),
      cached,
    ]);
  }
  const widths = rows[0].map((_, c) => Math.max(...rows.map((row) => row[c].length)));
  return rows
    .map((row) =>
      row
        .map((cell, c) => cell.padEnd(widths[c]))
        .join("  ")
        .trimEnd(),
    )
    .join("\n");
}

// ----------------------------------------------------------------------------------------------
// Solidity verifier

/** Pinned compiler of the contracts package (contracts/foundry.toml, TOOLCHAIN.md: npm solc 0.8.37). */
export const SOLIDITY_PRAGMA = "pragma solidity 0.8.37;";

/** Default destination of the generated verifier, relative to this package. */
export function defaultVerifierPath(id) {
  return path.resolve(PACKAGE_ROOT, "..", "contracts", "src", "verifiers", `${pascalId(id)}Verifier.sol`);
}

/**
 * Render snarkjs' Groth16 Solidity verifier (templates/verifier_groth16.sol.ejs) for a built
 * circuit: banner on line 1, contract renamed to <PascalId>Verifier, the template's pragma range
 * (`>=0.7.0 <0.9.0` in snarkjs 0.7.6) pinned to 0.8.37. Returns the Solidity source.
 */
export async function renderSolidityVerifier(id, { buildDir = DEFAULT_BUILD_DIR, log = console.log } = {}) {
  const paths = artifactPaths(id, buildDir);
  const artifact = await readJson(paths.artifact);
  if (!artifact)
    throw new Error(
      `${paths.artifact} missing: build ${id} first (npm run build -w @zkarena/circuits -- --only ${id})`,
    );
  const template = await fsp.readFile(
    path.join(snarkjsRoot(), "templates", "verifier_groth16.sol.ejs"),
    "utf8",
  );
  const raw = await snarkjs.zKey.exportSolidityVerifier(
    paths.zkey,
    { groth16: template },
    snarkLogger(log, false),
  );
  const name = `${pascalId(id)}Verifier`;
  const replaceOnce = (text, re, replacement, what) => {
    const matches = text.match(new RegExp(re.source, `${re.flags.replace("g", "")}g`)) ?? [];
    if (matches.length !== 1)
      throw new Error(`snarkjs verifier template changed: expected one ${what}, found ${matches.length}`);
    return text.replace(re, replacement);
  };
  let sol = replaceOnce(raw, /^pragma solidity [^;]+;/m, SOLIDITY_PRAGMA, "pragma");
  sol = replaceOnce(sol, /\bcontract Groth16Verifier\b/, `contract ${name}`, "contract Groth16Verifier");
  const banner = `// generated by circuits/scripts/export-verifier.mjs from ${id} (${artifact.vkHash}) — do not edit; INSECURE development setup`;
  return `${banner}\n${sol}`;
}

/** Write the verifier to `out` (default ../contracts/src/verifiers/<PascalId>Verifier.sol). */
export async function exportSolidityVerifier(
  id,
  { out = defaultVerifierPath(id), buildDir = DEFAULT_BUILD_DIR, log = console.log } = {},
) {
  const sol = await renderSolidityVerifier(id, { buildDir, log });
  await fsp.mkdir(path.dirname(out), { recursive: true });
  await writeFileAtomic(out, sol);
  return { file: out, contractName: `${pascalId(id)}Verifier` };
}

// ----------------------------------------------------------------------------------------------
// Production setup (a real phase-2 ceremony on a public phase 1)
//
// DESIGN.md "Trust setup", threat Z12. Phase 1 is a public Hermez / Perpetual Powers of Tau file,
// given by path and checked against its published blake2b (scripts/ptau-hashes.mjs). Phase 2 runs
// in a ceremony folder (default ceremony/<id>/): `zkey new` → one `zkey contribute` per named
// contributor (entropy from the contributor; snarkjs also mixes in 64 random bytes) → a final
// `zkey beacon` (a public, unpredictable value such as a future block hash) → `zkey verify` against
// the r1cs and the ptau → verification key, vkHash and the Solidity verifier, whose constants are
// checked against the key. Every step appends to transcript.json (file hashes, contribution hashes,
// names) and refuses to continue from a zkey whose sha256 differs from the transcript's.

export const CEREMONY_FORMAT = "zkarena.ceremony/v1";
export const DEFAULT_CEREMONY_DIR = path.join(PACKAGE_ROOT, "ceremony");

/** blake2b-512 (as `b2sum`) of a file, streamed (the Hermez files reach gigabytes). */
export async function blake2bFile(file) {
  const hash = createHash("blake2b512");
  for await (const chunk of fs.createReadStream(file, { highWaterMark: 1 << 22 })) hash.update(chunk);
  return hash.digest("hex");
}

/** Section table of an iden3 binary file (ptau, zkey, r1cs): id → [{ start, size }]. */
async function binSections(file, magic) {
  const fh = await fsp.open(file, "r");
  try {
    const head = Buffer.alloc(12);
    await fh.read(head, 0, 12, 0);
    if (head.toString("latin1", 0, 4) !== magic)
      throw new Error(`${file} is not a .${magic} file (magic "${head.toString("latin1", 0, 4)}")`);
    const count = head.readUInt32LE(8);
    const sections = new Map();
    let pos = 12;
    const { size: total } = await fh.stat();
    for (let i = 0; i < count; i++) {
      const h = Buffer.alloc(12);
      await fh.read(h, 0, 12, pos);
      const id = h.readUInt32LE(0);
      const size = Number(h.readBigUInt64LE(4));
      if (pos + 12 + size > total) throw new Error(`${file} is truncated (section ${id})`);
      sections.set(id, [...(sections.get(id) ?? []), { start: pos + 12, size }]);
      pos += 12 + size;
    }
    return { fh, sections };
  } catch (err) {
    await fh.close();
    throw err;
  }
}

/**
 * Header of a circom .r1cs file (what `snarkjs r1cs info` prints) without reading the
 * constraints: snarkjs' r1cs.info parses the whole file (~30 s for 250k constraints on a loaded
 * machine), this reads a few bytes.
 */
export async function readR1csInfo(file) {
  const { fh, sections } = await binSections(file, "r1cs");
  try {
    const header = sections.get(1)?.[0];
    if (!header) throw new Error(`${file}: no header section`);
    const buf = Buffer.alloc(header.size);
    await fh.read(buf, 0, header.size, header.start);
    const n8 = buf.readUInt32LE(0);
    const o = 4 + n8;
    const nVars = buf.readUInt32LE(o);
    const nOutputs = buf.readUInt32LE(o + 4);
    const nPubInputs = buf.readUInt32LE(o + 8);
    const nPrvInputs = buf.readUInt32LE(o + 12);
    const nLabels = Number(buf.readBigUInt64LE(o + 16));
    const nConstraints = buf.readUInt32LE(o + 24);
    return { n8, nVars, nOutputs, nPubInputs, nPrvInputs, nLabels, nConstraints };
  } finally {
    await fh.close();
  }
}

/** Power, ceremony power and "prepared for phase 2" (Lagrange sections present) of a .ptau file. */
export async function readPtauInfo(file) {
  const { fh, sections } = await binSections(file, "ptau");
  try {
    const header = sections.get(1)?.[0];
    if (!header) throw new Error(`${file}: no header section`);
    const buf = Buffer.alloc(header.size);
    await fh.read(buf, 0, header.size, header.start);
    const n8 = buf.readUInt32LE(0);
    const power = buf.readUInt32LE(4 + n8);
    const ceremonyPower = buf.readUInt32LE(8 + n8);
    return { power, ceremonyPower, prepared: sections.has(12) && sections.has(13) };
  } finally {
    await fh.close();
  }
}

/**
 * Check a phase-1 file: its blake2b must equal `expectedBlake2b` if given, else the published hash
 * of the Hermez file of its power; it must be prepared for phase 2 and large enough for `minPower`.
 */
export async function checkPtau(file, { expectedBlake2b, minPower } = {}) {
  if (!(await exists(file)))
    throw new Error(
      `ptau file ${file} does not exist: download the Hermez file for your power (see circuits/README.md)`,
    );
  const info = await readPtauInfo(file);
  const { HERMEZ_PTAU_BLAKE2B, hermezPtauFileName } = await import("./ptau-hashes.mjs");
  const published = HERMEZ_PTAU_BLAKE2B[info.power];
  const expected = (expectedBlake2b ?? published ?? "").toLowerCase();
  if (!/^[0-9a-f]{128}$/.test(expected))
    throw new Error(
      `no published hash for a ptau of power ${info.power}: pass the expected blake2b-512 with --ptau-hash`,
    );
  const blake2b = await blake2bFile(file);
  if (blake2b !== expected) {
    const what =
      expectedBlake2b === undefined
        ? `the published hash of ${hermezPtauFileName(info.power)} (snarkjs README)`
        : "the expected hash (--ptau-hash)";
    throw new Error(
      `ptau hash mismatch: ${path.basename(file)} has blake2b ${blake2b}, but ${what} is ${expected}. ` +
        "The file is corrupt, truncated or not the public one: download it again and compare with `b2sum`.",
    );
  }
  if (!info.prepared)
    throw new Error(
      `${path.basename(file)} is not prepared for phase 2: use a *_final_*.ptau (prepared) file`,
    );
  if (minPower !== undefined && info.power < minPower)
    throw new Error(
      `${path.basename(file)} has 2^${info.power} powers; this circuit needs 2^${minPower}: use a larger file`,
    );
  return {
    file,
    power: info.power,
    blake2b,
    published: published !== undefined && blake2b === published.toLowerCase(),
  };
}

/** The `uint256 constant name = value;` lines of a rendered Solidity verifier. */
function solidityConstants(sol) {
  const out = new Map();
  for (const m of sol.matchAll(/uint256\s+constant\s+([A-Za-z0-9_]+)\s*=\s*([0-9]+)\s*;/g))
    out.set(m[1], m[2]);
  return out;
}

/**
 * Check that a snarkjs Groth16 Solidity verifier holds exactly the constants of `vk` (alpha, beta,
 * gamma, delta, every IC point, no extra IC). Returns the list of problems (empty = match).
 */
export function verifierKeyMismatches(sol, vk) {
  const c = solidityConstants(sol);
  const expected = new Map([
    ["alphax", vk.vk_alpha_1[0]],
    ["alphay", vk.vk_alpha_1[1]],
    ["betax1", vk.vk_beta_2[0][1]],
    ["betax2", vk.vk_beta_2[0][0]],
    ["betay1", vk.vk_beta_2[1][1]],
    ["betay2", vk.vk_beta_2[1][0]],
    ["gammax1", vk.vk_gamma_2[0][1]],
    ["gammax2", vk.vk_gamma_2[0][0]],
    ["gammay1", vk.vk_gamma_2[1][1]],
    ["gammay2", vk.vk_gamma_2[1][0]],
    ["deltax1", vk.vk_delta_2[0][1]],
    ["deltax2", vk.vk_delta_2[0][0]],
    ["deltay1", vk.vk_delta_2[1][1]],
    ["deltay2", vk.vk_delta_2[1][0]],
  ]);
  vk.IC.forEach((p, i) => {
    expected.set(`IC${i}x`, p[0]);
    expected.set(`IC${i}y`, p[1]);
  });
  const problems = [];
  for (const [name, value] of expected) {
    const got = c.get(name);
    if (got === undefined) problems.push(`${name} is missing`);
    else if (BigInt(got) !== BigInt(value)) problems.push(`${name} is ${got}, the key has ${value}`);
  }
  for (const name of c.keys())
    if (/^IC\d+[xy]$/.test(name) && !expected.has(name)) problems.push(`${name} is not in the key`);
  const signals = sol.match(/uint\[(\d+)\]\s+calldata\s+_pubSignals/);
  if (!signals || Number(signals[1]) !== vk.nPublic)
    problems.push(`public signal count is ${signals?.[1] ?? "missing"}, the key has ${vk.nPublic}`);
  return problems;
}

/** Throw if `sol` is not the verifier of `vk`. */
export function assertVerifierMatchesKey(sol, vk, what = "Solidity verifier") {
  const problems = verifierKeyMismatches(sol, vk);
  if (problems.length > 0)
    throw new Error(
      `${what} does not match the verification key (${problems.length} mismatch${problems.length > 1 ? "es" : ""}: ` +
        `${problems.slice(0, 3).join("; ")}${problems.length > 3 ? "; …" : ""}). Re-export it from the final zkey.`,
    );
}

/** Files of one circuit's ceremony. */
export function ceremonyPaths(id, dir = path.join(DEFAULT_CEREMONY_DIR, id)) {
  return {
    dir,
    transcript: path.join(dir, "transcript.json"),
    zkey: (index) => path.join(dir, `${id}_${String(index).padStart(4, "0")}.zkey`),
    final: path.join(dir, `${id}_final.zkey`),
    vk: path.join(dir, "verification_key.json"),
    verifier: path.join(dir, `${pascalId(id)}Verifier.sol`),
  };
}

async function readTranscript(paths) {
  const t = await readJson(paths.transcript);
  if (!t || t.format !== CEREMONY_FORMAT)
    throw new Error(
      `${paths.transcript} is missing or not a ${CEREMONY_FORMAT} transcript: start with \`ceremony new\``,
    );
  return t;
}

async function writeTranscript(paths, t) {
  await writeFileAtomic(paths.transcript, `${JSON.stringify(t, null, 2)}\n`);
}

/** The latest zkey of a transcript, after checking its sha256 against the transcript. */
async function latestZkey(paths, t) {
  const last = [...t.steps].reverse().find((s) => s.zkey);
  if (!last) throw new Error(`${paths.transcript} has no zkey step`);
  const file = path.join(paths.dir, last.zkey);
  if (!(await exists(file))) throw new Error(`${file} (from the transcript) is missing`);
  const sha = await sha256File(file);
  if (sha !== last.zkeySha256)
    throw new Error(
      `${last.zkey} has sha256 ${sha}, but the transcript recorded ${last.zkeySha256}: the file was changed ` +
        "after its step; restore it (or restart the ceremony) — never continue from a modified key",
    );
  return { file, step: last };
}

function captureLogger(lines) {
  const push = (level) => (m) => lines.push(level === "info" ? String(m) : `${level}: ${m}`);
  return { debug: () => {}, info: push("info"), warn: push("warn"), error: push("error") };
}

/**
 * Start a ceremony: check the phase-1 file, `zkey new` → <id>_0000.zkey, transcript.json.
 * `ptauHash` overrides the published hash (for a ptau that is not a Hermez file, e.g. in tests).
 */
export async function ceremonyNew(
  id,
  { ptau, ptauHash, dir, buildDir = DEFAULT_BUILD_DIR, registryPath = REGISTRY_PATH, log = console.log } = {},
) {
  const entry = loadRegistry(registryPath).find((e) => e.id === id);
  if (!entry) throw new Error(`unknown circuit id ${id}: see circuits.json`);
  const paths = ceremonyPaths(id, dir);
  if (await exists(paths.transcript))
    throw new Error(`${paths.transcript} exists: a ceremony for ${id} is under way there; use another --dir`);
  await buildCircuit(id, { buildDir, registryPath, log: () => {} });
  const art = artifactPaths(id, buildDir);
  const r1cs = await readR1csInfo(art.r1cs);
  const minPower = Math.ceil(Math.log2(r1cs.nConstraints + r1cs.nOutputs + r1cs.nPubInputs + 1));
  const phase1 = await checkPtau(ptau, { expectedBlake2b: ptauHash, minPower });
  log(
    `${id}: phase 1 ${path.basename(ptau)} (2^${phase1.power}, blake2b ${phase1.blake2b.slice(0, 16)}…) ok`,
  );
  await fsp.mkdir(paths.dir, { recursive: true });
  const lines = [];
  const file = paths.zkey(0);
  const csHash = await snarkjs.zKey.newZKey(art.r1cs, ptau, file, captureLogger(lines));
  if (!csHash) throw new Error(`snarkjs zkey new failed for ${id}: ${lines.join(" | ")}`);
  const t = {
    format: CEREMONY_FORMAT,
    circuit: id,
    template: entry.template,
    params: entry.params,
    constraints: r1cs.nConstraints,
    r1csSha256: await sha256File(art.r1cs),
    phase1: {
      file: path.basename(ptau),
      power: phase1.power,
      blake2b: phase1.blake2b,
      published: phase1.published,
    },
    snarkjs: snarkjsVersion(),
    steps: [
      {
        step: "new",
        zkey: path.basename(file),
        zkeySha256: await sha256File(file),
        circuitHash: Buffer.from(csHash).toString("hex"),
        at: new Date().toISOString(),
      },
    ],
  };
  await writeTranscript(paths, t);
  log(`${id}: ${path.basename(file)} written; next: contribute (one per contributor), then beacon`);
  return t;
}

/** One phase-2 contribution by `name` with the contributor's `entropy` → <id>_000k.zkey. */
export async function ceremonyContribute(id, { name, entropy, dir, log = console.log } = {}) {
  if (typeof name !== "string" || name.trim().length === 0)
    throw new Error("a contribution needs the contributor's --name");
  if (typeof entropy !== "string" || entropy.length < 16)
    throw new Error(
      "a contribution needs --entropy from the contributor (at least 16 characters of secret randomness)",
    );
  const paths = ceremonyPaths(id, dir);
  const t = await readTranscript(paths);
  if (t.steps.some((s) => s.step === "beacon"))
    throw new Error(`${id}: the ceremony is closed by its beacon; no more contributions`);
  const { file: previous } = await latestZkey(paths, t);
  const index = t.steps.filter((s) => s.step === "contribute").length + 1;
  const file = paths.zkey(index);
  const lines = [];
  const hash = await snarkjs.zKey.contribute(previous, file, name.trim(), entropy, captureLogger(lines));
  if (!hash) throw new Error(`snarkjs zkey contribute failed: ${lines.join(" | ")}`);
  const step = {
    step: "contribute",
    index,
    name: name.trim(),
    contributionHash: Buffer.from(hash).toString("hex"),
    zkey: path.basename(file),
    zkeySha256: await sha256File(file),
    at: new Date().toISOString(),
  };
  t.steps.push(step);
  await writeTranscript(paths, t);
  log(`${id}: contribution #${index} by ${step.name}: ${step.contributionHash.slice(0, 32)}…`);
  return step;
}

/** The final public beacon (`hash`: hex, e.g. a future block hash) → <id>_final.zkey. */
export async function ceremonyBeacon(
  id,
  { hash, iterationsExp = 10, name = "final beacon", dir, log = console.log } = {},
) {
  if (typeof hash !== "string" || !/^(?:[0-9a-fA-F]{2}){1,255}$/.test(hash.replace(/^0x/, "")))
    throw new Error(
      "the beacon needs --hash: a public hex value nobody could predict (e.g. a future block hash)",
    );
  if (!Number.isInteger(iterationsExp) || iterationsExp < 10 || iterationsExp > 63)
    throw new Error("--iterations must be an integer exponent in 10..63");
  const paths = ceremonyPaths(id, dir);
  const t = await readTranscript(paths);
  if (t.steps.some((s) => s.step === "beacon")) throw new Error(`${id}: the beacon was already applied`);
  if (!t.steps.some((s) => s.step === "contribute"))
    throw new Error(
      `${id}: no contribution yet; a ceremony needs at least one contributor before its beacon`,
    );
  const { file: previous } = await latestZkey(paths, t);
  const lines = [];
  const beaconHex = hash.replace(/^0x/, "").toLowerCase();
  const out = await snarkjs.zKey.beacon(
    previous,
    paths.final,
    name,
    beaconHex,
    iterationsExp,
    captureLogger(lines),
  );
  if (!out) throw new Error(`snarkjs zkey beacon failed: ${lines.join(" | ")}`);
  const step = {
    step: "beacon",
    name,
    hash: beaconHex,
    iterationsExp,
    contributionHash: Buffer.from(out).toString("hex"),
    zkey: path.basename(paths.final),
    zkeySha256: await sha256File(paths.final),
    at: new Date().toISOString(),
  };
  t.steps.push(step);
  await writeTranscript(paths, t);
  log(`${id}: beacon applied; next: verify`);
  return step;
}

/**
 * Verify the final key: `zkey verify` against the r1cs and the (re-checked) ptau, export the
 * verification key, render the Solidity verifier and check its constants against the key, compare
 * with the registry's pinned vkHash if there is one, check `verifierFile` (e.g. a deployed
 * verifier) if given. Appends a verify step to the transcript.
 */
export async function ceremonyVerify(
  id,
  {
    ptau,
    dir,
    verifierFile,
    buildDir = DEFAULT_BUILD_DIR,
    registryPath = REGISTRY_PATH,
    log = console.log,
  } = {},
) {
  const paths = ceremonyPaths(id, dir);
  const t = await readTranscript(paths);
  const beacon = t.steps.find((s) => s.step === "beacon");
  if (!beacon) throw new Error(`${id}: no beacon yet; the final key is <id>_final.zkey after \`beacon\``);
  const { file: final } = await latestZkey(paths, t);
  await checkPtau(ptau, { expectedBlake2b: t.phase1.blake2b });
  const art = artifactPaths(id, buildDir);
  await buildCircuit(id, { buildDir, registryPath, log: () => {} });
  const r1csSha = await sha256File(art.r1cs);
  if (r1csSha !== t.r1csSha256)
    throw new Error(
      `${id}: the compiled r1cs (sha256 ${r1csSha}) is not the one this ceremony started from (${t.r1csSha256}): ` +
        "the circuit changed, so it needs a new ceremony",
    );
  const lines = [];
  let ok = false;
  try {
    ok = await snarkjs.zKey.verifyFromR1cs(art.r1cs, ptau, final, captureLogger(lines));
  } catch (err) {
    lines.push(`error: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (ok !== true) {
    const why = lines
      .filter((l) => /error|invalid|does not|mismatch/i.test(l))
      .slice(-3)
      .join(" | ");
    throw new Error(
      `snarkjs zkey verify FAILED for ${path.basename(final)} against ${path.basename(art.r1cs)} and ${path.basename(ptau)}` +
        `${why ? ` (${why})` : ""}: the key is not a valid ceremony output; do not use it`,
    );
  }
  const vk = await snarkjs.zKey.exportVerificationKey(final, captureLogger([]));
  const hash = vkHash(vk);
  await writeFileAtomic(paths.vk, `${JSON.stringify(vk, null, 2)}\n`);
  const template = await fsp.readFile(
    path.join(snarkjsRoot(), "templates", "verifier_groth16.sol.ejs"),
    "utf8",
  );
  const raw = await snarkjs.zKey.exportSolidityVerifier(final, { groth16: template }, captureLogger([]));
  const contractName = `${pascalId(id)}Verifier`;
  const sol = `// generated by circuits/scripts/ceremony.mjs from ${id} (${hash}) — do not edit; production ceremony, transcript ${path.basename(paths.transcript)}\n${raw
    .replace(/^pragma solidity [^;]+;/m, SOLIDITY_PRAGMA)
    .replace(/\bcontract Groth16Verifier\b/, `contract ${contractName}`)}`;
  assertVerifierMatchesKey(sol, vk, `the exported ${contractName}`);
  await writeFileAtomic(paths.verifier, sol);
  if (verifierFile !== undefined)
    assertVerifierMatchesKey(await fsp.readFile(verifierFile, "utf8"), vk, path.basename(verifierFile));
  const entry = loadRegistry(registryPath).find((e) => e.id === id);
  if (entry?.production && entry.production.vkHash !== hash)
    throw new Error(
      `${id}: the verification key hash ${hash} differs from the one pinned in circuits.json (${entry.production.vkHash}); ` +
        "this is not the pinned ceremony's key",
    );
  const step = {
    step: "verify",
    ok: true,
    contributions: lines.filter((l) => /contribution/i.test(l)).length,
    vkHash: hash,
    verifier: path.basename(paths.verifier),
    verifierSha256: sha256Hex(sol),
    at: new Date().toISOString(),
  };
  t.steps.push(step);
  await writeTranscript(paths, t);
  log(`${id}: zkey verify ok; vkHash ${hash}; ${path.basename(paths.verifier)} matches the key`);
  return { vkHash: hash, vk, verifier: paths.verifier, transcript: t };
}

/** Write the verified ceremony's production block (vkHash pinned) into the registry entry. */
export async function ceremonyPin(id, { dir, registryPath = REGISTRY_PATH, log = console.log } = {}) {
  const paths = ceremonyPaths(id, dir);
  const t = await readTranscript(paths);
  const verify = t.steps.at(-1);
  if (verify?.step !== "verify" || verify.ok !== true)
    throw new Error(`${id}: run \`ceremony verify\` last before pinning`);
  const beacon = t.steps.find((s) => s.step === "beacon");
  const final = t.steps.filter((s) => s.zkey).at(-1);
  const raw = JSON.parse(await fsp.readFile(registryPath, "utf8"));
  const entry = raw.circuits.find((e) => e.id === id);
  if (!entry) throw new Error(`unknown circuit id ${id} in ${registryPath}`);
  entry.production = {
    ptau: { power: t.phase1.power, file: t.phase1.file, blake2b: t.phase1.blake2b },
    contributors: t.steps.filter((s) => s.step === "contribute").map((s) => s.name),
    beacon: { hash: beacon.hash, iterationsExp: beacon.iterationsExp },
    vkHash: verify.vkHash,
    zkeySha256: final.zkeySha256,
    transcript: path.relative(path.dirname(registryPath), paths.transcript),
  };
  await writeFileAtomic(registryPath, `${JSON.stringify(raw, null, 2)}\n`);
  log(`${id}: production vkHash ${verify.vkHash} pinned in ${path.basename(registryPath)}`);
  return entry.production;
}
