import type { AuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { z } from "zod";
import { safeRedirectPath } from "@/lib/safe-redirect";
import { getDb, getSystemDb } from "@/server/db/client";
import { onlineOnSignIn } from "@/server/services/assignment/online-on-sign-in";
import { AppError } from "@/server/errors";
import { createLogger } from "@/server/logger";
import { getRateLimiters } from "@/server/security/rate-limit";
import { createSession } from "@/server/services/sessions/create-session";
import { endSessions } from "@/server/services/sessions/end-sessions";
import { clientIp } from "./client-ip";
import { signIn } from "./sign-in";

const log = createLogger("web");

const signedOutClaims = z.object({ uid: z.uuid(), sid: z.uuid() });

/**
 * next-auth: email and password, sessions in a signed and encrypted JWT cookie
 * that names a server-side session (`sid`, the `Session` table), which every
 * request checks (server/auth/principal.ts), so a session can end before its cookie does.
 */
export function authOptions(): AuthOptions {
  const maxAgeSeconds = Number(process.env.SESSION_MAX_AGE_HOURS ?? 12) * 60 * 60;
  return {
    secret: process.env.APP_SECRET,
    session: { strategy: "jwt", maxAge: maxAgeSeconds, updateAge: 60 * 60 },
    jwt: { maxAge: maxAgeSeconds },
    pages: { signIn: "/sign-in", error: "/sign-in" },
    logger: {
      error: (code, metadata) => log.error({ code, metadata }, "auth error"),
      warn: (code) => log.warn({ code }, "auth warning"),
      debug: () => undefined,
    },
    providers: [
      CredentialsProvider({
        name: "Email and password",
        credentials: { email: { label: "Email", type: "email" }, password: { label: "Password", type: "password" } },
        async authorize(credentials, req) {
          const headers = new Headers(req.headers as Record<string, string>);
          try {
            const ip = clientIp(headers);
            const user = await signIn(getSystemDb(), getRateLimiters(), {
              email: credentials?.email,
              password: credentials?.password,
              ip,
              requestId: headers.get("x-request-id") ?? undefined,
            });
            // The jwt callback gets only what this returns, and it is where the session starts.
            return { ...user, signInFrom: { userAgent: headers.get("user-agent"), ip } };
          } catch (error) {
            // next-auth hands the message to the sign-in form as `error`.
            if (error instanceof AppError && error.code === "TOO_MANY_REQUESTS") throw new Error(`RateLimited:${error.details?.retryAfterSeconds}`);
            if (error instanceof AppError && error.code === "UNAUTHORIZED") return null;
            throw error;
          }
        },
      }),
    ],
    callbacks: {
      // `user` is there once, at sign-in: the moment a session starts.
      async jwt({ token, user }) {
        if (user) {
          const session = await createSession(getSystemDb(), {
            userId: user.id,
            userAgent: user.signInFrom?.userAgent ?? null,
            ip: user.signInFrom?.ip ?? "unknown",
            maxAgeSeconds,
          });
          token.uid = user.id;
          token.sid = session.id;
          // Best effort: being marked online must never stand between a person and their inbox.
          await onlineOnSignIn({ appDb: getDb(), systemDb: getSystemDb() }, user.id).catch((error: unknown) => log.warn({ err: error }, "could not mark a member online at sign-in"));
        }
        return token;
      },
      session({ session, token }) {
        if (session.user && typeof token.uid === "string") session.user.id = token.uid;
        return session;
      },
      // Where next-auth sends the browser after signing in or out: a path on this site, checked as every redirect is.
      redirect({ url, baseUrl }) {
        const path = url.startsWith(baseUrl) ? url.slice(baseUrl.length) || "/" : url;
        return `${baseUrl}${safeRedirectPath(path)}`;
      },
    },
    events: {
      // Signing out ends the session itself, not only the cookie in this browser: a copy of the cookie stops working too.
      async signOut({ token }) {
        const claims = signedOutClaims.safeParse(token);
        if (claims.success) await endSessions(getSystemDb(), { userId: claims.data.uid, sessionId: claims.data.sid, reason: "signed_out" });
      },
    },
  };
}
