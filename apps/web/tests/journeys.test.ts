import { encodeErrorResult, zeroAddress, type Address } from "viem";
import { describe, expect, it } from "vitest";
import { arenaEscrowAbi } from "@zkarena/chain/abis";
import { hiddenSplitCommitment, MLP_SHAPES } from "@zkarena/zk";
import { relative } from "../src/short.ts";
import { HIDDEN_BACKUP_FORMAT, parseSamplesFile, revealDataUri, revealDocument } from "../src/local.ts";
import { metadataHashFor } from "../src/metadata.ts";
import { circuitKey, createChallengeCall } from "../src/publish.ts";
import {
  ContractFunctionRevertedError,
  ContractFunctionExecutionError,
  UserRejectedRequestError,
} from "viem";
import { explainError } from "../src/tx.ts";

const escrow = "0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512" as Address;

describe("parseSamplesFile", () => {
  it("reads JSON rows, {samples}, and CSV with a header", () => {
    expect(parseSamplesFile("[[1,2,0],[3,4,1]]")).toEqual([
      [1, 2, 0],
      [3, 4, 1],
    ]);
    expect(parseSamplesFile('{"format":"zkarena-samples-v1","samples":[[5,6,2]]}')).toEqual([[5, 6, 2]]);
    expect(parseSamplesFile("x0,x1,label\n1,2,0\n3,4,1\n")).toEqual([
      [1, 2, 0],
      [3, 4, 1],
    ]);
  });

  it("rejects negative, fractional and empty input, naming the row", () => {
    expect(() => parseSamplesFile("[[1,2,0],[1,-2,0]]")).toThrow(/Row 2/);
    expect(() => parseSamplesFile("[[1,2.5,0]]")).toThrow(/Row 1/);
    expect(() => parseSamplesFile("[]")).toThrow(/No samples/);
  });
});

describe("createChallengeCall", () => {
  it("encodes the draft, the browser's commitment and the metadata hash for the escrow", () => {
    const rowId = "7c9e6679-7425-40de-944b-e07fc1f90ae7";
    const call = createChallengeCall(
      escrow,
      {
        rowId,
        circuitId: "mlp-d4-h3-c3-n4",
        commitDeadline: 1_900_000_000_000,
        revealDeadline: 1_900_000_100_000,
        proveDeadline: 1_900_000_200_000,
        payoutSharesBps: [6000, 4000],
        minCorrect: 2,
        organiserBond: "100000000000000000",
        tokenAddress: null,
        metadataHash: null,
      },
      { testCommitment: "12345", batchCount: 1 },
    );
    expect(call.value).toBe(10n ** 17n);
    const [params] = call.args as [Record<string, unknown>];
    expect(params).toMatchObject({
      circuitId: circuitKey("mlp-d4-h3-c3-n4"),
      testCommitment: 12345n,
      batchCount: 1,
      commitDeadline: 1_900_000_000n,
      token: zeroAddress,
      payoutBps: [6000, 4000],
      metadataHash: metadataHashFor(rowId),
    });
    expect(metadataHashFor(rowId)).not.toBe(metadataHashFor("another"));
  });
});

describe("reveal document", () => {
  it("round-trips through the data URI and recomputes the committed root", async () => {
    const shape = MLP_SHAPES.ci.shape;
    const samples = [
      [1, 2, 3, 4, 0],
      [15, 0, 0, 0, 1],
      [0, 15, 0, 0, 2],
      [3, 3, 3, 3, 1],
    ];
    const salt = 987654321n;
    const split = await hiddenSplitCommitment(
      samples.map((r) => ({ x: r.slice(0, 4).map(BigInt), label: BigInt(r[4] as number) })),
      salt,
      shape,
    );
    const backup = {
      format: HIDDEN_BACKUP_FORMAT,
      challengeRowId: "x",
      circuitId: MLP_SHAPES.ci.id,
      testSalt: salt.toString(),
      testCommitment: BigInt(split.root).toString(),
      batchCount: split.batchCount,
      samples,
    } as const;
    const uri = revealDataUri(backup);
    const doc = JSON.parse(Buffer.from(uri.split(",")[1] as string, "base64").toString("utf8")) as ReturnType<
      typeof revealDocument
    >;
    expect(doc).toEqual(revealDocument(backup));
    const again = await hiddenSplitCommitment(
      doc.samples.map((r) => ({ x: r.slice(0, 4).map(BigInt), label: BigInt(r[4] as number) })),
      BigInt(doc.testSalt),
      shape,
    );
    expect(again.root).toBe(split.root);
  });
});

describe("explainError", () => {
  function revert(errorName: string, args: readonly unknown[] = []) {
    const data = encodeErrorResult({ abi: arenaEscrowAbi, errorName, args } as never);
    const cause = new ContractFunctionRevertedError({ abi: arenaEscrowAbi, data, functionName: "fund" });
    return new ContractFunctionExecutionError(cause, { abi: arenaEscrowAbi, functionName: "fund", args: [] });
  }

  it("decodes the escrow's custom errors into what to do", () => {
    expect(explainError(revert("ArenaEscrow__WrongPhase", [1n, 1]))).toMatch(
      /AwaitingReveal.*ArenaEscrow__WrongPhase/,
    );
    expect(explainError(revert("ArenaEscrow__BelowMinCorrect", [1, 3]))).toMatch(
      /below the challenge's minimum of 3/,
    );
    expect(explainError(revert("ArenaEscrow__InvalidProof"))).toMatch(/verifier rejected/);
  });

  it("says a rejected request sent nothing", () => {
    expect(explainError(new UserRejectedRequestError(new Error("no")))).toMatch(/rejected.*nothing was sent/);
  });
});

describe("relative", () => {
  it("reads as a countdown or an age", () => {
    expect(relative(90_000)).toBe("in 1 d 1 h");
    expect(relative(-125)).toBe("2 min ago");
    expect(relative(5)).toBe("in 5 s");
  });
});
