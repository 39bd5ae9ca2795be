// Sign-In with Ethereum: nonce → (wallet signs the ERC-4361 message) → verify → session cookie.
import { type TRPCRouterRecord } from "@trpc/server";
import { z } from "zod";
import { log } from "../log.ts";
import { enforceRateLimit } from "../services/rate-limit.ts";
import { clearedSessionCookie, revokeSession, sessionCookie } from "../services/session.ts";
import { issueNonce, verifySignIn } from "../services/siwe.ts";
import type { ApiEnv } from "../env.ts";
import { protectedProcedure, publicProcedure } from "../trpc.ts";

export const verifyInput = z.strictObject({
  /** The ERC-4361 message text exactly as signed. */
  message: z
    .string()
    .min(1, { error: "message is required" })
    .max(4096, { error: "message must be at most 4096 characters" }),
  /** 65-byte ECDSA signature, or a contract wallet's ERC-1271 signature (at most 4 KiB). */
  signature: z
    .string()
    .max(2 + 8192, { error: "signature must be at most 4096 bytes" })
    .regex(/^0x(?:[0-9a-fA-F]{2})+$/, { error: "signature must be 0x-prefixed hex bytes" })
    .transform((s) => s as `0x${string}`),
});

function authRule(env: ApiEnv) {
  return { capacity: env.RATE_LIMIT_AUTH_PER_MINUTE, windowSeconds: 60 };
}

export const authRouter = {
  /** A fresh single-use nonce and the values the message must carry (domain, uri, scheme, chain). */
  nonce: publicProcedure.mutation(async ({ ctx }) => {
    await enforceRateLimit(ctx.db.db, "sign-in", [`auth:ip:${ctx.clientIp}`], authRule(ctx.env));
    return issueNonce(ctx.db.db, ctx.env);
  }),

  /** Verifies a signed message and sets the session cookie. */
  verify: publicProcedure.input(verifyInput).mutation(async ({ ctx, input }) => {
    const db = ctx.db.db;
    await enforceRateLimit(db, "sign-in", [`auth:ip:${ctx.clientIp}`], authRule(ctx.env));
    const result = await verifySignIn(db, ctx.env, {
      message: input.message,
      signature: input.signature,
      userAgent: ctx.headers.get("user-agent"),
      chain: ctx.chain,
      afterSignature: (address) =>
        enforceRateLimit(db, "sign-in", [`auth:addr:${address}`], authRule(ctx.env)),
    });
    ctx.resHeaders.append("set-cookie", sessionCookie(ctx.env, result.token, result.session.expiresAt));
    log.info("auth.signed_in", {
      address: result.session.address,
      kind: result.kind,
      session: result.session.id,
    });
    return {
      address: result.session.address,
      chainId: result.session.chainId,
      expiresAt: result.session.expiresAt,
      walletKind: result.kind,
    };
  }),

  /** The signed-in address, or null. */
  me: publicProcedure.query(({ ctx }) =>
    ctx.session
      ? { address: ctx.session.address, chainId: ctx.session.chainId, expiresAt: ctx.session.expiresAt }
      : null,
  ),

  /** Revokes this session (its cookie stops working everywhere at once) and clears the cookie. */
  signOut: protectedProcedure.mutation(async ({ ctx }) => {
    await revokeSession(ctx.db.db, ctx.session.id);
    ctx.resHeaders.append("set-cookie", clearedSessionCookie(ctx.env));
    log.info("auth.signed_out", { address: ctx.session.address, session: ctx.session.id });
    return { signedOut: true as const };
  }),
} satisfies TRPCRouterRecord;
