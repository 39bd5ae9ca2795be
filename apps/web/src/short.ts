export function shortAddress(address: string): string {
  return `${address.slice(0, 6)}…${address.slice(-4)}`;
}

export function shortHash(hash: string): string {
  return hash.length > 18 ? `${hash.slice(0, 10)}…${hash.slice(-6)}` : hash;
}

/** The wall clock in seconds (server renders compare deadlines with it when the chain is unreadable). */
export function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}

/** "in 2 d 3 h", "5 min ago"; seconds of difference. */
export function relative(seconds: number): string {
  const abs = Math.abs(seconds);
  const parts: string[] = [];
  const d = Math.floor(abs / 86_400);
  const h = Math.floor((abs % 86_400) / 3600);
  const m = Math.floor((abs % 3600) / 60);
  const s = Math.floor(abs % 60);
  if (d) parts.push(`${d} d`);
  if (h) parts.push(`${h} h`);
  if (!d && m) parts.push(`${m} min`);
  if (!d && !h && !m) parts.push(`${s} s`);
  const text = parts.slice(0, 2).join(" ");
  return seconds >= 0 ? `in ${text}` : `${text} ago`;
}
