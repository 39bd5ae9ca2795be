// tRPC setup: the request context, the error shape and the procedure builders every router uses.
//
// Deny by default (threat A5): every procedure is built from `protectedProcedure` unless it is on
// the public allow-list in tests/authorization.test.ts, which walks the whole router.
import { initTRPC, TRPCError } from "@trpc/server";
import superjson from "superjson";
import { ZodError, z } from "zod";
import { getDb, type DbHandle } from "@zkarena/db";
import { createChainClients } from "@zkarena/chain";
import { apiEnv, type ApiEnv } from "./env.ts";
import { log } from "./log.ts";
import { enforceRateLimit } from "./services/rate-limit.ts";
import { readSessionCookie, resolveSession, type Session } from "./services/session.ts";
import type { SiweChainReader } from "./services/siwe.ts";
import { defaultEscrowResolver, type EscrowReader, type EscrowResolver } from "./services/escrow.ts";

export type { Session } from "./services/session.ts";

export interface TRPCContext {
  /** The process-wide database handle, or null when it could not be opened (see `dbError`). */
  db: DbHandle | null;
  /** Why the database could not be opened; only health checks run without a database. */
  dbError: string | null;
  /** The signed-in wallet (from the session cookie), or null. */
  session: Session | null;
  headers: Headers;
  /** Response headers: auth sets and clears the session cookie here (the HTTP adapter sends them). */
  resHeaders: Headers;
  /** Client address for rate limits ("unknown" when the adapter could not tell). */
  clientIp: string;
  /** The api's configuration, or null when it is invalid (see `envError`). */
  env: ApiEnv | null;
  /** Why the configuration is invalid; only health checks run without one. */
  envError: string | null;
  /** Reads the chain for ERC-1271 sign-in (null: only EOAs can sign in). */
  chain: SiweChainReader | null;
  /** The escrow for money and eligibility reads (threat I3); null or absent: no chain configured. */
  escrow?: EscrowResolver | null;
}

export interface CreateContextOptions {
  headers: Headers;
  /** Tests pass their own database; the app uses the process-wide one from `getDb()`. */
  db?: DbHandle;
  /** Tests may set the session directly; otherwise it is read from the session cookie. */
  session?: Session | null;
  resHeaders?: Headers;
  clientIp?: string;
  env?: ApiEnv;
  chain?: SiweChainReader | null;
  /** Tests pass an escrow on their own anvil (or null); otherwise the deployment record of CHAIN_ID. */
  escrow?: EscrowReader | EscrowResolver | null;
}

let defaultChain: SiweChainReader | undefined;
function chainReader(env: ApiEnv): SiweChainReader {
  defaultChain ??= createChainClients(env.RPC_URL, { timeoutMs: 5_000, retryCount: 1 }).publicClient;
  return defaultChain;
}

function escrowResolver(
  given: EscrowReader | EscrowResolver | null | undefined,
  env: ApiEnv | null,
): EscrowResolver | null {
  if (given === null) return null;
  if (typeof given === "function") return given;
  if (given) return () => Promise.resolve(given);
  return env ? defaultEscrowResolver(env) : null;
}

/** Builds the context for one request (route handler, server component or test). */
export async function createTRPCContext(opts: CreateContextOptions): Promise<TRPCContext> {
  let db: DbHandle | null = opts.db ?? null;
  let dbError: string | null = null;
  if (!db) {
    try {
      db = await getDb();
    } catch (error) {
      dbError = error instanceof Error ? error.message : String(error);
    }
  }
  let env: ApiEnv | null = opts.env ?? null;
  let envError: string | null = null;
  if (!env) {
    try {
      env = apiEnv();
    } catch (error) {
      envError = error instanceof Error ? error.message : String(error);
    }
  }
  let session: Session | null = opts.session ?? null;
  if (opts.session === undefined && db && env) {
    const token = readSessionCookie(opts.headers);
    if (token) {
      try {
        session = await resolveSession(db.db, env, token);
      } catch (error) {
        log.warn("session.resolve_failed", { error: error instanceof Error ? error.name : "unknown" });
      }
    }
  }
  return {
    db,
    dbError,
    session,
    headers: opts.headers,
    resHeaders: opts.resHeaders ?? new Headers(),
    clientIp: opts.clientIp ?? "unknown",
    env,
    envError,
    chain: opts.chain !== undefined ? opts.chain : env ? chainReader(env) : null,
    escrow: escrowResolver(opts.escrow, env),
  };
}

/** "limit: Too small: expected number to be >=1; search: …" — one line a user can act on. */
export function describeZodError(error: ZodError): string {
  return error.issues
    .map((issue) => (issue.path.length > 0 ? `${issue.path.join(".")}: ${issue.message}` : issue.message))
    .join("; ");
}

const t = initTRPC.context<TRPCContext>().create({
  transformer: superjson,
  errorFormatter({ shape, error }) {
    const zodError = error.code === "BAD_REQUEST" && error.cause instanceof ZodError ? error.cause : null;
    // An unexpected exception's message can carry data from the query (Prisma echoes values): users
    // get a generic message, the log gets the error's name (http.ts), never its text (threat T1).
    const unexpected = error.code === "INTERNAL_SERVER_ERROR" && error.cause !== undefined;
    return {
      ...shape,
      message: zodError
        ? `Invalid input — ${describeZodError(zodError)}`
        : unexpected
          ? "Internal server error. Try again; if it keeps failing, tell the operator the time of the request."
          : shape.message,
      data: {
        ...shape.data,
        // Never the stack: it can carry values from the request.
        stack: undefined,
        zodError: zodError ? z.flattenError(zodError) : null,
      },
    };
  },
});

export const createTRPCRouter = t.router;
export const createCallerFactory = t.createCallerFactory;

/**
 * Procedures that must answer even when the database cannot be opened (health and status).
 * Everything else uses `publicProcedure` or `protectedProcedure`.
 */
export const baseProcedure = t.procedure;

/** Anyone may call it; `ctx.db` is guaranteed. */
export const publicProcedure = t.procedure.use(({ ctx, next }) => {
  if (!ctx.db) {
    throw new TRPCError({
      code: "INTERNAL_SERVER_ERROR",
      message: `The database is unavailable (${ctx.dbError ?? "unknown error"}). Start the stack with \`npm start\` or check DATABASE_URL.`,
    });
  }
  if (!ctx.env) {
    throw new TRPCError({
      code: "INTERNAL_SERVER_ERROR",
      message: `The server is misconfigured: ${ctx.envError ?? "no configuration"}. See .env.example.`,
    });
  }
  return next({ ctx: { ...ctx, db: ctx.db, env: ctx.env } });
});

/** Requires a signed-in wallet; `ctx.session` is guaranteed. */
export const protectedProcedure = publicProcedure.use(({ ctx, next }) => {
  if (!ctx.session) {
    throw new TRPCError({ code: "UNAUTHORIZED", message: "Sign in with your wallet first." });
  }
  return next({ ctx: { ...ctx, session: ctx.session } });
});

/**
 * Rate limit for signed-in writes, per address and per IP (RATE_LIMIT_WRITE_PER_MINUTE). Use it after
 * `.input()` (`protectedProcedure.input(schema).use(writeLimit)`): invalid input is refused before it
 * touches any table, even the limiter's.
 */
export const writeLimit = t.middleware(async ({ ctx, next }) => {
  if (!ctx.db || !ctx.session || !ctx.env) {
    throw new TRPCError({ code: "INTERNAL_SERVER_ERROR", message: "writeLimit needs protectedProcedure" });
  }
  await enforceRateLimit(
    ctx.db.db,
    "write",
    [`write:addr:${ctx.session.address}`, `write:ip:${ctx.clientIp}`],
    { capacity: ctx.env.RATE_LIMIT_WRITE_PER_MINUTE, windowSeconds: 60 },
  );
  return next();
});

/** Rate limit for downloads, per IP (RATE_LIMIT_DOWNLOAD_PER_MINUTE); use after `.input()`. */
export const downloadLimit = t.middleware(async ({ ctx, next }) => {
  if (!ctx.db || !ctx.env) {
    throw new TRPCError({ code: "INTERNAL_SERVER_ERROR", message: "downloadLimit needs publicProcedure" });
  }
  await enforceRateLimit(ctx.db.db, "download", [`download:ip:${ctx.clientIp}`], {
    capacity: ctx.env.RATE_LIMIT_DOWNLOAD_PER_MINUTE,
    windowSeconds: 60,
  });
  return next();
});
