import { packageTestConfig } from "../../vitest.shared.ts";

// Test files share one machine with other packages' suites: run them one after another (each starts
// its own anvil and database).
export default packageTestConfig("worker", { fileParallelism: false });
