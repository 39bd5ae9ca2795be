// Small shared helpers: parsing ids, amounts and durations, tables, canonical JSON hashing.
import { createHash } from "node:crypto";
import { formatUnits, parseUnits } from "viem";
import { inputError } from "./errors.ts";

export function parseId(value: string, what = "challenge id"): bigint {
  if (!/^\d{1,78}$/.test(value))
    throw inputError(`${what} must be the on-chain challenge number (e.g. 1), got "${value}"`);
  return BigInt(value);
}

export function parseAmount(value: string, decimals: number, what = "amount"): bigint {
  if (!/^\d+(\.\d+)?$/.test(value))
    throw inputError(`${what} must be a decimal number like 1.5, got "${value}"`);
  const frac = value.split(".")[1] ?? "";
  if (frac.length > decimals) throw inputError(`${what} has more than ${decimals} decimals`);
  return parseUnits(value, decimals);
}

export function parseIntOption(value: string, what: string, min: number, max: number): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max)
    throw inputError(`${what} must be an integer in [${min}, ${max}], got "${value}"`);
  return n;
}

/** "+90s", "+30m", "+2h", "+3d" relative to `now` (seconds), or an ISO date. Returns unix seconds. */
export function parseTime(value: string, nowSeconds: bigint, what: string): bigint {
  const rel = /^\+(\d+)([smhd])$/.exec(value.trim());
  if (rel) {
    const unit = { s: 1n, m: 60n, h: 3600n, d: 86400n }[rel[2] as "s" | "m" | "h" | "d"];
    return nowSeconds + BigInt(rel[1] as string) * unit;
  }
  const ms = Date.parse(value);
  if (!Number.isFinite(ms) || !/^\d{4}-\d{2}-\d{2}/.test(value))
    throw inputError(
      `${what} must be an ISO date (2026-12-24T12:00:00Z) or relative (+90s, +30m, +2h, +3d), got "${value}"`,
    );
  return BigInt(Math.floor(ms / 1000));
}

export const sha256Hex = (data: string | Uint8Array) => createHash("sha256").update(data).digest("hex");

/** A plain text table (left-aligned text, right-aligned numbers). */
export function table(head: string[], rows: (string | number | bigint)[][]): string {
  const cells = [head, ...rows.map((r) => r.map(String))];
  const widths = head.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? "").length)));
  const numeric = head.map(
    (_, i) => rows.length > 0 && rows.every((r) => /^-?[\d.,]+%?$/.test(String(r[i] ?? ""))),
  );
  const line = (r: string[]) =>
    r
      .map((c, i) => (numeric[i] ? c.padStart(widths[i] ?? 0) : c.padEnd(widths[i] ?? 0)))
      .join("  ")
      .trimEnd();
  return [line(head), line(widths.map((w) => "-".repeat(w))), ...cells.slice(1).map(line)].join("\n");
}

export const fmtTime = (unix: bigint | number) =>
  new Date(Number(unix) * 1000).toISOString().replace(".000Z", "Z");

export function fmtIn(unix: bigint, now: bigint): string {
  const d = Number(unix - now);
  const a = Math.abs(d);
  const s =
    a < 120
      ? `${a}s`
      : a < 7200
        ? `${Math.round(a / 60)}m`
        : a < 172800
          ? `${(a / 3600).toFixed(1)}h`
          : `${(a / 86400).toFixed(1)}d`;
  return d >= 0 ? `in ${s}` : `${s} ago`;
}

export const pct = (x: number | null) => (x === null ? "-" : `${(x * 100).toFixed(2)}%`);
export const wei = (v: bigint, decimals = 18) => formatUnits(v, decimals);
