// Messages between the browser prover client (client.ts, page thread) and its Web Worker
// (worker.ts). Structured clone carries bigint, Uint8Array and plain objects, so requests travel as
// they are; errors travel as plain objects and are rebuilt by the client.
import type { BatchTarget } from "../batch.ts";
import type { MlpProofRequest } from "../input.ts";
import type { ArtifactFileKind } from "../artifacts.ts";
import type { ProgressEvent, ProofResult } from "../sdk.ts";

export interface ProveMessage {
  type: "prove";
  id: number;
  /** Absolute URL of the folder that holds <circuitId>/artifact.json (circuits/build published as is). */
  artifactsBaseUrl: string;
  circuitId: string;
  request: MlpProofRequest;
  batch?: BatchTarget;
  singleThread: boolean;
  /** A vk hash pinned elsewhere (the verifier registry), checked besides artifact.json's. */
  expectVkHash?: string;
}

export type WorkerRequest = ProveMessage;

export interface SerializedError {
  name: string;
  message: string;
  /** ArtifactIntegrityError fields, when name is "ArtifactIntegrityError". */
  integrity?: {
    circuitId: string;
    kind: ArtifactFileKind;
    file: string;
    expected: string;
    actual: string;
    remedy: string;
  };
}

export type WorkerResponse =
  | { type: "ready" }
  | { type: "progress"; id: number; event: ProgressEvent }
  | { type: "result"; id: number; result: ProofResult }
  | { type: "error"; id: number; error: SerializedError };
