// The only place in @zkarena/chain that reads process.env (CONVENTIONS.md: env parsed once, with zod).
import { z } from "zod";

// An unset variable and an empty one (`RPC_URL=` in a .env file) both mean "use the default".
const emptyAsUndefined = (value: unknown) => (value === "" ? undefined : value);

export const chainEnvSchema = z.object({
  /** JSON-RPC endpoint of the chain; anvil on 127.0.0.1:8545 by default. */
  RPC_URL: z.preprocess(
    emptyAsUndefined,
    z
      .url({ protocol: /^(https?|wss?)$/, error: "RPC_URL must be an http(s):// or ws(s):// URL" })
      .default("http://127.0.0.1:8545"),
  ),
  /** Expected chain id; when set, callers can refuse a node that reports another one. */
  CHAIN_ID: z.preprocess(
    emptyAsUndefined,
    z.coerce.number().int().positive({ error: "CHAIN_ID must be a positive integer" }).optional(),
  ),
});

export type ChainEnv = z.infer<typeof chainEnvSchema>;

/** Parses the chain variables from `source`; throws an Error listing every bad variable. */
export function parseChainEnv(source: Record<string, string | undefined>): ChainEnv {
  const result = chainEnvSchema.safeParse(source);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`);
    throw new Error(`Invalid chain environment (see .env.example): ${problems.join("; ")}`);
  }
  return result.data;
}

let cached: ChainEnv | undefined;

/** The chain variables of this process, parsed on first use (not at import, so a bad value fails the
 * code that needs it rather than every importer). */
export function chainEnv(): ChainEnv {
  cached ??= parseChainEnv(process.env);
  return cached;
}
