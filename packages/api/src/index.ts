export { appRouter, createCaller, type AppRouter, type RouterInputs, type RouterOutputs } from "./root.ts";
export { createTRPCContext, describeZodError, type Session, type TRPCContext } from "./trpc.ts";
export { ApiConfigError, readApiEnv, type ApiEnv } from "./env.ts";
export type { ChallengeDetail, ChallengeSummary } from "./router/challenge.ts";
export type {
  StatusReport,
  DatabaseReport,
  ChainReport,
  ContractsReport,
  ContractReport,
} from "./router/status.ts";
