import type { Metadata } from "next";
import { MLP_SHAPES } from "@zkarena/zk/core";
import { CreateChallenge, type ShapeOption } from "~/components/create-challenge";
import { clientContracts } from "~/server/chain";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Create a challenge" };

export default async function CreatePage() {
  const contracts = await clientContracts();
  const shapes: ShapeOption[] = Object.values(MLP_SHAPES).map((s) => ({
    id: s.id,
    template: s.template,
    D: s.shape.D,
    H: s.shape.H,
    C: s.shape.C,
    N: s.shape.N,
    inBits: s.shape.inBits,
    constraints: s.constraints,
    deployed: s.id in contracts.vkHashes,
  }));
  return (
    <>
      <div className="page-head">
        <div>
          <h1>Create a challenge</h1>
          <p>
            Describe the task, publish the training and public splits, commit to the hidden split (computed
            here, in your browser, before anything is sent), choose the model shape, timeline and payouts,
            then create it on-chain.
          </p>
        </div>
      </div>
      <CreateChallenge shapes={shapes} />
    </>
  );
}
