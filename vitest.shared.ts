// Shared vitest settings: every package writes a JSON report to <root>/.test-results so that
// `npm test` can print one "N passed, N failed" line over every runner (see scripts/test.mjs).
import { fileURLToPath } from "node:url";
import path from "node:path";
import { defineConfig, type ViteUserConfig } from "vitest/config";

const root = path.dirname(fileURLToPath(import.meta.url));

export function packageTestConfig(name: string, test: NonNullable<ViteUserConfig["test"]> = {}) {
  return defineConfig({
    test: {
      include: ["tests/**/*.test.ts"],
      reporters: [
        "default",
        ["json", { outputFile: path.join(root, ".test-results", `${name}.vitest.json`) }],
      ],
      testTimeout: 60_000,
      hookTimeout: 120_000,
      ...test,
    },
  });
}
