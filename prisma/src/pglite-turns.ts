// One PGlite instance has one PostgreSQL session, and pglite-socket (0.2.17) shares it between its
// connections message by message: it keeps a connection's messages together only while a transaction
// is open. Two connections' extended-query sequences (Parse/Bind/Describe/Execute … Sync) therefore
// interleave: another connection's Parse replaces the unnamed statement, or its simple-query BEGIN
// destroys the unnamed statement and portal, between this connection's Parse and its Bind/Execute.
// Clients then get "portal \"\" does not exist", "unnamed prepared statement does not exist", or
// another query's rows (measured: 450 of 600 queries wrong with one transactional client next to three
// others; tests/embedded.test.ts keeps that case).
//
// `serializeProtocolTurns` makes a connection's turn last from its first extended-query message to its
// Sync (or a simple Query), as well as for the whole of an open transaction, by replacing the server's
// queue loop. The queue's shape is checked first, so a pglite-socket upgrade that changes it fails
// loudly at start instead of corrupting queries.
import type { PGlite } from "@electric-sql/pglite";
import type { PGLiteSocketServer } from "@electric-sql/pglite-socket";

interface QueuedMessage {
  handlerId: number;
  message: Uint8Array;
  resolve: (bytes: number) => void;
  reject: (error: unknown) => void;
  onData: (data: Uint8Array) => void;
}

interface QueryQueue {
  queue: QueuedMessage[];
  processing: boolean;
  lastHandlerId: number | null;
  db: PGlite;
  processQueue: () => Promise<void>;
  clearQueueForHandler: (handlerId: number) => void;
}

// Frontend messages that open or continue an extended-query sequence (its end is Sync).
const EXTENDED = new Set(["P", "B", "D", "E", "C", "H"].map((c) => c.charCodeAt(0)));
const ENDS_TURN = new Set(["S", "Q", "X"].map((c) => c.charCodeAt(0)));

export function serializeProtocolTurns(server: PGLiteSocketServer): void {
  const q = (server as unknown as { queryQueue?: QueryQueue }).queryQueue;
  if (
    !q ||
    !Array.isArray(q.queue) ||
    typeof q.processQueue !== "function" ||
    typeof q.clearQueueForHandler !== "function" ||
    typeof q.db?.runExclusive !== "function"
  ) {
    throw new Error(
      "@electric-sql/pglite-socket's internal query queue is not what prisma/src/pglite-turns.ts expects " +
        "(was the package upgraded from 0.2.17?); check that module before serving the embedded database.",
    );
  }

  /** The connection in the middle of an extended-query sequence, if any. */
  let owner: number | null = null;

  q.processQueue = async function processQueue(this: QueryQueue) {
    if (this.processing || this.queue.length === 0) return;
    this.processing = true;
    try {
      while (this.queue.length > 0) {
        const holder = owner ?? (this.db.isInTransaction() ? this.lastHandlerId : null);
        let item: QueuedMessage | undefined;
        if (holder !== null) {
          const at = this.queue.findIndex((m) => m.handlerId === holder);
          // The holder's next message has not arrived yet: its enqueue restarts this loop.
          if (at === -1) break;
          item = this.queue.splice(at, 1)[0];
        } else {
          item = this.queue.shift();
        }
        if (!item) break;
        const type = item.message[0] ?? 0;
        if (EXTENDED.has(type)) owner = item.handlerId;
        else if (ENDS_TURN.has(type) && owner === item.handlerId) owner = null;
        let bytes = 0;
        try {
          await this.db.runExclusive(() =>
            this.db.execProtocolRawStream(item.message, {
              onRawData: (data: Uint8Array) => {
                bytes += data.length;
                item.onData(data);
              },
            }),
          );
        } catch (error) {
          if (owner === item.handlerId) owner = null;
          item.reject(error);
          continue;
        }
        this.lastHandlerId = item.handlerId;
        item.resolve(bytes);
      }
    } finally {
      this.processing = false;
    }
  };

  const clear = q.clearQueueForHandler.bind(q);
  q.clearQueueForHandler = (handlerId: number) => {
    clear(handlerId);
    // A connection that went away mid-sequence must not hold the session.
    if (owner === handlerId) {
      owner = null;
      setImmediate(() => void q.processQueue());
    }
  };
}
