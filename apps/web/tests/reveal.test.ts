import { describe, expect, it } from "vitest";
import { RevealNotFinalError, fetchReveal, platformRevealUri, pollReveal } from "../src/reveal.ts";

const sealed =
  "The hidden split is released only after the organiser's on-chain reveal is final, and the reveal at block 12 is not final yet (final block: 11). Try again later.";
const doc = { format: "zkarena-hidden-split-v1", testSalt: "123", samples: [[1, 2, 3, 4, 0]] };

/** A fetch that answers each call with the next of `answers` and records the URLs it was asked. */
function scripted(answers: (() => Response)[]) {
  const asked: string[] = [];
  const impl = (async (input: RequestInfo | URL) => {
    asked.push(String(input));
    const next = answers.shift();
    if (!next) throw new Error("no more answers");
    return next();
  }) as typeof fetch;
  return { impl, asked };
}

describe("platformRevealUri", () => {
  it("is the site's hidden-split route for the challenge, absolute", () => {
    expect(platformRevealUri("https://arena.example.org", "digits-8x8")).toBe(
      "https://arena.example.org/challenges/digits-8x8/data/hidden",
    );
    expect(platformRevealUri("http://127.0.0.1:3100", "a-b")).toBe(
      "http://127.0.0.1:3100/challenges/a-b/data/hidden",
    );
  });
});

describe("fetchReveal", () => {
  it("reads the platform's sealed-custody document (testSalt and samples)", async () => {
    const { impl } = scripted([() => Response.json(doc)]);
    await expect(fetchReveal("https://arena.example.org/x", impl)).resolves.toEqual({
      testSalt: "123",
      samples: [[1, 2, 3, 4, 0]],
    });
  });

  it("turns a 403 into RevealNotFinalError with the platform's reason, other failures into errors", async () => {
    const forbidden = scripted([() => new Response(sealed, { status: 403 })]);
    const error = await fetchReveal("https://arena.example.org/x", forbidden.impl).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RevealNotFinalError);
    expect((error as Error).message).toBe(sealed);

    const missing = scripted([() => new Response("no", { status: 404 })]);
    const other = await fetchReveal("https://arena.example.org/x", missing.impl).catch((e: unknown) => e);
    expect(other).not.toBeInstanceOf(RevealNotFinalError);
    expect((other as Error).message).toMatch(/could not be fetched \(404\)/);

    await expect(fetchReveal("ipfs://bafy", scripted([]).impl)).rejects.toThrow(/cannot read/);
    await expect(
      fetchReveal("https://x", scripted([() => Response.json({ samples: [] })]).impl),
    ).rejects.toThrow(/no testSalt/);
  });
});

describe("pollReveal", () => {
  it("waits while the URI answers 403 and returns the split once it is released", async () => {
    const { impl, asked } = scripted([
      () => new Response(sealed, { status: 403 }),
      () => new Response(sealed, { status: 403 }),
      () => Response.json(doc),
    ]);
    const reasons: string[] = [];
    const out = await pollReveal("https://arena.example.org/c/data/hidden", {
      onWaiting: (r) => reasons.push(r),
      isCancelled: () => false,
      intervalMs: 1,
      fetchImpl: impl,
    });
    expect(out?.testSalt).toBe("123");
    expect(reasons).toEqual([sealed, sealed]);
    expect(asked).toHaveLength(3);
  });

  it("stops when cancelled and does not retry other errors", async () => {
    const cancelled = await pollReveal("https://x", {
      onWaiting: () => {},
      isCancelled: () => true,
      intervalMs: 1,
      fetchImpl: scripted([() => new Response(sealed, { status: 403 })]).impl,
    });
    expect(cancelled).toBeNull();
    const failing = scripted([() => new Response("boom", { status: 500 }), () => Response.json(doc)]);
    await expect(
      pollReveal("https://x", {
        onWaiting: () => {},
        isCancelled: () => false,
        intervalMs: 1,
        fetchImpl: failing.impl,
      }),
    ).rejects.toThrow(/\(500\)/);
    expect(failing.asked).toHaveLength(1);
  });
});
