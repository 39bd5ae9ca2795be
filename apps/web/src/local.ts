// What stays in this browser: the organiser's hidden split with its salt, a competitor's quantized
// model with its salt. Never sent anywhere; each has a downloadable backup (losing the salt means
// losing the ability to reveal or to prove).
import type { Address } from "viem";

export const HIDDEN_BACKUP_FORMAT = "zkarena.hidden-split-backup/v1";
export const MODEL_BACKUP_FORMAT = "zkarena.model-commitment-backup/v1";
export const REVEAL_FORMAT = "zkarena.reveal/v1";

export interface HiddenBackup {
  format: typeof HIDDEN_BACKUP_FORMAT;
  challengeRowId: string;
  circuitId: string;
  /** decimal */
  testSalt: string;
  testCommitment: string;
  batchCount: number;
  /** [x_0 … x_{D−1}, label] */
  samples: number[][];
}

export interface ModelBackup {
  format: typeof MODEL_BACKUP_FORMAT;
  chainId: number;
  escrow: Address;
  challengeId: string;
  address: Address;
  circuitId: string;
  /** decimal */
  modelSalt: string;
  commitment: string;
  /** The quantized integer model (decimal strings). */
  model: { W1: string[][]; b1: string[]; W2: string[][]; b2: string[] };
}

const hiddenKey = (rowId: string) => `zkarena.hidden.${rowId}`;
const modelKey = (chainId: number, escrow: string, id: string, address: string) =>
  `zkarena.model.${chainId}.${escrow.toLowerCase()}.${id}.${address.toLowerCase()}`;

function read<T>(key: string): T | null {
  try {
    const raw = localStorage.getItem(key);
    return raw ? (JSON.parse(raw) as T) : null;
  } catch {
    return null;
  }
}

export const storeHidden = (b: HiddenBackup) =>
  localStorage.setItem(hiddenKey(b.challengeRowId), JSON.stringify(b));
export const loadHidden = (rowId: string) => read<HiddenBackup>(hiddenKey(rowId));
export const storeModel = (b: ModelBackup) =>
  localStorage.setItem(modelKey(b.chainId, b.escrow, b.challengeId, b.address), JSON.stringify(b));
export const loadModel = (chainId: number, escrow: string, id: string, address: string) =>
  read<ModelBackup>(modelKey(chainId, escrow, id, address));

export function downloadJson(name: string, value: unknown) {
  const blob = new Blob([JSON.stringify(value, null, 1)], { type: "application/json" });
  const url = URL.createObjectURL(blob);
  const a = document.createElement("a");
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** Samples as rows of non-negative integers: JSON ({samples}, or an array of rows) or CSV. */
export function parseSamplesFile(text: string): number[][] {
  const trimmed = text.trim();
  let rows: unknown;
  if (trimmed.startsWith("{") || trimmed.startsWith("[")) {
    const doc = JSON.parse(trimmed) as unknown;
    rows = Array.isArray(doc) ? doc : (doc as { samples?: unknown }).samples;
  } else {
    rows = trimmed
      .split(/\r?\n/)
      .filter((l) => l.trim() && !/^[a-z_]/i.test(l.trim()))
      .map((l) => l.split(/[,;\t]/).map((v) => Number(v.trim())));
  }
  if (!Array.isArray(rows) || rows.length === 0)
    throw new Error(
      'No samples found: give a JSON array of rows [x…, label], {"samples": [...]} or a CSV with the label last.',
    );
  rows.forEach((r, i) => {
    if (!Array.isArray(r) || r.length < 2 || !r.every((v) => Number.isInteger(v) && v >= 0))
      throw new Error(`Row ${i + 1} is not a list of non-negative integers (features, then the label).`);
  });
  return rows as number[][];
}

/** Largest hidden split published inside the reveal transaction itself (as a data: URI). */
export const MAX_INLINE_REVEAL_BYTES = 48 * 1024;

/** What the reveal publishes: the samples and the salt, enough to recompute the commitment. */
export function revealDocument(b: HiddenBackup) {
  return { format: REVEAL_FORMAT, circuitId: b.circuitId, testSalt: b.testSalt, samples: b.samples };
}

export function revealDataUri(b: HiddenBackup): string {
  const bytes = new TextEncoder().encode(JSON.stringify(revealDocument(b)));
  let binary = "";
  bytes.forEach((x) => (binary += String.fromCharCode(x)));
  return `data:application/json;base64,${btoa(binary)}`;
}
