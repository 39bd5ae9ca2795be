// A browser harness for the prover (used by tests/browser.test.ts and tools/bench-prover.ts):
//  - bundleBrowserProver: the worker (src/browser/worker.ts) and page.ts, bundled with esbuild;
//  - startProverPage: a loopback HTTP server on a free port serving the bundle at / and folders of
//    circuit builds under prefixes, and Chromium (playwright-core, the launch options of
//    apps/web/e2e) on its page; `run(task)` proves there and returns the outcome.
//
// circomlibjs' index pulls in every primitive it has (EdDSA, MiMC contracts, …) and with them Node
// built-ins (assert, buffer, events) that a browser bundle lacks; only Poseidon is used here, so the
// bare import "circomlibjs" is pointed at its Poseidon module (which needs only ffjavascript).
// Bundlers with Node polyfills (Next's) can take circomlibjs as it is.
import fs from "node:fs";
import http from "node:http";
import { createRequire } from "node:module";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import * as esbuild from "esbuild";
import { chromium, type Browser, type Page } from "playwright-core";
import { fromJson, toJson } from "./json.ts";
import type { PageOutcome, PageTask } from "./page.ts";

const here = path.dirname(fileURLToPath(import.meta.url));
const pkg = path.resolve(here, "..", "..");

/** Chromium to drive (CHROMIUM_PATH or Debian's); never downloaded. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH || "/usr/bin/chromium";

// Launch options of apps/web/e2e/playwright.config.ts (TOOLCHAIN.md).
const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".json": "application/json",
  ".wasm": "application/wasm",
};

const circomlibjsPoseidon: esbuild.Plugin = {
  name: "circomlibjs-poseidon",
  setup(build) {
    build.onResolve({ filter: /^circomlibjs$/ }, () => ({
      path: "circomlibjs",
      namespace: "circomlibjs-poseidon",
    }));
    build.onLoad({ filter: /.*/, namespace: "circomlibjs-poseidon" }, () => {
      // The package's exports allow only its index: find its folder from the CommonJS entry.
      const cjsMain = createRequire(import.meta.url).resolve("circomlibjs"); // <pkg>/build/main.cjs
      const poseidon = path.join(path.dirname(cjsMain), "..", "src", "poseidon_wasm.js");
      if (!fs.existsSync(poseidon)) throw new Error(`circomlibjs has no ${poseidon}: was it upgraded?`);
      return { contents: `export { buildPoseidon } from ${JSON.stringify(poseidon)};`, resolveDir: pkg };
    });
  },
};

/** Writes worker.js and page.js into `outdir`; returns their sizes in bytes. */
export async function bundleBrowserProver(outdir: string): Promise<Record<string, number>> {
  const result = await esbuild.build({
    entryPoints: {
      worker: path.join(pkg, "src", "browser", "worker.ts"),
      page: path.join(here, "page.ts"),
    },
    bundle: true,
    format: "esm",
    platform: "browser",
    target: "es2022",
    minify: true,
    outdir,
    metafile: true,
    logLevel: "error",
    plugins: [circomlibjsPoseidon],
  });
  return Object.fromEntries(
    Object.entries(result.metafile.outputs).map(([file, o]) => [path.basename(file), o.bytes]),
  );
}

/** Serve `<prefix>…` from `dir` (no path may leave it) and a page loading /page.js at /. */
function staticRoutes(routes: Record<string, string>): http.RequestListener {
  return (req, res) => {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const send = (status: number, body: string | Buffer, type = "text/plain") => {
      res.writeHead(status, {
        "content-type": type,
        "content-length": Buffer.byteLength(body),
        "cache-control": "no-store",
      });
      res.end(body);
    };
    if (url.pathname === "/")
      return send(200, '<!doctype html><script type="module" src="/page.js"></script>', TYPES[".html"]);
    for (const [prefix, dir] of Object.entries(routes)) {
      if (!url.pathname.startsWith(prefix)) continue;
      const file = path.resolve(dir, decodeURIComponent(url.pathname.slice(prefix.length)));
      if (
        !file.startsWith(path.resolve(dir) + path.sep) ||
        !fs.existsSync(file) ||
        !fs.statSync(file).isFile()
      )
        return send(404, "not found");
      return send(200, fs.readFileSync(file), TYPES[path.extname(file)] ?? "application/octet-stream");
    }
    send(404, "not found");
  };
}

export interface ProverPage {
  /** http://127.0.0.1:<port> */
  origin: string;
  page: Page;
  /** Bundle sizes in bytes by file name. */
  bundle: Record<string, number>;
  /** The page's console lines and uncaught errors so far. */
  log: string[];
  run(task: PageTask): Promise<PageOutcome>;
  close(): Promise<void>;
}

/**
 * Bundle, serve and open the prover page in Chromium. `routes` maps URL prefixes (e.g. "/circuits/")
 * to folders laid out like circuits/build (<id>/artifact.json and the files it names).
 */
export async function startProverPage(routes: Record<string, string>): Promise<ProverPage> {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "zk-prover-page-"));
  let server: http.Server | undefined;
  let browser: Browser | undefined;
  const close = async () => {
    await browser?.close();
    await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
    fs.rmSync(tmp, { recursive: true, force: true });
  };
  try {
    const bundle = await bundleBrowserProver(tmp);
    server = http.createServer(staticRoutes({ ...routes, "/": tmp }));
    await new Promise<void>((resolve) => server?.listen(0, "127.0.0.1", resolve));
    const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
    const page = await (await browser.newContext()).newPage();
    const log: string[] = [];
    page.on("console", (m) => log.push(`[${m.type()}] ${m.text()}`));
    page.on("pageerror", (e) => log.push(`[pageerror] ${e.message}`));
    await page.goto(`${origin}/`);
    await page.waitForFunction(() => "zkTest" in globalThis, undefined, { timeout: 30_000 });
    return {
      origin,
      page,
      bundle,
      log,
      async run(task) {
        const out = await page.evaluate(
          (json) =>
            (globalThis as unknown as { zkTest: { run(j: string): Promise<string> } }).zkTest.run(json),
          toJson(task),
        );
        return fromJson<PageOutcome>(out);
      },
      close,
    };
  } catch (e) {
    await close();
    throw e;
  }
}
