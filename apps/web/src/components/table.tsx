// Pieces every leaderboard and activity table shares.
import Link from "next/link";
import { shortAddress } from "~/short";

export function TableHead({ columns }: { columns: readonly string[] }) {
  return (
    <thead>
      <tr>
        {columns.map((c) => (
          <th key={c} scope="col">
            {c}
          </th>
        ))}
      </tr>
    </thead>
  );
}

/** A competitor's short address, linked to their profile. */
export function CompetitorLink({ address }: { address: string }) {
  return (
    <Link href={`/u/${address}`} className="mono">
      {shortAddress(address)}
    </Link>
  );
}
