// The only place in @zkarena/api that reads process.env.
import { z } from "zod";

const schema = z.object({
  /** JSON-RPC endpoint of the chain the escrow lives on (anvil locally). */
  RPC_URL: z
    .url({ protocol: /^https?$/, error: "RPC_URL must be an http(s) URL, e.g. http://127.0.0.1:8545" })
    .default("http://127.0.0.1:8545"),
  /** Chain id the deployments file and the app are configured for (31337 = anvil). */
  CHAIN_ID: z.coerce
    .number({ error: "CHAIN_ID must be a positive integer, e.g. 31337" })
    .int()
    .positive()
    .default(31337),
  /** Folder holding <chainId>.json deployment files; unset = the one in @zkarena/chain. */
  ZKARENA_DEPLOYMENTS_DIR: z.string().min(1).optional(),
});

export type ApiEnv = z.infer<typeof schema>;

export class ApiConfigError extends Error {
  override name = "ApiConfigError";
}

/** Parses the api's configuration; throws an ApiConfigError naming every bad variable. */
export function readApiEnv(source: Record<string, string | undefined> = process.env): ApiEnv {
  const cleaned = Object.fromEntries(
    Object.entries(source).filter(([, v]) => v !== undefined && v.trim() !== ""),
  ) as Record<string, string>;
  const parsed = schema.safeParse(cleaned);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".") || "env"}: ${i.message}`);
    throw new ApiConfigError(`invalid api configuration:\n${lines.join("\n")}`);
  }
  return parsed.data;
}
