// Server-side tRPC: server components and route handlers call procedures directly (no HTTP hop).
import { headers } from "next/headers";
import { cache } from "react";
import { createCaller, createTRPCContext } from "@zkarena/api";

/** One context per request, shared by every call a render makes. */
const createContext = cache(async () => {
  const h = new Headers(await headers());
  h.set("x-trpc-source", "rsc");
  return createTRPCContext({ headers: h });
});

/** `const api = await serverApi(); await api.challenge.list()` */
export const serverApi = cache(async () => createCaller(await createContext()));
