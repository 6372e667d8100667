import { createTRPCClient, httpLink } from "@trpc/client";
import superjson from "superjson";
import { CLIENT_HEADER, CLIENT_HEADER_VALUE } from "@/lib/client-header";
import type { AppRouter } from "@/server/api/root";

/** How a developer or the inbox reaches one web node: tRPC over HTTP, as an API key or a signed-in agent. */

export type Credentials = { apiKey: string } | { session: string; tenantSlug: string };

export const SESSION_COOKIE = "next-auth.session-token";

export function apiClient(baseUrl: string, credentials: Credentials) {
  const headers: Record<string, string> =
    "apiKey" in credentials
      ? { authorization: `Bearer ${credentials.apiKey}` }
      : // As the inbox's own client: a session's changes carry its header (server/http/same-origin.ts).
        { cookie: `${SESSION_COOKIE}=${credentials.session}`, "x-tenant": credentials.tenantSlug, [CLIENT_HEADER]: CLIENT_HEADER_VALUE };
  return createTRPCClient<AppRouter>({ links: [httpLink({ url: `${baseUrl}/api/trpc`, transformer: superjson, headers })] });
}

export type ApiClient = ReturnType<typeof apiClient>;

const cookiesOf = (response: Response) => new Map(response.headers.getSetCookie().map((cookie) => cookie.split(";")[0]!.split(/=(.*)/s).slice(0, 2) as [string, string]));

/** Signs in through next-auth's credentials form, as the sign-in page does; returns the session cookie's value. */
export async function signIn(baseUrl: string, email: string, password: string): Promise<string> {
  const csrf = await fetch(`${baseUrl}/api/auth/csrf`);
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const csrfCookies = [...cookiesOf(csrf)].map(([name, value]) => `${name}=${value}`).join("; ");
  const response = await fetch(`${baseUrl}/api/auth/callback/credentials`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie: csrfCookies },
    body: new URLSearchParams({ csrfToken, email, password, json: "true" }),
  });
  const session = cookiesOf(response).get(SESSION_COOKIE);
  if (!session) throw new Error(`signing in ${email} at ${baseUrl} gave no session cookie (HTTP ${response.status})`);
  return session;
}
