// HOOK: the job runner (pg-boss: public-split proof verification, leaderboard refresh) is built by the
// API engineer in packages/api/src/jobs/ and exported from "@zkarena/api/jobs" as `startJobRunner`.
// Until that export exists this returns null and the worker says so in its log; once it exists it
// is started here with no change to this file. The expected shape:
//   startJobRunner({ db, log }) → Promise<{ stop(): Promise<void> }>
import type { Db } from "@zkarena/db";
import type { Logger } from "./log.ts";

export interface JobRunner {
  stop(): Promise<void>;
}

type StartJobRunner = (options: { db: Db; log: Logger }) => Promise<JobRunner>;

/** Module-not-there errors (the export does not exist yet) as opposed to errors inside the module. */
function isMissingModule(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === "ERR_PACKAGE_PATH_NOT_EXPORTED" || code === "ERR_MODULE_NOT_FOUND";
}

export async function startJobs(db: Db, log: Logger): Promise<JobRunner | null> {
  const specifier = "@zkarena/api/jobs"; // a variable: the module may not exist at type-check time
  let start: StartJobRunner | undefined;
  try {
    const mod = (await import(specifier)) as { startJobRunner?: StartJobRunner };
    start = mod.startJobRunner;
  } catch (error) {
    if (!isMissingModule(error)) throw error;
  }
  if (typeof start !== "function") {
    log.warn("worker.jobs_unavailable", {
      reason: "packages/api does not export startJobRunner from @zkarena/api/jobs yet; only the indexer runs",
    });
    return null;
  }
  const runner = await start({ db, log });
  log.info("worker.jobs_started");
  return runner;
}
