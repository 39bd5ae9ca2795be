// Per-invocation context: I/O, resolved configuration, and lazily created account / chain / API.
import type { PrivateKeyAccount } from "viem/accounts";
import { createApi, type Api } from "./api.ts";
import { chainContext, checkChainId, type ChainContext } from "./chain.ts";
import {
  loadAccount,
  resolveConfig,
  resolveEscrow,
  type GlobalFlags,
  type ResolvedConfig,
  type Terminal,
} from "./config.ts";
import { configError } from "./errors.ts";
import { readCliEnv, type CliEnv } from "./env.ts";

export interface Io extends Terminal {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: Record<string, string | undefined>;
  cwd: string;
  /** Tests inject a fetch (e.g. to count requests); default global fetch. */
  fetch?: typeof fetch;
  /** Terminal width for progress lines; null when stderr is not a terminal. */
  isTty?: boolean;
}

export class Ctx {
  readonly env: CliEnv;
  private _cfg: ResolvedConfig | null = null;
  private _account: Promise<PrivateKeyAccount> | null = null;
  private _chain: Promise<ChainContext> | null = null;
  private _api: Api | null = null;

  constructor(
    readonly io: Io,
    readonly flags: GlobalFlags,
  ) {
    this.env = readCliEnv(io.env);
  }

  get json(): boolean {
    return this.flags.json === true;
  }

  get cfg(): ResolvedConfig {
    return (this._cfg ??= resolveConfig(this.flags, this.env, this.io.cwd));
  }

  /** Prints the result: one JSON document with --json, else the human text. */
  out(json: unknown, human: () => string): void {
    if (this.json)
      this.io.stdout(
        `${JSON.stringify(json, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v), 2)}\n`,
      );
    else this.io.stdout(`${human()}\n`);
  }

  /** Progress and notes go to stderr (never mixed into --json output). */
  note(text: string): void {
    this.io.stderr(`${text}\n`);
  }

  warn(text: string): void {
    this.io.stderr(`warning: ${text}\n`);
  }

  account(): Promise<PrivateKeyAccount> {
    return (this._account ??= loadAccount(this.cfg, this.env, this.io));
  }

  chain(): Promise<ChainContext> {
    return (this._chain ??= (async () => {
      const { escrow } = await resolveEscrow(this.cfg);
      const ctx = chainContext(this.cfg.rpcUrl, this.cfg.chainId, escrow);
      await checkChainId(ctx);
      return ctx;
    })());
  }

  api(): Api {
    if (!this.cfg.apiUrl)
      throw configError(
        "this command needs the zkArena API: pass --api-url http://host:port, set ZKARENA_API_URL, or add apiUrl to the config file",
      );
    return (this._api ??= createApi(this.cfg.apiUrl, this.io.fetch ?? fetch));
  }
}
