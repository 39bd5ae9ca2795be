"use client";
// The organiser's dashboard on a challenge page: publish a draft on-chain, follow the commitments,
// reveal the hidden split when the window opens (with its deadline), see the results. The reveal
// points the escrow at the platform's release URL of the sealed split; a draft from before the
// platform's custody reveals from the organiser's local copy instead (data: URI or a pasted URL).
import { useQuery } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import type { Address } from "viem";
import { arenaEscrowAbi } from "@zkarena/chain/abis";
import type { ChallengeRef } from "~/components/challenge-actions";
import { Countdown } from "~/components/countdown";
import { usePublicEnv } from "~/components/providers";
import { TxStatus } from "~/components/tx-status";
import {
  HIDDEN_BACKUP_FORMAT,
  MAX_INLINE_REVEAL_BYTES,
  loadHidden,
  revealDataUri,
  storeHidden,
  type HiddenBackup,
} from "~/local";
import { createChallengeCall } from "~/publish";
import { platformRevealUri } from "~/reveal";
import type { OnchainChallenge } from "~/server/chain";
import { shortAddress } from "~/short";
import { useTRPC } from "~/trpc/react";
import { useTx } from "~/tx";

function useHiddenBackup(rowId: string) {
  const [backup, setBackup] = useState<HiddenBackup | null>(null);
  const [error, setError] = useState<string | null>(null);
  // localStorage is only readable after hydration (the server render has no backup).
  // eslint-disable-next-line react-hooks/set-state-in-effect
  useEffect(() => setBackup(loadHidden(rowId)), [rowId]);
  const importFile = async (file: File) => {
    setError(null);
    try {
      const doc = JSON.parse(await file.text()) as HiddenBackup;
      if (doc.format !== HIDDEN_BACKUP_FORMAT) throw new Error(`not a ${HIDDEN_BACKUP_FORMAT} file`);
      if (doc.challengeRowId !== rowId) throw new Error("this backup belongs to another challenge");
      storeHidden(doc);
      setBackup(doc);
    } catch (e) {
      setError(
        `That file cannot be used: ${e instanceof Error ? e.message : String(e)}. Choose the hidden-split backup you downloaded when you created the challenge.`,
      );
    }
  };
  return { backup, error, importFile };
}

/** The hidden split the platform holds sealed for this challenge (dataset.list's HIDDEN row), if any. */
function useCustody(rowId: string) {
  const trpc = useTRPC();
  const list = useQuery(trpc.dataset.list.queryOptions({ challengeId: rowId }));
  const find = (rows: typeof list.data) => {
    const row = rows?.find((s) => s.kind === "HIDDEN");
    return row?.commitment && row.batchCount
      ? { testCommitment: BigInt(row.commitment).toString(), batchCount: row.batchCount }
      : null;
  };
  return {
    custody: find(list.data),
    /** Asks the API again (just before a reveal is sent). */
    check: async () => find((await list.refetch({ throwOnError: true })).data),
  };
}

function BackupPicker({ onFile, error }: { onFile: (f: File) => void; error: string | null }) {
  return (
    <div className="field">
      <label htmlFor="hidden-backup">Hidden-split backup file (kept only in this browser)</label>
      <input
        id="hidden-backup"
        type="file"
        accept="application/json,.json"
        className="input"
        onChange={(e) => {
          const f = e.target.files?.[0];
          if (f) onFile(f);
        }}
      />
      {error ? (
        <p className="field-error" role="alert">
          {error}
        </p>
      ) : null}
    </div>
  );
}

export function OrganiserPanel({
  challenge,
  onchain,
  address,
}: {
  challenge: ChallengeRef;
  onchain: OnchainChallenge | null;
  address: Address;
}) {
  const env = usePublicEnv();
  const tx = useTx();
  const hidden = useHiddenBackup(challenge.rowId);
  const { custody, check: checkCustody } = useCustody(challenge.rowId);
  const [uri, setUri] = useState("");
  const [revealError, setRevealError] = useState<string | null>(null);
  const isOrganiser = address.toLowerCase() === challenge.organiserAddress.toLowerCase();

  if (!onchain) {
    if (!isOrganiser)
      return (
        <p className="muted" data-testid="draft-note">
          This challenge is a draft: it opens once its organiser publishes it on-chain.
        </p>
      );
    // The commitment the platform sealed, else this browser's copy (drafts from before custody).
    const committed = custody ?? hidden.backup;
    const publish = async () => {
      if (!env.escrow || !committed) return;
      await tx.send(
        "Create the challenge on-chain",
        createChallengeCall(env.escrow, { ...challenge }, committed),
        address,
      );
    };
    return (
      <div className="panel" data-testid="publish-panel">
        <h3>Publish on-chain</h3>
        <p className="muted small">
          The escrow stores the hidden split&apos;s commitment, the deadlines, the shares and your bond. The
          challenge id is assigned on-chain.
        </p>
        {committed ? (
          <p className="small">
            Test commitment <span className="mono">{committed.testCommitment}</span> ({committed.batchCount}{" "}
            batch
            {committed.batchCount === 1 ? "" : "es"}){custody ? ", sealed by the platform" : ""}.
          </p>
        ) : (
          <BackupPicker onFile={(f) => void hidden.importFile(f)} error={hidden.error} />
        )}
        {!env.escrow ? (
          <p className="field-error">No escrow is deployed on this chain; see the status page.</p>
        ) : null}
        <button
          type="button"
          className="btn btn-primary"
          disabled={
            !committed || !env.escrow || tx.state.status === "pending" || tx.state.status === "wallet"
          }
          onClick={() => void publish()}
          data-testid="publish-onchain"
        >
          Create on-chain
        </button>
        <TxStatus state={tx.state} />
      </div>
    );
  }

  const id = BigInt(onchain.id);
  const serverNow = onchain.serverNow;
  const onchainCommitment = BigInt(onchain.testCommitment);
  const held = custody && BigInt(custody.testCommitment) === onchainCommitment ? custody : null;
  const releaseUri = platformRevealUri(env.siteUrl, challenge.slug);
  const reveal = async () => {
    setRevealError(null);
    let target: string;
    let current: Awaited<ReturnType<typeof checkCustody>>;
    try {
      current = await checkCustody();
    } catch (e) {
      setRevealError(
        `Could not check the platform's copy of the hidden split (${e instanceof Error ? e.message : String(e)}). Nothing was sent; try again.`,
      );
      return;
    }
    if (current && BigInt(current.testCommitment) === onchainCommitment) {
      target = releaseUri;
    } else {
      target = uri.trim();
      if (!target) {
        if (!hidden.backup) {
          setRevealError(
            "The platform holds no hidden split for this challenge: choose your hidden-split backup file to reveal from it.",
          );
          return;
        }
        const doc = revealDataUri(hidden.backup);
        if (doc.length > MAX_INLINE_REVEAL_BYTES) {
          setRevealError(
            "The split is too large to publish inside the transaction: publish the reveal file at an https address and paste it above. Nothing was sent.",
          );
          return;
        }
        target = doc;
      }
    }
    await tx.send(
      "Reveal the hidden split",
      { address: onchain.escrow, abi: arenaEscrowAbi, functionName: "reveal", args: [id, target] },
      address,
    );
  };
  const matches = hidden.backup ? BigInt(hidden.backup.testCommitment) === onchainCommitment : null;
  const inlineSize = hidden.backup ? revealDataUri(hidden.backup).length : 0;

  return (
    <div className="panel" data-testid="organiser-panel">
      <h3>Organiser dashboard</h3>
      <p className="small">
        {onchain.committerCount} competitor{onchain.committerCount === 1 ? "" : "s"} committed ·{" "}
        {onchain.sponsorCount} sponsor
        {onchain.sponsorCount === 1 ? "" : "s"}
      </p>
      {onchain.committers.length > 0 ? (
        <ul className="list-reset rows small" data-testid="commitments">
          {onchain.committers.map((c) => (
            <li key={c.address} className="row">
              <span className="mono">{shortAddress(c.address)}</span>
              <span className="muted">
                {new Date(c.at * 1000).toISOString().slice(0, 16).replace("T", " ")} UTC
                {c.recommits ? ` · ${c.recommits} re-commit(s)` : ""}
              </span>
            </li>
          ))}
        </ul>
      ) : null}
      {onchain.phase === "Open" ? (
        <p className="muted small">
          The reveal window opens when commits close (
          <Countdown target={onchain.commitDeadline} chainNow={onchain.chainNow} serverNow={serverNow} />) and
          ends <Countdown target={onchain.revealDeadline} chainNow={onchain.chainNow} serverNow={serverNow} />
          .{" "}
          {held
            ? "The platform holds your hidden split sealed: revealing needs no local copy."
            : `Keep your hidden-split backup at hand${hidden.backup ? " (this browser has it)" : ""}.`}
        </p>
      ) : null}
      {onchain.phase === "AwaitingReveal" ? (
        <div className="stack" data-testid="reveal-panel">
          <div className="callout callout-warn" role="status">
            <strong>
              Reveal now: the window closes{" "}
              <Countdown target={onchain.revealDeadline} chainNow={onchain.chainNow} serverNow={serverNow} />.
            </strong>
            <span>
              Without a reveal, sponsors are refunded in full and your bond goes to the committed competitors.
            </span>
          </div>
          {held ? (
            <p className="small" data-testid="reveal-custody">
              The platform holds your hidden split sealed under the on-chain commitment. The reveal publishes
              its release address, <span className="mono">{releaseUri}</span>, where the platform serves the
              samples and salt to everyone once your reveal transaction is final; anyone can then recompute
              the commitment. No local copy is needed.
            </p>
          ) : hidden.backup ? (
            matches ? (
              <p className="small">
                Your hidden split matches the on-chain commitment. It is published in the reveal transaction
                itself ({(inlineSize / 1024).toFixed(1)} KiB), so anyone can recompute the commitment.
              </p>
            ) : (
              <p className="field-error" role="alert">
                This backup&apos;s commitment ({hidden.backup.testCommitment}) is not the one on-chain: it is
                from another upload. Choose the right backup file.
              </p>
            )
          ) : (
            <BackupPicker onFile={(f) => void hidden.importFile(f)} error={hidden.error} />
          )}
          {!held && hidden.backup && inlineSize > MAX_INLINE_REVEAL_BYTES ? (
            <div className="field">
              <label htmlFor="reveal-uri">
                The split is too large to publish inside the transaction: publish the reveal file at an https
                URL and paste it
              </label>
              <input
                id="reveal-uri"
                className="input"
                value={uri}
                onChange={(e) => setUri(e.target.value)}
                placeholder="https://…"
              />
            </div>
          ) : null}
          <button
            type="button"
            className="btn btn-primary"
            onClick={() => void reveal()}
            disabled={
              !held &&
              (!hidden.backup || matches === false || (inlineSize > MAX_INLINE_REVEAL_BYTES && !uri.trim()))
            }
            data-testid="reveal"
          >
            Reveal the hidden split
          </button>
          {revealError ? (
            <p className="field-error" role="alert" data-testid="reveal-error">
              {revealError}
            </p>
          ) : null}
        </div>
      ) : null}
      {onchain.phase === "Proving" || onchain.phase === "Settled" ? (
        <p className="small" data-testid="organiser-results">
          Revealed. {onchain.proofs.length} accepted proof{onchain.proofs.length === 1 ? "" : "s"};{" "}
          {onchain.leaderboard.length} ranked competitor{onchain.leaderboard.length === 1 ? "" : "s"}.{" "}
          {onchain.phase === "Settled"
            ? "Settled: winners and sponsors can claim."
            : "Proofs are open until the prove deadline."}
        </p>
      ) : null}
      <TxStatus state={tx.state} />
    </div>
  );
}
