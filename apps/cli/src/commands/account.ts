// zkarena account create | address, and zkarena config show.
import path from "node:path";
import { existsSync } from "node:fs";
import type { Hex } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import type { Ctx } from "../context.ts";
import { CliError, EXIT, configError } from "../errors.ts";
import { writeJson } from "../files.ts";
import { encryptKeystore } from "../keystore.ts";
import { parseIntOption } from "../util.ts";

export async function createAccount(ctx: Ctx, opts: { out: string; fromEnv?: boolean; scryptN?: string }) {
  const out = path.resolve(ctx.io.cwd, opts.out);
  if (existsSync(out))
    throw new CliError(`${out} exists; choose another file (keystores are never overwritten)`, EXIT.input);
  let pass = ctx.env.ZKARENA_KEYSTORE_PASSWORD;
  if (pass === undefined) {
    const a = ctx.io.prompt ? await ctx.io.prompt("New passphrase: ", { secret: true }) : null;
    const b = ctx.io.prompt ? await ctx.io.prompt("Repeat it: ", { secret: true }) : null;
    if (a === null || b === null)
      throw configError("set ZKARENA_KEYSTORE_PASSWORD or run in a terminal to choose a passphrase");
    if (a !== b) throw configError("the passphrases differ");
    pass = a;
  }
  if (pass.length < 8) throw configError("choose a passphrase of at least 8 characters");
  let key: Hex;
  if (opts.fromEnv) {
    const env = ctx.env.ZKARENA_PRIVATE_KEY;
    if (!env) throw configError("--from-env needs ZKARENA_PRIVATE_KEY");
    key = (env.startsWith("0x") ? env : `0x${env}`) as Hex;
  } else key = generatePrivateKey();
  const n = opts.scryptN ? 2 ** parseIntOption(opts.scryptN, "--scrypt-log-n", 10, 20) : undefined;
  const ks = encryptKeystore(key, pass, n ? { n } : {});
  writeJson(out, ks, { secret: true });
  const address = privateKeyToAccount(key).address;
  ctx.out(
    { address, keystore: out },
    () => `wrote ${out} (mode 0600) for ${address}; use it with --keystore ${opts.out} or ZKARENA_KEYSTORE`,
  );
}

export async function address(ctx: Ctx) {
  const a = await ctx.account();
  ctx.out({ address: a.address }, () => a.address);
}

export async function showConfig(ctx: Ctx) {
  const c = ctx.cfg;
  const key = c.keystore
    ? `keystore ${c.keystore}`
    : ctx.env.ZKARENA_PRIVATE_KEY
      ? "ZKARENA_PRIVATE_KEY (set, not shown)"
      : "none";
  const doc = {
    configFile: c.configFile,
    rpcUrl: c.rpcUrl,
    apiUrl: c.apiUrl,
    chainId: c.chainId,
    escrow: c.escrow,
    deploymentsDir: c.deploymentsDir,
    circuitsDir: c.circuitsDir,
    home: c.home,
    key,
    sources: c.sources,
  };
  ctx.out(doc, () =>
    Object.entries(doc)
      .filter(([k]) => k !== "sources")
      .map(([k, v]) => `${k.padEnd(15)} ${v ?? "-"}${c.sources[k] ? `  (${c.sources[k]})` : ""}`)
      .join("\n"),
  );
}
