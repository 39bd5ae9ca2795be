import type { Metadata } from "next";
import { StatusView } from "~/components/status-view";
import { serverApi } from "~/trpc/server";

export const dynamic = "force-dynamic";

export const metadata: Metadata = { title: "Status" };

export default async function StatusPage() {
  const api = await serverApi();
  const status = await api.status.get();
  return (
    <>
      <div className="page-head">
        <div>
          <h1>System status</h1>
          <p>What this server sees: its database, the chain it talks to and the contracts deployed there.</p>
        </div>
      </div>
      <StatusView initial={status} />
    </>
  );
}
