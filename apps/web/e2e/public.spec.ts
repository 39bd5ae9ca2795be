// The live public leaderboard, end to end on the CI circuit (mlp-d4-h3-c3-n4): the organiser creates a
// challenge through the UI with an 8-sample public split (two batches of 4); a data scientist imports a
// model (an unsupported ONNX file refused with the reason, a PyTorch ONNX export scored, then the
// JSON model), commits, proves both public batches in the browser, signs in and submits; the worker verifies
// the proofs off-chain; a viewer without a wallet sees the VERIFIED row, downloads a proof and
// re-verifies it with snarkjs; a tampered copy (its score changed) posted to the REST API is REJECTED
// and never shows on the leaderboard.
import { readFileSync } from "node:fs";
import path from "node:path";
import type { APIRequestContext, Request } from "@playwright/test";
import * as snarkjs from "snarkjs";
import { MLP_SHAPES, infer, quantize } from "@zkarena/zk";
import { createChallenge } from "./create-flow";
import { confirmed, connectWallet, expect, person, screenshot, screenshotDir, test } from "./fixtures";

const shape = MLP_SHAPES.ci.shape;
// Distinctive float weights: the network log is searched for them (they must never leave the browser).
// Each hidden unit mostly reads one feature (its weight on it is the distinctive value).
const distinctive = [0.7417313, 0.6529917, 0.5871153];
const model = {
  format: "zkarena.model/v1",
  family: "mlp",
  ...{ D: shape.D, H: shape.H, C: shape.C },
  W1: distinctive.map((w, h) => [0, 1, 2, 3].map((d) => (d === h ? w : (d + h) % 2 ? -0.15 : 0.05))),
  b1: [0.01, 0.02, 0.03],
  W2: [0, 1, 2].map((c) => [0, 1, 2].map((h) => (c === h ? 0.9 : -0.25))),
  b2: [0, 0, 0],
};

/** Eight samples the model gets right except rows 2 and 5: 3/4 in each public batch, 6/8 in all. */
function labelledRows(count: number, seed: number, wrong: (i: number) => boolean): number[][] {
  const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % 16);
  const { model: q } = quantize(model, shape, { inputMax: 15 });
  return Array.from({ length: count }, (_, i) => {
    const x = [rnd(), rnd(), rnd(), rnd()];
    const predicted = infer(q, x.map(BigInt)).prediction;
    return [...x, wrong(i) ? (predicted + 1) % shape.C : predicted];
  });
}
const publicRows = labelledRows(8, 11, (i) => i % 3 === 2);
const hiddenRows = labelledRows(4, 29, () => false);

interface ProofJson {
  id: string;
  challengeId: string;
  batchIndex: number;
  status: string;
  error: string | null;
  correct: number;
  total: number;
  publicSignals: string[];
  proof: Record<string, unknown>;
}

async function proofJson(request: APIRequestContext, path: string): Promise<ProofJson> {
  const res = await request.get(path);
  expect(res.ok(), `${path}: ${res.status()}`).toBe(true);
  return (await res.json()) as ProofJson;
}

test("a data scientist proves on the public split in the browser and ranks on the live public leaderboard", async ({
  browser,
  baseURL,
}) => {
  test.setTimeout(300_000);
  const errors: string[] = [];
  const base = baseURL ?? "";
  const organiser = await person(browser, base, 1, errors);
  const scientist = await person(browser, base, 6, errors);
  const viewer = await person(browser, base, null, errors);
  const slug = `e2e-public-${Date.now().toString(36)}`;

  await createChallenge(organiser.page, {
    slug,
    title: "E2E public leaderboard",
    publicRows,
    hiddenRows,
  });
  await expect(organiser.page.getByTestId("public-leaderboard-empty")).toBeVisible();

  // The data scientist imports, commits, then proves on the public split and submits.
  const p = scientist.page;
  const sent: Request[] = [];
  p.on("request", (r) => sent.push(r));
  await p.goto(`/challenges/${slug}`);
  await connectWallet(p);
  // ONNX is read in the browser too: an unsupported operator is named with what to do instead; a
  // PyTorch export of the circuit's shape is imported and scored on the public split. (The JSON model
  // below is the one committed.)
  const onnx = (name: string) => ({
    name,
    mimeType: "application/octet-stream",
    buffer: readFileSync(new URL(`../../../packages/zk/fixtures/onnx/${name}`, import.meta.url)),
  });
  await p.getByLabel(/Import your model/).setInputFiles(onnx("conv.onnx"));
  await expect(p.getByTestId("model-error")).toContainText(/ONNX import failed: .*Conv.*Linear/, {
    timeout: 60_000,
  });
  await p.getByLabel(/Import your model/).setInputFiles(onnx("mlp.onnx"));
  await expect(p.getByTestId("model-report")).toContainText("mlp.onnx");
  await expect(p.getByTestId("quantized-accuracy")).toContainText("on 8 public samples");
  await expect(p.getByTestId("model-error")).toHaveCount(0);
  await p.getByLabel(/Import your model/).setInputFiles({
    name: "model.json",
    mimeType: "application/json",
    buffer: Buffer.from(JSON.stringify(model)),
  });
  await expect(p.getByTestId("quantized-accuracy")).toContainText("75.0% on 8 public samples");
  await p.getByTestId("commit").click();
  await confirmed(p);
  await p.getByTestId("download-backup").click();
  await expect(p.getByTestId("public-proof-panel")).toBeVisible();
  await p.getByTestId("prove-public").click();
  await expect(p.getByTestId("public-proof-status").locator("li")).toHaveCount(2, { timeout: 150_000 });
  await expect(p.getByTestId("public-proof-verified")).toContainText("6/8 correct", { timeout: 120_000 });
  await expect(p.getByTestId("public-proof-status")).not.toContainText("REJECTED");
  // The live board in the data scientist's own page picks the new row up without a reload.
  const me = (await p.getByTestId("wallet-address").getAttribute("title"))?.toLowerCase();
  await expect(p.getByTestId("public-leaderboard").locator("tbody tr")).toHaveCount(1);
  await screenshot(p, "public-proof-verified");

  // Only proofs left the browser: no request carried the weights or the salt.
  expect(sent.some((r) => r.url().includes("submitPublicProof"))).toBe(true);
  for (const r of sent) {
    const body = r.postData() ?? "";
    for (const needle of [...distinctive.map(String), '"W1"', "modelSalt"])
      expect(body.includes(needle), `${r.method()} ${r.url()} carries ${needle}`).toBe(false);
  }

  // A viewer without a wallet sees the verified row and can re-verify its proofs.
  const v = viewer.page;
  await v.goto(`/challenges/${slug}`);
  const board = v.getByTestId("public-leaderboard");
  const rows = board.locator("tbody tr");
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText("6/8");
  await expect(rows.first()).toContainText("75.0%");
  await expect(rows.first()).toContainText("VERIFIED");
  if (me) await expect(rows.first()).toHaveAttribute("data-competitor", me);
  await expect(v.getByTestId("public-board-note")).toContainText("Payouts depend only on the hidden split");
  await expect(v.getByTestId("public-board").locator("svg.chart")).toHaveCount(2);
  await screenshot(v, "public-leaderboard");
  const links = rows.first().getByTestId("public-proof-link");
  await expect(links).toHaveCount(2);
  const proofs = await Promise.all(
    (await links.evaluateAll((as) => as.map((a) => a.getAttribute("href") ?? ""))).map((href) =>
      proofJson(v.request, href),
    ),
  );
  const vkRes = await v.request.get("/circuits/mlp-d4-h3-c3-n4/verification_key.json");
  expect(vkRes.ok()).toBe(true);
  const vk = (await vkRes.json()) as Record<string, unknown>;
  for (const proof of proofs) {
    expect(proof.status).toBe("VERIFIED");
    expect(proof.publicSignals[2]).toBe("3");
    expect(await snarkjs.groth16.verify(vk, proof.publicSignals, proof.proof as never)).toBe(true);
  }

  // A tampered copy (batch 0 claimed 4/4 instead of 3/4) posted with the data scientist's session.
  const original = proofs.find((x) => x.batchIndex === 0);
  if (!original) throw new Error("no proof of public batch 0");
  const tamperedSignals = original.publicSignals.map((s, i) => (i === 2 ? "4" : s));
  expect(await snarkjs.groth16.verify(vk, tamperedSignals, original.proof as never)).toBe(false);
  const posted = await p.request.post(`/api/v1/challenges/${original.challengeId}/proofs`, {
    data: { batchIndex: 0, proof: original.proof, publicSignals: tamperedSignals },
  });
  expect(posted.ok(), await posted.text()).toBe(true);
  const tampered = (await posted.json()) as ProofJson;
  expect(tampered.status).toBe("PENDING");
  await expect
    .poll(async () => (await proofJson(v.request, `/api/v1/proofs/${tampered.id}`)).status, {
      timeout: 60_000,
    })
    .toBe("REJECTED");
  expect((await proofJson(v.request, `/api/v1/proofs/${tampered.id}`)).error).toContain("does not verify");
  await v.reload();
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText("6/8");
  await expect(rows.first().getByTestId("public-proof-link")).toHaveCount(2);

  // The board fits a phone: the table scrolls inside its card, the page does not scroll sideways.
  await v.setViewportSize({ width: 360, height: 740 });
  await expect(rows).toHaveCount(1);
  const overflow = await v.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow, "the challenge page scrolls sideways at 360 px").toBeLessThanOrEqual(0);
  await v.getByTestId("public-board").screenshot({
    path: path.join(screenshotDir, "public-leaderboard-360px.png"),
  });

  for (const who of [organiser, scientist, viewer]) await who.context.close();
  expect(errors, "no console errors in any page").toEqual([]);
});
