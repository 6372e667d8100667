import { getTranslations } from "next-intl/server";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { messageKey } from "@/lib/notifications/message-key";
import { getDb } from "@/server/db/client";
import { unsubscribeByLink } from "@/server/services/notifications/unsubscribe-by-link";

export const dynamic = "force-dynamic";

export async function generateMetadata() {
  const t = await getTranslations("notifications.unsubscribePage");
  // The token is in this page's address: no referrer carries it anywhere.
  return { title: t("title"), referrer: "no-referrer" as const };
}

/** Where an email's "stop emails about this" link leads: one question, one button; no sign-in needed (the link is the permission). */
export default async function UnsubscribePage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const query = await searchParams;
  const token = typeof query.token === "string" ? query.token : "";
  const [t, tTypes] = await Promise.all([getTranslations("notifications.unsubscribePage"), getTranslations("notifications.types")]);
  const link = await unsubscribeByLink(getDb(), { token, secret: process.env.APP_SECRET ?? "", apply: false });
  return (
    <main className="mx-auto flex min-h-dvh max-w-md flex-col justify-center gap-6 px-6">
      <h1 className="text-xl font-semibold">{t("title")}</h1>
      {!link ? (
        <Alert tone="error">{t("invalid")}</Alert>
      ) : query.done ? (
        <Alert tone="success">{t("done", { type: tTypes(messageKey(link.type)), workspace: link.workspace })}</Alert>
      ) : (
        <form method="post" action={`/api/notifications/unsubscribe?token=${encodeURIComponent(token)}`} className="flex flex-col gap-4">
          <p className="text-sm text-slate-700 dark:text-slate-300">{t("confirm", { type: tTypes(messageKey(link.type)), workspace: link.workspace, email: link.email })}</p>
          <Button type="submit">{t("button")}</Button>
        </form>
      )}
    </main>
  );
}
