// The progress bar and time estimate of an in-browser proof (see useBrowserProver in src/prove.ts).
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
