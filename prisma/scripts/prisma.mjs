#!/usr/bin/env node
// Runs the Prisma CLI offline: points it at a stub schema engine so it does not try to download the
// native one (generate/validate/format never use it). Usage: node scripts/prisma.mjs generate
import { spawnSync } from "node:child_process";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const pkgDir = path.resolve(here, "..");
const require = createRequire(import.meta.url);
const cli = require.resolve("prisma/build/index.js");

const result = spawnSync(process.execPath, [cli, ...process.argv.slice(2)], {
  cwd: pkgDir,
  stdio: "inherit",
  env: {
    ...process.env,
    PRISMA_SCHEMA_ENGINE_BINARY: path.join(pkgDir, "bin", "schema-engine-stub"),
    PRISMA_HIDE_UPDATE_MESSAGE: "1",
    PRISMA_DISABLE_WARNINGS: "1",
    CHECKPOINT_DISABLE: "1",
  },
});
process.exit(result.status ?? 1);
