// @zkarena/worker: the escrow indexer (usable as a library by tests and tools) and the worker process.
export { Indexer, type IndexerOptions, type StepResult } from "./indexer/indexer.ts";
export { rpcChainSource, proofFromCalldata, type ChainSource, type BlockHeader } from "./indexer/source.ts";
export {
  decodeEscrowLogs,
  ESCROW_EVENTS,
  type DecodedEvent,
  type EscrowEventName,
} from "./indexer/events.ts";
export { rebuildChallenge, stateAt, generatedSlug } from "./indexer/derive.ts";
export {
  IndexerHaltError,
  DeepReorgError,
  FinalityViolationError,
  IndexerSetupError,
  ChainMovedError,
  CursorMovedError,
} from "./indexer/errors.ts";
export { readWorkerEnv, WorkerConfigError, type WorkerEnv } from "./env.ts";
export { createLogger, silentLogger, type Logger, type LogSink } from "./log.ts";
export { runIndexer } from "./run.ts";
