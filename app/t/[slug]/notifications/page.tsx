import { getTranslations } from "next-intl/server";
import { NotificationPreferencesForm } from "@/components/notifications/preferences-form";
import { PushDevice } from "@/components/notifications/push-device";
import { api } from "@/server/api/caller";

export async function generateMetadata() {
  const t = await getTranslations("notifications.preferences");
  return { title: t("title") };
}

/** My notification settings in this workspace: what I am told about and where, and push on the device I am on. */
export default async function NotificationsPage({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  const caller = await api(slug);
  const [workspace, preferences, t] = await Promise.all([caller.workspace.get(), caller.notifications.getPreferences(), getTranslations("notifications.preferences")]);
  return (
    <main className="mx-auto flex w-full max-w-3xl flex-col gap-6 px-4 py-8 sm:px-6 sm:py-10">
      <div>
        <h1 className="text-2xl font-semibold tracking-tight">{t("title")}</h1>
        <p className="mt-1 text-sm text-slate-600 dark:text-slate-400">{t("intro", { workspace: workspace.name })}</p>
      </div>
      <NotificationPreferencesForm initial={preferences} emailConfigured={Boolean(process.env.SMTP_URL)} />
      <PushDevice />
    </main>
  );
}
