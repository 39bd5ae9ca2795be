// Errors the indexer distinguishes. Fatal ones halt the worker with a non-zero exit and change
// nothing in the database; transient ones are retried with back-off.

/** The worker must stop: continuing could serve wrong data. `exitCode` is what main.ts exits with. */
export class IndexerHaltError extends Error {
  override name = "IndexerHaltError";
  readonly exitCode: number = 3;
}

/** A reorg deeper than INDEXER_MAX_REORG_DEPTH: no stored block within that depth matches the chain. */
export class DeepReorgError extends IndexerHaltError {
  override name = "DeepReorgError";
  constructor(
    message: string,
    readonly cursorBlock: bigint,
    readonly maxReorgDepth: number,
  ) {
    super(message);
  }
}

/**
 * A reorg replaced a block at or below IndexerCursor.finalizedBlockNumber: the API may already have
 * acted on it (released a hidden split), so the indexer refuses to move finality backwards.
 */
export class FinalityViolationError extends IndexerHaltError {
  override name = "FinalityViolationError";
  constructor(
    message: string,
    readonly finalizedBlock: bigint,
    readonly ancestor: bigint | null,
  ) {
    super(message);
  }
}

/** The node's chain id or the escrow's code is not what the configuration says. */
export class IndexerSetupError extends IndexerHaltError {
  override name = "IndexerSetupError";
  override readonly exitCode = 2;
}

/** The chain changed while a batch was being read (a reorg at the head): retry the step. */
export class ChainMovedError extends Error {
  override name = "ChainMovedError";
}

/** Another indexer moved the cursor between planning and committing this batch: retry the step. */
export class CursorMovedError extends Error {
  override name = "CursorMovedError";
}
