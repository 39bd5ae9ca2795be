// The repository's flat config plus Next's rules (React, hooks, a11y, import, @next/next with the
// Core Web Vitals set). ESLint uses the nearest config only, so the root config is imported here.
import nextVitals from "eslint-config-next/core-web-vitals";
import tseslint from "typescript-eslint";
import rootConfig from "../../eslint.config.js";

const config = [
  ...rootConfig,
  ...nextVitals,
  {
    // Next's config parses JavaScript with Babel, which the root's typescript-eslint rules cannot use.
    files: ["**/*.{js,mjs,cjs}"],
    languageOptions: { parser: tseslint.parser },
  },
  {
    settings: { next: { rootDir: import.meta.dirname } },
  },
];

export default config;
