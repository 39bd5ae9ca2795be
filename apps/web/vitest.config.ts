import path from "node:path";
import { fileURLToPath } from "node:url";
import { mergeConfig } from "vitest/config";
import { packageTestConfig } from "../../vitest.shared.ts";

const src = path.join(path.dirname(fileURLToPath(import.meta.url)), "src");

// The app's `~/…` import alias (tsconfig paths) for modules under test.
export default mergeConfig(packageTestConfig("web"), { resolve: { alias: { "~": src } } });
