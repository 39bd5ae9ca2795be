"use client";
// Sign-In with Ethereum for off-chain actions (drafts, dataset uploads): nonce → the wallet signs the
// ERC-4361 message → the server verifies it and sets an HTTP-only session cookie.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { createSiweMessage } from "viem/siwe";
import { useConnection, useSignMessage } from "wagmi";
import { useTRPC } from "~/trpc/react";
import { explainError } from "~/tx";

export function useSession() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const connection = useConnection();
  const me = useQuery(trpc.auth.me.queryOptions(undefined, { staleTime: 60_000 }));
  const nonce = useMutation(trpc.auth.nonce.mutationOptions());
  const verify = useMutation(trpc.auth.verify.mutationOptions());
  const signOut = useMutation(trpc.auth.signOut.mutationOptions());
  const { signMessageAsync } = useSignMessage();

  const address = connection.status === "connected" ? connection.address : undefined;
  const signedIn = Boolean(me.data && address && me.data.address.toLowerCase() === address.toLowerCase());

  const signIn = useMutation({
    mutationFn: async () => {
      if (!address) throw new Error("Connect a wallet first.");
      const n = await nonce.mutateAsync();
      const message = createSiweMessage({
        address,
        chainId: n.chainId,
        domain: n.domain,
        nonce: n.nonce,
        uri: n.uri,
        scheme: n.scheme,
        version: "1",
        issuedAt: new Date(),
        expirationTime: new Date(n.expiresAt),
        statement: "Sign in to zkArena. This signature costs nothing and sends no transaction.",
      });
      let signature: `0x${string}`;
      try {
        signature = await signMessageAsync({ message });
      } catch (error) {
        throw new Error(explainError(error).replace("the request", "the sign-in request"));
      }
      return verify.mutateAsync({ message, signature });
    },
    onSuccess: () => queryClient.invalidateQueries({ queryKey: trpc.auth.me.queryKey() }),
  });

  return {
    address,
    signedIn,
    loading: me.isPending,
    signIn,
    signOut: () =>
      signOut.mutateAsync().then(() => queryClient.invalidateQueries({ queryKey: trpc.auth.me.queryKey() })),
  };
}
