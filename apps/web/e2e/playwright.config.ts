// Browser tests against a whole, isolated stack: the root start script with its own ports and a
// fresh data folder (embedded database, anvil, deployed contracts), then `next start` on port 3100.
// Set ZKARENA_E2E_BASE_URL to test a stack that is already running instead.
import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { defineConfig, devices } from "@playwright/test";

const webDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const repoRoot = path.resolve(webDir, "..", "..");
// e2e/run.mjs picks free ports; a bare `playwright test` falls back to these.
const port = Number(process.env.ZKARENA_E2E_WEB_PORT ?? 3100);
const anvilPort = (process.env.ZKARENA_ANVIL_PORT ??= "8645");
const external = process.env.ZKARENA_E2E_BASE_URL;
const baseURL = external ?? `http://127.0.0.1:${port}`;

// Workers re-evaluate this file; the environment makes them agree on one folder. e2e/run.mjs creates
// it (and removes it afterwards); a bare `playwright test` gets one here.
const dataDir = external
  ? ""
  : (process.env.ZKARENA_E2E_DATA_DIR ??= mkdtempSync(path.join(os.tmpdir(), "zkarena-e2e-")));

export default defineConfig({
  testDir: ".",
  testMatch: "*.spec.ts",
  outputDir: path.join(webDir, "test-results", "playwright"),
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: [
    ["list"],
    ["json", { outputFile: path.join(repoRoot, ".test-results", "web-e2e.playwright.json") }],
  ],
  use: {
    baseURL,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH || "/usr/bin/chromium",
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    },
  },
  projects: [{ name: "chromium", use: { ...devices["Desktop Chrome"], channel: undefined } }],
  webServer: external
    ? undefined
    : {
        // The root `npm start` (scripts/start.*), whatever file it runs.
        command: "npm start",
        cwd: repoRoot,
        url: `${baseURL}/api/health`,
        timeout: 240_000,
        reuseExistingServer: false,
        stdout: "pipe",
        stderr: "pipe",
        env: {
          ZKARENA_WEB_PORT: String(port),
          ZKARENA_ANVIL_PORT: anvilPort,
          ZKARENA_DATA_DIR: dataDir,
          ZKARENA_SKIP_BUILD: "1",
          // The whole stack, as `npm start` runs it: the worker indexes the escrow (the hidden split's
          // release gate and the draft ↔ on-chain link need it) and verifies public-split proofs.
          ZKARENA_WORKER: process.env.ZKARENA_WORKER ?? "1",
          TURBO_TELEMETRY_DISABLED: "1",
          NEXT_TELEMETRY_DISABLED: "1",
        },
      },
});
