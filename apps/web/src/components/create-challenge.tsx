"use client";
// The organiser's guided create flow. The hidden split is read and committed in this browser (its
// salt generated here) and the commitment shown before anything is sent; then it goes to the
// platform's sealed custody (dataset.uploadHidden with this salt and the expected commitment), which
// releases it only after the on-chain reveal is final. The organiser also keeps a local copy and a
// backup file. Train and public splits are uploaded in the clear, with their hashes.
import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useEffect, useMemo, useState } from "react";
import { parseEther } from "viem";
import { useConnection } from "wagmi";
import { usePublicEnv } from "~/components/providers";
import { TokenField, useTokenChoice } from "~/components/token-field";
import { TxStatus } from "~/components/tx-status";
import { WrongNetworkCallout, useWrongNetwork } from "~/components/wallet-button";
import {
  HIDDEN_BACKUP_FORMAT,
  downloadJson,
  parseSamplesFile,
  storeHidden,
  type HiddenBackup,
} from "~/local";
import { createChallengeCall } from "~/publish";
import { useSession } from "~/siwe";
import { useTRPC } from "~/trpc/react";
import { useTx } from "~/tx";

export interface ShapeOption {
  id: string;
  template: string;
  D: number;
  H: number;
  C: number;
  N: number;
  inBits: number;
  constraints: number;
  deployed: boolean;
}

const DAY = 86_400_000;
const local = (ms: number) => {
  const d = new Date(ms - new Date().getTimezoneOffset() * 60_000);
  return d.toISOString().slice(0, 16);
};
const slugify = (s: string) =>
  s
    .toLowerCase()
    .normalize("NFKD")
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 60);

interface HiddenState {
  samples: number[][];
  testSalt: string;
  testCommitment: string;
  batchCount: number;
  fileName: string;
}

function checkRows(rows: number[][], shape: ShapeOption, what: string): string | null {
  const max = 2 ** shape.inBits - 1;
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i] as number[];
    if (r.length !== shape.D + 1)
      return `${what}: row ${i + 1} has ${r.length} values; the circuit needs ${shape.D} features then the label.`;
    if (r.slice(0, shape.D).some((v) => v > max))
      return `${what}: row ${i + 1} has a feature above ${max} (the circuit reads ${shape.inBits}-bit inputs).`;
    if ((r[shape.D] as number) >= shape.C)
      return `${what}: row ${i + 1}'s label is not a class in 0…${shape.C - 1}.`;
  }
  return null;
}

export function CreateChallenge({ shapes }: { shapes: ShapeOption[] }) {
  const env = usePublicEnv();
  const router = useRouter();
  const trpc = useTRPC();
  const connection = useConnection();
  const session = useSession();
  const tx = useTx();
  const createDraft = useMutation(trpc.challenge.createDraft.mutationOptions());
  const upload = useMutation(trpc.dataset.upload.mutationOptions());
  const uploadHidden = useMutation(trpc.dataset.uploadHidden.mutationOptions());

  const [now] = useState(() => Date.now());
  const [title, setTitle] = useState("");
  const [slug, setSlug] = useState("");
  const [slugTouched, setSlugTouched] = useState(false);
  const [summary, setSummary] = useState("");
  const [task, setTask] = useState("");
  const [description, setDescription] = useState("");
  const [tags, setTags] = useState("");
  const [circuitId, setCircuitId] = useState(shapes.find((s) => s.deployed)?.id ?? shapes[0]?.id ?? "");
  const [commitAt, setCommitAt] = useState(local(now + 7 * DAY));
  const [revealAt, setRevealAt] = useState(local(now + 9 * DAY));
  const [proveAt, setProveAt] = useState(local(now + 12 * DAY));
  const [shares, setShares] = useState("50, 30, 20");
  const [minCorrect, setMinCorrect] = useState("1");
  const [bond, setBond] = useState("0");
  const prizeToken = useTokenChoice();
  const [train, setTrain] = useState<{ rows: number[][]; fileName: string } | null>(null);
  const [pub, setPub] = useState<{ rows: number[][]; fileName: string } | null>(null);
  const [hidden, setHidden] = useState<HiddenState | null>(null);
  const [fileErrors, setFileErrors] = useState<Record<string, string>>({});
  const [errors, setErrors] = useState<string[]>([]);
  const [step, setStep] = useState<string | null>(null);
  const [draft, setDraft] = useState<{ id: string; slug: string; metadataHash: string | null } | null>(null);
  const [backupSaved, setBackupSaved] = useState(false);
  /** The test commitment the platform sealed for the draft (equal to the one shown here). */
  const [sealed, setSealed] = useState<string | null>(null);

  const shape = useMemo(() => shapes.find((s) => s.id === circuitId), [shapes, circuitId]);
  useEffect(() => {
    if (!slugTouched) setSlug(slugify(title));
  }, [title, slugTouched]);
  useEffect(() => {
    // Until the platform holds the split (or the backup is saved), this tab is its only copy.
    if (!hidden || backupSaved || sealed === hidden.testCommitment) return;
    const warn = (e: BeforeUnloadEvent) => {
      e.preventDefault();
      e.returnValue = "";
    };
    window.addEventListener("beforeunload", warn);
    return () => window.removeEventListener("beforeunload", warn);
  }, [hidden, backupSaved, sealed]);

  const readRows = async (file: File, key: string) => {
    setFileErrors((e) => ({ ...e, [key]: "" }));
    try {
      const rows = parseSamplesFile(await file.text());
      if (shape) {
        const problem = checkRows(rows, shape, file.name);
        if (problem) throw new Error(problem);
      }
      return rows;
    } catch (e) {
      setFileErrors((x) => ({ ...x, [key]: e instanceof Error ? e.message : String(e) }));
      return null;
    }
  };

  const onHidden = async (file: File) => {
    setHidden(null);
    const rows = await readRows(file, "hidden");
    if (!rows || !shape) return;
    try {
      const zk = await import("@zkarena/zk/core");
      const named = Object.values(zk.MLP_SHAPES).find((s) => s.id === shape.id);
      if (!named) throw new Error("unknown circuit");
      const testSalt = zk.randomSalt();
      const samples = rows.map((r) => ({
        x: r.slice(0, shape.D).map(BigInt),
        label: BigInt(r[shape.D] ?? 0),
      }));
      const split = await zk.hiddenSplitCommitment(samples, testSalt, named.shape);
      setHidden({
        samples: rows,
        testSalt: testSalt.toString(),
        testCommitment: BigInt(split.root).toString(),
        batchCount: split.batchCount,
        fileName: file.name,
      });
    } catch (e) {
      setFileErrors((x) => ({
        ...x,
        hidden: e instanceof Error ? e.message.replace(/^hidden split: /, "") : String(e),
      }));
    }
  };

  const backupOf = (rowId: string): HiddenBackup | null =>
    hidden && shape
      ? {
          format: HIDDEN_BACKUP_FORMAT,
          challengeRowId: rowId,
          circuitId: shape.id,
          testSalt: hidden.testSalt,
          testCommitment: hidden.testCommitment,
          batchCount: hidden.batchCount,
          samples: hidden.samples,
        }
      : null;

  const validate = (): string[] => {
    const out: string[] = [];
    if (!title.trim()) out.push("Give the challenge a title.");
    if (!/^[a-z0-9]+(?:-[a-z0-9]+)*$/.test(slug))
      out.push("The URL name may use a-z, 0-9 and single dashes.");
    if (!task.trim()) out.push("Say what the model must predict (task).");
    if (!shape) out.push("Choose a model shape.");
    else if (!shape.deployed)
      out.push(`The circuit ${shape.id} has no verifier on this chain; choose another.`);
    if (!hidden) out.push("Add the hidden test split (its commitment is computed here).");
    const c = Date.parse(commitAt),
      r = Date.parse(revealAt),
      p = Date.parse(proveAt);
    if (!(c > Date.now())) out.push("Commits must close in the future.");
    if (!(c < r && r < p)) out.push("Deadlines must be in order: commits close < reveal by < proofs close.");
    const parts = shares
      .split(/[,\s]+/)
      .filter(Boolean)
      .map(Number);
    if (
      !parts.length ||
      parts.some((x) => !(x > 0)) ||
      Math.round(parts.reduce((a, b) => a + b, 0) * 100) !== 10_000
    )
      out.push("Payout shares must be positive percentages adding up to 100, e.g. 50, 30, 20.");
    else if (parts.some((x, i) => i > 0 && x > (parts[i - 1] as number)))
      out.push("Payout shares must not increase with rank.");
    const m = Number(minCorrect);
    if (!Number.isInteger(m) || m < 1) out.push("The minimum correct count is a whole number, at least 1.");
    else if (hidden && shape && m > hidden.batchCount * shape.N)
      out.push(
        `The minimum correct count cannot exceed the hidden split's ${hidden.batchCount * shape.N} samples.`,
      );
    try {
      if (parseEther(bond || "0") < 0n) throw new Error();
    } catch {
      out.push("The bond is an ETH amount, e.g. 0.1.");
    }
    if (prizeToken.problem) out.push(prizeToken.problem);
    return out;
  };

  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    const problems = validate();
    setErrors(problems);
    const token = prizeToken.token;
    if (problems.length || !token || !hidden || !shape || !env.escrow || !session.address) return;
    try {
      let row = draft;
      if (!row) {
        setStep("Saving the draft…");
        const bps = shares
          .split(/[,\s]+/)
          .filter(Boolean)
          .map((x) => Math.round(Number(x) * 100));
        const created = await createDraft.mutateAsync({
          slug,
          title: title.trim(),
          summary: summary.trim(),
          description,
          task: task.trim(),
          tags: tags
            .split(",")
            .map((t) => slugify(t))
            .filter(Boolean)
            .slice(0, 10),
          circuitId: shape.id,
          commitDeadline: new Date(commitAt),
          revealDeadline: new Date(revealAt),
          proveDeadline: new Date(proveAt),
          payoutSharesBps: bps,
          minCorrect: Number(minCorrect),
          organiserBond: parseEther(bond || "0").toString(),
          tokenAddress: token.address,
          tokenSymbol: token.symbol,
          tokenDecimals: token.decimals,
        } as never);
        row = { id: created.id, slug: created.slug, metadataHash: created.metadataHash };
        setDraft(row);
        if (train) {
          setStep("Uploading the training split…");
          await upload.mutateAsync({
            challengeId: row.id,
            kind: "TRAIN",
            fileName: safeName(train.fileName),
            samples: train.rows,
          });
        }
        if (pub) {
          setStep("Uploading the public split…");
          await upload.mutateAsync({
            challengeId: row.id,
            kind: "PUBLIC",
            fileName: safeName(pub.fileName),
            samples: pub.rows,
          });
        }
      }
      const backup = backupOf(row.id);
      if (backup) storeHidden(backup);
      if (sealed !== hidden.testCommitment) {
        setStep("Sealing the hidden split with the platform…");
        const custody = await uploadHidden.mutateAsync({
          challengeId: row.id,
          samples: hidden.samples,
          testSalt: hidden.testSalt,
          expectedTestCommitment: hidden.testCommitment,
        });
        // The API refuses a mismatch itself; checked again here before any transaction is asked for.
        if (
          BigInt(custody.testCommitment) !== BigInt(hidden.testCommitment) ||
          custody.batchCount !== hidden.batchCount
        )
          throw new Error(
            `The platform sealed the hidden split under the commitment ${BigInt(custody.testCommitment).toString()}, not the ${hidden.testCommitment} shown here. Nothing was sent on-chain; choose the hidden split again.`,
          );
        setSealed(hidden.testCommitment);
      }
      setStep("Creating the challenge on-chain…");
      const receipt = await tx.send(
        "Create the challenge",
        createChallengeCall(
          env.escrow,
          {
            rowId: row.id,
            circuitId: shape.id,
            commitDeadline: Date.parse(commitAt),
            revealDeadline: Date.parse(revealAt),
            proveDeadline: Date.parse(proveAt),
            payoutSharesBps: shares
              .split(/[,\s]+/)
              .filter(Boolean)
              .map((x) => Math.round(Number(x) * 100)),
            minCorrect: Number(minCorrect),
            organiserBond: parseEther(bond || "0").toString(),
            tokenAddress: token.address,
            metadataHash: row.metadataHash,
          },
          hidden,
        ),
        session.address,
        { refresh: false },
      );
      setStep(null);
      if (receipt) router.push(`/challenges/${row.slug}`);
    } catch (err) {
      setStep(null);
      setErrors([err instanceof Error ? err.message : String(err)]);
    }
  };

  const connected = connection.status === "connected";
  const wrongNetwork = useWrongNetwork().wrong;
  return (
    <form className="create stack" onSubmit={submit} noValidate data-testid="create-form">
      <fieldset className="card">
        <legend>1 · Task</legend>
        <Field id="title" label="Title">
          <input
            id="title"
            className="input"
            value={title}
            maxLength={120}
            onChange={(e) => setTitle(e.target.value)}
            required
          />
        </Field>
        <Field id="slug" label="URL name" hint={`/challenges/${slug || "…"}`}>
          <input
            id="slug"
            className="input"
            value={slug}
            maxLength={80}
            onChange={(e) => {
              setSlugTouched(true);
              setSlug(e.target.value);
            }}
          />
        </Field>
        <Field id="summary" label="One-line summary">
          <input
            id="summary"
            className="input"
            value={summary}
            maxLength={280}
            onChange={(e) => setSummary(e.target.value)}
          />
        </Field>
        <Field id="task" label="What must the model predict?">
          <input
            id="task"
            className="input"
            value={task}
            maxLength={500}
            onChange={(e) => setTask(e.target.value)}
            required
          />
        </Field>
        <Field id="description" label="Description (Markdown)">
          <textarea
            id="description"
            className="input"
            rows={5}
            value={description}
            maxLength={20_000}
            onChange={(e) => setDescription(e.target.value)}
          />
        </Field>
        <Field id="tags" label="Tags (comma-separated)">
          <input id="tags" className="input" value={tags} onChange={(e) => setTags(e.target.value)} />
        </Field>
      </fieldset>

      <fieldset className="card">
        <legend>2 · Model family and shape</legend>
        <Field
          id="circuit"
          label="Circuit"
          hint={
            shape
              ? `${shape.template}: ${shape.D} inputs → ${shape.H || "no"} hidden → ${shape.C} classes; ${shape.N} samples per proof; ${shape.constraints.toLocaleString("en-GB")} constraints`
              : undefined
          }
        >
          <select
            id="circuit"
            className="input"
            value={circuitId}
            onChange={(e) => setCircuitId(e.target.value)}
          >
            {shapes.map((s) => (
              <option key={s.id} value={s.id} disabled={!s.deployed}>
                {s.id}
                {s.deployed ? "" : " (no verifier on this chain)"}
              </option>
            ))}
          </select>
        </Field>
      </fieldset>

      <fieldset className="card">
        <legend>3 · Data</legend>
        <p className="muted small">
          Files: JSON (an array of rows, or {"{"}&quot;samples&quot;: […]{"}"}) or CSV; each row is the{" "}
          {shape?.D ?? "D"} integer features (0…{shape ? 2 ** shape.inBits - 1 : "max"}) then the label.
        </p>
        <SplitFileInput
          id="train-file"
          label="Training split (optional, published)"
          error={fileErrors.train}
          onFile={async (f) => {
            const rows = await readRows(f, "train");
            setTrain(rows ? { rows, fileName: f.name } : null);
          }}
        />
        <SplitFileInput
          id="public-file"
          label="Public validation split (published; competitors score on it before committing)"
          error={fileErrors.public}
          onFile={async (f) => {
            const rows = await readRows(f, "public");
            setPub(rows ? { rows, fileName: f.name } : null);
          }}
        />
        <SplitFileInput
          id="hidden-file"
          label="Hidden test split (committed here, then sealed by the platform until your reveal is final)"
          error={fileErrors.hidden}
          onFile={(f) => {
            setSealed(null);
            return onHidden(f);
          }}
        />
        {hidden ? (
          <div className="callout callout-info" data-testid="hidden-commitment">
            <strong>
              {sealed === hidden.testCommitment
                ? "Hidden split sealed by the platform under the commitment shown here."
                : "Hidden split committed in your browser — nothing has been sent yet."}
            </strong>
            <span>
              {hidden.samples.length} samples in {hidden.batchCount} batch
              {hidden.batchCount === 1 ? "" : "es"} · test commitment{" "}
              <span className="mono" data-testid="test-commitment-value">
                {hidden.testCommitment}
              </span>
            </span>
            <span data-testid="hidden-custody">
              The salt was generated here. When you create the challenge, the split and its salt go to the
              platform, which checks that they give this commitment, stores them encrypted, and releases them
              to everyone only after your on-chain reveal is final — before that nobody, you included, can
              download them. The backup file is your own copy: keep it private.
            </span>
            <button
              type="button"
              className="btn btn-ghost btn-sm"
              data-testid="download-hidden-backup"
              disabled={!draft}
              onClick={() => {
                const b = draft ? backupOf(draft.id) : null;
                if (b) {
                  downloadJson(`zkarena-hidden-split-${draft?.slug}.json`, b);
                  setBackupSaved(true);
                }
              }}
            >
              {draft ? "Download hidden-split backup" : "Backup download available once the draft is saved"}
            </button>
          </div>
        ) : null}
      </fieldset>

      <fieldset className="card">
        <legend>4 · Timeline (your local time)</legend>
        <div className="cols">
          <Field id="commit-at" label="Commits and funding close">
            <input
              id="commit-at"
              type="datetime-local"
              className="input"
              value={commitAt}
              onChange={(e) => setCommitAt(e.target.value)}
            />
          </Field>
          <Field id="reveal-at" label="Reveal by">
            <input
              id="reveal-at"
              type="datetime-local"
              className="input"
              value={revealAt}
              onChange={(e) => setRevealAt(e.target.value)}
            />
          </Field>
          <Field id="prove-at" label="Proofs close">
            <input
              id="prove-at"
              type="datetime-local"
              className="input"
              value={proveAt}
              onChange={(e) => setProveAt(e.target.value)}
            />
          </Field>
        </div>
      </fieldset>

      <fieldset className="card">
        <legend>5 · Payouts and rules</legend>
        <div className="cols">
          <Field
            id="shares"
            label="Shares per rank (%)"
            hint="e.g. 50, 30, 20 — non-increasing, adding up to 100"
          >
            <input id="shares" className="input" value={shares} onChange={(e) => setShares(e.target.value)} />
          </Field>
          <Field id="min-correct" label="Minimum correct to rank">
            <input
              id="min-correct"
              className="input"
              inputMode="numeric"
              value={minCorrect}
              onChange={(e) => setMinCorrect(e.target.value)}
            />
          </Field>
          <Field
            id="bond"
            label="Organiser bond (ETH)"
            hint="Returned after your reveal; paid to committers if you miss it"
          >
            <input
              id="bond"
              className="input"
              inputMode="decimal"
              value={bond}
              onChange={(e) => setBond(e.target.value)}
            />
          </Field>
        </div>
        <TokenField choice={prizeToken} />
      </fieldset>

      <fieldset className="card">
        <legend>6 · Create</legend>
        {!connected ? (
          <p className="muted" data-testid="create-no-wallet">
            Connect a wallet (top right) to create the challenge.
          </p>
        ) : !session.signedIn ? (
          <div className="stack">
            <p className="small">
              Sign in with your wallet to save the draft and upload the public data (a signature, no
              transaction).
            </p>
            <button
              type="button"
              className="btn btn-ghost"
              onClick={() => session.signIn.mutate()}
              disabled={session.signIn.isPending}
              data-testid="sign-in"
            >
              {session.signIn.isPending ? "Waiting for the signature…" : "Sign in with Ethereum"}
            </button>
            {session.signIn.error ? (
              <p className="field-error" role="alert" data-testid="sign-in-error">
                {session.signIn.error.message}
              </p>
            ) : null}
          </div>
        ) : null}
        {errors.length ? (
          <div className="callout callout-bad" role="alert" data-testid="create-errors">
            {errors.map((e) => (
              <span key={e}>{e}</span>
            ))}
          </div>
        ) : null}
        {step ? (
          <p className="muted" role="status">
            {step}
          </p>
        ) : null}
        <TxStatus state={tx.state} />
        {wrongNetwork ? (
          <WrongNetworkCallout
            blocked="The challenge cannot be created from here"
            testId="create-wrong-network"
          />
        ) : null}
        <button
          type="submit"
          className="btn btn-primary"
          disabled={!connected || wrongNetwork || !session.signedIn || Boolean(step)}
          data-testid="create-submit"
        >
          {draft ? "Create on-chain" : "Save draft and create on-chain"}
        </button>
      </fieldset>
    </form>
  );
}

function safeName(name: string): string {
  const cleaned = name
    .replace(/[^A-Za-z0-9._-]/g, "_")
    .replace(/\.\.+/g, ".")
    .replace(/^[^A-Za-z0-9]+/, "");
  return (cleaned || "split.json").slice(0, 100);
}

/** A samples file (JSON or CSV) for one of the three splits. */
function SplitFileInput({
  id,
  label,
  error,
  onFile,
}: {
  id: string;
  label: string;
  error?: string | undefined;
  onFile: (file: File) => Promise<void>;
}) {
  return (
    <Field id={id} label={label} error={error}>
      <input
        id={id}
        type="file"
        className="input"
        accept=".json,.csv,application/json,text/csv"
        onChange={(e) => {
          const f = e.target.files?.[0];
          if (f) void onFile(f);
        }}
      />
    </Field>
  );
}

function Field({
  id,
  label,
  hint,
  error,
  children,
}: {
  id: string;
  label: string;
  hint?: string;
  error?: string | undefined;
  children: React.ReactNode;
}) {
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {children}
      {hint ? <span className="muted small">{hint}</span> : null}
      {error ? (
        <span className="field-error" role="alert">
          {error}
        </span>
      ) : null}
    </div>
  );
}
