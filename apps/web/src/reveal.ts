// The hidden split after the reveal: where the organiser points the escrow (the platform's release
// URL for the split it holds sealed), and how a prover reads what the reveal event's URI answers.

/** The platform's release URL of a challenge's hidden split (the `/challenges/[slug]/data/hidden` route). */
export function platformRevealUri(siteUrl: string, slug: string): string {
  return new URL(`/challenges/${encodeURIComponent(slug)}/data/hidden`, siteUrl).href;
}

/** The URI answered 403: the platform releases the split only once the reveal is final. */
export class RevealNotFinalError extends Error {
  override name = "RevealNotFinalError";
}

export interface RevealedSplit {
  /** decimal */
  testSalt: string;
  /** [x_0 … x_{D−1}, label] */
  samples: number[][];
}

/**
 * Reads the revealed split at `uri` (a data: URI or http(s) URL). A 403 throws RevealNotFinalError
 * (try again later); any other failure throws an Error that says what went wrong.
 */
export async function fetchReveal(uri: string, fetchImpl: typeof fetch = fetch): Promise<RevealedSplit> {
  if (!/^(data:application\/json|https?:)/.test(uri))
    throw new Error(`The organiser revealed an address this app cannot read (${uri.slice(0, 60)}).`);
  const res = await fetchImpl(uri);
  if (res.status === 403) {
    const reason = (await res.text().catch(() => "")).slice(0, 300);
    throw new RevealNotFinalError(
      reason || "The hidden split is released only after the organiser's reveal is final.",
    );
  }
  if (!res.ok)
    throw new Error(`The revealed split could not be fetched (${res.status}) from ${uri.slice(0, 80)}.`);
  const doc = (await res.json()) as { testSalt?: unknown; samples?: unknown };
  if (typeof doc.testSalt !== "string" || !Array.isArray(doc.samples))
    throw new Error("The revealed file has no testSalt and samples.");
  return { testSalt: doc.testSalt, samples: doc.samples as number[][] };
}

export interface PollRevealOptions {
  /** Called with the server's reason each time the split is not released yet. */
  onWaiting: (reason: string) => void;
  /** Checked after each wait; true stops the polling (the result is then null). */
  isCancelled: () => boolean;
  intervalMs?: number;
  fetchImpl?: typeof fetch;
}

/** fetchReveal, asking again every `intervalMs` while the URI answers 403 (reveal not final yet). */
export async function pollReveal(uri: string, options: PollRevealOptions): Promise<RevealedSplit | null> {
  const { onWaiting, isCancelled, intervalMs = 4000, fetchImpl = fetch } = options;
  for (;;) {
    try {
      return await fetchReveal(uri, fetchImpl);
    } catch (error) {
      if (!(error instanceof RevealNotFinalError)) throw error;
      onWaiting(error.message);
      await new Promise((resolve) => setTimeout(resolve, intervalMs));
      if (isCancelled()) return null;
    }
  }
}
