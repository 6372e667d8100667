import type { AuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { getSystemDb } from "@/server/db/client";
import { AppError } from "@/server/errors";
import { createLogger } from "@/server/logger";
import { getRateLimiters } from "@/server/security/rate-limit";
import { clientIp } from "./client-ip";
import { signIn } from "./sign-in";

const log = createLogger("web");

/** next-auth: email and password, sessions in a signed and encrypted JWT cookie. */
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
            return await signIn(getSystemDb(), getRateLimiters(), {
              email: credentials?.email,
              password: credentials?.password,
              ip: clientIp(headers),
              requestId: headers.get("x-request-id") ?? undefined,
            });
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
      jwt({ token, user }) {
        if (user) token.uid = user.id;
        return token;
      },
      session({ session, token }) {
        if (session.user && typeof token.uid === "string") session.user.id = token.uid;
        return session;
      },
    },
  };
}
