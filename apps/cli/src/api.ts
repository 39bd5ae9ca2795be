// The off-chain side: the zkArena tRPC API over HTTP (superjson on the wire, as apps/web serves it at
// /api/trpc), typed by packages/api's AppRouter. Writes sign in first with Sign-In with Ethereum
// (auth.nonce → sign the ERC-4361 message locally → auth.verify), keeping the session cookie in memory
// for this one command; nothing is written to disk.
import { TRPCClientError, createTRPCClient, httpLink } from "@trpc/client";
import superjson from "superjson";
import { createSiweMessage } from "viem/siwe";
import type { PrivateKeyAccount } from "viem/accounts";
import type { AppRouter } from "@zkarena/api";
import { CliError, EXIT } from "./errors.ts";

export type ApiClient = ReturnType<typeof createTRPCClient<AppRouter>>;

export interface Api {
  client: ApiClient;
  baseUrl: string;
  /** Signs in with the account (once per Api); later calls carry the session cookie. */
  signIn(account: PrivateKeyAccount, chainId: number): Promise<void>;
  signedInAs: string | null;
}

export function createApi(baseUrl: string, fetchImpl: typeof fetch = fetch): Api {
  const state: { cookie: string | null; address: string | null } = { cookie: null, address: null };
  const origin = new URL(baseUrl).origin;
  const client = createTRPCClient<AppRouter>({
    links: [
      httpLink({
        url: `${baseUrl}/api/trpc`,
        transformer: superjson,
        // The API refuses cross-site writes: a CLI is same-origin by declaration.
        headers: () => ({ origin, ...(state.cookie ? { cookie: state.cookie } : {}) }),
        fetch: async (input, init) => {
          const res = await fetchImpl(input as string, init as RequestInit);
          const set = res.headers.get("set-cookie");
          const session = set ? /(zkarena_session=[^;]*)/.exec(set)?.[1] : undefined;
          if (session) state.cookie = session;
          return res;
        },
      }),
    ],
  });
  const api: Api = {
    client,
    baseUrl,
    get signedInAs() {
      return state.address;
    },
    async signIn(account, chainId) {
      if (state.address === account.address) return;
      const n = await apiCall(client.auth.nonce.mutate(), "auth.nonce", baseUrl);
      if (n.chainId !== chainId)
        throw new CliError(
          `the API at ${baseUrl} signs in on chain ${n.chainId}, the CLI is configured for chain ${chainId}; fix --chain-id or --api-url`,
          EXIT.config,
        );
      const now = Date.now();
      const message = createSiweMessage({
        address: account.address,
        chainId: n.chainId,
        domain: n.domain,
        uri: n.uri,
        scheme: n.scheme as "http" | "https" | undefined,
        nonce: n.nonce,
        version: "1",
        statement: "Sign in to zkArena (zkarena CLI).",
        issuedAt: new Date(now - 1000),
        expirationTime: new Date(now + 10 * 60_000),
      });
      const signature = await account.signMessage({ message });
      await apiCall(client.auth.verify.mutate({ message, signature }), "sign-in (auth.verify)", baseUrl);
      state.address = account.address;
    },
  };
  return api;
}

/** Awaits an API call and maps failures to exit codes: 2 bad input, 4 network/5xx, 5 refused. */
export async function apiCall<T>(p: Promise<T>, what: string, baseUrl: string): Promise<T> {
  try {
    return await p;
  } catch (e) {
    if (e instanceof TRPCClientError) {
      const data = (e as TRPCClientError<AppRouter>).data as
        { code?: string; httpStatus?: number } | undefined;
      const code = data?.code ?? "";
      const status = data?.httpStatus ?? 0;
      if (code === "BAD_REQUEST" || code === "PAYLOAD_TOO_LARGE")
        throw new CliError(`${what}: ${e.message}`, EXIT.input, { code });
      if (status >= 500 || code === "INTERNAL_SERVER_ERROR")
        throw new CliError(`${what}: the API at ${baseUrl} failed (${e.message})`, EXIT.network, { code });
      if (code) throw new CliError(`${what}: ${e.message}`, EXIT.api, { code });
      // No tRPC payload: the server was not reached, or answered with something that is not the API.
      throw new CliError(
        `${what}: cannot reach the zkArena API at ${baseUrl} (${e.message}); check --api-url`,
        EXIT.network,
      );
    }
    throw e;
  }
}
