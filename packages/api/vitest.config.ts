import { packageTestConfig } from "../../vitest.shared.ts";

export default packageTestConfig("api", { setupFiles: ["tests/setup.ts"] });
