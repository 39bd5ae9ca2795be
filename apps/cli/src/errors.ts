// Exit codes scripts can rely on (README "Exit codes"), and the one error type commands throw.
export const EXIT = {
  ok: 0,
  /** Bad command line: unknown command or option, missing argument. */
  usage: 1,
  /** Input that fails validation: a spec, model, split or proof file; a value out of range. */
  input: 2,
  /** The chain refused: a simulated or mined transaction reverted (the custom error is named). */
  revert: 3,
  /** RPC or API unreachable, timed out, or answered with a server error. */
  network: 4,
  /** The API refused: not signed in, forbidden, not found, conflict, rate limited. */
  api: 5,
  /** Configuration missing or unusable (no key, no escrow address, wrong passphrase). */
  config: 6,
  /** A check failed: hash mismatch, commitment mismatch, proof that does not verify locally. */
  integrity: 7,
  /** A bug: anything else. */
  internal: 10,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** An error with a message a user can act on and the exit code it maps to. */
export class CliError extends Error {
  override name = "CliError";
  constructor(
    message: string,
    readonly exitCode: ExitCode,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
  }
}

export const inputError = (message: string, details?: Record<string, unknown>) =>
  new CliError(message, EXIT.input, details);
export const configError = (message: string) => new CliError(message, EXIT.config);

/** Private keys and passphrases never appear in output: scrub any 32-byte hex that slipped into text. */
export function redact(text: string, secrets: readonly string[] = []): string {
  let out = text;
  for (const s of secrets) if (s.length >= 8) out = out.split(s).join("[redacted]");
  return out;
}
