// Plain SVG charts (no chart library): score distribution and submissions over time.
import { shortAddress } from "~/short";

export function ScoreChart({
  rows,
  total,
  minCorrect,
}: {
  rows: { label: string; correct: number }[];
  total: number;
  minCorrect: number;
}) {
  if (rows.length === 0) return null;
  const width = 560;
  const bar = 22;
  const gap = 8;
  const labelW = 110;
  const height = rows.length * (bar + gap) + 24;
  const scale = (v: number) => (total > 0 ? ((width - labelW - 60) * v) / total : 0);
  const minX = labelW + scale(minCorrect);
  return (
    <svg
      viewBox={`0 0 ${width} ${height}`}
      className="chart"
      role="img"
      aria-label={`Scores: ${rows.map((r) => `${r.label} ${r.correct} of ${total}`).join(", ")}`}
    >
      {rows.map((r, i) => {
        const y = i * (bar + gap);
        return (
          <g key={`${r.label}-${i}`}>
            <text x={0} y={y + bar * 0.7} className="chart-label">
              {r.label}
            </text>
            <rect x={labelW} y={y} width={width - labelW - 60} height={bar} className="chart-track" rx={4} />
            <rect
              x={labelW}
              y={y}
              width={Math.max(2, scale(r.correct))}
              height={bar}
              className="chart-bar"
              rx={4}
            />
            <text x={labelW + scale(r.correct) + 6} y={y + bar * 0.7} className="chart-value">
              {r.correct}/{total}
            </text>
          </g>
        );
      })}
      {minCorrect > 0 ? (
        <g>
          <line x1={minX} x2={minX} y1={0} y2={height - 20} className="chart-min" />
          <text x={minX + 4} y={height - 6} className="chart-label">
            minimum {minCorrect}
          </text>
        </g>
      ) : null}
    </svg>
  );
}

export function SubmissionsChart({
  times,
  from,
  to,
  labels = { from: "reveal", to: "proofs close", noun: "proof" },
}: {
  times: number[];
  from: number;
  to: number;
  /** The axis ends and what is counted (default: accepted proofs over the proving window). */
  labels?: { from: string; to: string; noun: string };
}) {
  if (times.length === 0) return null;
  const width = 560;
  const height = 140;
  const pad = 24;
  const span = Math.max(1, to - from);
  const sorted = [...times].sort((a, b) => a - b);
  const x = (t: number) => pad + ((width - 2 * pad) * Math.min(Math.max(t - from, 0), span)) / span;
  const y = (n: number) => height - pad - ((height - 2 * pad) * n) / sorted.length;
  let d = `M ${x(from)} ${y(0)}`;
  sorted.forEach((t, i) => {
    d += ` L ${x(t)} ${y(i)} L ${x(t)} ${y(i + 1)}`;
  });
  d += ` L ${x(to)} ${y(sorted.length)}`;
  return (
    <svg
      viewBox={`0 0 ${width} ${height}`}
      className="chart"
      role="img"
      aria-label={`${sorted.length} ${labels.noun}s from ${labels.from} to ${labels.to}`}
    >
      <line x1={pad} x2={width - pad} y1={height - pad} y2={height - pad} className="chart-axis" />
      <path d={d} className="chart-line" fill="none" />
      <text x={pad} y={height - 6} className="chart-label">
        {labels.from}
      </text>
      <text x={width - pad} y={height - 6} className="chart-label" textAnchor="end">
        {labels.to}
      </text>
      <text x={pad} y={14} className="chart-label">
        {sorted.length} {labels.noun}
        {sorted.length === 1 ? "" : "s"}
      </text>
    </svg>
  );
}

export { shortAddress };
