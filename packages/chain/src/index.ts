// @zkarena/chain: generated ABIs, chains, viem clients, deployment records and health checks.
// Browser code should import "@zkarena/chain/abis" (this entry point also pulls in node:fs).
export * from "./generated/abis.ts";
export * from "./chains.ts";
export * from "./clients.ts";
export * from "./deployments.ts";
export * from "./env.ts";
export * from "./health.ts";
export * from "./read.ts";
