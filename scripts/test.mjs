#!/usr/bin/env node
// `npm test`: every package's tests through Turborepo (vitest, forge, circuit tests, Playwright),
// then one total over every runner. Each runner leaves a report in .test-results/:
//   <name>.vitest.json      vitest's JSON reporter
//   <name>.playwright.json  Playwright's JSON reporter
//   <name>.summary.json     {"runner","passed","failed","skipped","note"?} from our own wrappers
// The last line is `N passed, N failed[, N skipped]`; the exit code is non-zero if anything failed,
// including a runner that crashed before it could write its report.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const resultsDir = path.join(root, ".test-results");
rmSync(resultsDir, { recursive: true, force: true });
mkdirSync(resultsDir, { recursive: true });

const env = { ...process.env, TURBO_TELEMETRY_DISABLED: "1", NEXT_TELEMETRY_DISABLED: "1" };
const extra = process.argv.slice(2);
const turbo = spawnSync(
  path.join(root, "node_modules", ".bin", "turbo"),
  ["run", "test", "--continue", "--concurrency=2", "--log-order=grouped", ...extra],
  { cwd: root, stdio: "inherit", env },
);

/** @returns {{ runner: string, passed: number, failed: number, skipped: number, note?: string }} */
function readReport(file) {
  const name = file.replace(/\.(vitest|playwright|summary)\.json$/, "");
  const data = JSON.parse(readFileSync(path.join(resultsDir, file), "utf8"));
  if (file.endsWith(".vitest.json")) {
    // A file that failed to load has no assertion results but still failed.
    const brokenFiles = (data.testResults ?? []).filter(
      (r) => r.status === "failed" && (r.assertionResults ?? []).length === 0,
    ).length;
    return {
      runner: `vitest ${name}`,
      passed: data.numPassedTests ?? 0,
      failed: (data.numFailedTests ?? 0) + brokenFiles,
      skipped: (data.numPendingTests ?? 0) + (data.numTodoTests ?? 0),
    };
  }
  if (file.endsWith(".playwright.json")) {
    const s = data.stats ?? {};
    return {
      runner: `playwright ${name}`,
      passed: (s.expected ?? 0) + (s.flaky ?? 0),
      failed: (s.unexpected ?? 0) + (data.errors?.length ?? 0),
      skipped: s.skipped ?? 0,
    };
  }
  return {
    runner: `${data.runner} ${name}`,
    passed: data.passed,
    failed: data.failed,
    skipped: data.skipped,
    note: data.note,
  };
}

const reports = existsSync(resultsDir)
  ? readdirSync(resultsDir)
      .filter((f) => /\.(vitest|playwright|summary)\.json$/.test(f))
      .sort()
      .map(readReport)
  : [];

// (A skipped Playwright run writes only a summary, so no runner is counted twice.)
const total = { passed: 0, failed: 0, skipped: 0 };
console.log("\nTest results by runner:");
for (const r of reports) {
  total.passed += r.passed;
  total.failed += r.failed;
  total.skipped += r.skipped;
  console.log(
    `  ${r.runner.padEnd(28)} ${String(r.passed).padStart(5)} passed ${String(r.failed).padStart(4)} failed ${String(r.skipped).padStart(4)} skipped${r.note ? `  (${r.note})` : ""}`,
  );
}
if (turbo.status !== 0 && total.failed === 0) {
  // A task failed without a failing test in any report: a runner crashed, a build broke, or a
  // report is missing. Count it so the total cannot read as green.
  console.log("  a test task failed before reporting any failing test (see its output above)");
  total.failed += 1;
}
console.log(`\n${total.passed} passed, ${total.failed} failed, ${total.skipped} skipped`);
process.exit(total.failed > 0 || turbo.status !== 0 ? 1 : 0);
