import { type inferRouterInputs, type inferRouterOutputs } from "@trpc/server";
import { authRouter } from "./router/auth.ts";
import { challengeRouter } from "./router/challenge.ts";
import { datasetRouter } from "./router/dataset.ts";
import { leaderboardRouter } from "./router/leaderboard.ts";
import { sponsorRouter } from "./router/sponsor.ts";
import { submissionRouter } from "./router/submission.ts";
import { statusRouter } from "./router/status.ts";
import { createCallerFactory, createTRPCRouter } from "./trpc.ts";

export const appRouter = createTRPCRouter({
  auth: authRouter,
  challenge: challengeRouter,
  dataset: datasetRouter,
  leaderboard: leaderboardRouter,
  sponsor: sponsorRouter,
  status: statusRouter,
  submission: submissionRouter,
});

export type AppRouter = typeof appRouter;
export type RouterInputs = inferRouterInputs<AppRouter>;
export type RouterOutputs = inferRouterOutputs<AppRouter>;

/**
 * A server-side caller (server components, route handlers, tests):
 * `const api = createCaller(await createTRPCContext({ headers }))`.
 */
export const createCaller = createCallerFactory(appRouter);
