#!/usr/bin/env node
// The zkarena executable: the CLI is TypeScript source (like every workspace package), run through tsx.
import { register } from "tsx/esm/api";
import { createInterface } from "node:readline/promises";

register();
// `zkarena … | head` closes the pipe early: that is not an error.
for (const stream of [process.stdout, process.stderr])
  stream.on("error", (e) => {
    if (e.code === "EPIPE") process.exit(process.exitCode ?? 0);
    throw e;
  });
const { run } = await import("../src/main.ts");

/** Reads a line from the terminal; hides what is typed for secrets. Null without a terminal. */
async function prompt(question, { secret }) {
  if (!process.stdin.isTTY) return null;
  const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: true });
  if (secret) {
    // Echo nothing while the passphrase is typed.
    rl._writeToOutput = (s) => {
      if (s.includes(question)) process.stderr.write(question);
    };
  }
  try {
    return await rl.question(question);
  } finally {
    if (secret) process.stderr.write("\n");
    rl.close();
  }
}

const code = await run(process.argv.slice(2), {
  stdout: (s) => process.stdout.write(s),
  stderr: (s) => process.stderr.write(s),
  env: process.env,
  cwd: process.cwd(),
  prompt,
  isTty: process.stderr.isTTY === true,
});
process.exitCode = code;
