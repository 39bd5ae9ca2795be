// Sessions: an HS256 JWT in an HttpOnly cookie, backed by a Session row so that sign-out (and an
// operator) can revoke it before it expires. The row stores only the token's sha256.
import { createHash, randomUUID } from "node:crypto";
import { SignJWT, errors as joseErrors, jwtVerify } from "jose";
import type { Db } from "@zkarena/db";
import type { ApiEnv } from "../env.ts";

export const SESSION_COOKIE = "zkarena_session";
const ISSUER = "zkarena";

export interface Session {
  /** Session row id. */
  id: string;
  /** Lower-case 0x address the session is bound to (ERC-4361: sessions MUST be bound to the address). */
  address: `0x${string}`;
  chainId: number;
  expiresAt: Date;
}

export function tokenHash(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

function secretKey(env: ApiEnv): Uint8Array {
  return new TextEncoder().encode(env.SESSION_SECRET);
}

/** Creates the Session row and its signed token. `db` may be a transaction client. */
export async function createSession(
  db: Pick<Db, "session">,
  env: ApiEnv,
  opts: { address: `0x${string}`; chainId: number; ttlSeconds: number; userAgent: string | null },
): Promise<{ session: Session; token: string }> {
  const id = randomUUID();
  const now = Math.floor(Date.now() / 1000);
  const exp = now + opts.ttlSeconds;
  const token = await new SignJWT({ chainId: opts.chainId })
    .setProtectedHeader({ alg: "HS256", typ: "JWT" })
    .setIssuer(ISSUER)
    .setAudience(new URL(env.SIWE_URI).origin)
    .setSubject(opts.address)
    .setJti(id)
    .setIssuedAt(now)
    .setExpirationTime(exp)
    .sign(secretKey(env));
  const expiresAt = new Date(exp * 1000);
  await db.session.create({
    data: {
      id,
      address: opts.address,
      tokenHash: tokenHash(token),
      chainId: opts.chainId,
      userAgent: opts.userAgent?.slice(0, 512) ?? null,
      expiresAt,
    },
  });
  return { session: { id, address: opts.address, chainId: opts.chainId, expiresAt }, token };
}

/**
 * The live session a token stands for, or null: the signature, issuer, audience and expiry are
 * checked, then the row must exist, match the token's hash, be unexpired and not revoked.
 */
export async function resolveSession(db: Db, env: ApiEnv, token: string): Promise<Session | null> {
  if (token.length > 2048) return null;
  let jti: string | undefined;
  try {
    const { payload } = await jwtVerify(token, secretKey(env), {
      algorithms: ["HS256"],
      issuer: ISSUER,
      audience: new URL(env.SIWE_URI).origin,
    });
    jti = payload.jti;
  } catch (error) {
    if (error instanceof joseErrors.JOSEError) return null;
    throw error;
  }
  if (!jti || !/^[0-9a-f-]{36}$/.test(jti)) return null;
  const row = await db.session.findUnique({ where: { id: jti } });
  if (!row || row.tokenHash !== tokenHash(token) || row.revokedAt || row.expiresAt <= new Date()) return null;
  return {
    id: row.id,
    address: row.address as `0x${string}`,
    chainId: row.chainId,
    expiresAt: row.expiresAt,
  };
}

/** Marks the session revoked; its cookie stops working at once. */
export async function revokeSession(db: Db, id: string): Promise<void> {
  await db.session.updateMany({ where: { id, revokedAt: null }, data: { revokedAt: new Date() } });
}

function secureCookie(env: ApiEnv): boolean {
  return new URL(env.SIWE_URI).protocol === "https:";
}

export function sessionCookie(env: ApiEnv, token: string, expiresAt: Date): string {
  const maxAge = Math.max(0, Math.floor((expiresAt.getTime() - Date.now()) / 1000));
  return [
    `${SESSION_COOKIE}=${token}`,
    "Path=/",
    "HttpOnly",
    "SameSite=Lax",
    `Max-Age=${maxAge}`,
    ...(secureCookie(env) ? ["Secure"] : []),
  ].join("; ");
}

export function clearedSessionCookie(env: ApiEnv): string {
  return [
    `${SESSION_COOKIE}=`,
    "Path=/",
    "HttpOnly",
    "SameSite=Lax",
    "Max-Age=0",
    ...(secureCookie(env) ? ["Secure"] : []),
  ].join("; ");
}

/** The session token from a Cookie header, if any. */
export function readSessionCookie(headers: Headers): string | null {
  const header = headers.get("cookie");
  if (!header) return null;
  for (const part of header.split(";")) {
    const eq = part.indexOf("=");
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === SESSION_COOKIE) {
      const value = part.slice(eq + 1).trim();
      return value === "" ? null : value;
    }
  }
  return null;
}
