// REST + OpenAPI over real HTTP (a Node server on a free loopback port, plain fetch, no tRPC client):
// what a Python data scientist does — read the document, list challenges, read a leaderboard, sign in
// with Ethereum through /auth/nonce and /auth/verify, submit a public-split proof, poll its status.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDb, type TestDb } from "@zkarena/db/testing";
import { testCommitment } from "@zkarena/zk";
import { handleOpenApiRequest, handleRestRequest } from "../src/rest.ts";
import { serveFetch, type ServedHandler } from "../src/node-server.ts";
import {
  challengeListSchema,
  proofDetailSchema,
  publicLeaderboardSchema,
  submittedProofSchema,
} from "../src/rest-schemas.ts";
import { alice, carol, lower, siweMessage, testEnv } from "./helpers.ts";
import { CI_SHAPE, seedCommitment, seedOnchainChallenge, type SeededChallenge } from "./fixtures.ts";

let db: TestDb;
let server: ServedHandler;
let challenge: SeededChallenge;
const env = testEnv();

const get = (path: string, headers: Record<string, string> = {}) =>
  fetch(`${server.url}${path}`, { headers });
const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${server.url}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });

type OpenApi = {
  openapi: string;
  paths: Record<
    string,
    Record<
      string,
      {
        operationId: string;
        parameters?: { name: string; in: string; schema: Record<string, unknown> }[];
        requestBody?: {
          content: Record<string, { schema: { properties: Record<string, unknown>; required: string[] } }>;
        };
      }
    >
  >;
};

beforeAll(async () => {
  db = await createTestDb();
  challenge = await seedOnchainChallenge(db, lower(carol));
  await seedCommitment(db, challenge.id, lower(alice), 4242n);
  server = await serveFetch((req) =>
    new URL(req.url).pathname === "/api/openapi.json"
      ? handleOpenApiRequest(req)
      : handleRestRequest(req, { prefix: "/api/v1", env, context: { db, chain: null, escrow: null } }),
  );
});

afterAll(async () => {
  await server?.close();
  await db?.close();
});

describe("GET /api/openapi.json", () => {
  it("describes every route from the procedures' input schemas", async () => {
    const res = await get("/api/openapi.json");
    expect(res.status).toBe(200);
    const doc = (await res.json()) as OpenApi & { servers: { url: string }[] };
    expect(doc.openapi).toBe("3.1.0");
    expect(doc.servers[0]?.url).toBe(`${server.url}/api/v1`);
    const list = doc.paths["/challenges"]?.get;
    expect(list?.operationId).toBe("challenge_list");
    const limit = list?.parameters?.find((p) => p.name === "limit");
    expect(limit).toMatchObject({ in: "query", schema: { type: "integer", minimum: 1, maximum: 50 } });
    const submit = doc.paths["/challenges/{challengeId}/proofs"]?.post;
    expect(submit?.parameters?.map((p) => [p.name, p.in])).toEqual([["challengeId", "path"]]);
    const body = submit?.requestBody?.content["application/json"]?.schema;
    expect(Object.keys(body?.properties ?? {}).sort()).toEqual(["batchIndex", "proof", "publicSignals"]);
    expect(body?.required.sort()).toEqual(["proof", "publicSignals"]);
    const ok = (
      list as unknown as {
        responses: Record<string, { content: Record<string, { schema: { properties?: object } }> }>;
      }
    ).responses["200"]?.content["application/json"]?.schema;
    expect(Object.keys(ok?.properties ?? {})).toEqual(["items", "nextCursor"]);
  });
});

describe("/api/v1 reads", () => {
  it("lists challenges with query parameters converted to the schema's types", async () => {
    const res = await get("/api/v1/challenges?limit=5&state=OPEN");
    expect(res.status).toBe(200);
    // The documented response schema parses the real response (strict: no missing or extra fields).
    const page = challengeListSchema.parse(await res.json());
    expect(page.items.map((c) => c.slug)).toEqual([challenge.slug]);
    expect(new Date(page.items[0]?.commitDeadline ?? "").getTime()).toBeGreaterThan(Date.now());
  });

  it("reads a challenge, its public batches and its public leaderboard", async () => {
    const detail = (await (await get(`/api/v1/challenges/${challenge.id}`)).json()) as {
      slug: string;
      pot: { source: string };
    };
    expect(detail.slug).toBe(challenge.slug);
    expect(detail.pot.source).toBe("unavailable"); // no chain in this test: never the cache
    const bySlug = await get(`/api/v1/challenges/by-slug/${challenge.slug}`);
    expect(((await bySlug.json()) as { id: string }).id).toBe(challenge.id);
    const batches = (await (await get(`/api/v1/challenges/${challenge.id}/public-batches`)).json()) as {
      batches: { commitment: string }[];
    };
    expect(batches.batches).toHaveLength(1);
    const board = await get(`/api/v1/challenges/${challenge.id}/leaderboard/public?limit=10`);
    expect(board.status).toBe(200);
    expect(publicLeaderboardSchema.parse(await board.json())).toMatchObject({ rows: [], competitors: 0 });
  });

  it("answers invalid input with 400 and the problems, unknown paths 404, wrong methods 405", async () => {
    const bad = await get("/api/v1/challenges?limit=0&colour=red");
    expect(bad.status).toBe(400);
    const error = ((await bad.json()) as { error: { code: string; message: string; issues: unknown[] } })
      .error;
    expect(error.code).toBe("BAD_REQUEST");
    expect(error.message).toMatch(/limit must be between 1 and 50/);
    expect(error.issues.length).toBeGreaterThan(0);
    expect((await get("/api/v1/nothing-here")).status).toBe(404);
    expect((await get(`/api/v1/challenges/${challenge.id}/proofs`)).status).toBe(405);
    expect((await get("/api/v1/proofs/not-a-uuid")).status).toBe(400);
    expect((await get("/api/v1/proofs/00000000-0000-4000-8000-000000000000")).status).toBe(404);
  });
});

describe("POST /api/v1/challenges/{id}/proofs", () => {
  it("needs a session (401), refuses cross-site writes (403), then accepts a proof after SIWE sign-in over REST", async () => {
    const commitment = await testCommitment(CI_SHAPE, challenge.publicSamples.slice(0, 4), 0n);
    const body = {
      proof: {
        pi_a: ["1", "2", "1"],
        pi_b: [
          ["3", "4"],
          ["5", "6"],
          ["1", "0"],
        ],
        pi_c: ["7", "8", "1"],
        protocol: "groth16",
        curve: "bn128",
      },
      publicSignals: [
        "4242",
        commitment.toString(),
        "2",
        challenge.onchainId.toString(),
        BigInt(lower(alice)).toString(),
      ],
    };
    const path = `/api/v1/challenges/${challenge.id}/proofs`;
    const anon = await post(path, body);
    expect(anon.status).toBe(401);
    expect(((await anon.json()) as { error: { message: string } }).error.message).toMatch(/Sign in/);

    const nonce = (await (await post("/api/v1/auth/nonce", undefined)).json()) as { nonce: string };
    const message = siweMessage(alice, nonce.nonce);
    const verified = await post("/api/v1/auth/verify", {
      message,
      signature: await alice.signMessage({ message }),
    });
    expect(verified.status).toBe(200);
    const cookie = /^(zkarena_session=[^;]+)/.exec(verified.headers.get("set-cookie") ?? "")?.[1] ?? "";
    expect(cookie).not.toBe("");

    const crossSite = await post(path, body, { cookie, origin: "https://evil.example" });
    expect(crossSite.status).toBe(403);
    expect(await db.db.proof.count()).toBe(0);

    const accepted = await post(path, body, { cookie });
    expect(accepted.status).toBe(200);
    const proof = submittedProofSchema.parse(await accepted.json());
    expect(proof).toMatchObject({ status: "PENDING", correct: 2 });
    const status = proofDetailSchema.parse(await (await get(`/api/v1/proofs/${proof.id}`)).json());
    expect(status.status).toBe("PENDING");
    expect(status.publicSignals).toEqual(body.publicSignals);
    const mine = (await (await get("/api/v1/me/submissions", { cookie })).json()) as {
      proofs: { id: string }[];
    };
    expect(mine.proofs.map((p) => p.id)).toEqual([proof.id]);

    const invalid = await post(path, { ...body, publicSignals: body.publicSignals.slice(0, 3) }, { cookie });
    expect(invalid.status).toBe(400);
    expect(await db.db.proof.count()).toBe(1);
  });
});
