// @zkarena/api/jobs — the job queue and runner (pg-boss on PostgreSQL), for apps/worker.
export { startJobRunner, type JobRunner, type JobRunnerOptions, type RunnerLog } from "./runner.ts";
export {
  DEFAULT_RETRY,
  REFRESH_QUEUE,
  VERIFY_DEAD_LETTER,
  VERIFY_QUEUE,
  enqueueLeaderboardRefresh,
  enqueueProofVerification,
  type RetryPolicy,
} from "./queue.ts";
export { runRefreshLeaderboard, runVerifyProof } from "./handlers.ts";
