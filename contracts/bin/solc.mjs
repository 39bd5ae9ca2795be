#!/usr/bin/env node
// A native-looking `solc` for forge, backed by the npm `solc` package (solcjs, WebAssembly).
//
// Why: these machines cannot download compilers, and Debian ships no native solc. forge only needs
// two things from a solc binary: `--version` in the native format (it parses the version and refuses
// `Emscripten.clang` builds) and `--standard-json` on stdin/stdout. foundry.toml points `solc` here
// and disables auto-detection and downloads.
//
// Supported command lines (everything else exits 2 with a message):
//   solc --version
//   solc [--allow-paths a,b] [--base-path p] [--include-path p]... --standard-json [file]
import { readFileSync, realpathSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";

const require = createRequire(import.meta.url);
// The version string forge expects from a native Linux build of the same release; the npm package
// reports `0.8.37+commit.f401782d.Emscripten.clang`. Keep in step with the `solc` devDependency.
const NATIVE_VERSION = "0.8.37+commit.f401782d.Linux.g++";

function fail(message) {
  process.stderr.write(`solc shim (contracts/bin/solc.mjs): ${message}\n`);
  process.exit(2);
}

function parseArgs(argv) {
  const opts = {
    version: false,
    standardJson: false,
    basePath: null,
    includePaths: [],
    allowPaths: [],
    inputFile: null,
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = () => {
      const v = argv[++i];
      if (v === undefined) fail(`${arg} needs a value`);
      return v;
    };
    if (arg === "--version") opts.version = true;
    else if (arg === "--standard-json") opts.standardJson = true;
    else if (arg === "--base-path") opts.basePath = value();
    else if (arg === "--include-path") opts.includePaths.push(value());
    else if (arg === "--allow-paths") opts.allowPaths.push(...value().split(",").filter(Boolean));
    else if (arg.startsWith("--"))
      fail(`unsupported option ${arg}; only --version and --standard-json are emulated`);
    else opts.inputFile = arg;
  }
  return opts;
}

const opts = parseArgs(process.argv.slice(2));

if (opts.version) {
  process.stdout.write(`solc, the solidity compiler commandline interface\nVersion: ${NATIVE_VERSION}\n`);
  process.exit(0);
}
if (!opts.standardJson) fail("only --version and --standard-json are supported");

const solc = require("solc");
if (!NATIVE_VERSION.startsWith(solc.version().split("+")[0])) {
  fail(`npm solc is ${solc.version()} but the shim advertises ${NATIVE_VERSION}; update NATIVE_VERSION`);
}

const input = opts.inputFile ? readFileSync(opts.inputFile, "utf8") : readFileSync(0, "utf8");

// Like native solc, only read files below the base path, include paths and allowed paths. forge
// normally inlines every source's content, so the callback is a fallback for imports it did not
// resolve itself; import names are either absolute or relative to one of these roots.
const roots = [opts.basePath ?? process.cwd(), ...opts.includePaths, ...opts.allowPaths].map((p) =>
  path.resolve(p),
);
const allowed = roots.map((r) => {
  try {
    return realpathSync(r);
  } catch {
    return r;
  }
});

function isAllowed(file) {
  return allowed.some((root) => file === root || file.startsWith(root + path.sep));
}

function findImports(importPath) {
  const candidates = path.isAbsolute(importPath) ? [importPath] : roots.map((r) => path.join(r, importPath));
  for (const candidate of candidates) {
    let real;
    try {
      real = realpathSync(candidate);
    } catch {
      continue;
    }
    if (!isAllowed(real)) continue;
    try {
      return { contents: readFileSync(real, "utf8") };
    } catch {
      continue;
    }
  }
  return { error: `File not found: ${importPath} (searched ${roots.join(", ")})` };
}

process.stdout.write(solc.compile(input, { import: findImports }));
