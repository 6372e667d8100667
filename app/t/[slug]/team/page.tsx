import { getTranslations } from "next-intl/server";
import { api } from "@/server/api/caller";
import { AvailabilityDot } from "@/components/inbox/availability-dot";

export default async function TeamPage({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  const caller = await api(slug);
  const [workspace, { members, invitations }, t] = await Promise.all([caller.workspace.get(), caller.members.list(), getTranslations("team")]);
  return (
    <main className="mx-auto flex max-w-3xl flex-col gap-6 px-6 py-10">
      <div>
        <h1 className="text-2xl font-semibold tracking-tight">{workspace.name}</h1>
        <p className="mt-1 text-sm text-slate-600 dark:text-slate-400">
          {t("youAre", { role: workspace.role })}
        </p>
      </div>
      <section aria-labelledby="members-heading" className="rounded-xl border border-slate-200 dark:border-slate-800">
        <h2 id="members-heading" className="border-b border-slate-200 px-4 py-3 text-sm font-semibold dark:border-slate-800">
          {t("members", { count: members.length })}
        </h2>
        <ul className="divide-y divide-slate-200 dark:divide-slate-800">
          {members.map((member) => (
            <li key={member.id} className="flex items-center justify-between px-4 py-2 text-sm">
              <span>
                <AvailabilityDot status={member.availability} label={t(`availability.${member.availability}`)} /> <span className="font-medium">{member.user.name}</span>{" "}
                <span className="text-xs text-slate-500 dark:text-slate-400">{t(`availability.${member.availability}`)}</span> <span className="text-slate-500">{member.user.email}</span>
              </span>
              <span className="rounded-full bg-slate-100 px-2 py-0.5 text-xs text-slate-700 dark:bg-slate-800 dark:text-slate-300">{t(`roles.${member.role}`)}</span>
            </li>
          ))}
          {invitations.map((invitation) => (
            <li key={invitation.id} className="flex items-center justify-between px-4 py-2 text-sm text-slate-500">
              <span>{invitation.email}</span>
              <span className="text-xs">{t("invitedAs", { role: t(`roles.${invitation.role}`) })}</span>
            </li>
          ))}
        </ul>
      </section>
    </main>
  );
}
