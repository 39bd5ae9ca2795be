#!/usr/bin/env node
// `npm run test:e2e -w @zkarena/web`: runs the browser tests when a Chromium is available, otherwise
// records them as skipped (the machine may not have a browser; nothing is ever downloaded).
import { spawnSync } from "node:child_process";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const e2eDir = path.dirname(fileURLToPath(import.meta.url));
const webDir = path.resolve(e2eDir, "..");
const repoRoot = path.resolve(webDir, "..", "..");
const resultsDir = path.join(repoRoot, ".test-results");
const report = path.join(resultsDir, "web-e2e.playwright.json");
const summary = path.join(resultsDir, "web-e2e.summary.json");

const chromium = process.env.CHROMIUM_PATH || "/usr/bin/chromium";
mkdirSync(resultsDir, { recursive: true });

if (!existsSync(chromium)) {
  const tests = readdirSync(e2eDir)
    .filter((f) => f.endsWith(".spec.ts"))
    .reduce((n, f) => n + (readFileSync(path.join(e2eDir, f), "utf8").match(/^\s*test\(/gm) ?? []).length, 0);
  const note = `Chromium not found at ${chromium}`;
  console.log(
    `browser tests skipped: ${note} (install it with: apt-get install -y chromium, or set CHROMIUM_PATH)`,
  );
  rmSync(report, { force: true });
  writeFileSync(
    summary,
    JSON.stringify({ runner: "playwright", passed: 0, failed: 0, skipped: tests, note }) + "\n",
  );
  process.exit(0);
}

rmSync(summary, { force: true });

// Free loopback ports for the web app and anvil (never fixed ones: other suites run beside this one).
async function freePort() {
  const net = await import("node:net");
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}
process.env.ZKARENA_E2E_WEB_PORT ??= String(await freePort());
process.env.ZKARENA_ANVIL_PORT ??= String(await freePort());

// The lifecycle test proves in the browser with the CI circuit: build it (a cache hit when current).
if (!process.env.ZKARENA_E2E_BASE_URL) {
  const { buildCircuit, releaseCurves } = await import("../../../circuits/scripts/lib.mjs");
  await buildCircuit("mlp-d4-h3-c3-n4");
  await releaseCurves();
}
// The stack is started with ZKARENA_SKIP_BUILD=1, so it needs a production build of this app.
if (!process.env.ZKARENA_E2E_BASE_URL && !existsSync(path.join(webDir, ".next", "BUILD_ID"))) {
  console.log("no production build of the web app yet: running `next build` first");
  const build = spawnSync(path.join(repoRoot, "node_modules", ".bin", "next"), ["build"], {
    cwd: webDir,
    stdio: "inherit",
  });
  if (build.status !== 0) process.exit(build.status ?? 1);
}
// A fresh data folder per run (embedded database, anvil state), removed afterwards unless
// ZKARENA_E2E_KEEP=1 (to read the stack's logs in <dir>/logs).
const dataDir = process.env.ZKARENA_E2E_BASE_URL
  ? undefined
  : (process.env.ZKARENA_E2E_DATA_DIR ?? mkdtempSync(path.join(os.tmpdir(), "zkarena-e2e-")));
const result = spawnSync(
  path.join(repoRoot, "node_modules", ".bin", "playwright"),
  ["test", "-c", path.join("e2e", "playwright.config.ts"), ...process.argv.slice(2)],
  {
    cwd: webDir,
    stdio: "inherit",
    env: { ...process.env, CHROMIUM_PATH: chromium, ...(dataDir ? { ZKARENA_E2E_DATA_DIR: dataDir } : {}) },
  },
);
if (dataDir && !process.env.ZKARENA_E2E_DATA_DIR && process.env.ZKARENA_E2E_KEEP !== "1") {
  rmSync(dataDir, { recursive: true, force: true });
} else if (dataDir) {
  console.log(`e2e data folder kept: ${dataDir}`);
}
process.exit(result.status ?? 1);
