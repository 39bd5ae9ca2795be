// Bundles the prover worker (src/browser/worker.ts) and the test page with esbuild for the browser.
// circomlibjs' index pulls in every primitive it has (EdDSA, MiMC contracts, …) and with them Node
// built-ins (assert, buffer, events) that a browser bundle lacks; only Poseidon is used here, so the
// bare import "circomlibjs" is pointed at its Poseidon module (which needs only ffjavascript).
// Bundlers with Node polyfills (Next's) can take circomlibjs as it is.
import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import * as esbuild from "esbuild";

const here = path.dirname(fileURLToPath(import.meta.url));
const pkg = path.resolve(here, "..", "..");

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
