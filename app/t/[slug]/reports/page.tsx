import { getTranslations } from "next-intl/server";
import { ReportsView } from "@/components/reports/reports-view";
import { api } from "@/server/api/caller";
import { getSystemDb } from "@/server/db/client";
import { getSettings } from "@/server/services/settings/settings";

export async function generateMetadata() {
  const t = await getTranslations("reports");
  return { title: t("title") };
}

/** Support's figures (README, Reports): owners and admins see the team's, an agent their own. */
export default async function ReportsPage({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  const caller = await api(slug);
  const workspace = await caller.workspace.get();
  const allFigures = workspace.role === "owner" || workspace.role === "admin";
  const [teams, channels, members, settings, t] = await Promise.all([
    caller.teams.list(),
    caller.channels.list(),
    allFigures ? caller.members.list() : null,
    getSettings(getSystemDb(), { tenantId: workspace.id }),
    getTranslations("reports"),
  ]);
  const timeZone = settings.values.timeZone;
  return (
    <main className="mx-auto flex w-full max-w-6xl flex-col gap-6 px-4 py-8 sm:px-6">
      <div>
        <h1 className="text-2xl font-semibold tracking-tight">{t("title")}</h1>
        <p className="mt-1 text-sm text-slate-600 dark:text-slate-400">{t("intro", { workspace: workspace.name, timeZone })}</p>
      </div>
      <ReportsView
        slug={slug}
        timeZone={timeZone}
        allFigures={allFigures}
        teams={teams.map((team) => ({ id: team.id, name: team.name }))}
        channels={channels.map((channel) => ({ id: channel.id, name: channel.name }))}
        agents={(members?.members ?? []).map((member) => ({ id: member.user.id, name: member.user.name }))}
      />
    </main>
  );
}
