// Token-bucket rate limiter on PostgreSQL (threat A7).
//
// Why PostgreSQL and not an in-process bucket: the web app and the API run as several processes
// (Next workers, `next start` behind a load balancer, the CLI's REST calls hit any of them) and
// restart on deploy; an in-process bucket would multiply the limit by the number of processes and
// reset on every restart. The database every process already shares gives one bucket per key with
// one atomic upsert per limited request (`INSERT … ON CONFLICT DO UPDATE … WHERE` takes the row
// lock, so concurrent requests on real PostgreSQL serialise on the row and never over-spend).
// The cost is one round trip on sign-in, writes and downloads only; reads are not limited here.
import { TRPCError } from "@trpc/server";
import type { Db } from "@zkarena/db";

export interface BucketRule {
  /** Burst size (tokens when full). */
  capacity: number;
  /** Seconds to refill the whole bucket from empty (refill rate = capacity / windowSeconds). */
  windowSeconds: number;
}

export interface TakeResult {
  allowed: boolean;
  /** Seconds until one token is available again (0 when allowed). */
  retryAfterSeconds: number;
}

/** Takes one token from bucket `key`; atomic under concurrency. */
export async function takeToken(db: Db, key: string, rule: BucketRule): Promise<TakeResult> {
  const rate = rule.capacity / rule.windowSeconds;
  const rows = await db.$queryRaw<{ tokens: number }[]>`
    INSERT INTO "RateLimitBucket" AS b ("key", "tokens", "updatedAt")
    VALUES (${key}, ${rule.capacity - 1}::float8, clock_timestamp())
    ON CONFLICT ("key") DO UPDATE
      SET "tokens" = LEAST(${rule.capacity}::float8,
                           b."tokens" + EXTRACT(EPOCH FROM clock_timestamp() - b."updatedAt")::float8 * ${rate}::float8) - 1,
          "updatedAt" = clock_timestamp()
      WHERE LEAST(${rule.capacity}::float8,
                  b."tokens" + EXTRACT(EPOCH FROM clock_timestamp() - b."updatedAt")::float8 * ${rate}::float8) >= 1
    RETURNING "tokens"`;
  if (rows.length > 0) return { allowed: true, retryAfterSeconds: 0 };
  const [row] = await db.$queryRaw<{ tokens: number }[]>`
    SELECT LEAST(${rule.capacity}::float8,
                 "tokens" + EXTRACT(EPOCH FROM clock_timestamp() - "updatedAt")::float8 * ${rate}::float8) AS "tokens"
    FROM "RateLimitBucket" WHERE "key" = ${key}`;
  const missing = Math.max(0, 1 - (row?.tokens ?? 0));
  return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(missing / rate)) };
}

/**
 * Takes a token from every bucket (e.g. per IP and per address); throws TOO_MANY_REQUESTS (HTTP 429)
 * with the wait in the message when any is empty.
 */
export async function enforceRateLimit(
  db: Db,
  what: string,
  keys: readonly string[],
  rule: BucketRule,
): Promise<void> {
  let wait = 0;
  for (const key of keys) {
    const r = await takeToken(db, key, rule);
    if (!r.allowed) wait = Math.max(wait, r.retryAfterSeconds);
  }
  if (wait > 0) {
    throw new TRPCError({
      code: "TOO_MANY_REQUESTS",
      message: `Too many ${what} requests. Retry after ${wait} s.`,
    });
  }
}

/**
 * Deletes up to `batch` buckets idle for `olderThanSeconds` (full again, so forgetting them changes
 * nothing). Bounded, so a request can call it opportunistically (auth.nonce does).
 */
export async function pruneRateLimitBuckets(db: Db, olderThanSeconds = 3600, batch = 100): Promise<number> {
  return db.$executeRaw`
    DELETE FROM "RateLimitBucket" WHERE "key" IN (
      SELECT "key" FROM "RateLimitBucket"
      WHERE "updatedAt" < clock_timestamp() - make_interval(secs => ${olderThanSeconds}::float8)
      LIMIT ${batch})`;
}
