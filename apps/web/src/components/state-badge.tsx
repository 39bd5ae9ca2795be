import { stateLabels, type ChallengeStateName } from "~/format";

export function StateBadge({ state }: { state: ChallengeStateName }) {
  const { label, tone } = stateLabels[state];
  return <span className={`badge badge-${tone}`}>{label}</span>;
}
