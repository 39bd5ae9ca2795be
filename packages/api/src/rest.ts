// REST over the same procedures, and its OpenAPI 3.1 document, for clients without a tRPC client (a
// Python data scientist, curl). Each route below names a procedure; its input schema (the very zod
// schema the procedure validates with) becomes the route's parameters / request body through zod's
// own JSON Schema generator, and the request runs through the procedure with the same context,
// authorisation, rate limits and errors as tRPC. Plain JSON in and out (no superjson): dates are ISO
// strings, token amounts and uint256 values decimal strings.
//
//   GET  /api/openapi.json                      the document
//   GET  /api/v1/challenges?state=OPEN&limit=20  challenge.list   (see ROUTES for the rest)
//
// Errors: `{ "error": { "code": "BAD_REQUEST", "message": "…", "issues": […] } }` with the HTTP status
// of the tRPC code (400, 401, 403, 404, 409, 412, 413, 429 + Retry-After, 503).
import { TRPCError } from "@trpc/server";
import { getHTTPStatusCodeFromError } from "@trpc/server/http";
import { ZodError, z, type ZodType } from "zod";
import packageJson from "../package.json" with { type: "json" };
import { apiEnv, type ApiEnv } from "./env.ts";
import { BodyTooLarge, POLLUTION_KEY, clientIpFrom, readLimited, type HandleOptions } from "./http.ts";
import { log } from "./log.ts";
import { appRouter, createCaller } from "./root.ts";
import { RESPONSE_SCHEMAS } from "./rest-schemas.ts";
import { SESSION_COOKIE } from "./services/session.ts";
import { createTRPCContext, describeZodError } from "./trpc.ts";

export interface RestRoute {
  method: "GET" | "POST";
  /** Under /api/v1, with {params}. */
  path: string;
  procedure: string;
  tag: string;
  summary: string;
  /** Needs a session cookie. */
  auth?: boolean;
}

export const ROUTES: readonly RestRoute[] = [
  {
    method: "GET",
    path: "/challenges",
    procedure: "challenge.list",
    tag: "challenges",
    summary: "List challenges (filters: state, token, family, search; cursor pagination)",
  },
  {
    method: "GET",
    path: "/challenges/{id}",
    procedure: "challenge.byId",
    tag: "challenges",
    summary: "A challenge with its on-chain timeline and pot (the pot read from the escrow)",
  },
  {
    method: "GET",
    path: "/challenges/by-slug/{slug}",
    procedure: "challenge.bySlug",
    tag: "challenges",
    summary: "A challenge by its URL slug",
  },
  {
    method: "GET",
    path: "/challenges/{challengeId}/datasets",
    procedure: "dataset.list",
    tag: "datasets",
    summary: "The challenge's data splits with sizes and sha256 hashes",
  },
  {
    method: "GET",
    path: "/challenges/{challengeId}/datasets/{kind}",
    procedure: "dataset.download",
    tag: "datasets",
    summary: "Download a split (TRAIN, PUBLIC; HIDDEN only after its final on-chain reveal)",
  },
  {
    method: "GET",
    path: "/challenges/{challengeId}/public-batches",
    procedure: "submission.publicBatches",
    tag: "submissions",
    summary: "The public split's batches and their commitments (test salt 0): what a public proof must prove",
  },
  {
    method: "GET",
    path: "/challenges/{challengeId}/sponsors",
    procedure: "sponsor.byChallenge",
    tag: "sponsors",
    summary: "Pot, deposits and refunds owed per sponsor, read from the escrow",
  },
  {
    method: "GET",
    path: "/challenges/{challengeId}/leaderboard/public",
    procedure: "leaderboard.public",
    tag: "leaderboards",
    summary: "Live public-split leaderboard from server-verified proofs",
  },
  {
    method: "GET",
    path: "/challenges/{challengeId}/leaderboard/hidden",
    procedure: "leaderboard.hidden",
    tag: "leaderboards",
    summary: "Hidden-split leaderboard (what pays) from the escrow",
  },
  {
    method: "POST",
    path: "/challenges/{challengeId}/proofs",
    procedure: "submission.submitPublicProof",
    tag: "submissions",
    summary: "Submit a public-split proof (snarkjs proof + public signals) for verification",
    auth: true,
  },
  {
    method: "GET",
    path: "/proofs/{id}",
    procedure: "submission.byId",
    tag: "submissions",
    summary: "A proof: status (PENDING, VERIFIED, REJECTED, FAILED, ACCEPTED), error, attempts, signals",
  },
  {
    method: "GET",
    path: "/sponsors/{address}",
    procedure: "sponsor.bySponsor",
    tag: "sponsors",
    summary: "A sponsor's challenges with deposit and refund owed, read from the escrow",
  },
  {
    method: "GET",
    path: "/competitors/{address}",
    procedure: "leaderboard.competitor",
    tag: "leaderboards",
    summary: "A competitor's profile: challenges, wins, earnings",
  },
  {
    method: "GET",
    path: "/competitors/{address}/submissions",
    procedure: "submission.byCompetitor",
    tag: "submissions",
    summary: "A competitor's commitments and proofs",
  },
  {
    method: "GET",
    path: "/me/submissions",
    procedure: "submission.mine",
    tag: "submissions",
    summary: "The signed-in competitor's commitments and proofs",
    auth: true,
  },
  {
    method: "POST",
    path: "/auth/nonce",
    procedure: "auth.nonce",
    tag: "auth",
    summary: "Start Sign-In with Ethereum: a nonce and the values the message must carry",
  },
  {
    method: "POST",
    path: "/auth/verify",
    procedure: "auth.verify",
    tag: "auth",
    summary: "Finish sign-in with the signed ERC-4361 message; sets the session cookie",
  },
  {
    method: "GET",
    path: "/auth/me",
    procedure: "auth.me",
    tag: "auth",
    summary: "The signed-in address, or null",
  },
  {
    method: "POST",
    path: "/auth/sign-out",
    procedure: "auth.signOut",
    tag: "auth",
    summary: "Revoke the session",
    auth: true,
  },
  {
    method: "GET",
    path: "/status",
    procedure: "status.get",
    tag: "status",
    summary: "Health of the database, the chain and the contracts",
  },
];

type AnyProcedure = { _def: { inputs: ZodType[]; type: "query" | "mutation" } };

function procedureDef(path: string): AnyProcedure["_def"] {
  const p = (appRouter._def.procedures as unknown as Record<string, AnyProcedure | undefined>)[path];
  if (!p) throw new Error(`REST route names an unknown procedure ${path}`);
  return p._def;
}

type JsonSchema = {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  anyOf?: JsonSchema[];
  default?: unknown;
  [k: string]: unknown;
};

/** The procedure's input as JSON Schema (input side: before transforms), or null without input. */
function inputSchema(path: string): JsonSchema | null {
  const schema = procedureDef(path).inputs[0];
  if (!schema) return null;
  const json = z.toJSONSchema(schema, {
    io: "input",
    unrepresentable: "any",
    target: "draft-2020-12",
  }) as JsonSchema;
  delete json.$schema;
  return json;
}

const pathParams = (path: string) => [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1] as string);

const errorSchema = {
  type: "object",
  required: ["error"],
  properties: {
    error: {
      type: "object",
      required: ["code", "message"],
      properties: {
        code: {
          type: "string",
          examples: [
            "BAD_REQUEST",
            "UNAUTHORIZED",
            "FORBIDDEN",
            "NOT_FOUND",
            "CONFLICT",
            "TOO_MANY_REQUESTS",
            "SERVICE_UNAVAILABLE",
          ],
        },
        message: { type: "string", description: "What went wrong and what to do." },
        issues: {
          type: "array",
          items: { type: "object" },
          description: "Invalid input: one entry per problem (path, message).",
        },
      },
    },
  },
};

let documentCache: Record<string, unknown> | null = null;

/** The OpenAPI 3.1 document of ROUTES. `serverUrl` is the API's origin (e.g. https://arena.example). */
export function openApiDocument(serverUrl?: string): Record<string, unknown> {
  documentCache ??= buildDocument();
  return serverUrl
    ? { ...documentCache, servers: [{ url: `${serverUrl.replace(/\/$/, "")}/api/v1` }] }
    : documentCache;
}

function buildDocument(): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of ROUTES) {
    const schema = inputSchema(route.procedure);
    const props = schema?.properties ?? {};
    const required = new Set(schema?.required ?? []);
    const inPath = pathParams(route.path);
    const parameters: unknown[] = inPath.map((name) => ({
      name,
      in: "path",
      required: true,
      schema: props[name] ?? { type: "string" },
    }));
    let requestBody: unknown;
    if (route.method === "GET") {
      for (const [name, prop] of Object.entries(props)) {
        if (inPath.includes(name)) continue;
        parameters.push({ name, in: "query", required: required.has(name), schema: prop });
      }
    } else {
      const bodyProps = Object.fromEntries(Object.entries(props).filter(([n]) => !inPath.includes(n)));
      if (Object.keys(bodyProps).length > 0) {
        requestBody = {
          required: true,
          content: {
            "application/json": {
              schema: {
                type: "object",
                additionalProperties: false,
                properties: bodyProps,
                required: [...required].filter((n) => !inPath.includes(n)),
              },
            },
          },
        };
      }
    }
    const errors = Object.fromEntries(
      [
        ["400", "Invalid input (the message names each problem)"],
        ...(route.auth ? [["401", "Sign in first (the zkarena_session cookie from /auth/verify)"]] : []),
        ["403", "Not allowed for this caller"],
        ["404", "Not found"],
        ["409", "Conflicts with the current state"],
        ["429", "Rate limited: wait Retry-After seconds"],
        ["503", "The chain or the database cannot be read right now"],
      ].map(([code, description]) => [
        code,
        { description, content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } } },
      ]),
    );
    const response = RESPONSE_SCHEMAS[route.procedure];
    const responseSchema = response
      ? (() => {
          const j = z.toJSONSchema(response, { io: "output", unrepresentable: "any" }) as JsonSchema;
          delete j.$schema;
          return j;
        })()
      : { type: ["object", "array", "null"] };
    paths[route.path] ??= {};
    paths[route.path]![route.method.toLowerCase()] = {
      operationId: route.procedure.replace(".", "_"),
      summary: route.summary,
      tags: [route.tag],
      description: `Runs the tRPC procedure \`${route.procedure}\` (same validation, authorisation and rate limits).`,
      ...(route.auth ? { security: [{ session: [] }] } : {}),
      ...(parameters.length > 0 ? { parameters } : {}),
      ...(requestBody ? { requestBody } : {}),
      responses: {
        "200": {
          description: "The procedure's result as JSON (dates as ISO strings, amounts as decimal strings)",
          content: { "application/json": { schema: responseSchema } },
        },
        ...errors,
      },
    };
  }
  return {
    openapi: "3.1.0",
    info: {
      title: "zkArena API",
      version: packageJson.version,
      description:
        "Read challenges, datasets, sponsors, leaderboards and proofs; submit public-split proofs. Money values are read from the escrow contract. Sign in with Ethereum: POST /auth/nonce, sign the ERC-4361 message, POST /auth/verify; the session is the zkarena_session cookie.",
    },
    servers: [{ url: "/api/v1" }],
    tags: [...new Set(ROUTES.map((r) => r.tag))].map((name) => ({ name })),
    paths,
    components: {
      schemas: { Error: errorSchema },
      securitySchemes: { session: { type: "apiKey", in: "cookie", name: SESSION_COOKIE } },
    },
  };
}

// --- the handler ------------------------------------------------------------------------------

interface CompiledRoute extends RestRoute {
  pattern: RegExp;
  params: string[];
  query: Record<string, JsonSchema>;
}

let compiled: CompiledRoute[] | null = null;

function compile(): CompiledRoute[] {
  compiled ??= ROUTES.map((r) => {
    const params = pathParams(r.path);
    const pattern = new RegExp(`^${r.path.replace(/\{\w+\}/g, "([^/]+)")}/?$`);
    return { ...r, params, pattern, query: inputSchema(r.procedure)?.properties ?? {} };
  });
  return compiled;
}

function isType(schema: JsonSchema | undefined, type: string): boolean {
  if (!schema) return false;
  if (schema.type === type || (Array.isArray(schema.type) && schema.type.includes(type))) return true;
  return (schema.anyOf ?? []).some((s) => isType(s, type));
}

/** Query strings are text: numbers and booleans are converted where the input schema wants them. */
function fromQuery(value: string, schema: JsonSchema | undefined): unknown {
  if ((isType(schema, "integer") || isType(schema, "number")) && /^-?\d+(\.\d+)?$/.test(value))
    return Number(value);
  if (isType(schema, "boolean") && (value === "true" || value === "false")) return value === "true";
  return value;
}

function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  const text = JSON.stringify(body, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v));
  return new Response(text, {
    status,
    headers: { "content-type": "application/json; charset=utf-8", "cache-control": "no-store", ...headers },
  });
}

function errorResponse(
  status: number,
  code: string,
  message: string,
  extra: Record<string, unknown> = {},
  headers: Record<string, string> = {},
) {
  return json(status, { error: { code, message, ...extra } }, headers);
}

export interface RestHandleOptions extends Omit<HandleOptions, "endpoint"> {
  /** Path prefix, e.g. "/api/v1". */
  prefix: string;
}

/** Serves ROUTES under `prefix` (the web app's /api/v1/[...path] route calls this). */
export async function handleRestRequest(req: Request, opts: RestHandleOptions): Promise<Response> {
  let env: ApiEnv;
  try {
    env = opts.env ?? apiEnv();
  } catch (error) {
    log.error("api.misconfigured", { error: error instanceof Error ? error.message : String(error) });
    return errorResponse(
      500,
      "INTERNAL_SERVER_ERROR",
      "The server is misconfigured (see its log and .env.example); the operator must fix it.",
    );
  }
  const url = new URL(req.url);
  const sub = url.pathname.startsWith(opts.prefix) ? url.pathname.slice(opts.prefix.length) || "/" : null;
  if (sub === null) return errorResponse(404, "NOT_FOUND", `Not under ${opts.prefix}.`);
  const candidates = compile().filter((r) => r.pattern.test(sub));
  // A literal segment wins over a parameter (/challenges/by-slug/x is not /challenges/{id}/…).
  candidates.sort((a, b) => b.path.replace(/\{\w+\}/g, "").length - a.path.replace(/\{\w+\}/g, "").length);
  if (candidates.length === 0)
    return errorResponse(
      404,
      "NOT_FOUND",
      `No endpoint ${sub}. The endpoints are listed in /api/openapi.json.`,
    );
  const route = candidates.find((r) => r.method === req.method);
  if (!route)
    return errorResponse(
      405,
      "METHOD_NOT_SUPPORTED",
      `${sub} accepts ${[...new Set(candidates.map((r) => r.method))].join(", ")}.`,
      {},
      { allow: candidates.map((r) => r.method).join(", ") },
    );

  const max = env.API_MAX_BODY_BYTES;
  const tooLarge = () =>
    errorResponse(
      413,
      "PAYLOAD_TOO_LARGE",
      `The request body is larger than ${max} bytes (API_MAX_BODY_BYTES). Send less data per request.`,
    );
  const declared = req.headers.get("content-length");
  if (declared !== null && (!/^\d+$/.test(declared) || Number(declared) > max)) return tooLarge();
  if (req.url.length > 16_384) return errorResponse(414, "URI_TOO_LONG", "The request URL is too long.");

  let input: Record<string, unknown> = {};
  if (route.method === "POST") {
    const origin = req.headers.get("origin");
    const expected = new URL(env.SIWE_URI).origin;
    if (req.headers.get("sec-fetch-site") === "cross-site" || (origin !== null && origin !== expected)) {
      return errorResponse(
        403,
        "FORBIDDEN",
        `Cross-site requests are refused: writes are accepted from ${expected} or from clients that send no Origin header (scripts, the CLI).`,
      );
    }
    let body: ArrayBuffer | null;
    try {
      body = await readLimited(req, max);
    } catch (error) {
      if (error instanceof BodyTooLarge) return tooLarge();
      throw error;
    }
    const text = body ? new TextDecoder().decode(body) : "";
    if (POLLUTION_KEY.test(text))
      return errorResponse(400, "BAD_REQUEST", "Invalid input — keys named __proto__ are not accepted.");
    if (text.trim() !== "") {
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch {
        return errorResponse(
          400,
          "BAD_REQUEST",
          "The request body is not valid JSON. Send Content-Type: application/json with a JSON object.",
        );
      }
      if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed))
        return errorResponse(400, "BAD_REQUEST", "The request body must be a JSON object.");
      input = parsed as Record<string, unknown>;
    }
  } else {
    for (const [name, value] of url.searchParams) {
      if (name === "__proto__")
        return errorResponse(400, "BAD_REQUEST", "Invalid input — keys named __proto__ are not accepted.");
      input[name] = fromQuery(value, route.query[name]);
    }
  }
  const match = route.pattern.exec(sub);
  route.params.forEach((name, i) => {
    input[name] = decodeURIComponent(match?.[i + 1] ?? "");
  });

  const clientIp = clientIpFrom(req.headers, env.TRUSTED_PROXY_COUNT);
  const resHeaders = new Headers();
  try {
    const ctx = await createTRPCContext({ headers: req.headers, resHeaders, clientIp, env, ...opts.context });
    let node: unknown = createCaller(ctx);
    for (const part of route.procedure.split(".")) node = (node as Record<string, unknown>)[part];
    const hasInput = procedureDef(route.procedure).inputs.length > 0;
    const result = await (node as (i?: unknown) => Promise<unknown>)(hasInput ? input : undefined);
    const headers: Record<string, string> = {};
    const cookie = resHeaders.get("set-cookie");
    if (cookie) headers["set-cookie"] = cookie;
    return json(200, result ?? null, headers);
  } catch (error) {
    const e =
      error instanceof TRPCError ? error : new TRPCError({ code: "INTERNAL_SERVER_ERROR", cause: error });
    const status = getHTTPStatusCodeFromError(e);
    const level = e.code === "INTERNAL_SERVER_ERROR" ? "error" : "info";
    log[level]("api.error", {
      path: route.procedure,
      type: "rest",
      code: e.code,
      ...(level === "error" ? { cause: e.cause?.name ?? e.name } : {}),
    });
    if (e.cause instanceof ZodError) {
      return errorResponse(status, e.code, `Invalid input — ${describeZodError(e.cause)}`, {
        issues: e.cause.issues.map((i) => ({ path: i.path.map(String), message: i.message })),
      });
    }
    const message =
      e.code === "INTERNAL_SERVER_ERROR"
        ? "Internal server error. Try again; if it keeps failing, tell the operator the time of the request."
        : e.message;
    const wait = e.code === "TOO_MANY_REQUESTS" ? /Retry after (\d+) s/.exec(e.message)?.[1] : undefined;
    return errorResponse(status, e.code, message, {}, wait ? { "retry-after": wait } : {});
  }
}

/** The OpenAPI document as a response (the web app's /api/openapi.json route). */
export function handleOpenApiRequest(req: Request): Response {
  const origin = new URL(req.url).origin;
  return json(200, openApiDocument(origin), { "cache-control": "public, max-age=300" });
}
