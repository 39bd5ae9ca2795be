export { appRouter, createCaller, type AppRouter, type RouterInputs, type RouterOutputs } from "./root.ts";
export { createTRPCContext, describeZodError, type Session, type TRPCContext } from "./trpc.ts";
export { ApiConfigError, apiEnv, readApiEnv, type ApiEnv } from "./env.ts";
export { handleTrpcRequest, clientIpFrom } from "./http.ts";
export { handleRestRequest, handleOpenApiRequest, openApiDocument, ROUTES, type RestRoute } from "./rest.ts";
export { setLogSink, type LogSink } from "./log.ts";
export { SESSION_COOKIE } from "./services/session.ts";
export type { ChallengeDetail, ChallengeSummary } from "./router/challenge.ts";
export type { ProofSummary } from "./router/submission.ts";
export { metadataHash, METADATA_FORMAT } from "./services/onchain-args.ts";
export { PUBLIC_SPLIT_SALT } from "./services/public-split.ts";
export { enqueueLeaderboardRefresh, enqueueProofVerification } from "./jobs/queue.ts";
export type {
  StatusReport,
  DatabaseReport,
  ChainReport,
  ContractsReport,
  ContractReport,
} from "./router/status.ts";
