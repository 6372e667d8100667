import "server-only";
import { getServerSession } from "next-auth";
import { redirect } from "next/navigation";
import { cache } from "react";
import { getSystemDb } from "@/server/db/client";
import { authOptions } from "./options";

/** The signed-in user of this request (server components), or null. One lookup per request. */
export const currentUser = cache(async () => {
  const session = await getServerSession(authOptions());
  const id = session?.user?.id;
  if (!id) return null;
  return getSystemDb().user.findUnique({ where: { id }, select: { id: true, email: true, name: true, locale: true } });
});

export async function requireUser(callbackUrl: string) {
  const user = await currentUser();
  if (!user) redirect(`/sign-in?callbackUrl=${encodeURIComponent(callbackUrl)}`);
  return user;
}
