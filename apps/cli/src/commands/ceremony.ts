// zkarena ceremony contribute | verify | beacon — wraps circuits/scripts/ceremony.mjs (the production
// phase-2 of a circuit; DESIGN.md "Trust setup"), which appends every step to the transcript.
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { Ctx } from "../context.ts";
import { CliError, EXIT } from "../errors.ts";

export const CEREMONY_SCRIPT = fileURLToPath(
  new URL("../../../../circuits/scripts/ceremony.mjs", import.meta.url),
);

export async function ceremony(
  ctx: Ctx,
  step: "contribute" | "verify" | "beacon",
  circuitId: string,
  opts: Record<string, string | undefined>,
) {
  if (!existsSync(CEREMONY_SCRIPT))
    throw new CliError(
      `the ceremony script is missing (${CEREMONY_SCRIPT}); run from a zkArena checkout`,
      EXIT.config,
    );
  const args = [CEREMONY_SCRIPT, step, circuitId];
  for (const [k, v] of Object.entries(opts)) if (v !== undefined) args.push(`--${k}`, v);
  const started = Date.now();
  const code = await new Promise<number>((resolve, reject) => {
    // stdin stays attached: `contribute` without --entropy asks for it on the terminal.
    const child = spawn(process.execPath, args, { stdio: ["inherit", "pipe", "pipe"], cwd: ctx.io.cwd });
    child.stdout.on("data", (d: Buffer) =>
      ctx.json ? ctx.io.stderr(d.toString()) : ctx.io.stdout(d.toString()),
    );
    child.stderr.on("data", (d: Buffer) => ctx.io.stderr(d.toString()));
    child.once("error", reject);
    child.once("exit", (c) => resolve(c ?? 1));
  });
  if (code !== 0)
    throw new CliError(
      `ceremony ${step} for ${circuitId} failed (exit ${code}); see the messages above`,
      step === "verify" ? EXIT.integrity : EXIT.input,
    );
  ctx.out(
    { step, circuitId, ok: true, seconds: (Date.now() - started) / 1000 },
    () => `ceremony ${step} for ${circuitId}: done`,
  );
}
