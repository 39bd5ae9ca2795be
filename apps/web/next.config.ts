import type { NextConfig } from "next";

const config: NextConfig = {
  poweredByHeader: false,
  reactStrictMode: true,
  // Internal packages export TypeScript source.
  transpilePackages: ["@zkarena/api", "@zkarena/db", "@zkarena/chain", "@zkarena/zk"],
  // Loaded by Node at run time, never bundled: PGlite resolves its wasm/data files relative to its own
  // module (bundling turns that path into a browser asset URL — TOOLCHAIN.md, "Database").
  // @prisma/schema-engine-wasm is not listed: Turbopack refuses to externalise it ("require() resolves
  // to an EcmaScript module") and bundles it anyway, with a warning on every build.
  serverExternalPackages: ["@electric-sql/pglite", "@electric-sql/pglite-socket", "pglite-prisma-adapter"],
};

export default config;
