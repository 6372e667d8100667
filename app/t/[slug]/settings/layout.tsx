import { headers } from "next/headers";
import { notFound, redirect } from "next/navigation";
import { NextIntlClientProvider } from "next-intl";
import { getMessages } from "next-intl/server";
import type { ReactNode } from "react";
import { SettingsNav } from "@/components/settings/settings-nav";
import { messagesFor } from "@/lib/i18n/messages";
import { membershipIn } from "@/server/auth/memberships";
import { requireUser } from "@/server/auth/session";
import { requestedPath } from "@/server/http/request-path";
import { getSystemDb } from "@/server/db/client";

export const dynamic = "force-dynamic";

/**
 * The admin console. Owners and admins only: an agent who opens any settings
 * address is sent to the inbox (the procedures behind these pages refuse agents too).
 */
export default async function SettingsLayout({ children, params }: { children: ReactNode; params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  const user = await requireUser(requestedPath(await headers(), `/t/${slug}/settings`));
  const membership = await membershipIn(getSystemDb(), user.id, slug);
  if (!membership) notFound();
  if (membership.role === "agent") redirect(`/t/${slug}/inbox`);
  return (
    <NextIntlClientProvider messages={messagesFor(await getMessages(), "settings")}>
      <div className="mx-auto flex w-full max-w-6xl flex-col gap-6 px-4 py-6 md:flex-row md:gap-10 md:px-6">
        <SettingsNav slug={slug} />
        <main className="min-w-0 flex-1">{children}</main>
      </div>
    </NextIntlClientProvider>
  );
}
