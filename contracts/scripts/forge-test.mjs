#!/usr/bin/env node
// `npm test -w @zkarena/contracts`: runs the Foundry suite and the two checks that keep committed
// outputs honest, prints forge's own output, and writes <root>/.test-results/contracts-forge.summary.json
// ({"runner":"forge","passed":N,"failed":N,"skipped":N}) for the root test summary.
//
// Counted as tests:
//   - every forge test (unit, fuzz, invariant), counted from forge's per-test lines and cross-checked
//     against its "N tests passed, N failed, N skipped" line: if they disagree the run fails, so a
//     change in forge's output format cannot silently produce wrong counts;
//   - "gas snapshot": `forge snapshot --check` on the unit tests only (fuzz and invariant gas depends on
//     the inputs, so they are excluded; the fuzz seed is fixed in foundry.toml anyway);
//   - "ABIs up to date": `export-abis.mjs --check` against packages/chain/src/generated/abis.ts;
//   - "verifiers up to date": `verifiers.mjs --check`: every accuracy circuit's committed verifier in
//     src/verifiers equals the one rendered from its built key (builds the circuits if needed, cached).
// Extra arguments go to `forge test` (e.g. `npm test -w @zkarena/contracts -- --match-test register`).
import { spawn } from "node:child_process";
import { accessSync, constants, mkdirSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

import { contractsDir, repoRoot } from "./lib.mjs";

// Tests whose gas is not a fixed number; keep in step with the naming convention in test/.
export const SNAPSHOT_EXCLUDE = "testFuzz_|invariant_";

/** @returns {string | null} the forge executable: the platform package, else forge on PATH. */
export function findForge() {
  const require = createRequire(import.meta.url);
  try {
    const pkg = require.resolve("@foundry-rs/forge-linux-amd64/package.json");
    const bin = path.join(path.dirname(pkg), "bin", "forge");
    accessSync(bin, constants.X_OK);
    return bin;
  } catch {
    // not installed (another platform): fall back to PATH
  }
  for (const dir of (process.env.PATH ?? "").split(path.delimiter)) {
    if (!dir) continue;
    const bin = path.join(dir, "forge");
    try {
      accessSync(bin, constants.X_OK);
      return bin;
    } catch {
      // keep looking
    }
  }
  return null;
}

function run(cmd, args, { capture = false } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, {
      cwd: contractsDir,
      stdio: ["ignore", capture ? "pipe" : "inherit", "inherit"],
    });
    let out = "";
    if (capture) {
      child.stdout.on("data", (chunk) => {
        process.stdout.write(chunk);
        out += chunk;
      });
    }
    child.on("error", reject);
    child.on("close", (code) => resolve({ code: code ?? 1, out }));
  });
}

// eslint-disable-next-line no-control-regex
const ANSI = /\x1b\[[0-9;]*m/g;

/**
 * Counts forge's per-test result lines and checks them against its summary line.
 * @param {string} output forge test's stdout
 * @returns {{ passed: number, failed: number, skipped: number } | { error: string }}
 */
export function countForgeResults(output) {
  const text = output.replace(ANSI, "");
  // forge repeats failing tests under "Failing tests:" at the end; count only the first listing.
  const body = text.split(/^Failing tests:/m)[0] ?? text;
  const counts = { passed: 0, failed: 0, skipped: 0 };
  for (const line of body.split("\n")) {
    if (/^\[PASS\]/.test(line)) counts.passed++;
    else if (/^\[FAIL/.test(line)) counts.failed++;
    else if (/^\[SKIP/.test(line)) counts.skipped++;
  }
  const summary = text.match(/(\d+) tests? passed, (\d+) failed, (\d+) skipped/);
  if (!summary) return { error: "forge printed no summary line (compilation error or setUp failure above?)" };
  const [, passed, failed, skipped] = summary.map(Number);
  if (passed !== counts.passed || failed !== counts.failed || skipped !== counts.skipped) {
    return {
      error:
        `forge's summary (${passed} passed, ${failed} failed, ${skipped} skipped) disagrees with its test lines ` +
        `(${counts.passed}/${counts.failed}/${counts.skipped}); update countForgeResults in ${path.relative(repoRoot, fileURLToPath(import.meta.url))}`,
    };
  }
  return counts;
}

function writeSummary(summary) {
  const dir = path.join(repoRoot, ".test-results");
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    path.join(dir, "contracts-forge.summary.json"),
    JSON.stringify({ runner: "forge", ...summary }) + "\n",
  );
}

async function main(extraArgs) {
  const forge = findForge();
  if (!forge) {
    const msg =
      `forge not found. It comes from the optional dependency @foundry-rs/forge-linux-amd64, which only ` +
      `installs on linux-x64 (this machine is ${process.platform}-${process.arch}). Install Foundry 1.7.1 ` +
      `another way (https://getfoundry.sh) and put forge on PATH, then re-run.`;
    console.error(msg);
    writeSummary({ passed: 0, failed: 1, skipped: 0, error: msg });
    return 1;
  }

  const colour = process.stdout.isTTY ? ["--color", "always"] : [];
  const test = await run(forge, ["test", ...colour, ...extraArgs], { capture: true });
  const counted = countForgeResults(test.out);
  const summary = "error" in counted ? { passed: 0, failed: 1, skipped: 0, error: counted.error } : counted;
  if (test.code !== 0 && summary.failed === 0) {
    summary.failed = 1;
    summary.error = `forge test exited with ${test.code}`;
  }

  // Skip the extra checks on a filtered run: the snapshot would miss the other tests.
  const checks = extraArgs.length
    ? []
    : [
        ["gas snapshot", forge, ["snapshot", "--check", "--no-match-test", SNAPSHOT_EXCLUDE, ...colour]],
        [
          "ABIs up to date",
          process.execPath,
          [path.join(contractsDir, "scripts", "export-abis.mjs"), "--check"],
        ],
        [
          "verifiers up to date",
          process.execPath,
          [path.join(contractsDir, "scripts", "verifiers.mjs"), "--check"],
        ],
      ];
  const failedChecks = [];
  for (const [name, cmd, args] of checks) {
    console.log(
      `\n--- ${name}: ${path.basename(cmd)} ${args.map((a) => path.relative(contractsDir, a) || a).join(" ")}`,
    );
    const { code } = await run(cmd, args);
    if (code === 0) summary.passed++;
    else {
      summary.failed++;
      failedChecks.push(name);
    }
  }

  writeSummary(summary);
  console.log(
    `\ncontracts: ${summary.passed} passed, ${summary.failed} failed, ${summary.skipped} skipped` +
      (checks.length
        ? ` (forge tests + ${checks.length} checks: ${checks.map((c) => c[0]).join(", ")})`
        : ""),
  );
  if (summary.error) console.error(`contracts: ${summary.error}`);
  if (failedChecks.includes("gas snapshot")) {
    console.error(
      "Gas changed: if intended, run `npm run snapshot -w @zkarena/contracts` and commit contracts/.gas-snapshot.",
    );
  }
  return summary.failed === 0 ? 0 : 1;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  process.exitCode = await main(process.argv.slice(2));
}
