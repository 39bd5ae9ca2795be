import { packageTestConfig } from "../vitest.shared.ts";

// The migration-diff tests boot PGlite and the WebAssembly schema engine twice each: ~10 s alone,
// 65-70 s measured on 2 cores under a parallel Turborepo run. A limit, not a timing assertion.
export default packageTestConfig("db", { testTimeout: 180_000 });
