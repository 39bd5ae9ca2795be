// zkarena challenge list | show | download | leaderboard | create | reveal | status, and fund.
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import superjson from "superjson";
import { parse as parseYaml } from "yaml";
import {
  erc20Abi,
  getAddress,
  isAddress,
  keccak256,
  parseEventLogs,
  stringToHex,
  zeroAddress,
  type Address,
  type Hex,
} from "viem";
import { z } from "zod";
import { arenaEscrowAbi } from "@zkarena/chain";
import { canonicalJson, hiddenSplitCommitment, randomSalt, type HiddenSplit } from "@zkarena/zk";
import { apiCall } from "../api.ts";
import {
  PHASES,
  escrowEvents,
  fmtAmount,
  getChallenge,
  read,
  tokenInfo,
  write,
  type ChainContext,
} from "../chain.ts";
import type { Ctx } from "../context.ts";
import { CliError, EXIT, inputError } from "../errors.ts";
import {
  HIDDEN_FORMAT,
  circuitShape,
  modelCircuitIds,
  readSplit,
  toSamples,
  writeFileAtomic,
  writeJson,
} from "../files.ts";
import { fmtIn, fmtTime, parseAmount, parseId, parseTime, sha256Hex, table } from "../util.ts";

// ---- reads through the API -------------------------------------------------------------------------

export async function list(ctx: Ctx, opts: { state?: string; search?: string; limit?: string }) {
  const api = ctx.api();
  const input: { state?: "DRAFT" | "OPEN" | "REVEALED" | "SETTLED"; search?: string; limit?: number } = {};
  if (opts.state) input.state = opts.state.toUpperCase() as "OPEN";
  if (opts.search) input.search = opts.search;
  if (opts.limit) input.limit = Number(opts.limit);
  const page = await apiCall(api.client.challenge.list.query(input), "challenge.list", api.baseUrl);
  ctx.out(page, () =>
    page.items.length === 0
      ? "No challenges."
      : table(
          ["slug", "state", "circuit", "pot", "commit deadline", "title"],
          page.items.map((c) => [
            c.slug,
            c.state,
            c.circuitId,
            c.potCached ? `${c.potCached} ${c.tokenSymbol}` : "-",
            c.commitDeadline.toISOString(),
            c.title,
          ]),
        ) + (page.nextCursor ? `\n(more: --cursor ${page.nextCursor})` : ""),
  );
}

export async function show(ctx: Ctx, slug: string) {
  if (/^\d+$/.test(slug)) return status(ctx, slug);
  const api = ctx.api();
  const c = await apiCall(api.client.challenge.bySlug.query({ slug }), "challenge.bySlug", api.baseUrl);
  const splits = await apiCall(
    api.client.dataset.list.query({ challengeId: c.id }),
    "dataset.list",
    api.baseUrl,
  );
  ctx.out({ ...c, splits }, () =>
    [
      `${c.title}  (${c.slug}, ${c.state})`,
      c.summary,
      "",
      `task:        ${c.task}`,
      `circuit:     ${c.circuitId}`,
      `organiser:   ${c.organiserAddress}`,
      `on-chain id: ${c.onchainId ?? "- (not created on-chain yet)"}${c.escrowAddress ? ` on ${c.escrowAddress}` : ""}`,
      `payouts:     ${c.payoutSharesBps.map((b) => `${b / 100}%`).join(" / ")}   min correct ${c.minCorrect}`,
      `deadlines:   commit ${c.commitDeadline.toISOString()}  reveal ${c.revealDeadline.toISOString()}  prove ${c.proveDeadline.toISOString()}`,
      "",
      splits.length
        ? table(
            ["split", "rows", "bytes", "sha256", "released"],
            splits.map((s) => [
              s.kind,
              s.rowCount,
              s.byteSize,
              s.sha256 ?? "(sealed)",
              s.released ? "yes" : "no",
            ]),
          )
        : "No datasets uploaded.",
      "",
      c.description,
    ].join("\n"),
  );
}

// ---- the hidden split: verification against the chain -------------------------------------------

/** Recomputes the hidden split's commitment (batch salts, batch commitments, root) from its salt. */
async function commitHidden(
  rows: number[][],
  testSalt: bigint,
  circuitId: string,
  where: string,
): Promise<HiddenSplit> {
  const shape = circuitShape(circuitId);
  const samples = toSamples(rows, shape, where);
  try {
    return await hiddenSplitCommitment(samples, testSalt, shape);
  } catch (e) {
    throw inputError(`${where}: ${(e as Error).message}`);
  }
}

/** The revealed hidden split, checked: its recomputed root must be the escrow's testCommitment. */
export async function verifiedHiddenSplit(chain: ChainContext, id: bigint, file: string) {
  const split = readSplit(file);
  if (split.kind !== "hidden" || split.testSalt === null || !split.circuitId)
    throw inputError(`${file} is not a revealed hidden split ("${HIDDEN_FORMAT}" with its testSalt)`);
  const onchain = await getChallenge(chain, id);
  if (keccak256(stringToHex(split.circuitId)) !== onchain.circuitId)
    throw new CliError(
      `${file} is for circuit ${split.circuitId}, which is not challenge ${id}'s circuit`,
      EXIT.integrity,
    );
  const committed = await commitHidden(split.rows, split.testSalt, split.circuitId, file);
  if (BigInt(committed.root) !== onchain.testCommitment || committed.batchCount !== onchain.batchCount)
    throw new CliError(
      `${file} does not match challenge ${id}: it commits to ${committed.root} in ${committed.batchCount} batches, the escrow holds ${onchain.testCommitment} in ${onchain.batchCount}; this is not the revealed hidden split (or it was altered)`,
      EXIT.integrity,
    );
  return { split: committed, circuitId: split.circuitId, rows: split.rows };
}

async function revealUri(chain: ChainContext, id: bigint): Promise<string | null> {
  const logs = await read(
    chain.publicClient.getContractEvents({
      address: chain.escrow,
      abi: arenaEscrowAbi,
      eventName: "TestSetRevealed",
      args: { id },
      fromBlock: 0n,
    }),
    "reading the reveal event",
  );
  return logs.at(-1)?.args.uri ?? null;
}

async function fetchText(ctx: Ctx, uri: string): Promise<string> {
  if (uri.startsWith("file://")) {
    try {
      return readFileSync(fileURLToPath(uri), "utf8");
    } catch (e) {
      throw new CliError(
        `cannot read ${uri} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`,
        EXIT.input,
      );
    }
  }
  if (!/^https?:\/\//.test(uri))
    throw new CliError(
      `the reveal URI "${uri}" is neither http(s) nor file://; fetch it yourself and pass --file`,
      EXIT.input,
    );
  let res: Response;
  try {
    res = await (ctx.io.fetch ?? fetch)(uri);
  } catch (e) {
    throw new CliError(`cannot fetch ${uri} (${(e as Error).message})`, EXIT.network);
  }
  const text = await res.text();
  if (!res.ok)
    throw new CliError(
      `${uri} answered ${res.status}: ${text.slice(0, 300)}`,
      res.status >= 500 ? EXIT.network : EXIT.api,
    );
  // The API's download procedure wraps the document: {"result":{"data":{"json":{content}}}}.
  try {
    const body = JSON.parse(text) as { result?: { data?: unknown } };
    if (body.result?.data) {
      const data = superjson.deserialize(body.result.data as Parameters<typeof superjson.deserialize>[0]) as {
        content?: string;
      };
      if (typeof data.content === "string") return data.content;
    }
  } catch {
    /* not JSON or not wrapped: the document itself */
  }
  return text;
}

export async function download(
  ctx: Ctx,
  ref: string,
  opts: { kind: string; out?: string; file?: string; expectSha256?: string },
) {
  const kind = opts.kind.toUpperCase();
  if (!["TRAIN", "PUBLIC", "HIDDEN"].includes(kind))
    throw new CliError(`--kind must be train, public or hidden, got "${opts.kind}"`, EXIT.usage);
  const out = path.resolve(ctx.io.cwd, opts.out ?? `${ref}-${kind.toLowerCase()}.json`);
  let content: string;
  let sha256: string | null = null;
  let onchainId: bigint | null = /^\d+$/.test(ref) ? BigInt(ref) : null;
  let source: string;
  if (opts.file) {
    content = readFileSync(path.resolve(ctx.io.cwd, opts.file), "utf8");
    source = opts.file;
  } else if (onchainId !== null) {
    if (kind !== "HIDDEN")
      throw new CliError(
        "train and public splits are on the API: use the challenge's slug (zkarena challenge list)",
        EXIT.usage,
      );
    const uri = await revealUri(await ctx.chain(), onchainId);
    if (!uri)
      throw new CliError(
        `challenge ${onchainId} has not been revealed yet; \`zkarena status ${onchainId}\` shows the reveal window`,
        EXIT.api,
      );
    content = await fetchText(ctx, uri);
    source = uri;
  } else {
    const api = ctx.api();
    const c = await apiCall(
      api.client.challenge.bySlug.query({ slug: ref }),
      "challenge.bySlug",
      api.baseUrl,
    );
    const doc = await apiCall(
      api.client.dataset.download.query({ challengeId: c.id, kind: kind as "TRAIN" }),
      `dataset.download (${kind.toLowerCase()})`,
      api.baseUrl,
    );
    content = doc.content;
    sha256 = doc.sha256;
    if (c.onchainId) onchainId = BigInt(c.onchainId);
    source = `${api.baseUrl} (${c.slug})`;
  }
  const actual = sha256Hex(content);
  for (const [label, expected] of [
    ["the API's", sha256],
    ["--expect-sha256", opts.expectSha256 ?? null],
  ] as const)
    if (expected && expected.replace(/^0x/, "").toLowerCase() !== actual)
      throw new CliError(
        `downloaded ${kind.toLowerCase()} split has sha256 ${actual}, ${label} hash is ${expected}: corrupted in transit or altered; nothing written`,
        EXIT.integrity,
      );
  const checks: string[] = [`sha256 ${actual}`];
  if (kind === "HIDDEN") {
    if (onchainId === null)
      throw new CliError(
        "cannot check the hidden split against the chain: the challenge has no on-chain id yet",
        EXIT.integrity,
      );
    const tmp = `${out}.unverified`;
    writeFileAtomic(tmp, content);
    try {
      const v = await verifiedHiddenSplit(await ctx.chain(), onchainId, tmp);
      checks.push(
        `recomputed test commitment ${v.split.root} (${v.split.batchCount} batches) = challenge ${onchainId}'s on-chain commitment`,
      );
    } finally {
      (await import("node:fs")).rmSync(tmp, { force: true });
    }
  }
  writeFileAtomic(out, content);
  ctx.out({ file: out, kind, source, sha256: actual, checks }, () =>
    [`wrote ${out}`, ...checks.map((c) => `  ✓ ${c}`)].join("\n"),
  );
}

// ---- on-chain reads ----------------------------------------------------------------------------------

/** The live public-split leaderboard (API: server-verified proofs). */
async function publicLeaderboard(ctx: Ctx, slug: string) {
  const api = ctx.api();
  const c = await apiCall(api.client.challenge.bySlug.query({ slug }), "challenge.bySlug", api.baseUrl);
  const board = await apiCall(
    api.client.leaderboard.public.query({ challengeId: c.id }),
    "leaderboard.public",
    api.baseUrl,
  );
  ctx.out({ slug, ...board }, () =>
    board.rows.length === 0
      ? `${slug}: no verified public-split proofs yet.`
      : table(
          ["rank", "competitor", "correct", "batches", "committed"],
          board.rows.map((r) => [
            r.rank,
            r.competitor,
            `${r.correct}/${r.total ?? "?"}`,
            r.batches ?? "-",
            r.committedAt.toISOString(),
          ]),
        ),
  );
}

export async function leaderboard(ctx: Ctx, idArg: string) {
  if (!/^\d+$/.test(idArg)) return publicLeaderboard(ctx, idArg);
  const id = parseId(idArg);
  const chain = await ctx.chain();
  const c = await getChallenge(chain, id);
  const board = await read(
    chain.publicClient.readContract({
      address: chain.escrow,
      abi: arenaEscrowAbi,
      functionName: "leaderboard",
      args: [id],
    }),
    "reading the leaderboard",
  );
  const pot = c.totalDeposits;
  const t = await tokenInfo(chain, c.token);
  const rows = board.map((r, i) => ({
    rank: i + 1,
    competitor: r.competitor,
    correct: r.correct,
    committedAt: fmtTime(r.committedAt),
    prize: c.payoutBps[i] !== undefined ? (pot * BigInt(c.payoutBps[i] as number)) / 10_000n : 0n,
  }));
  const total = Number(c.batchCount) * circuitShapeFromId(c.circuitId);
  ctx.out({ challengeId: id.toString(), samples: total || null, rows }, () =>
    rows.length === 0
      ? `Challenge ${id}: no accepted proofs yet.`
      : table(
          ["rank", "competitor", "correct", "committed", "prize (if final)"],
          rows.map((r) => [
            r.rank,
            r.competitor,
            total ? `${r.correct}/${total}` : r.correct,
            r.committedAt,
            fmtAmount(r.prize, t),
          ]),
        ),
  );
}

/** N of the registered circuit whose keccak id is `key` (0 when unknown). */
function circuitShapeFromId(key: Hex): number {
  for (const id of registeredIds()) if (keccak256(stringToHex(id)) === key) return circuitShape(id).N;
  return 0;
}
const registeredIds = modelCircuitIds;
export function circuitIdOf(key: Hex): string | null {
  return registeredIds().find((id) => keccak256(stringToHex(id)) === key) ?? null;
}

export async function status(ctx: Ctx, idArg: string) {
  const id = parseId(idArg);
  const chain = await ctx.chain();
  const [c, phase, block] = await Promise.all([
    getChallenge(chain, id),
    read(
      chain.publicClient.readContract({
        address: chain.escrow,
        abi: arenaEscrowAbi,
        functionName: "phaseOf",
        args: [id],
      }),
      "reading the phase",
    ),
    read(chain.publicClient.getBlock(), "reading the latest block"),
  ]);
  const t = await tokenInfo(chain, c.token);
  const now = block.timestamp;
  let mine: Record<string, unknown> | null = null;
  const hasKey = ctx.cfg.keystore !== null || ctx.env.ZKARENA_PRIVATE_KEY !== undefined;
  if (hasKey) {
    const me = (await ctx.account()).address;
    const [claimable, comp, deposit] = await Promise.all([
      read(
        chain.publicClient.readContract({
          address: chain.escrow,
          abi: arenaEscrowAbi,
          functionName: "claimableOf",
          args: [id, me],
        }),
        "reading claimable",
      ),
      read(
        chain.publicClient.readContract({
          address: chain.escrow,
          abi: arenaEscrowAbi,
          functionName: "competitorOf",
          args: [id, me],
        }),
        "reading your entry",
      ),
      read(
        chain.publicClient.readContract({
          address: chain.escrow,
          abi: arenaEscrowAbi,
          functionName: "depositOf",
          args: [id, me],
        }),
        "reading your deposit",
      ),
    ]);
    mine = {
      address: me,
      deposit,
      commitment: comp.commitment === 0n ? null : comp.commitment,
      committedAt: comp.committedAt,
      scored: comp.scored,
      correct: comp.correct,
      batchesScored: comp.batchesScored,
      claimable: { prize: claimable[0], refund: claimable[1], bond: claimable[2] },
    };
  }
  const result = {
    challengeId: id.toString(),
    escrow: chain.escrow,
    chainId: chain.chainId,
    phase: PHASES[phase] ?? String(phase),
    organiser: c.organiser,
    circuit: circuitIdOf(c.circuitId) ?? c.circuitId,
    token: c.token,
    tokenSymbol: t.symbol,
    pot: c.totalDeposits,
    bond: c.bond,
    batchCount: c.batchCount,
    testCommitment: c.testCommitment,
    minCorrect: c.minCorrect,
    payoutBps: c.payoutBps,
    committers: c.committerCount,
    sponsors: c.sponsorCount,
    revealedAt: c.revealedAt === 0n ? null : c.revealedAt,
    deadlines: { commit: c.commitDeadline, reveal: c.revealDeadline, prove: c.proveDeadline },
    chainTime: now,
    you: mine,
  };
  ctx.out(result, () => {
    const lines = [
      `challenge ${id} on ${chain.escrow} (chain ${chain.chainId}): ${result.phase}`,
      `circuit ${result.circuit}, ${c.batchCount} batch(es), min correct ${c.minCorrect}, payouts ${c.payoutBps.map((b) => `${b / 100}%`).join("/")}`,
      `organiser ${c.organiser}, bond ${fmtAmount(c.bond, { symbol: "ETH", decimals: 18 })}`,
      `pot ${fmtAmount(c.totalDeposits, t)} from ${c.sponsorCount} sponsor(s); ${c.committerCount} committed model(s)`,
      `commit deadline ${fmtTime(c.commitDeadline)} (${fmtIn(c.commitDeadline, now)})`,
      `reveal deadline ${fmtTime(c.revealDeadline)} (${fmtIn(c.revealDeadline, now)})${c.revealedAt ? `, revealed ${fmtTime(c.revealedAt)}` : ""}`,
      `prove deadline  ${fmtTime(c.proveDeadline)} (${fmtIn(c.proveDeadline, now)})`,
    ];
    if (mine) {
      const cl = mine.claimable as { prize: bigint; refund: bigint; bond: bigint };
      lines.push(
        `you (${String(mine.address)}): ${mine.commitment ? `committed ${fmtTime(mine.committedAt as bigint)}` : "no commitment"}${mine.scored ? `, score ${String(mine.correct)}` : ""}${(mine.deposit as bigint) > 0n ? `, deposited ${fmtAmount(mine.deposit as bigint, t)}` : ""}`,
        `claimable now: prize ${fmtAmount(cl.prize, t)}, refund ${fmtAmount(cl.refund, t)}, bond ${fmtAmount(cl.bond, { symbol: "ETH", decimals: 18 })}`,
      );
    }
    return lines.join("\n");
  });
}

// ---- organiser: create from a spec ----------------------------------------------------------------

const slugRe = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
export const specSchema = z.strictObject({
  slug: z.string().regex(slugRe, { error: "slug may contain only a-z, 0-9 and single dashes" }).max(80),
  title: z.string().min(1).max(120),
  summary: z.string().max(280).default(""),
  description: z.string().max(20_000).default(""),
  task: z.string().min(1).max(500),
  tags: z.array(z.string().regex(slugRe).max(32)).max(10).default([]),
  circuit: z.string().min(1),
  deadlines: z.strictObject({ commit: z.string(), reveal: z.string(), prove: z.string() }),
  payoutShares: z
    .array(z.number().int().min(1).max(10_000))
    .min(1)
    .max(10)
    .refine((a) => a.reduce((x, y) => x + y, 0) === 10_000, {
      error: "payout shares must add up to 10000 bp (e.g. [5000, 3000, 2000])",
    })
    .refine((a) => a.every((v, i) => i === 0 || v <= (a[i - 1] as number)), {
      error: "payout shares must not increase from one rank to the next",
    }),
  minCorrect: z.number().int().min(1, { error: "minCorrect must be at least 1" }).max(1_000_000).default(1),
  /** Organiser bond in ETH (decimal string). */
  bond: z
    .string()
    .regex(/^\d+(\.\d{1,18})?$/, { error: 'bond is an ETH amount like "0.1"' })
    .default("0"),
  /** ERC-20 prize token; omit (or null) for ETH. */
  token: z
    .strictObject({
      address: z
        .string()
        .refine((a) => isAddress(a, { strict: false }), { error: "token.address must be a 0x address" }),
      symbol: z
        .string()
        .regex(/^[A-Za-z0-9]{1,16}$/)
        .optional(),
      decimals: z.number().int().min(0).max(36).optional(),
    })
    .nullable()
    .default(null),
  splits: z.strictObject({ train: z.string().optional(), public: z.string().optional(), hidden: z.string() }),
  /** Who keeps the hidden split until the reveal: the API (sealed, released after the final reveal) or you. */
  custody: z.enum(["api", "local"]).optional(),
});
export type ChallengeSpec = z.infer<typeof specSchema>;

/** keccak256 of the canonical JSON of the off-chain metadata (sorted keys, no spaces). */
export function metadataHash(
  spec: Pick<ChallengeSpec, "slug" | "title" | "summary" | "description" | "task" | "tags" | "circuit">,
): Hex {
  const doc = {
    format: "zkarena.metadata/v1",
    slug: spec.slug,
    title: spec.title,
    summary: spec.summary,
    description: spec.description,
    task: spec.task,
    tags: spec.tags,
    circuitId: spec.circuit,
  };
  return keccak256(stringToHex(canonicalJson(doc)));
}

function readSpec(file: string): ChallengeSpec {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (e) {
    throw inputError(`spec ${file} cannot be read (${(e as NodeJS.ErrnoException).code})`);
  }
  let raw: unknown;
  try {
    raw = /\.ya?ml$/i.test(file) ? parseYaml(text) : JSON.parse(text);
  } catch (e) {
    throw inputError(
      `spec ${file} is not valid ${/\.ya?ml$/i.test(file) ? "YAML" : "JSON"}: ${(e as Error).message}`,
    );
  }
  const p = specSchema.safeParse(raw);
  if (!p.success)
    throw inputError(
      `spec ${file}: ${p.error.issues.map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`).join("; ")}`,
    );
  return p.data;
}

export async function create(ctx: Ctx, opts: { spec: string; dryRun?: boolean }) {
  const specFile = path.resolve(ctx.io.cwd, opts.spec);
  const spec = readSpec(specFile);
  const dir = path.dirname(specFile);
  const shape = circuitShape(spec.circuit);
  const rowsOf = (f: string, what: string) => {
    const s = readSplit(path.resolve(dir, f));
    if (s.circuitId && s.circuitId !== spec.circuit)
      throw inputError(`${what} split ${f} is for circuit ${s.circuitId}, the spec says ${spec.circuit}`);
    toSamples(s.rows, shape, `${what} split ${f}`);
    return s.rows;
  };
  const hiddenRows = rowsOf(spec.splits.hidden, "hidden");
  if (hiddenRows.length % shape.N !== 0)
    throw inputError(
      `hidden split has ${hiddenRows.length} samples, not a multiple of the circuit's batch size ${shape.N}: drop ${hiddenRows.length % shape.N} or add ${shape.N - (hiddenRows.length % shape.N)}`,
    );
  if (spec.minCorrect > hiddenRows.length)
    throw inputError(`minCorrect ${spec.minCorrect} is more than the ${hiddenRows.length} hidden samples`);
  const trainRows = spec.splits.train ? rowsOf(spec.splits.train, "train") : null;
  const publicRows = spec.splits.public ? rowsOf(spec.splits.public, "public") : null;
  const custody = spec.custody ?? (ctx.cfg.apiUrl ? "api" : "local");
  if (custody === "api" && !ctx.cfg.apiUrl)
    throw inputError('custody "api" needs --api-url (or set custody: local)');

  const chain = await ctx.chain();
  const account = await ctx.account();
  const now = (await read(chain.publicClient.getBlock(), "reading the chain time")).timestamp;
  const commitDeadline = parseTime(spec.deadlines.commit, now, "deadlines.commit");
  const revealDeadline = parseTime(spec.deadlines.reveal, now, "deadlines.reveal");
  const proveDeadline = parseTime(spec.deadlines.prove, now, "deadlines.prove");
  if (!(now < commitDeadline && commitDeadline < revealDeadline && revealDeadline < proveDeadline))
    throw inputError(`deadlines must satisfy chain time (${fmtTime(now)}) < commit < reveal < prove`);
  const token: Address = spec.token ? getAddress(spec.token.address) : zeroAddress;
  const tInfo = spec.token ? await tokenInfo(chain, token) : { symbol: "ETH", decimals: 18 };
  const bond = parseAmount(spec.bond, 18, "bond");

  let draftId: string | null = null;
  let testCommitment: bigint;
  let batchCount: number;
  let hiddenFile: string | null = null;
  const uploads: Record<string, unknown>[] = [];
  if (opts.dryRun)
    ctx.note("dry run: validating the spec and simulating createChallenge; nothing is uploaded or sent");
  let mHash = metadataHash(spec);
  if (ctx.cfg.apiUrl && !opts.dryRun) {
    // The draft (text, deadlines, payouts) and the train / public splits live on the API in both
    // custodies; only the hidden split's keeper differs.
    const api = ctx.api();
    await api.signIn(account, ctx.cfg.chainId);
    const draft = await apiCall(
      api.client.challenge.createDraft.mutate({
        slug: spec.slug,
        title: spec.title,
        summary: spec.summary,
        description: spec.description,
        task: spec.task,
        tags: spec.tags,
        circuitId: spec.circuit as "mlp-d4-h3-c3-n4",
        commitDeadline: new Date(Number(commitDeadline) * 1000),
        revealDeadline: new Date(Number(revealDeadline) * 1000),
        proveDeadline: new Date(Number(proveDeadline) * 1000),
        payoutSharesBps: spec.payoutShares,
        minCorrect: spec.minCorrect,
        organiserBond: bond.toString(),
        tokenAddress: spec.token ? (token.toLowerCase() as Address) : null,
        tokenSymbol: tInfo.symbol.replace(/[^A-Za-z0-9]/g, "").slice(0, 16) || "TOKEN",
        tokenDecimals: tInfo.decimals,
      }),
      "challenge.createDraft",
      api.baseUrl,
    );
    draftId = draft.id;
    ctx.note(`draft ${draft.slug} created on ${api.baseUrl}`);
    for (const [kind, rows, f] of [
      ["TRAIN", trainRows, spec.splits.train],
      ["PUBLIC", publicRows, spec.splits.public],
    ] as const) {
      if (!rows || !f) continue;
      const up = await apiCall(
        api.client.dataset.upload.mutate({
          challengeId: draft.id,
          kind,
          fileName: path.basename(f),
          samples: rows,
        }),
        `dataset.upload (${kind.toLowerCase()})`,
        api.baseUrl,
      );
      uploads.push(up);
      ctx.note(`uploaded ${kind.toLowerCase()} split: ${up.rowCount} rows, sha256 ${up.sha256}`);
    }
    // The indexer links the on-chain challenge to its draft by (organiser, metadataHash): use the
    // API's hash when it defines one.
    const apiHash = (draft as { metadataHash?: unknown }).metadataHash;
    if (typeof apiHash === "string" && /^0x[0-9a-fA-F]{64}$/.test(apiHash)) mHash = apiHash as Hex;
  }
  if (custody === "api" && !opts.dryRun && draftId) {
    const api = ctx.api();
    const hidden = await apiCall(
      api.client.dataset.uploadHidden.mutate({ challengeId: draftId, samples: hiddenRows }),
      "dataset.uploadHidden",
      api.baseUrl,
    );
    testCommitment = BigInt(hidden.testCommitment);
    batchCount = hidden.batchCount;
    ctx.note(
      `hidden split sealed by the API: ${hidden.rowCount} rows in ${hidden.batchCount} batch(es), test commitment ${hidden.testCommitment}`,
    );
  } else {
    const salt = randomSalt();
    const committed = await commitHidden(
      hiddenRows,
      salt,
      spec.circuit,
      `hidden split ${spec.splits.hidden}`,
    );
    testCommitment = BigInt(committed.root);
    batchCount = committed.batchCount;
    if (!opts.dryRun) {
      // The salt is written before anything is sent: without it the organiser can never reveal.
      hiddenFile = path.join(
        ctx.cfg.home,
        "hidden",
        String(chain.chainId),
        chain.escrow.toLowerCase(),
        `${spec.slug}.json`,
      );
      if (existsSync(hiddenFile))
        throw inputError(
          `${hiddenFile} exists (a challenge with this slug was already created here); pick another slug`,
        );
      writeJson(
        hiddenFile,
        {
          format: HIDDEN_FORMAT,
          circuitId: spec.circuit,
          testSalt: salt.toString(),
          batchCount: committed.batchCount,
          testCommitment: committed.root,
          batchCommitments: committed.commitments.map((c) => `0x${c.toString(16).padStart(64, "0")}`),
          samples: hiddenRows,
        },
        { secret: true },
      );
      ctx.warn(
        `the hidden split and its salt are in ${hiddenFile} (mode 0600). Back it up: without it you cannot reveal, and your bond goes to the competitors.`,
      );
    }
  }

  const params = {
    circuitId: keccak256(stringToHex(spec.circuit)),
    testCommitment,
    batchCount,
    commitDeadline,
    revealDeadline,
    proveDeadline,
    token,
    minCorrect: spec.minCorrect,
    payoutBps: spec.payoutShares,
    metadataHash: mHash,
  };
  if (opts.dryRun) {
    try {
      await chain.publicClient.simulateContract({
        account,
        address: chain.escrow,
        abi: arenaEscrowAbi,
        functionName: "createChallenge",
        args: [params],
        value: bond,
      });
    } catch (e) {
      throw (await import("../chain.ts")).chainError(e, "createChallenge (simulated)");
    }
    ctx.out(
      { dryRun: true, params, bond },
      () =>
        `spec ${specFile} is valid; createChallenge simulates fine (test commitment ${testCommitment}, ${batchCount} batch(es))`,
    );
    return;
  }
  const { receipt, tx } = await write(
    chain,
    account,
    {
      address: chain.escrow,
      abi: arenaEscrowAbi,
      functionName: "createChallenge",
      args: [params],
      value: bond,
    },
    "createChallenge",
  );
  const [event] = parseEventLogs({ abi: arenaEscrowAbi, logs: receipt.logs, eventName: "ChallengeCreated" });
  if (!event)
    throw new CliError(`createChallenge ${tx.hash} emitted no ChallengeCreated event`, EXIT.internal);
  const id = event.args.id;
  if (hiddenFile) {
    const byId = path.join(path.dirname(hiddenFile), `${id}.json`);
    writeFileAtomic(byId, readFileSync(hiddenFile, "utf8"), { secret: true });
    hiddenFile = byId;
  }
  ctx.out(
    {
      challengeId: id.toString(),
      escrow: chain.escrow,
      draftId,
      custody,
      hiddenFile,
      metadataHash: mHash,
      testCommitment,
      batchCount,
      bond,
      tx,
      uploads,
    },
    () =>
      [
        `created challenge ${id} on ${chain.escrow} (tx ${tx.hash}, gas ${tx.gasUsed})`,
        `  test commitment ${testCommitment} (${batchCount} batch(es)), metadata hash ${mHash}`,
        `  bond ${fmtAmount(bond, { symbol: "ETH", decimals: 18 })}, prize token ${tInfo.symbol}`,
        hiddenFile
          ? `  hidden split and salt: ${hiddenFile} (back it up; \`zkarena challenge reveal ${id}\` needs it)`
          : `  hidden split sealed by the API (released after your on-chain reveal is final)`,
      ].join("\n"),
  );
}

// ---- organiser: reveal ------------------------------------------------------------------------------

export async function reveal(ctx: Ctx, idArg: string, opts: { split?: string; uri?: string; slug?: string }) {
  const id = parseId(idArg);
  const chain = await ctx.chain();
  const account = await ctx.account();
  let uri = opts.uri;
  let splitFile = opts.split ? path.resolve(ctx.io.cwd, opts.split) : null;
  if (!splitFile && !opts.slug) {
    const local = path.join(
      ctx.cfg.home,
      "hidden",
      String(chain.chainId),
      chain.escrow.toLowerCase(),
      `${id}.json`,
    );
    if (existsSync(local)) splitFile = local;
  }
  const checks: string[] = [];
  if (splitFile) {
    // Never reveal something that does not open the on-chain commitment: competitors could not prove.
    const v = await verifiedHiddenSplit(chain, id, splitFile);
    checks.push(`${splitFile} opens the on-chain test commitment (${v.split.batchCount} batch(es))`);
    uri ??= pathToFileURL(splitFile).href;
    if (uri.startsWith("file://"))
      ctx.warn(
        `revealing a file:// URI (${uri}); competitors elsewhere need it published: pass --uri https://… once it is`,
      );
  } else if (!uri) {
    if (!opts.slug || !ctx.cfg.apiUrl)
      throw new CliError(
        "say where the hidden split is: --split <file> (you keep it), or --slug <slug> with --api-url (the API keeps it), or --uri <url>",
        EXIT.usage,
      );
    const api = ctx.api();
    const c = await apiCall(
      api.client.challenge.bySlug.query({ slug: opts.slug }),
      "challenge.bySlug",
      api.baseUrl,
    );
    const input = encodeURIComponent(
      JSON.stringify(superjson.serialize({ challengeId: c.id, kind: "HIDDEN" })),
    );
    uri = `${api.baseUrl}/api/trpc/dataset.download?input=${input}`;
  }
  if (uri.length > 2048) throw inputError("the reveal URI must be at most 2048 characters");
  const { receipt, tx } = await write(
    chain,
    account,
    { address: chain.escrow, abi: arenaEscrowAbi, functionName: "reveal", args: [id, uri] },
    "reveal",
  );
  const events = escrowEvents(receipt).filter((e) => e.eventName === "TestSetRevealed");
  ctx.out({ challengeId: id.toString(), uri, checks, tx, events: events.length }, () =>
    [`revealed challenge ${id}: ${uri} (tx ${tx.hash})`, ...checks.map((c) => `  ✓ ${c}`)].join("\n"),
  );
}

// ---- sponsors: fund ---------------------------------------------------------------------------------

export async function fund(ctx: Ctx, idArg: string, opts: { amount: string }) {
  const id = parseId(idArg);
  const chain = await ctx.chain();
  const account = await ctx.account();
  const c = await getChallenge(chain, id);
  const t = await tokenInfo(chain, c.token);
  const amount = parseAmount(opts.amount, t.decimals);
  if (amount === 0n) throw inputError("--amount must be greater than zero");
  const txs: Record<string, unknown>[] = [];
  const isEth = c.token === zeroAddress;
  if (!isEth) {
    // Refuse before approving: an approve that is followed by a failing fund would cost gas for nothing.
    const balance = await read(
      chain.publicClient.readContract({
        address: c.token,
        abi: erc20Abi,
        functionName: "balanceOf",
        args: [account.address],
      }),
      "reading your token balance",
    );
    if (balance < amount)
      throw inputError(
        `${account.address} holds ${fmtAmount(balance, t)}, less than ${fmtAmount(amount, t)}`,
      );
    const allowance = await read(
      chain.publicClient.readContract({
        address: c.token,
        abi: erc20Abi,
        functionName: "allowance",
        args: [account.address, chain.escrow],
      }),
      "reading the token allowance",
    );
    if (allowance < amount) {
      const a = await write(
        chain,
        account,
        { address: c.token, abi: erc20Abi, functionName: "approve", args: [chain.escrow, amount] },
        `approve ${t.symbol}`,
      );
      txs.push({ step: "approve", ...a.tx });
      ctx.note(`approved ${fmtAmount(amount, t)} for the escrow (tx ${a.tx.hash})`);
    }
  }
  const { receipt, tx } = await write(
    chain,
    account,
    {
      address: chain.escrow,
      abi: arenaEscrowAbi,
      functionName: "fund",
      args: [id, amount],
      ...(isEth ? { value: amount } : {}),
    },
    "fund",
  );
  txs.push({ step: "fund", ...tx });
  const [ev] = parseEventLogs({ abi: arenaEscrowAbi, logs: receipt.logs, eventName: "ChallengeFunded" });
  const received = ev?.args.amountReceived ?? amount;
  ctx.out(
    { challengeId: id.toString(), token: c.token, amount, received, txs, tx },
    () => `funded challenge ${id} with ${fmtAmount(received, t)} (tx ${tx.hash})`,
  );
}
