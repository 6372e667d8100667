import "server-only";
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { cache } from "react";
import { getSystemDb } from "@/server/db/client";
import { principalFromHeaders } from "./principal";

/**
 * The signed-in user of this request (server components), or null. The same
 * check as the API's — the cookie's session must be live — once per request.
 */
export const currentUser = cache(async () => {
  const { principal } = await principalFromHeaders(getSystemDb(), await headers());
  if (principal?.kind !== "user") return null;
  return getSystemDb().user.findUnique({ where: { id: principal.userId }, select: { id: true, email: true, name: true, locale: true } });
});

export async function requireUser(callbackUrl: string) {
  const user = await currentUser();
  if (!user) redirect(`/sign-in?callbackUrl=${encodeURIComponent(callbackUrl)}`);
  return user;
}
