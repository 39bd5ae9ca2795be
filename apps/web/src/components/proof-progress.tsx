// An in-browser proof's controls and its progress bar with a time estimate (useBrowserProver, src/prove.ts).
import type { Progress } from "~/prove";

export function ProofProgress({ progress, testId }: { progress: Progress; testId: string }) {
  return (
    <div data-testid={testId}>
      <progress
        max={100}
        value={Math.round(progress.percent)}
        aria-label="Proof progress"
        className="progress"
      />
      <span className="muted small">
        Batch {progress.batch}/{progress.batches} · {progress.stage} ·{" "}
        {(progress.elapsedMs / 1000).toFixed(1)} s of about {(progress.estimateMs / 1000).toFixed(0)} s
      </span>
    </div>
  );
}

/** "Prove" (disabled while running) and, while running, "Cancel". */
export function ProveButtons({
  running,
  onRun,
  onCancel,
  label,
  runningLabel,
  testId,
  tone = "primary",
}: {
  running: boolean;
  onRun: () => void;
  onCancel: () => void;
  label: string;
  runningLabel: string;
  testId: string;
  tone?: "primary" | "ghost";
}) {
  return (
    <div className="inline">
      <button
        type="button"
        className={`btn btn-${tone}`}
        onClick={onRun}
        disabled={running}
        data-testid={testId}
      >
        {running ? runningLabel : label}
      </button>
      {running ? (
        <button type="button" className="btn btn-ghost" onClick={onCancel}>
          Cancel
        </button>
      ) : null}
    </div>
  );
}
