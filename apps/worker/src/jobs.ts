// The job runner of packages/api (pg-boss: public-split proof verification with retries and a dead
// letter, leaderboard refreshes), started in this process beside the indexer.
import { enqueueLeaderboardRefresh, startJobRunner, type JobRunner } from "@zkarena/api/jobs";
import type { DbHandle } from "@zkarena/db";
import { embeddedUrl, readLock } from "@zkarena/db/embedded";
import type { DbEnv } from "@zkarena/db/env";
import type { Logger } from "./log.ts";

export { enqueueLeaderboardRefresh, type JobRunner };

/**
 * pg-boss's connection: DATABASE_URL, else the socket of the embedded database `npm start` serves,
 * else none (an in-process PGlite, which the runner then uses directly).
 */
export async function jobsDatabaseUrl(env: DbEnv): Promise<string | undefined> {
  if (env.DATABASE_URL) return env.DATABASE_URL;
  const owner = await readLock(env.ZKARENA_DATA_DIR);
  return owner && owner.port > 0 ? embeddedUrl(owner.port) : undefined;
}

export async function startJobs(handle: DbHandle, env: DbEnv, log: Logger): Promise<JobRunner> {
  return startJobRunner({
    databaseUrl: await jobsDatabaseUrl(env),
    db: handle,
    log: {
      info: (event, fields) => log.info(event, flat(fields)),
      warn: (event, fields) => log.warn(event, flat(fields)),
      error: (event, fields) => log.error(event, flat(fields)),
    },
  });
}

/** The runner's fields → log fields (objects become JSON text). */
function flat(fields: Record<string, unknown> = {}) {
  return Object.fromEntries(
    Object.entries(fields).map(([k, v]) => [
      k,
      v === null || ["string", "number", "boolean", "bigint", "undefined"].includes(typeof v)
        ? (v as string | number | boolean | bigint | null | undefined)
        : JSON.stringify(v),
    ]),
  );
}
