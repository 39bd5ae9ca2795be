// tRPC setup: the request context, the error shape and the procedure builders every router uses.
import { initTRPC, TRPCError } from "@trpc/server";
import superjson from "superjson";
import { ZodError, z } from "zod";
import { getDb, type DbHandle } from "@zkarena/db";

/** The signed-in wallet. Always null until Sign-In with Ethereum lands (a later issue). */
export interface Session {
  address: `0x${string}`;
}

export interface TRPCContext {
  /** The process-wide database handle, or null when it could not be opened (see `dbError`). */
  db: DbHandle | null;
  /** Why the database could not be opened; only health checks run without a database. */
  dbError: string | null;
  session: Session | null;
  headers: Headers;
}

export interface CreateContextOptions {
  headers: Headers;
  /** Tests pass their own database; the app uses the process-wide one from `getDb()`. */
  db?: DbHandle;
  session?: Session | null;
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
  return { db, dbError, session: opts.session ?? null, headers: opts.headers };
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
    return {
      ...shape,
      message: zodError ? `Invalid input — ${describeZodError(zodError)}` : shape.message,
      data: {
        ...shape.data,
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
  return next({ ctx: { ...ctx, db: ctx.db } });
});

/** Requires a signed-in wallet; `ctx.session` is guaranteed. */
export const protectedProcedure = publicProcedure.use(({ ctx, next }) => {
  if (!ctx.session) {
    throw new TRPCError({ code: "UNAUTHORIZED", message: "Sign in with your wallet first." });
  }
  return next({ ctx: { ...ctx, session: ctx.session } });
});
