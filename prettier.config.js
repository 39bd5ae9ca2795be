/** One Prettier config for TypeScript, JSON, Markdown and (through the plugin) Solidity. */
export default {
  printWidth: 110,
  plugins: ["prettier-plugin-solidity"],
  overrides: [
    {
      files: "*.sol",
      options: { printWidth: 120, tabWidth: 4, useTabs: false, singleQuote: false, bracketSpacing: false },
    },
  ],
};
