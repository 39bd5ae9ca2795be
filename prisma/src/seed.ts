// Demo data for a fresh installation: a handful of accounts and challenges in different states, so
// that every page has something real to show. Idempotent: upserts by natural keys. The on-chain
// mirror fields stay empty until the escrow exists on the chain the app is pointed at: the chain is
// the source of truth for money, and the seed never invents transactions.
import type { PrismaClient } from "./generated/prisma/client";

const DAY = 86_400_000;

export const demoAccounts = {
  organiser: "0x70997970c51812dc3a010c7d01b50e0d17dc79c8",
  sponsorA: "0x3c44cdddb6a900fa2b585dd299e03d12fa4293bc",
  sponsorB: "0x90f79bf6eb2c4f870365e785982e1f101e93b906",
  alice: "0x15d34aaf54267db7d7c367839aaf71a00a2c6a65",
  bob: "0x9965507d1a55bcc2695c58ba16fb37d819b0a4dc",
  carol: "0x976ea74026e726554db657fa54763abd0c3a0aa9",
} as const;

export interface SeedResult {
  accounts: number;
  challenges: string[];
}

export async function seedDemo(
  db: PrismaClient,
  options: { chainId: number; now?: Date },
): Promise<SeedResult> {
  const now = options.now?.getTime() ?? Date.now();
  const names: Record<string, string> = {
    organiser: "Digits Lab",
    sponsorA: "Open Vision Fund",
    sponsorB: "Tensor Collective",
    alice: "alice.eth",
    bob: "bob-trains",
    carol: "carol_ml",
  };
  for (const [key, address] of Object.entries(demoAccounts)) {
    await db.account.upsert({
      where: { address },
      create: { address, displayName: names[key] ?? null },
      update: {},
    });
  }

  const challenges = [
    {
      slug: "digits-8x8",
      title: "Handwritten digits, 8×8",
      summary:
        "Classify 8×8 grey-scale handwritten digits into 10 classes with a small MLP. Private model, provable score.",
      description: [
        "## Task",
        "Each sample is an 8×8 image of a handwritten digit with pixel intensities 0-16. Predict the digit (0-9).",
        "",
        "## Rules",
        "- Model family: MLP with 64 inputs, 16 hidden ReLU units, 10 outputs (int8 weights, u8 inputs).",
        "- Commit your model before the commit deadline; after the organiser reveals the hidden split, prove how many samples it gets right.",
        "- Ranking: most correct, then earliest commitment, then address.",
        "",
        "## Data",
        "Training and public validation splits are published with this challenge; the hidden split is revealed after the commit deadline.",
      ].join("\n"),
      task: "Classify 8×8 handwritten digits (10 classes)",
      tags: ["vision", "digits", "mlp"],
      circuitId: "mlp-d64-h16-c10-n32",
      state: "OPEN" as const,
      commitDeadline: new Date(now + 7 * DAY),
      revealDeadline: new Date(now + 9 * DAY),
      proveDeadline: new Date(now + 12 * DAY),
      payoutSharesBps: [5000, 3000, 2000],
      minCorrect: 24,
    },
    {
      slug: "fashion-mnist-14x14",
      title: "Fashion-MNIST, 14×14",
      summary:
        "Recognise clothing items from down-sampled Fashion-MNIST images. Draft: opens when the organiser publishes it on-chain.",
      description:
        "## Task\nClassify 14×14 down-sampled Fashion-MNIST images into 10 clothing classes with an MLP (196 → 32 → 10).\n",
      task: "Classify 14×14 clothing images (10 classes)",
      tags: ["vision", "fashion-mnist", "mlp"],
      circuitId: "mlp-d196-h32-c10-n32",
      state: "DRAFT" as const,
      commitDeadline: new Date(now + 21 * DAY),
      revealDeadline: new Date(now + 23 * DAY),
      proveDeadline: new Date(now + 28 * DAY),
      payoutSharesBps: [6000, 4000],
      minCorrect: 20,
    },
  ];

  for (const c of challenges) {
    await db.challenge.upsert({
      where: { slug: c.slug },
      create: {
        ...c,
        modelFamily: "MLP",
        organiserAddress: demoAccounts.organiser,
        chainId: options.chainId,
      },
      update: {},
    });
  }
  return { accounts: Object.keys(demoAccounts).length, challenges: challenges.map((c) => c.slug) };
}
