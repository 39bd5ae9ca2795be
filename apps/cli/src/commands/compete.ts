// zkarena commit | prove | submit | claim | refund — a competitor's side of the escrow.
import { existsSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { parseEventLogs, type Hex } from "viem";
import { arenaEscrowAbi } from "@zkarena/chain";
import {
  MLP_SHAPES,
  batchProofRequest,
  modelCommitment,
  randomSalt,
  type BatchTarget,
  type MlpProofRequest,
  type ProgressEvent,
} from "@zkarena/zk";
import { createNodeProver, releaseProverThreads } from "@zkarena/zk/node";
import { PHASES, fmtAmount, getChallenge, read, tokenInfo, write } from "../chain.ts";
import type { RouterInputs } from "@zkarena/api";
import { apiCall } from "../api.ts";
import type { Ctx } from "../context.ts";
import { CliError, EXIT, inputError } from "../errors.ts";
import {
  COMMIT_FORMAT,
  PROOF_FORMAT,
  commitRecordPath,
  readCommitRecord,
  readIntModel,
  readProofFile,
  type ProofFile,
  readSplit,
  toSamples,
  writeJson,
  type CommitRecord,
} from "../files.ts";
import { fmtTime, parseId, sha256Hex } from "../util.ts";
import { circuitIdOf, verifiedHiddenSplit } from "./challenge.ts";

/** The public split's test salt: it is published, so its batches are committed under salt 0 (the API's rule). */
export const PUBLIC_TEST_SALT = 0n;

export async function commit(ctx: Ctx, idArg: string, opts: { model: string; saltFile?: string }) {
  const id = parseId(idArg);
  const chain = await ctx.chain();
  const account = await ctx.account();
  const modelFile = path.resolve(ctx.io.cwd, opts.model);
  const m = readIntModel(modelFile);
  const c = await getChallenge(chain, id);
  const circuit = circuitIdOf(c.circuitId);
  if (circuit !== m.circuitId)
    throw inputError(
      `the model is quantized for ${m.circuitId}, challenge ${id} uses ${circuit ?? c.circuitId}; quantize it for that circuit`,
    );
  const recordFile = opts.saltFile
    ? path.resolve(ctx.io.cwd, opts.saltFile)
    : commitRecordPath(ctx.cfg.home, chain.chainId, chain.escrow, id, account.address);
  const previous = readCommitRecord(recordFile);
  const salt = randomSalt();
  const commitment = await modelCommitment(m.model, salt);
  const record: CommitRecord = {
    format: COMMIT_FORMAT,
    chainId: chain.chainId,
    escrow: chain.escrow,
    challengeId: id.toString(),
    address: account.address,
    circuitId: m.circuitId,
    modelFile,
    modelSha256: sha256Hex(readFileSync(modelFile)),
    salt: salt.toString(),
    commitment: commitment.toString(),
    txHash: null,
    committedAt: new Date().toISOString(),
    previous: previous ? [...previous.previous, { ...previous, previous: undefined }] : [],
  };
  // The salt is on disk (0600) before the commitment is sent: losing it would make the commit unprovable.
  writeJson(recordFile, record, { secret: true });
  let sent;
  try {
    sent = await write(
      chain,
      account,
      { address: chain.escrow, abi: arenaEscrowAbi, functionName: "commit", args: [id, commitment] },
      "commit",
    );
  } catch (e) {
    // Nothing was committed: put the previous record (the salt of the live commitment) back.
    if (previous) writeJson(recordFile, previous, { secret: true });
    else rmSync(recordFile, { force: true });
    throw e;
  }
  const { receipt, tx } = sent;
  const [ev] = parseEventLogs({ abi: arenaEscrowAbi, logs: receipt.logs, eventName: "ModelCommitted" });
  writeJson(recordFile, { ...record, txHash: tx.hash }, { secret: true });
  ctx.warn(
    `your model's salt is in ${recordFile} (mode 0600). Back it up with the model file: without both you cannot prove this commitment.`,
  );
  ctx.out(
    {
      challengeId: id.toString(),
      commitment,
      recommit: ev?.args.recommit ?? previous !== null,
      at: ev?.args.at ?? null,
      saltFile: recordFile,
      tx,
    },
    () =>
      `${ev?.args.recommit ? "re-committed" : "committed"} model ${path.basename(modelFile)} to challenge ${id}: commitment ${commitment} (tx ${tx.hash})`,
  );
}

function loadRecord(ctx: Ctx, file: string): CommitRecord {
  const r = readCommitRecord(file);
  if (!r)
    throw new CliError(
      `no commitment record at ${file}: run \`zkarena commit\` first, or pass --salt-file with your backup`,
      EXIT.input,
    );
  return r;
}

/** A progress line per stage on stderr with the elapsed time and an estimate for the whole proof. */
function progress(ctx: Ctx, label: string, estimateMs: number) {
  return (e: ProgressEvent) => {
    if (e.kind !== "stage") return;
    const s = (e.elapsedMs / 1000).toFixed(1);
    const left = Math.max(0, estimateMs - e.elapsedMs) / 1000;
    const bar = (n: number) => `[${"#".repeat(n)}${".".repeat(5 - n)}]`;
    const idx = ["load", "input", "witness", "prove", "verify", "done"].indexOf(e.stage);
    ctx.note(
      `${label} ${bar(Math.min(5, idx))} ${e.stage.padEnd(7)} ${s}s${e.stage === "done" ? "" : ` (about ${left.toFixed(1)}s left)`}`,
    );
  };
}

export async function prove(
  ctx: Ctx,
  idArg: string,
  opts: {
    model: string;
    split: string;
    batch?: string;
    out?: string;
    saltFile?: string;
    singleThread?: boolean;
  },
) {
  const id = parseId(idArg);
  const chain = await ctx.chain();
  const account = await ctx.account();
  const me = account.address;
  const m = readIntModel(path.resolve(ctx.io.cwd, opts.model));
  const recordFile = opts.saltFile
    ? path.resolve(ctx.io.cwd, opts.saltFile)
    : commitRecordPath(ctx.cfg.home, chain.chainId, chain.escrow, id, me);
  const record = loadRecord(ctx, recordFile);
  const salt = BigInt(record.salt);
  const commitment = await modelCommitment(m.model, salt);
  const [onchain] = await read(
    chain.publicClient.readContract({
      address: chain.escrow,
      abi: arenaEscrowAbi,
      functionName: "commitmentOf",
      args: [id, me],
    }),
    "reading your commitment",
  );
  if (onchain === 0n)
    throw new CliError(
      `${me} has no commitment in challenge ${id}: \`zkarena commit ${id} --model …\` (before the commit deadline)`,
      EXIT.input,
    );
  if (onchain !== commitment)
    throw new CliError(
      `this model and salt commit to ${commitment}, but your on-chain commitment is ${onchain}: use the model file you committed last (${record.modelFile}) or its salt file`,
      EXIT.integrity,
    );
  // The revealed hidden split (checked against the escrow's commitment) or the public split (batch i
  // = samples [i·N, (i+1)·N) under the public test salt 0, as the API checks public-split proofs).
  const splitFile = path.resolve(ctx.io.cwd, opts.split);
  const raw = readSplit(splitFile);
  const isPublic = raw.kind === "samples";
  const shape = m.model.shape;
  let circuitId = m.circuitId;
  let batchCount: number;
  let target: (i: number) => { request: MlpProofRequest; batch?: BatchTarget };
  const competitor = { model: m.model, modelSalt: salt, challengeId: id, submitter: BigInt(me) };
  if (isPublic) {
    if (raw.circuitId && raw.circuitId !== m.circuitId)
      throw inputError(`the split is for ${raw.circuitId}, the model for ${m.circuitId}`);
    const samples = toSamples(raw.rows, shape, opts.split);
    batchCount = Math.floor(samples.length / shape.N);
    if (batchCount === 0)
      throw inputError(`the public split has ${samples.length} samples, fewer than one batch of ${shape.N}`);
    ctx.note(
      `public split: ${batchCount} batch(es) of ${shape.N} (proofs go to the API with \`zkarena submit --slug\`)`,
    );
    target = (i) => ({
      request: {
        ...competitor,
        samples: samples.slice(i * shape.N, (i + 1) * shape.N),
        testSalt: PUBLIC_TEST_SALT,
      },
    });
  } else {
    const v = await verifiedHiddenSplit(chain, id, splitFile);
    if (v.circuitId !== m.circuitId)
      throw inputError(`the split is for ${v.circuitId}, the model for ${m.circuitId}`);
    circuitId = v.circuitId;
    batchCount = v.split.batchCount;
    target = (i) => batchProofRequest(v.split, i, competitor);
  }
  let batches = Array.from({ length: batchCount }, (_, i) => i);
  if (opts.batch !== undefined && opts.batch !== "all") {
    const b = Number(opts.batch);
    if (!Number.isInteger(b) || b < 0 || b >= batchCount)
      throw inputError(`--batch must be in [0, ${batchCount - 1}] or "all"`);
    batches = [b];
  }
  const named = Object.values(MLP_SHAPES).find((s) => s.id === circuitId);
  // First estimate from the constraint count (~25 µs per constraint with threads, + 1 s to load);
  // then the measured time of the previous batch.
  let estimateMs = 1000 + (named?.constraints ?? 10_000) * 0.025;
  const prover = createNodeProver({
    ...(ctx.cfg.circuitsDir ? { buildDir: ctx.cfg.circuitsDir } : {}),
    singleThread: opts.singleThread === true,
  });
  const proofs: Record<string, unknown>[] = [];
  const timings: Record<string, unknown>[] = [];
  try {
    for (const [k, i] of batches.entries()) {
      const { request, batch } = target(i);
      const label = `proving ${isPublic ? "public" : "hidden"} batch ${i + 1}/${batchCount} (${k + 1} of ${batches.length})`;
      let result;
      try {
        result = await prover.prove({
          circuitId,
          request,
          ...(batch ? { batch } : {}),
          onProgress: progress(ctx, label, estimateMs),
        });
      } catch (e) {
        throw new CliError(
          `proving batch ${i} failed: ${(e as Error).message}`,
          (e as Error).name === "LocalVerificationError" || (e as Error).name === "ProofMismatchError"
            ? EXIT.integrity
            : EXIT.input,
        );
      }
      estimateMs = result.timings.total;
      const s = result.submission;
      proofs.push({
        batchIndex: i,
        correct: s.correct,
        publicSignals: result.publicSignals,
        proof: result.proof,
        pA: s.pA.map(String),
        pB: s.pB.map((r) => r.map(String)),
        pC: s.pC.map(String),
        batchCommitment: (s.batchCommitment ?? result.expected.testCommitment).toString(),
        merkleProof: s.merkleProof ?? [],
      });
      timings.push({ batch: i, ...result.timings });
    }
  } finally {
    await prover.close();
    await releaseProverThreads();
  }
  const out = path.resolve(ctx.io.cwd, opts.out ?? `proof-${id}-${me.slice(2, 10).toLowerCase()}.json`);
  if (existsSync(out)) ctx.warn(`replacing ${out}`);
  writeJson(out, {
    format: PROOF_FORMAT,
    chainId: chain.chainId,
    escrow: chain.escrow,
    challengeId: id.toString(),
    circuitId,
    submitter: me,
    split: isPublic ? "public" : "hidden",
    proofs,
  });
  const correct = proofs.reduce((a, p) => a + Number(p.correct), 0);
  ctx.out(
    { file: out, correct, batches: batches.length, verified: true, timings },
    () =>
      `wrote ${out}: ${batches.length} proof(s), ${correct} correct in total, each verified locally (submit with \`zkarena submit ${id} ${path.basename(out)}\`)`,
  );
}

/** Public-split proofs go to the API (verified off-chain by the worker; the live leaderboard). */
async function submitPublic(ctx: Ctx, id: bigint, pf: ProofFile, opts: { slug?: string; wait?: string }) {
  if (!opts.slug)
    throw new CliError(
      "a public-split proof goes to the API: pass --slug <challenge slug> (and --api-url)",
      EXIT.usage,
    );
  const api = ctx.api();
  const account = await ctx.account();
  if (pf.submitter.toLowerCase() !== account.address.toLowerCase())
    throw inputError(`the proofs were made for ${pf.submitter}; ${account.address} cannot submit them`);
  const c = await apiCall(
    api.client.challenge.bySlug.query({ slug: opts.slug }),
    "challenge.bySlug",
    api.baseUrl,
  );
  if (c.onchainId !== id.toString())
    throw inputError(`${opts.slug} is on-chain challenge ${c.onchainId ?? "(not on-chain yet)"}, not ${id}`);
  await api.signIn(account, ctx.cfg.chainId);
  const results: { batchIndex: number; id: string; status: string; correct: number; error: string | null }[] =
    [];
  for (const p of pf.proofs) {
    const r = await apiCall(
      api.client.submission.submitPublicProof.mutate({
        challengeId: c.id,
        batchIndex: p.batchIndex,
        proof: p.proof as RouterInputs["submission"]["submitPublicProof"]["proof"],
        publicSignals: p.publicSignals,
      }),
      `submission.submitPublicProof (public batch ${p.batchIndex})`,
      api.baseUrl,
    );
    results.push({
      batchIndex: p.batchIndex,
      id: r.id,
      status: r.status,
      correct: p.correct,
      error: r.error,
    });
    ctx.note(`public batch ${p.batchIndex}: proof ${r.id} ${r.status} (${p.correct} correct)`);
  }
  const waitMs = opts.wait ? Number(opts.wait) * 1000 : 0;
  const deadline = Date.now() + waitMs;
  while (waitMs > 0 && results.some((r) => r.status === "PENDING") && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 1000));
    for (const r of results.filter((x) => x.status === "PENDING")) {
      const now = await apiCall(
        api.client.submission.byId.query({ id: r.id }),
        "submission.byId",
        api.baseUrl,
      );
      r.status = now.status;
      r.error = now.error;
    }
  }
  ctx.out({ challengeId: id.toString(), split: "public", results }, () =>
    results
      .map(
        (r) => `public batch ${r.batchIndex}: ${r.status}${r.error ? ` (${r.error})` : ""} — proof ${r.id}`,
      )
      .join("\n"),
  );
}

export async function submit(
  ctx: Ctx,
  idArg: string,
  file: string,
  opts: { slug?: string; wait?: string } = {},
) {
  const id = parseId(idArg);
  const pf = readProofFile(path.resolve(ctx.io.cwd, file));
  if (pf.challengeId !== id.toString())
    throw inputError(`${file} is for challenge ${pf.challengeId}, not ${id}`);
  if (pf.split === "public") return submitPublic(ctx, id, pf, opts);
  const chain = await ctx.chain();
  const account = await ctx.account();
  if (
    pf.challengeId !== id.toString() ||
    pf.escrow.toLowerCase() !== chain.escrow.toLowerCase() ||
    pf.chainId !== chain.chainId
  )
    throw inputError(
      `${file} is for challenge ${pf.challengeId} on ${pf.escrow} (chain ${pf.chainId}), not ${id} on ${chain.escrow} (chain ${chain.chainId})`,
    );
  if (pf.submitter.toLowerCase() !== account.address.toLowerCase())
    throw inputError(
      `${file} was proven for ${pf.submitter}; proofs are bound to their submitter, so ${account.address} cannot submit it`,
    );
  const c = await getChallenge(chain, id);
  const results: Record<string, unknown>[] = [];
  let total: number | null = null;
  for (const p of pf.proofs) {
    const scored = await read(
      chain.publicClient.readContract({
        address: chain.escrow,
        abi: arenaEscrowAbi,
        functionName: "batchScored",
        args: [id, account.address, BigInt(p.batchIndex)],
      }),
      "reading scored batches",
    );
    if (scored) {
      ctx.note(`batch ${p.batchIndex} is already accepted; skipped`);
      results.push({ batchIndex: p.batchIndex, skipped: "already accepted" });
      continue;
    }
    const pA = p.pA.map(BigInt) as [bigint, bigint];
    const pB = p.pB.map((r) => r.map(BigInt)) as [[bigint, bigint], [bigint, bigint]];
    const pC = p.pC.map(BigInt) as [bigint, bigint];
    const args =
      c.batchCount === 1
        ? ([id, pA, pB, pC, p.correct] as const)
        : ([
            id,
            BigInt(p.batchIndex),
            BigInt(p.batchCommitment),
            p.merkleProof as Hex[],
            pA,
            pB,
            pC,
            p.correct,
          ] as const);
    const { receipt, tx } = await write(
      chain,
      account,
      { address: chain.escrow, abi: arenaEscrowAbi, functionName: "submitProof", args },
      `submitProof (batch ${p.batchIndex})`,
    );
    const [ev] = parseEventLogs({ abi: arenaEscrowAbi, logs: receipt.logs, eventName: "ProofAccepted" });
    total = ev ? Number(ev.args.total) : total;
    results.push({ batchIndex: p.batchIndex, correct: p.correct, total, tx });
    ctx.note(
      `batch ${p.batchIndex}: accepted, ${p.correct} correct (running total ${total}) — tx ${tx.hash}, gas ${tx.gasUsed}`,
    );
  }
  ctx.out(
    { challengeId: id.toString(), total, results },
    () =>
      `submitted ${results.filter((r) => !r.skipped).length} proof(s) to challenge ${id}; your on-chain score is ${total ?? "unchanged"}`,
  );
}

export async function claim(ctx: Ctx, idArg: string, opts: { refund?: boolean }) {
  const id = parseId(idArg);
  const chain = await ctx.chain();
  const account = await ctx.account();
  const c = await getChallenge(chain, id);
  const t = await tokenInfo(chain, c.token);
  const [prize, refund, bond] = await read(
    chain.publicClient.readContract({
      address: chain.escrow,
      abi: arenaEscrowAbi,
      functionName: "claimableOf",
      args: [id, account.address],
    }),
    "reading what you can claim",
  );
  const steps: ["claimPrize" | "claimRefund" | "claimBond", bigint, string][] = [];
  if (opts.refund) steps.push(["claimRefund", refund, fmtAmount(refund, t)]);
  else {
    if (prize > 0n) steps.push(["claimPrize", prize, fmtAmount(prize, t)]);
    if (bond > 0n) steps.push(["claimBond", bond, fmtAmount(bond, { symbol: "ETH", decimals: 18 })]);
  }
  if (steps.length === 0) {
    const phase = await read(
      chain.publicClient.readContract({
        address: chain.escrow,
        abi: arenaEscrowAbi,
        functionName: "phaseOf",
        args: [id],
      }),
      "reading the phase",
    );
    const name = PHASES[phase] ?? String(phase);
    const when =
      name === "Proving" || name === "Open" || name === "AwaitingReveal"
        ? `prizes and refunds open when the challenge settles (prove deadline ${fmtTime(c.proveDeadline)})`
        : "`zkarena status` shows your entry";
    const hint =
      refund > 0n ? `; a refund of ${fmtAmount(refund, t)} is waiting: \`zkarena refund ${id}\`` : "";
    throw new CliError(
      `nothing to claim for ${account.address} in challenge ${id} in phase ${name}: ${when}${hint}`,
      EXIT.revert,
      { error: "NothingToClaim", phase: name },
    );
  }
  const txs: Record<string, unknown>[] = [];
  for (const [fn, amount, human] of steps) {
    const { receipt, tx } = await write(
      chain,
      account,
      { address: chain.escrow, abi: arenaEscrowAbi, functionName: fn, args: [id] },
      fn,
    );
    const evs = parseEventLogs({ abi: arenaEscrowAbi, logs: receipt.logs });
    const paid =
      evs
        .map((e) => ("amount" in e.args ? (e.args as { amount: bigint }).amount : null))
        .find((a) => a !== null) ?? amount;
    txs.push({ call: fn, amount: paid, tx });
    ctx.note(`${fn}: ${paid === amount ? human : paid.toString()} (tx ${tx.hash})`);
  }
  ctx.out(
    { challengeId: id.toString(), claims: txs },
    () =>
      `claimed from challenge ${id}: ${txs.map((x) => `${String(x.call)} ${String(x.amount)}`).join(", ")}`,
  );
}
