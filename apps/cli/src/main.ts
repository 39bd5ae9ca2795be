// zkarena — the command line of zkArena. `run(argv, io)` is the whole program (tests call it
// directly); bin/zkarena.mjs calls it with the real process.
import { Command, CommanderError, Option } from "commander";
import { ZodError } from "zod";
import { Ctx, type Io } from "./context.ts";
import { CliError, EXIT, redact } from "./errors.ts";
import type { ceremony as CeremonyFn } from "./commands/ceremony.ts";
import type { GlobalFlags } from "./config.ts";
// Command modules load on use: `zkarena --help` must not pay for snarkjs, circomlibjs and tRPC.
const ch = () => import("./commands/challenge.ts");
const compete = () => import("./commands/compete.ts");
const model = () => import("./commands/model.ts");
const account = () => import("./commands/account.ts");
const ceremony = async (...a: Parameters<typeof CeremonyFn>) =>
  (await import("./commands/ceremony.ts")).ceremony(...a);

export { EXIT, CliError } from "./errors.ts";
export type { Io } from "./context.ts";

const VERSION = "0.1.0";

const examples = (...lines: string[]) => `\nExamples:\n${lines.map((l) => `  $ ${l}`).join("\n")}\n`;

const EXIT_HELP = `
Exit codes: 0 ok, 1 usage, 2 invalid input, 3 chain revert, 4 network (RPC/API unreachable),
5 API refused, 6 configuration (key, escrow, passphrase), 7 integrity check failed, 10 internal.

Configuration: flags > environment (ZKARENA_RPC_URL, ZKARENA_API_URL, ZKARENA_CHAIN_ID, ZKARENA_ESCROW,
ZKARENA_DEPLOYMENTS_DIR, ZKARENA_KEYSTORE + ZKARENA_KEYSTORE_PASSWORD or ZKARENA_PRIVATE_KEY) >
config file (~/.config/zkarena/config.json or --config).`;

export function buildProgram(io: Io, onAction: (p: Promise<void>) => void): Command {
  const program = new Command("zkarena");
  program
    .description("zkArena from the terminal: challenges, models, commitments, proofs, payouts")
    .version(VERSION)
    .option("--json", "print one JSON document on stdout (progress and warnings go to stderr)")
    .option("--config <file>", "config file (default ~/.config/zkarena/config.json)")
    .option("--rpc-url <url>", "JSON-RPC endpoint of the chain")
    .option("--api-url <url>", "base URL of the zkArena web app / API")
    .option("--chain-id <id>", "chain id (default 31337)")
    .option("--escrow <address>", "ArenaEscrow address (default: from the deployments file)")
    .option("--deployments <dir>", "folder with <chainId>.json deployment records")
    .option("--keystore <file>", "encrypted JSON keystore to sign with")
    .showHelpAfterError("(add --help for usage and examples)")
    .addHelpText(
      "after",
      examples("zkarena challenge list --api-url http://127.0.0.1:3000", "zkarena status 1 --json") +
        EXIT_HELP,
    )
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.stdout(s), writeErr: (s) => io.stderr(s) });

  const act =
    <A extends unknown[]>(fn: (ctx: Ctx, ...args: A) => Promise<void>) =>
    (...args: unknown[]) => {
      const cmd = args[args.length - 1] as Command;
      const ctx = new Ctx(io, cmd.optsWithGlobals<GlobalFlags>());
      onAction(fn(ctx, ...(args.slice(0, -1) as A)));
    };
  const sub = (parent: Command, name: string, description: string, ...ex: string[]) =>
    parent
      .command(name)
      .description(description)
      .addHelpText("after", examples(...ex))
      .exitOverride()
      .configureOutput({ writeOut: (s) => io.stdout(s), writeErr: (s) => io.stderr(s) });

  // ---- challenges ----
  const challenge = program
    .command("challenge")
    .description("browse, download, create and reveal challenges")
    .addHelpText("after", examples("zkarena challenge list", "zkarena challenge show fashion-mnist-14"));
  sub(
    challenge,
    "list",
    "list challenges (API)",
    "zkarena challenge list --state open",
    "zkarena challenge list --search mnist --json",
  )
    .addOption(
      new Option("--state <state>", "filter by state").choices(["draft", "open", "revealed", "settled"]),
    )
    .option("--search <text>", "search titles, summaries, slugs and tags")
    .option("--limit <n>", "page size (1-50)")
    .action(
      act(async (ctx, opts: { state?: string; search?: string; limit?: string }) =>
        (await ch()).list(ctx, opts),
      ),
    );
  sub(
    challenge,
    "show",
    "a challenge's details and datasets (API); a number shows the on-chain status",
    "zkarena challenge show fashion-mnist-14",
    "zkarena challenge show 3",
  )
    .argument("<slug>", "the challenge's slug, or its on-chain id")
    .action(act(async (ctx, slug: string) => (await ch()).show(ctx, slug)));
  sub(
    challenge,
    "download",
    "download a split, hash-checked; the hidden split is also checked against the on-chain commitment",
    "zkarena challenge download fashion-mnist-14 --kind train --out train.json",
    "zkarena challenge download 3 --kind hidden --out hidden.json   # from the URI the organiser revealed",
  )
    .argument("<challenge>", "slug (API) or on-chain id (hidden split from the reveal URI)")
    .addOption(
      new Option("--kind <kind>", "which split").choices(["train", "public", "hidden"]).makeOptionMandatory(),
    )
    .option("--out <file>", "where to write it")
    .option("--file <file>", "check a file you already have instead of downloading")
    .option("--expect-sha256 <hex>", "refuse unless the content has this sha256")
    .action(
      act(
        async (
          ctx,
          ref: string,
          opts: { kind: string; out?: string; file?: string; expectSha256?: string },
        ) => (await ch()).download(ctx, ref, opts),
      ),
    );
  sub(
    challenge,
    "leaderboard",
    "the hidden split's leaderboard (on-chain id) or the live public-split one (slug, API)",
    "zkarena challenge leaderboard 3",
    "zkarena challenge leaderboard fashion-mnist-14   # public split: server-verified proofs",
  )
    .argument("<challenge>", "on-chain id, or slug for the public leaderboard")
    .action(act(async (ctx, id: string) => (await ch()).leaderboard(ctx, id)));
  sub(
    challenge,
    "create",
    "create a challenge from a spec file (YAML or JSON): draft + splits on the API, createChallenge on-chain",
    "zkarena challenge create --spec challenge.yaml",
    "zkarena challenge create --spec challenge.yaml --dry-run",
  )
    .requiredOption(
      "--spec <file>",
      "challenge spec (see README: slug, title, task, circuit, deadlines, payoutShares, splits, …)",
    )
    .option("--dry-run", "validate and simulate only; upload and send nothing")
    .action(act(async (ctx, opts: { spec: string; dryRun?: boolean }) => (await ch()).create(ctx, opts)));
  sub(
    challenge,
    "reveal",
    "organiser: reveal the hidden split (checked against the on-chain commitment before sending)",
    "zkarena challenge reveal 3 --split ~/.config/zkarena/hidden/31337/0x…/3.json --uri https://example.org/hidden-3.json",
    "zkarena challenge reveal 3 --slug fashion-mnist-14   # the API keeps the split",
  )
    .argument("<id>", "on-chain challenge id")
    .option("--split <file>", "the hidden split with its salt (local custody)")
    .option("--uri <uri>", "where competitors download it")
    .option("--slug <slug>", "API custody: the challenge's slug (the URI is the API's download)")
    .action(
      act(async (ctx, id: string, opts: { split?: string; uri?: string; slug?: string }) =>
        (await ch()).reveal(ctx, id, opts),
      ),
    );
  sub(
    challenge,
    "status",
    "on-chain phase, deadlines, pot, and what you can claim",
    "zkarena challenge status 3",
  )
    .argument("<id>", "on-chain challenge id")
    .action(act(async (ctx, id: string) => (await ch()).status(ctx, id)));
  sub(program, "status", "same as `challenge status`", "zkarena status 3 --json")
    .argument("<id>", "on-chain challenge id")
    .action(act(async (ctx, id: string) => (await ch()).status(ctx, id)));
  sub(
    program,
    "leaderboard",
    "same as `challenge leaderboard`",
    "zkarena leaderboard 3",
    "zkarena leaderboard my-slug",
  )
    .argument("<challenge>", "on-chain id, or slug for the public leaderboard")
    .action(act(async (ctx, id: string) => (await ch()).leaderboard(ctx, id)));
  sub(
    program,
    "fund",
    "sponsor a challenge (ETH, or its ERC-20: approves first when needed)",
    "zkarena fund 3 --amount 1.5",
  )
    .argument("<id>", "on-chain challenge id")
    .requiredOption("--amount <amount>", "in ETH or whole tokens, e.g. 1.5")
    .action(act(async (ctx, id: string, opts: { amount: string }) => (await ch()).fund(ctx, id, opts)));

  // ---- models ----
  const m = program
    .command("model")
    .description("import, quantize and evaluate models")
    .addHelpText(
      "after",
      examples(
        "zkarena model import mlp.onnx",
        "zkarena model quantize mlp.model.json --circuit mlp-d196-h25-c10-n28 --input-max 255 --data public.json",
      ),
    );
  sub(
    m,
    "import",
    "ONNX (PyTorch / scikit-learn / Keras export) or zkarena.model/v1 JSON → the platform format",
    "zkarena model import mlp.onnx --out mlp.model.json",
  )
    .argument("<file>", ".onnx or .json")
    .option("--out <file>", "output (default <name>.model.json)")
    .action(
      act(async (ctx, file: string, opts: { out?: string }) => (await model()).importModel(ctx, file, opts)),
    );
  sub(
    m,
    "quantize",
    "quantize for a circuit; reports float vs quantized accuracy and bit widths vs the circuit's bounds",
    "zkarena model quantize mlp.model.json --circuit mlp-d4-h3-c3-n4 --input-max 15 --data public.json",
    "zkarena model quantize mlp.model.json --circuit mlp-d4-h3-c3-n4 --input-max 15 --weight-bits 6",
  )
    .argument("<model>", "float model (zkarena.model/v1)")
    .requiredOption("--circuit <id>", "registered circuit id (fixes D, H, C, N and the bit widths)")
    .requiredOption("--input-max <n>", "largest raw feature value (e.g. 255 for pixels)")
    .option("--data <split>", "labelled split (raw features) to measure accuracy on")
    .option("--weight-bits <k>", "use fewer weight bits than the circuit allows")
    .option("--out <file>", "output (default <name>.<circuit>.q.json)")
    .action(
      act(
        async (
          ctx,
          file: string,
          opts: { circuit: string; inputMax: string; data?: string; weightBits?: string; out?: string },
        ) => (await model()).quantizeModel(ctx, file, opts),
      ),
    );
  sub(
    m,
    "evaluate",
    "score a quantized model on a split with the circuit's exact integer semantics",
    "zkarena model evaluate mlp.q.json --data public.json",
  )
    .argument("<model>", "quantized model (zkarena model quantize)")
    .requiredOption("--data <split>", "split with integer features (samples or a revealed hidden split)")
    .action(
      act(async (ctx, file: string, opts: { data: string }) =>
        (await model()).evaluateModel(ctx, file, opts),
      ),
    );

  // ---- competing ----
  sub(
    program,
    "commit",
    "commit a quantized model (salt kept in a 0600 file: back it up)",
    "zkarena commit 3 --model mlp.q.json",
  )
    .argument("<id>", "on-chain challenge id")
    .requiredOption("--model <file>", "quantized model")
    .option("--salt-file <file>", "where to keep the salt (default ~/.config/zkarena/commitments/…)")
    .action(
      act(async (ctx, id: string, opts: { model: string; saltFile?: string }) =>
        (await compete()).commit(ctx, id, opts),
      ),
    );
  sub(
    program,
    "prove",
    "prove your committed model's score on the revealed hidden split, or the public split (verified locally)",
    "zkarena prove 3 --model mlp.q.json --split hidden.json --out proof.json",
    "zkarena prove 3 --model mlp.q.json --split public.json --out public-proof.json   # public split (API)",
  )
    .argument("<id>", "on-chain challenge id")
    .requiredOption("--model <file>", "the quantized model you committed")
    .requiredOption("--split <file>", "the revealed hidden split (zkarena challenge download --kind hidden)")
    .option("--batch <i>", 'one batch index, or "all" (default)')
    .option("--out <file>", "proof file")
    .option("--salt-file <file>", "your commitment record, if not in the default place")
    .option("--single-thread", "prove on one thread")
    .action(
      act(
        async (
          ctx,
          id: string,
          opts: {
            model: string;
            split: string;
            batch?: string;
            out?: string;
            saltFile?: string;
            singleThread?: boolean;
          },
        ) => (await compete()).prove(ctx, id, opts),
      ),
    );
  sub(
    program,
    "submit",
    "submit proofs: hidden split on-chain (simulated first; reverts decoded), public split to the API",
    "zkarena submit 3 proof.json",
    "zkarena submit 3 public-proof.json --slug fashion-mnist-14 --wait 60",
  )
    .argument("<id>", "on-chain challenge id")
    .argument("<proof>", "proof file from `zkarena prove`")
    .option("--slug <slug>", "public-split proofs: the challenge's slug on the API")
    .option("--wait <seconds>", "public-split proofs: wait for the verification verdict")
    .action(
      act(async (ctx, id: string, file: string, opts: { slug?: string; wait?: string }) =>
        (await compete()).submit(ctx, id, file, opts),
      ),
    );
  sub(
    program,
    "claim",
    "claim your prize (and, after a missed reveal, your share of the organiser's bond; organisers: their bond)",
    "zkarena claim 3",
  )
    .argument("<id>", "on-chain challenge id")
    .action(act(async (ctx, id: string) => (await compete()).claim(ctx, id, {})));
  sub(
    program,
    "refund",
    "sponsors: claim the refund (unused shares, or everything after a missed reveal)",
    "zkarena refund 3",
  )
    .argument("<id>", "on-chain challenge id")
    .action(act(async (ctx, id: string) => (await compete()).claim(ctx, id, { refund: true })));

  // ---- ceremony ----
  const cer = program
    .command("ceremony")
    .description("production phase-2 trusted setup of a circuit (wraps circuits/scripts/ceremony.mjs)")
    .addHelpText("after", examples("zkarena ceremony contribute mlp-d196-h25-c10-n28 --name alice"));
  sub(
    cer,
    "contribute",
    "add your contribution (entropy from --entropy-file or typed on the terminal)",
    "zkarena ceremony contribute mlp-d196-h25-c10-n28 --name alice",
  )
    .argument("<circuit>", "circuit id")
    .requiredOption("--name <who>", "your name in the transcript")
    .option("--entropy-file <file>", "file with your secret entropy")
    .option("--dir <dir>", "ceremony folder")
    .action(
      act(async (ctx, id: string, o: { name: string; entropyFile?: string; dir?: string }) =>
        ceremony(ctx, "contribute", id, { name: o.name, "entropy-file": o.entropyFile, dir: o.dir }),
      ),
    );
  sub(
    cer,
    "verify",
    "verify every contribution against the circuit and phase-1",
    "zkarena ceremony verify mlp-d196-h25-c10-n28 --ptau powersOfTau28_hez_final_18.ptau",
  )
    .argument("<circuit>", "circuit id")
    .requiredOption("--ptau <file>", "the public phase-1 file")
    .option("--verifier <sol>", "also check a Solidity verifier against the key")
    .option("--dir <dir>", "ceremony folder")
    .action(
      act(async (ctx, id: string, o: { ptau: string; verifier?: string; dir?: string }) =>
        ceremony(ctx, "verify", id, { ptau: o.ptau, verifier: o.verifier, dir: o.dir }),
      ),
    );
  sub(
    cer,
    "beacon",
    "apply the final public random beacon",
    "zkarena ceremony beacon mlp-d196-h25-c10-n28 --hash 0x<future block hash>",
  )
    .argument("<circuit>", "circuit id")
    .requiredOption("--hash <hex>", "public randomness (e.g. a block hash announced in advance)")
    .option("--iterations <n>", "2^n hash iterations (10..63)")
    .option("--dir <dir>", "ceremony folder")
    .action(
      act(async (ctx, id: string, o: { hash: string; iterations?: string; dir?: string }) =>
        ceremony(ctx, "beacon", id, { hash: o.hash, iterations: o.iterations, dir: o.dir }),
      ),
    );

  // ---- account and config ----
  const acc = program
    .command("account")
    .description("keys: encrypted keystores")
    .addHelpText("after", examples("ZKARENA_KEYSTORE=me.json zkarena account address"));
  sub(
    acc,
    "create",
    "new key in an encrypted keystore (passphrase from ZKARENA_KEYSTORE_PASSWORD or the terminal)",
    "zkarena account create --out ~/.config/zkarena/me.keystore.json",
    "ZKARENA_PRIVATE_KEY=0x… zkarena account create --from-env --out me.json",
  )
    .requiredOption("--out <file>", "keystore file to write (0600)")
    .option("--from-env", "encrypt ZKARENA_PRIVATE_KEY instead of a new key")
    .option("--scrypt-log-n <n>", "scrypt cost 2^n (default 18)")
    .action(
      act(async (ctx, o: { out: string; fromEnv?: boolean; scryptLogN?: string }) =>
        (await account()).createAccount(ctx, { out: o.out, fromEnv: o.fromEnv, scryptN: o.scryptLogN }),
      ),
    );
  sub(
    acc,
    "address",
    "the address of the configured key",
    "zkarena account address --keystore me.json",
  ).action(act(async (ctx) => (await account()).address(ctx)));
  const cfg = program
    .command("config")
    .description("configuration")
    .addHelpText("after", examples("zkarena config show"));
  sub(
    cfg,
    "show",
    "resolved configuration and where each value came from (the key is never shown)",
    "zkarena config show --json",
  ).action(act(async (ctx) => (await account()).showConfig(ctx)));

  return program;
}

/** Runs the CLI; resolves to the exit code. Never throws, never calls process.exit. */
export async function run(argv: readonly string[], io: Io): Promise<number> {
  let pending: Promise<void> | null = null;
  const program = buildProgram(io, (p) => (pending = p));
  let json = argv.includes("--json");
  const secrets = [io.env.ZKARENA_PRIVATE_KEY, io.env.ZKARENA_KEYSTORE_PASSWORD].filter(
    (s): s is string => !!s,
  );
  const fail = (message: string, code: number, details?: Record<string, unknown>) => {
    const text = redact(message, secrets);
    if (json)
      io.stderr(`${JSON.stringify({ error: { message: text, exitCode: code, ...(details ?? {}) } })}\n`);
    else io.stderr(`error: ${text}\n`);
    return code;
  };
  try {
    await program.parseAsync(argv as string[], { from: "user" });
    if (pending) await pending;
    return EXIT.ok;
  } catch (e) {
    json = json || program.opts<GlobalFlags>().json === true;
    if (e instanceof CommanderError) {
      if (
        e.code === "commander.helpDisplayed" ||
        e.code === "commander.version" ||
        e.code === "commander.help"
      )
        return EXIT.ok;
      return EXIT.usage; // commander already printed the message and the usage hint
    }
    if (e instanceof CliError) return fail(e.message, e.exitCode, e.details);
    if (e instanceof ZodError)
      return fail(
        `invalid environment: ${e.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`,
        EXIT.config,
      );
    const err = e as Error;
    return fail(
      `unexpected ${err?.name ?? "error"}: ${err?.message ?? String(e)}${err?.stack ? `\n${err.stack.split("\n").slice(1, 4).join("\n")}` : ""}`,
      EXIT.internal,
    );
  }
}
