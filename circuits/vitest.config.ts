import { packageTestConfig } from "../vitest.shared.ts";

// The first run builds the circuit and the INSECURE development setup in beforeAll (about a minute
// at 2^11 with a cold ptau cache); later runs hit the build cache.
export default packageTestConfig("circuits", {
  hookTimeout: 600_000,
  testTimeout: 120_000,
});
