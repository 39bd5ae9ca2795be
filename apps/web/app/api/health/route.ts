// Liveness for scripts and tests: 200 when the database, the chain and the contracts are all ok.
import { createCaller, createTRPCContext } from "@zkarena/api";

export const dynamic = "force-dynamic";

export async function GET(req: Request) {
  const api = createCaller(await createTRPCContext({ headers: req.headers }));
  const status = await api.status.get();
  return Response.json(
    {
      ok: status.ok,
      database: status.database,
      chain: status.chain,
      contracts: status.contracts,
    },
    { status: status.ok ? 200 : 503, headers: { "cache-control": "no-store" } },
  );
}
