// @zkarena/zk/browser — the page-side prover client and the browser artifact loader. The worker
// entry itself is @zkarena/zk/worker (browser/worker.ts).
export * from "./client.ts";
export * from "./loader.ts";
export type * from "./protocol.ts";
