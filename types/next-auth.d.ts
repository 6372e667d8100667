import type { DefaultSession } from "next-auth";

declare module "next-auth" {
  interface Session {
    user: DefaultSession["user"] & { id: string };
  }
  interface User {
    /** Where the sign-in came from, recorded on the session it starts (server/auth/options.ts). */
    signInFrom?: { userAgent: string | null; ip: string };
  }
}

declare module "next-auth/jwt" {
  interface JWT {
    uid?: string;
    /** The server-side session this cookie stands for (the `Session` table). */
    sid?: string;
  }
}
