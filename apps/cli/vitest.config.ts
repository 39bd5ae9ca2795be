import { packageTestConfig } from "../../vitest.shared.ts";

// The scenario test proves on the CI circuit and may wait for a concurrent circuits build (file lock).
export default packageTestConfig("cli", {
  testTimeout: 180_000,
  hookTimeout: 900_000,
  passWithNoTests: true,
});
