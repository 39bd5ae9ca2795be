"use client";

import { useQuery } from "@tanstack/react-query";
import type { ChainReport, ContractsReport, DatabaseReport, StatusReport } from "@zkarena/api";
import type { ReactNode } from "react";
import { formatDate } from "~/format";
import { useTRPC } from "~/trpc/react";

function HealthBadge({ ok, testId }: { ok: boolean; testId: string }) {
  return (
    <span className={`badge ${ok ? "badge-ok" : "badge-bad"}`} data-testid={testId}>
      {ok ? "Healthy" : "Unhealthy"}
    </span>
  );
}

function Problem({ error, hint }: { error: string | null; hint: string | null }) {
  if (!error) return null;
  return (
    <div className="callout callout-bad" role="alert">
      <strong>{error}</strong>
      {hint ? <span>What to do: {hint}</span> : null}
    </div>
  );
}

function Card({
  title,
  ok,
  testId,
  children,
}: {
  title: string;
  ok: boolean;
  testId: string;
  children: ReactNode;
}) {
  return (
    <section className="card" aria-labelledby={`${testId}-title`} data-testid={testId}>
      <div className="card-head">
        <h2 id={`${testId}-title`}>{title}</h2>
        <HealthBadge ok={ok} testId={`${testId}-badge`} />
      </div>
      {children}
    </section>
  );
}

const dash = "—";

function DatabaseCard({ db }: { db: DatabaseReport }) {
  return (
    <Card title="Database" ok={db.ok} testId="status-database">
      <dl className="facts">
        <dt>Kind</dt>
        <dd>
          {db.kind === "pglite"
            ? "PGlite (embedded, in process)"
            : db.kind === "postgresql"
              ? "PostgreSQL"
              : dash}
        </dd>
        <dt>Location</dt>
        <dd className="mono">{db.location ?? dash}</dd>
        <dt>Server version</dt>
        <dd>{db.serverVersion ?? dash}</dd>
        <dt>Migrations</dt>
        <dd>{db.migrations ?? dash}</dd>
        <dt>Latency</dt>
        <dd>{db.latencyMs === null ? dash : `${db.latencyMs} ms`}</dd>
      </dl>
      <Problem error={db.error} hint={db.hint} />
    </Card>
  );
}

function ChainCard({ chain }: { chain: ChainReport }) {
  return (
    <Card title="Chain" ok={chain.ok} testId="status-chain">
      <dl className="facts">
        <dt>Chain id</dt>
        <dd>
          {chain.chainId ?? dash}
          {chain.chainId !== chain.expectedChainId ? (
            <span className="muted"> (expected {chain.expectedChainId})</span>
          ) : null}
        </dd>
        <dt>Latest block</dt>
        <dd>{chain.blockNumber ?? dash}</dd>
        <dt>Latency</dt>
        <dd>{chain.latencyMs === null ? dash : `${chain.latencyMs} ms`}</dd>
        <dt>RPC URL</dt>
        <dd className="mono">{chain.rpcUrl}</dd>
      </dl>
      <Problem error={chain.error} hint={chain.hint} />
    </Card>
  );
}

function Check({ ok, yes, no }: { ok: boolean; yes: string; no: string }) {
  return <span className={`badge ${ok ? "badge-ok" : "badge-bad"}`}>{ok ? `✓ ${yes}` : `✗ ${no}`}</span>;
}

function ContractsCard({ contracts }: { contracts: ContractsReport }) {
  return (
    <Card title="Contracts" ok={contracts.ok} testId="status-contracts">
      {contracts.items.length > 0 ? (
        <div>
          {contracts.items.map((c) => (
            <div key={c.name} className="contract" data-testid={`contract-${c.name}`}>
              <span className="contract-name">{c.name}</span>
              <span className="mono" data-testid="contract-address">
                {c.address}
              </span>
              <div className="checks">
                <Check ok={c.hasCode} yes="Code present" no="No code" />
                {c.hasCode ? (
                  <Check ok={c.codeHashMatches} yes="Code hash matches" no="Code hash differs" />
                ) : null}
              </div>
            </div>
          ))}
        </div>
      ) : (
        <dl className="facts">
          <dt>Chain id</dt>
          <dd>{contracts.chainId || dash}</dd>
          <dt>Deployment file</dt>
          <dd>{contracts.deploymentFound ? "found" : "not found"}</dd>
        </dl>
      )}
      <Problem error={contracts.error} hint={contracts.hint} />
    </Card>
  );
}

export function StatusView({ initial }: { initial: StatusReport }) {
  const trpc = useTRPC();
  const query = useQuery(
    trpc.status.get.queryOptions(undefined, {
      initialData: initial,
      staleTime: Infinity,
      refetchOnWindowFocus: false,
    }),
  );
  const status = query.data;
  return (
    <div className="status">
      <div
        className={`callout ${status.ok ? "callout-info" : "callout-bad"} status-summary`}
        data-testid="status-summary"
      >
        <strong>{status.ok ? "All systems operational." : "Something is down — see the cards below."}</strong>
        <span className="status-meta">
          Checked {formatDate(status.checkedAt)} · zkArena {status.version.app} · Node {status.version.node}
          <button
            type="button"
            className="btn btn-ghost btn-sm"
            onClick={() => void query.refetch()}
            disabled={query.isFetching}
            data-testid="status-refresh"
          >
            {query.isFetching ? "Checking…" : "Check again"}
          </button>
        </span>
        {query.error ? <span>The API could not be reached: {query.error.message}</span> : null}
      </div>
      <div className="grid status-grid">
        <DatabaseCard db={status.database} />
        <ChainCard chain={status.chain} />
        <ContractsCard contracts={status.contracts} />
      </div>
    </div>
  );
}
