"use client";
// The organiser's dashboard on a challenge page: publish a draft on-chain, follow the commitments,
// reveal the hidden split when the window opens (with its deadline), see the results.
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
import type { OnchainChallenge } from "~/server/chain";
import { shortAddress } from "~/short";
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
  const [uri, setUri] = useState("");
  const isOrganiser = address.toLowerCase() === challenge.organiserAddress.toLowerCase();

  if (!onchain) {
    if (!isOrganiser)
      return (
        <p className="muted" data-testid="draft-note">
          This challenge is a draft: it opens once its organiser publishes it on-chain.
        </p>
      );
    const publish = async () => {
      if (!env.escrow || !hidden.backup) return;
      await tx.send(
        "Create the challenge on-chain",
        createChallengeCall(env.escrow, { ...challenge }, hidden.backup),
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
        {hidden.backup ? (
          <p className="small">
            Test commitment <span className="mono">{hidden.backup.testCommitment}</span> (
            {hidden.backup.batchCount} batch
            {hidden.backup.batchCount === 1 ? "" : "es"}).
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
            !hidden.backup || !env.escrow || tx.state.status === "pending" || tx.state.status === "wallet"
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
  const reveal = async () => {
    let target = uri.trim();
    if (!target) {
      if (!hidden.backup) return;
      const doc = revealDataUri(hidden.backup);
      if (doc.length > MAX_INLINE_REVEAL_BYTES) return;
      target = doc;
    }
    await tx.send(
      "Reveal the hidden split",
      { address: onchain.escrow, abi: arenaEscrowAbi, functionName: "reveal", args: [id, target] },
      address,
    );
  };
  const matches = hidden.backup
    ? BigInt(hidden.backup.testCommitment) === BigInt(onchain.testCommitment)
    : null;
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
          . Keep your hidden-split backup at hand{hidden.backup ? " (this browser has it)" : ""}.
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
          {hidden.backup ? (
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
          {hidden.backup && inlineSize > MAX_INLINE_REVEAL_BYTES ? (
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
              !hidden.backup || matches === false || (inlineSize > MAX_INLINE_REVEAL_BYTES && !uri.trim())
            }
            data-testid="reveal"
          >
            Reveal the hidden split
          </button>
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
