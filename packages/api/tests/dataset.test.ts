// Dataset custody on a real database (threats T1, T2, I1, A5, A6): train/public splits with hashes,
// the hidden split committed with a fresh salt and sealed, and canary rows that must never appear in
// any response, error message or log line before the chain has revealed the split at a final block.
import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createTestDb, type TestDb } from "@zkarena/db/testing";
import { BN254_R, MLP_SHAPES, hiddenSplitCommitment, verifyBatchProof, batchProof } from "@zkarena/zk";
import { arenaEscrowAbi } from "@zkarena/chain";
import { handleTrpcRequest } from "../src/http.ts";
import { REVEAL_EVENT } from "../src/services/release.ts";
import { setLogSink } from "../src/log.ts";
import { createSession } from "../src/services/session.ts";
import { alice, bob, callerFor, carol, expectTRPCError, lower, sessionFor, testEnv } from "./helpers.ts";
import type { Session } from "../src/trpc.ts";

const ci = MLP_SHAPES.ci; // D = 4, C = 3, N = 4, 4-bit inputs
const escrow = "0x5fbdb2315678afecb367f032d93f642f64180aa3";
const day = 86_400_000;

// Canary rows: feature patterns that appear nowhere else in this file's data.
const CANARIES = [
  [13, 1, 13, 7, 2],
  [14, 2, 14, 9, 1],
  [11, 3, 11, 5, 0],
];
const canaryStrings = CANARIES.flatMap((r) => [r.join(","), r.slice(0, 4).join(","), r.join(", ")]);
const filler = (i: number) => [i % 2, (i + 1) % 2, 0, i % 3, i % 3];
const HIDDEN_ROWS = [...CANARIES, ...Array.from({ length: 5 }, (_, i) => filler(i))]; // 8 rows = 2 batches
// A salt chosen "in the browser" (a canary too: it must never come back in a response or a log line).
const BROWSER_SALT = 0x1d2c3b4a_59687766_55443322_11009988_77665544_33221100_ffeeddccn;
const saltStrings = [
  BROWSER_SALT.toString(),
  BROWSER_SALT.toString(16),
  BROWSER_SALT.toString().slice(0, 24),
  BROWSER_SALT.toString(16).slice(0, 24),
];
const asSamples = (rows: number[][]) =>
  rows.map((r) => ({ x: r.slice(0, 4).map(BigInt), label: BigInt(r[4] as number) }));

let db: TestDb;
let aliceSession: Session;
let bobSession: Session;
let carolSession: Session;
let draftId: string; // alice's draft
let bobsId: string; // bob's draft
let saltedId: string; // alice's second draft, committed with the browser's salt
const captured: string[] = [];
let restoreLog: () => void;

async function seedChallenge(organiser: `0x${string}`, slug: string) {
  const c = await db.db.challenge.create({
    data: {
      slug,
      title: `Challenge ${slug}`,
      summary: "s",
      description: "d",
      task: "t",
      modelFamily: "MLP",
      circuitId: ci.id,
      organiserAddress: organiser,
      chainId: 31337,
      commitDeadline: new Date(Date.now() + day),
      revealDeadline: new Date(Date.now() + 2 * day),
      proveDeadline: new Date(Date.now() + 3 * day),
      payoutSharesBps: [10_000],
      minCorrect: 1,
    },
  });
  return c.id;
}

function record(value: unknown) {
  captured.push(
    typeof value === "string"
      ? value
      : JSON.stringify(value, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v)),
  );
}

/** Runs a call and records whatever comes back (result or error message) for the canary scan. */
async function observe<T>(p: Promise<T>): Promise<T | Error> {
  try {
    const r = await p;
    record(r);
    return r;
  } catch (e) {
    record(e instanceof Error ? `${e.name}: ${e.message} ${JSON.stringify(e.cause ?? null)}` : e);
    return e instanceof Error ? e : new Error(String(e));
  }
}

beforeAll(async () => {
  db = await createTestDb();
  restoreLog = setLogSink((level, event, fields) =>
    captured.push(JSON.stringify({ level, event, ...fields })),
  );
  for (const m of ["log", "info", "warn", "error", "debug"] as const) {
    vi.spyOn(console, m).mockImplementation((...args: unknown[]) => {
      captured.push(args.map(String).join(" "));
    });
  }
  aliceSession = await sessionFor(db, alice);
  bobSession = await sessionFor(db, bob);
  carolSession = await sessionFor(db, carol);
  draftId = await seedChallenge(lower(alice), "alice-draft");
  bobsId = await seedChallenge(lower(bob), "bob-draft");
  saltedId = await seedChallenge(lower(alice), "alice-salted-draft");
});

afterAll(async () => {
  restoreLog?.();
  vi.restoreAllMocks();
  await db?.close();
});

describe("dataset.upload (train and public splits)", () => {
  it("stores the split with its sha256 and serves it to anyone with the same hash", async () => {
    const { api } = await callerFor(db, { session: aliceSession });
    const rows = [
      [1, 2, 3, 4, 0],
      [5, 6, 7, 8, 1],
    ];
    const up = await api.dataset.upload({
      challengeId: draftId,
      kind: "PUBLIC",
      fileName: "public.json",
      samples: rows,
    });
    const { api: anon } = await callerFor(db);
    const down = await anon.dataset.download({ challengeId: draftId, kind: "PUBLIC" });
    expect(down.sha256).toBe(up.sha256);
    expect(`0x${createHash("sha256").update(down.content).digest("hex")}`).toBe(down.sha256);
    expect(JSON.parse(down.content)).toMatchObject({
      format: "zkarena-samples-v1",
      kind: "PUBLIC",
      samples: rows,
    });
  });

  it("is FORBIDDEN on someone else's challenge and UNAUTHORIZED without a session, writing nothing", async () => {
    const before = await db.db.datasetSplit.count();
    const input = {
      challengeId: bobsId,
      kind: "TRAIN" as const,
      fileName: "t.json",
      samples: [[1, 2, 3, 4, 0]],
    };
    await expectTRPCError(
      (await callerFor(db, { session: aliceSession })).api.dataset.upload(input),
      "FORBIDDEN",
    );
    await expectTRPCError((await callerFor(db)).api.dataset.upload(input), "UNAUTHORIZED");
    expect(await db.db.datasetSplit.count()).toBe(before);
  });

  it("rejects invalid input with BAD_REQUEST and no side effects (A6)", async () => {
    const { api } = await callerFor(db, { session: aliceSession });
    const before = await db.db.datasetSplit.count();
    const buckets = await db.db.rateLimitBucket.count();
    const ok = {
      challengeId: draftId,
      kind: "TRAIN" as const,
      fileName: "train.json",
      samples: [[1, 2, 3, 4, 0]],
    };
    const bad: unknown[] = [
      { ...ok, fileName: "../../etc/passwd" },
      { ...ok, fileName: "a/b.json" },
      { ...ok, fileName: "x".repeat(101) },
      { ...ok, challengeId: "1 OR 1=1" },
      { ...ok, kind: "HIDDEN" },
      { ...ok, samples: [] },
      { ...ok, samples: [[1, 2, 3, 4, 1.5]] },
      { ...ok, samples: [[1, 2, 3, 4, -1]] },
      { ...ok, samples: [[1, 2, 3, 4, 2 ** 256]] },
      { ...ok, extra: 1 },
    ];
    for (const input of bad) {
      // @ts-expect-error — deliberately invalid input
      await expectTRPCError(api.dataset.upload(input), "BAD_REQUEST");
    }
    // Valid types, wrong for the circuit (shape check after the organiser check).
    await expectTRPCError(
      api.dataset.upload({ ...ok, samples: [[1, 2, 3, 0]] }),
      "BAD_REQUEST",
      /4 features then its label/,
    );
    await expectTRPCError(
      api.dataset.upload({ ...ok, samples: [[16, 2, 3, 4, 0]] }),
      "BAD_REQUEST",
      /\[0, 15\]/,
    );
    await expectTRPCError(
      api.dataset.upload({ ...ok, samples: [[1, 2, 3, 4, 3]] }),
      "BAD_REQUEST",
      /class in \[0, 2\]/,
    );
    expect(await db.db.datasetSplit.count()).toBe(before);
    // zod refusals never reach the rate limiter's table either.
    expect(await db.db.rateLimitBucket.count()).toBeLessThanOrEqual(buckets + 2);
  });
});

describe("dataset.uploadHidden", () => {
  it("refuses a split that is not a whole number of batches, without echoing any value", async () => {
    const { api } = await callerFor(db, { session: aliceSession });
    const error = await expectTRPCError(
      api.dataset.uploadHidden({ challengeId: draftId, samples: HIDDEN_ROWS.slice(0, 6) }),
      "BAD_REQUEST",
      /not a multiple of the circuit's batch size 4: drop 2 or add 2/,
    );
    record(error.message);
    const bad = await observe(
      api.dataset.uploadHidden({
        challengeId: draftId,
        samples: [...HIDDEN_ROWS.slice(0, 7), [13, 1, 13, 7, 9]],
      }),
    );
    expect(bad).toBeInstanceOf(Error);
    expect((bad as Error).message).toMatch(/samples\[7\]'s label is not a class in \[0, 2\]/);
    expect(await db.db.datasetSplit.count({ where: { kind: "HIDDEN" } })).toBe(0);
  });

  it("is FORBIDDEN for another organiser and UNAUTHORIZED without a session", async () => {
    await expectTRPCError(
      (await callerFor(db, { session: bobSession })).api.dataset.uploadHidden({
        challengeId: draftId,
        samples: HIDDEN_ROWS,
      }),
      "FORBIDDEN",
    );
    await expectTRPCError(
      (await callerFor(db)).api.dataset.uploadHidden({ challengeId: draftId, samples: HIDDEN_ROWS }),
      "UNAUTHORIZED",
    );
    expect(await db.db.datasetSplit.count({ where: { kind: "HIDDEN" } })).toBe(0);
  });

  it("commits with a fresh salt each time (T2) and stores only ciphertext", async () => {
    const { api } = await callerFor(db, { session: aliceSession });
    const first = await observe(api.dataset.uploadHidden({ challengeId: draftId, samples: HIDDEN_ROWS }));
    const second = await observe(api.dataset.uploadHidden({ challengeId: draftId, samples: HIDDEN_ROWS }));
    if (first instanceof Error || second instanceof Error) throw first instanceof Error ? first : second;
    expect(second.batchCount).toBe(2);
    expect(second.batchCommitments).toHaveLength(2);
    expect(second.testCommitment).not.toBe(first.testCommitment); // same data, new salt
    expect(second.batchCommitments[0]).not.toBe(first.batchCommitments[0]);
    // The batch root is what the escrow checks batch proofs against.
    const cs = second.batchCommitments.map((c) => BigInt(c));
    expect(
      verifyBatchProof(second.testCommitment as `0x${string}`, 1, cs[1] as bigint, batchProof(cs, 1)),
    ).toBe(true);
    const challenge = await db.db.challenge.findUniqueOrThrow({ where: { id: draftId } });
    expect(challenge.testCommitment).toBe(second.testCommitment);

    // "DB dump": every column of every row as PostgreSQL renders it.
    const dump = await db.db.$queryRaw<{ row: string }[]>`
      SELECT row_to_json(d)::text AS row FROM "DatasetSplit" d WHERE d."kind" = 'HIDDEN'`;
    expect(dump).toHaveLength(1);
    const text = dump[0]?.row ?? "";
    for (const canary of canaryStrings) expect(text).not.toContain(canary);
    const split = await db.db.datasetSplit.findFirstOrThrow({
      where: { kind: "HIDDEN", challengeId: draftId },
    });
    expect(split.content).toBeNull();
    expect(split.ciphertext?.byteLength).toBeGreaterThan(100);
    expect(split.wrappedKey?.byteLength).toBe(60);
    const raw = Buffer.from(split.ciphertext ?? new Uint8Array());
    for (const canary of canaryStrings) expect(raw.includes(Buffer.from(canary))).toBe(false);
    expect(raw.includes(Buffer.from("samples"))).toBe(false);
  });

  it("commits with the organiser's salt to exactly hiddenSplitCommitment's root, and checks the expected one", async () => {
    const { api } = await callerFor(db, { session: aliceSession });
    const expected = await hiddenSplitCommitment(asSamples(HIDDEN_ROWS), BROWSER_SALT, ci.shape);
    const out = await observe(
      api.dataset.uploadHidden({
        challengeId: saltedId,
        samples: HIDDEN_ROWS,
        testSalt: BROWSER_SALT.toString(),
        // As the browser shows it: decimal.
        expectedTestCommitment: BigInt(expected.root).toString(),
      }),
    );
    if (out instanceof Error) throw out;
    expect(out.testCommitment).toBe(expected.root);
    expect(out.batchCount).toBe(expected.batchCount);
    expect(out.batchCommitments.map((c) => BigInt(c))).toEqual(expected.commitments);
    const challenge = await db.db.challenge.findUniqueOrThrow({ where: { id: saltedId } });
    expect(challenge.testCommitment).toBe(expected.root);
    const split = await db.db.datasetSplit.findUniqueOrThrow({
      where: { challengeId_kind: { challengeId: saltedId, kind: "HIDDEN" } },
    });
    expect(split.commitment).toBe(expected.root);
    // The same salt again (0x-hex expected commitment this time): the same commitment.
    const again = await observe(
      api.dataset.uploadHidden({
        challengeId: saltedId,
        samples: HIDDEN_ROWS,
        testSalt: BROWSER_SALT.toString(),
        expectedTestCommitment: expected.root,
      }),
    );
    if (again instanceof Error) throw again;
    expect(again.testCommitment).toBe(expected.root);
    // Stored sealed: neither the salt nor a canary in any column.
    const dump = await db.db.$queryRaw<{ row: string }[]>`
      SELECT row_to_json(d)::text AS row FROM "DatasetSplit" d WHERE d."challengeId" = ${saltedId}::uuid`;
    for (const needle of [...saltStrings, ...canaryStrings]) expect(dump[0]?.row).not.toContain(needle);
  });

  it("refuses a split whose commitment is not the expected one and stores nothing", async () => {
    const { api } = await callerFor(db, { session: aliceSession });
    const before = await db.db.datasetSplit.findUniqueOrThrow({
      where: { challengeId_kind: { challengeId: saltedId, kind: "HIDDEN" } },
    });
    // What the browser committed to: one label differs from what is uploaded.
    const shown = await hiddenSplitCommitment(
      asSamples([...HIDDEN_ROWS.slice(0, 7), [1, 1, 1, 1, 1]]),
      BROWSER_SALT,
      ci.shape,
    );
    const error = await expectTRPCError(
      api.dataset.uploadHidden({
        challengeId: saltedId,
        samples: [...HIDDEN_ROWS.slice(0, 7), [1, 1, 1, 1, 2]],
        testSalt: BROWSER_SALT.toString(),
        expectedTestCommitment: shown.root,
      }),
      "BAD_REQUEST",
      /is not the expected test commitment .*Nothing was stored/,
    );
    record(error.message);
    // The right samples with another salt: refused too.
    await expectTRPCError(
      api.dataset.uploadHidden({
        challengeId: saltedId,
        samples: HIDDEN_ROWS,
        testSalt: (BROWSER_SALT + 1n).toString(),
        expectedTestCommitment: before.commitment ?? "",
      }),
      "BAD_REQUEST",
      /is not the expected test commitment/,
    );
    // An expected commitment with a fresh (server) salt cannot match either.
    await expectTRPCError(
      api.dataset.uploadHidden({
        challengeId: saltedId,
        samples: HIDDEN_ROWS,
        expectedTestCommitment: before.commitment ?? "",
      }),
      "BAD_REQUEST",
      /is not the expected test commitment/,
    );
    const after = await db.db.datasetSplit.findUniqueOrThrow({
      where: { challengeId_kind: { challengeId: saltedId, kind: "HIDDEN" } },
    });
    expect(after).toEqual(before);
    const challenge = await db.db.challenge.findUniqueOrThrow({ where: { id: saltedId } });
    expect(challenge.testCommitment).toBe(before.commitment);
  });

  it("refuses a salt that is not a field element (≥ r, negative, hex, leading zeros) with nothing written", async () => {
    const { api } = await callerFor(db, { session: aliceSession });
    const before = await db.db.datasetSplit.findUniqueOrThrow({
      where: { challengeId_kind: { challengeId: saltedId, kind: "HIDDEN" } },
    });
    for (const testSalt of [
      BN254_R.toString(),
      (BN254_R + 5n).toString(),
      (1n << 256n).toString(),
      "-1",
      "0x1f",
      "007",
      "",
    ]) {
      const error = await expectTRPCError(
        api.dataset.uploadHidden({ challengeId: saltedId, samples: HIDDEN_ROWS, testSalt }),
        "BAD_REQUEST",
        /testSalt/,
      );
      record(error.message);
    }
    for (const expectedTestCommitment of [(1n << 256n).toString(), "0x12", "commitment"]) {
      await expectTRPCError(
        api.dataset.uploadHidden({ challengeId: saltedId, samples: HIDDEN_ROWS, expectedTestCommitment }),
        "BAD_REQUEST",
        /expectedTestCommitment/,
      );
    }
    const after = await db.db.datasetSplit.findUniqueOrThrow({
      where: { challengeId_kind: { challengeId: saltedId, kind: "HIDDEN" } },
    });
    expect(after).toEqual(before);
  });

  it("refuses a new hidden split once the challenge is on-chain", async () => {
    await db.db.challenge.update({ where: { id: bobsId }, data: { state: "OPEN" } });
    await expectTRPCError(
      (await callerFor(db, { session: bobSession })).api.dataset.uploadHidden({
        challengeId: bobsId,
        samples: HIDDEN_ROWS,
      }),
      "CONFLICT",
      /fixed once the challenge is on-chain/,
    );
    await db.db.challenge.update({ where: { id: bobsId }, data: { state: "DRAFT" } });
  });
});

describe("hidden split custody before and after release (T1, I1)", () => {
  async function everyDownloadPath(expectReleased: boolean) {
    const callers = [
      await callerFor(db),
      await callerFor(db, { session: aliceSession }), // its own organiser
      await callerFor(db, { session: bobSession }), // another organiser
      await callerFor(db, { session: carolSession }),
    ];
    for (const { api } of callers) {
      const r = await observe(api.dataset.download({ challengeId: draftId, kind: "HIDDEN" }));
      expect(r instanceof Error).toBe(!expectReleased);
      if (!expectReleased) expect((r as Error).message).toMatch(/released only after/);
      await observe(api.dataset.list({ challengeId: draftId }));
      await observe(api.challenge.bySlug({ slug: "alice-draft" }));
      await observe(api.challenge.list());
      // Guessable ids and names: other kinds, other challenges, random ids, path-like kinds.
      await observe(api.dataset.download({ challengeId: draftId, kind: "TRAIN" }));
      await observe(api.dataset.download({ challengeId: bobsId, kind: "HIDDEN" }));
      await observe(
        api.dataset.download({ challengeId: "00000000-0000-4000-8000-000000000000", kind: "HIDDEN" }),
      );
      // @ts-expect-error — deliberately invalid input
      await observe(api.dataset.download({ challengeId: draftId, kind: "../HIDDEN" }));
      // @ts-expect-error — deliberately invalid input
      await observe(api.dataset.download({ challengeId: draftId, kind: "hidden" }));
      await observe(api.dataset.download({ challengeId: `${draftId}/../hidden-split.json`, kind: "HIDDEN" }));
    }
    // The HTTP path (what a browser or curl sees, error formatting included).
    for (const path of [
      `dataset.download?input=${encodeURIComponent(JSON.stringify({ json: { challengeId: draftId, kind: "HIDDEN" } }))}`,
      `dataset.list?input=${encodeURIComponent(JSON.stringify({ json: { challengeId: draftId } }))}`,
      `dataset.download?input=${encodeURIComponent(JSON.stringify({ json: { challengeId: draftId, kind: "HIDDEN", x: 1 } }))}`,
      "dataset.download?input=%7Bnot%20json",
    ]) {
      const res = await handleTrpcRequest(new Request(`http://arena.test:3000/api/trpc/${path}`), {
        endpoint: "/api/trpc",
        env: testEnv(),
        context: { db, chain: null },
      });
      record(`${res.status} ${await res.text()}`);
    }
  }

  function expectNoCanary() {
    const all = captured.join("\n");
    for (const canary of canaryStrings) expect(all, `canary ${canary} leaked`).not.toContain(canary);
  }

  let preRelease = "";

  it("serves it to nobody while the challenge is not on-chain, with no canary anywhere", async () => {
    await everyDownloadPath(false);
    expectNoCanary();
  });

  it("stays sealed for a reveal that is not final, not canonical, or for another challenge or escrow", async () => {
    await db.db.challenge.update({
      where: { id: draftId },
      data: { state: "OPEN", escrowAddress: escrow, onchainId: 7 },
    });
    const event = (
      over: Partial<{ address: string; id: string; block: bigint; hash: string; log: number }>,
    ) =>
      db.db.chainEvent.create({
        data: {
          chainId: 31337,
          address: over.address ?? escrow,
          blockNumber: over.block ?? 20n,
          blockHash: over.hash ?? `0x${"20".repeat(32)}`,
          txHash: `0x${(over.log ?? 0).toString(16).padStart(64, "a")}`,
          txIndex: 0,
          logIndex: over.log ?? 0,
          eventName: "TestSetRevealed",
          args: { id: over.id ?? "7", uri: "https://arena.test/api/datasets" },
        },
      });
    // Revealed for another challenge, and by another escrow (spoofed emitter), both final.
    await event({ id: "8", block: 5n, hash: `0x${"05".repeat(32)}`, log: 1 });
    await event({
      address: "0x000000000000000000000000000000000000dead",
      block: 5n,
      hash: `0x${"05".repeat(32)}`,
      log: 2,
    });
    await db.db.indexedBlock.create({
      data: {
        chainId: 31337,
        number: 5n,
        hash: `0x${"05".repeat(32)}`,
        parentHash: `0x${"04".repeat(32)}`,
        timestamp: new Date(),
      },
    });
    await db.db.indexerCursor.create({
      data: {
        chainId: 31337,
        address: escrow,
        blockNumber: 30n,
        blockHash: `0x${"30".repeat(32)}`,
        finalizedBlockNumber: 19n,
      },
    });
    await everyDownloadPath(false);

    // The real reveal at block 20: seen, but above the final block 19.
    await event({ block: 20n, hash: `0x${"20".repeat(32)}`, log: 3 });
    await db.db.indexedBlock.create({
      data: {
        chainId: 31337,
        number: 20n,
        hash: `0x${"21".repeat(32)}`,
        parentHash: `0x${"19".repeat(32)}`,
        timestamp: new Date(),
      },
    });
    await everyDownloadPath(false);

    // Final now, but the indexed block at height 20 has another hash (the event row is stale: reorged out).
    await db.db.indexerCursor.update({
      where: { chainId_address: { chainId: 31337, address: escrow } },
      data: { finalizedBlockNumber: 25n },
    });
    const { api } = await callerFor(db);
    const stale = await observe(api.dataset.download({ challengeId: draftId, kind: "HIDDEN" }));
    expect((stale as Error).message).toMatch(/not on the canonical chain/);
    expectNoCanary();
    expect(await db.db.datasetSplit.count({ where: { releasedAt: { not: null } } })).toBe(0);
    preRelease = captured.join("\n");
  });

  it("releases it to anyone once the reveal is final and canonical; the salt and data check against the commitment", async () => {
    await db.db.indexedBlock.update({
      where: { chainId_number: { chainId: 31337, number: 20n } },
      data: { hash: `0x${"20".repeat(32)}` },
    });
    const { api } = await callerFor(db, { session: carolSession });
    const down = await api.dataset.download({ challengeId: draftId, kind: "HIDDEN" });
    expect(`0x${createHash("sha256").update(down.content).digest("hex")}`).toBe(down.sha256);
    const doc = JSON.parse(down.content) as {
      testSalt: string;
      testCommitment: string;
      batchCount: number;
      samples: number[][];
    };
    expect(doc.samples).toEqual(HIDDEN_ROWS);
    const salt = BigInt(doc.testSalt);
    expect(salt).toBeLessThan(BN254_R);
    const recomputed = await hiddenSplitCommitment(
      doc.samples.map((r) => ({ x: r.slice(0, 4).map(BigInt), label: BigInt(r[4] as number) })),
      salt,
      ci.shape,
    );
    expect(recomputed.root).toBe(doc.testCommitment);
    const challenge = await db.db.challenge.findUniqueOrThrow({ where: { id: draftId } });
    expect(challenge.testCommitment).toBe(doc.testCommitment);
    expect(await db.db.datasetSplit.count({ where: { releasedAt: { not: null } } })).toBe(1);
    const listed = await api.dataset.list({ challengeId: draftId });
    expect(listed.find((s) => s.kind === "HIDDEN")).toMatchObject({ released: true, sha256: down.sha256 });

    // Nothing before the release carried the salt either.
    expect(preRelease).not.toContain(doc.testSalt);
    expect(preRelease).not.toContain(down.sha256);
  });

  it("refuses a tampered ciphertext or a row moved to another challenge instead of decrypting it", async () => {
    const split = await db.db.datasetSplit.findFirstOrThrow({
      where: { kind: "HIDDEN", challengeId: draftId },
    });
    const flipped = Buffer.from(split.ciphertext ?? new Uint8Array());
    flipped[0] = (flipped[0] ?? 0) ^ 1;
    await db.db.datasetSplit.update({
      where: { id: split.id },
      data: { ciphertext: new Uint8Array(flipped) },
    });
    const { api } = await callerFor(db);
    const error = await observe(api.dataset.download({ challengeId: draftId, kind: "HIDDEN" }));
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).not.toMatch(/13,1/);
    await db.db.datasetSplit.update({ where: { id: split.id }, data: { ciphertext: split.ciphertext } });
  });
});

describe("download rate limit (A7)", () => {
  it("answers TOO_MANY_REQUESTS once an IP exceeds its download burst", async () => {
    const env = testEnv({ RATE_LIMIT_DOWNLOAD_PER_MINUTE: "2" });
    const { api } = await callerFor(db, { env, clientIp: "198.51.100.77" });
    await api.dataset.download({ challengeId: draftId, kind: "PUBLIC" });
    await api.dataset.download({ challengeId: draftId, kind: "PUBLIC" });
    await expectTRPCError(
      api.dataset.download({ challengeId: draftId, kind: "PUBLIC" }),
      "TOO_MANY_REQUESTS",
      /Retry after/,
    );
  });
});

describe("the release gate's event", () => {
  it("is the escrow's reveal event, with the challenge id as `id` (the indexer stores args by name)", () => {
    const event = arenaEscrowAbi.find((item) => item.type === "event" && item.name === REVEAL_EVENT);
    expect(event, `ArenaEscrow has no event ${REVEAL_EVENT}: update services/release.ts`).toBeDefined();
    expect(event && "inputs" in event ? event.inputs.map((i) => i.name) : []).toContain("id");
  });
});

describe("the organiser's salt (T1)", () => {
  it("never appears in a response, an error (HTTP included) or a log line", async () => {
    // Over HTTP, as the web app's browser sends it: a good upload, a mismatch and a salt ≥ r.
    const env = testEnv();
    const { token } = await createSession(db.db, env, {
      address: lower(alice),
      chainId: env.CHAIN_ID,
      ttlSeconds: 600,
      userAgent: null,
    });
    const expected = await hiddenSplitCommitment(asSamples(HIDDEN_ROWS), BROWSER_SALT, ci.shape);
    const statuses: number[] = [];
    for (const [testSalt, expectedTestCommitment] of [
      [BROWSER_SALT.toString(), expected.root],
      [BROWSER_SALT.toString(), `0x${"11".repeat(32)}`],
      [(BN254_R + BROWSER_SALT).toString(), expected.root],
    ] as const) {
      const res = await handleTrpcRequest(
        new Request("http://arena.test:3000/api/trpc/dataset.uploadHidden", {
          method: "POST",
          headers: {
            "content-type": "application/json",
            origin: "http://arena.test:3000",
            cookie: `zkarena_session=${token}`,
          },
          body: JSON.stringify({
            json: { challengeId: saltedId, samples: HIDDEN_ROWS, testSalt, expectedTestCommitment },
          }),
        }),
        { endpoint: "/api/trpc", env, context: { db, chain: null } },
      );
      statuses.push(res.status);
      record(`${res.status} ${await res.text()}`);
    }
    expect(statuses).toEqual([200, 400, 400]);
    const all = captured.join("\n");
    expect(all).toContain(expected.root); // the scan reads what the uploads answered
    for (const needle of saltStrings)
      expect(all, `the salt (${needle.slice(0, 6)}…) leaked`).not.toContain(needle);
  });
});
