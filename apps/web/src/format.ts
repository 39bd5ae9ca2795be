// Display helpers shared by the pages. Dates are shown in UTC so that server and browser agree.
import { formatUnits } from "viem";

const dateFormat = new Intl.DateTimeFormat("en-GB", {
  year: "numeric",
  month: "short",
  day: "numeric",
  hour: "2-digit",
  minute: "2-digit",
  timeZone: "UTC",
});

export function formatDate(date: Date): string {
  return `${dateFormat.format(date)} UTC`;
}

/** "1.5 ETH" from a base-unit decimal string. */
export function formatAmount(baseUnits: string | null, decimals: number, symbol: string): string {
  if (baseUnits === null) return "—";
  const value = formatUnits(BigInt(baseUnits), decimals);
  const [whole, fraction = ""] = value.split(".");
  const short = fraction.slice(0, 4).replace(/0+$/, "");
  return `${whole}${short ? `.${short}` : ""} ${symbol}`;
}

/** "25.00%": `part` of `whole` to two decimals, rounded down ("0.00%" for an empty whole). */
export function sharePercent(part: bigint, whole: bigint): string {
  if (whole <= 0n) return "0.00%";
  return `${(Number((part * 10_000n) / whole) / 100).toFixed(2)}%`;
}

export type ChallengeStateName =
  "DRAFT" | "OPEN" | "REVEALED" | "SETTLED" | "REFUNDING_NO_REVEAL" | "REFUNDING_NO_WINNER";

export const stateLabels: Record<
  ChallengeStateName,
  { label: string; tone: "ok" | "accent" | "neutral" | "warn" }
> = {
  DRAFT: { label: "Draft", tone: "neutral" },
  OPEN: { label: "Open for commits", tone: "ok" },
  REVEALED: { label: "Test set revealed", tone: "accent" },
  SETTLED: { label: "Settled", tone: "neutral" },
  REFUNDING_NO_REVEAL: { label: "Refunding (no reveal)", tone: "warn" },
  REFUNDING_NO_WINNER: { label: "Refunding (no winner)", tone: "warn" },
};
