// The HTTP edge of the tRPC API. apps/web's route handler is one line that calls `handleTrpcRequest`;
// everything here is testable with plain `Request` objects:
//  - a request body limit (API_MAX_BODY_BYTES): 413 before the body is parsed, whether or not the
//    client sent Content-Length (threats A6/A7);
//  - cross-site request refusal for state-changing requests (Origin / Sec-Fetch-Site), on top of the
//    SameSite=Lax session cookie;
//  - the client IP for rate limits, from X-Forwarded-For and TRUSTED_PROXY_COUNT;
//  - the session cookie: read into the context, set and cleared through the response headers;
//  - error logging without inputs (a hidden split must never reach a log line, threat T1).
import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { apiEnv, type ApiEnv } from "./env.ts";
import { log } from "./log.ts";
import { appRouter } from "./root.ts";
import { createTRPCContext, type CreateContextOptions } from "./trpc.ts";

export interface HandleOptions {
  /** Path prefix of the handler, e.g. "/api/trpc". */
  endpoint: string;
  env?: ApiEnv;
  /** Tests: database, chain reader. */
  context?: Pick<CreateContextOptions, "db" | "chain" | "escrow">;
}

const JSONRPC_CODES: Record<string, number> = {
  FORBIDDEN: -32003,
  PAYLOAD_TOO_LARGE: -32413,
  URI_TOO_LONG: -32600,
};

/** An error in tRPC's wire shape (superjson-wrapped), so tRPC clients show its message as is. */
function jsonError(status: number, code: string, message: string): Response {
  return Response.json(
    { error: { json: { message, code: JSONRPC_CODES[code] ?? -32600, data: { code, httpStatus: status } } } },
    { status, headers: { "cache-control": "no-store" } },
  );
}

/**
 * The client's address: X-Forwarded-For's entry appended by the outermost trusted proxy. With
 * TRUSTED_PROXY_COUNT = 0 the app is exposed directly; Next.js then fills X-Forwarded-For with the
 * socket address only when the client sent none, so put a proxy in front in production.
 */
export function clientIpFrom(headers: Headers, trustedProxies: number): string {
  const entries = (headers.get("x-forwarded-for") ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s !== "");
  const index = entries.length - Math.max(1, trustedProxies);
  const ip = entries[Math.max(0, index)] ?? headers.get("x-real-ip") ?? "unknown";
  return /^[0-9A-Fa-f:.]{2,45}$/.test(ip) ? ip : "unknown";
}

export class BodyTooLarge extends Error {}

export async function readLimited(req: Request, max: number): Promise<ArrayBuffer | null> {
  if (!req.body) return null;
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > max) {
      await reader.cancel();
      throw new BodyTooLarge();
    }
    chunks.push(value);
  }
  const out = new ArrayBuffer(size);
  const view = new Uint8Array(out);
  let offset = 0;
  for (const c of chunks) {
    view.set(c, offset);
    offset += c.byteLength;
  }
  return out;
}

/**
 * A JSON key `__proto__` (any escaping aside) is refused outright: the transformer silently drops it,
 * which is safe, but such input is never legitimate and the client should hear so (threat A6).
 */
export const POLLUTION_KEY = /"(?:__proto__|\\u005f\\u005fproto\\u005f\\u005f)"\s*:/i;
const pollution = () =>
  jsonError(400, "BAD_REQUEST", "Invalid input — keys named __proto__ are not accepted.");

export async function handleTrpcRequest(req: Request, opts: HandleOptions): Promise<Response> {
  let env: ApiEnv;
  try {
    env = opts.env ?? apiEnv();
  } catch (error) {
    log.error("api.misconfigured", { error: error instanceof Error ? error.message : String(error) });
    return jsonError(
      500,
      "INTERNAL_SERVER_ERROR",
      "The server is misconfigured (see its log and .env.example); the operator must fix it.",
    );
  }
  const max = env.API_MAX_BODY_BYTES;
  const tooLarge = () =>
    jsonError(
      413,
      "PAYLOAD_TOO_LARGE",
      `The request body is larger than ${max} bytes (API_MAX_BODY_BYTES). Send less data per request: split large uploads.`,
    );

  const declared = req.headers.get("content-length");
  if (declared !== null && (!/^\d+$/.test(declared) || Number(declared) > max)) return tooLarge();

  if (req.method !== "GET" && req.method !== "HEAD") {
    const origin = req.headers.get("origin");
    const expected = new URL(env.SIWE_URI).origin;
    if (req.headers.get("sec-fetch-site") === "cross-site" || (origin !== null && origin !== expected)) {
      return jsonError(
        403,
        "FORBIDDEN",
        `Cross-site requests are refused: this API only accepts writes from ${expected} (or from clients that send no Origin header, such as the CLI).`,
      );
    }
  }

  let forwarded = req;
  if (req.method !== "GET" && req.method !== "HEAD") {
    let body: ArrayBuffer | null;
    try {
      body = await readLimited(req, max);
    } catch (error) {
      if (error instanceof BodyTooLarge) return tooLarge();
      throw error;
    }
    if (body && POLLUTION_KEY.test(new TextDecoder().decode(body))) return pollution();
    forwarded = new Request(req.url, { method: req.method, headers: req.headers, body: body ?? undefined });
  } else if (req.url.length > 16_384) {
    return jsonError(414, "URI_TOO_LONG", "The request URL is too long; send large inputs with POST.");
  } else if (POLLUTION_KEY.test(new URL(req.url).searchParams.get("input") ?? "")) {
    return pollution();
  }

  const clientIp = clientIpFrom(req.headers, env.TRUSTED_PROXY_COUNT);
  return fetchRequestHandler({
    endpoint: opts.endpoint,
    req: forwarded,
    router: appRouter,
    createContext: ({ resHeaders }) =>
      createTRPCContext({ headers: req.headers, resHeaders, clientIp, env, ...opts.context }),
    onError({ error, path, type }) {
      // The code and path only: inputs and causes can carry user data (a hidden split, a signature).
      const level = error.code === "INTERNAL_SERVER_ERROR" ? "error" : "info";
      log[level]("api.error", {
        path: path ?? null,
        type,
        code: error.code,
        ...(level === "error" ? { cause: error.cause?.name ?? error.name } : {}),
      });
    },
    responseMeta({ errors }) {
      const limited = errors.find((e) => e.code === "TOO_MANY_REQUESTS");
      const wait = limited ? /Retry after (\d+) s/.exec(limited.message)?.[1] : undefined;
      return { headers: { "cache-control": "no-store", ...(wait ? { "retry-after": wait } : {}) } };
    },
  });
}
