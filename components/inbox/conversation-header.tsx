"use client";

import { useTranslations } from "next-intl";
import type { inferRouterOutputs } from "@trpc/server";
import type { AppRouter } from "@/server/api/root";
import { ChannelTag } from "./channel-kind";
import { shortTime, useDateContext } from "./format";
import { conversationPriorities, type ConversationPriority } from "@/lib/conversations/priority";
import { PriorityChip } from "./priority";
import type { Availability } from "@/lib/assignment/availability";
import { AvailabilityDot } from "./availability-dot";
import { PaneButton } from "./pane-button";
import { ChevronLeftIcon, ContactIcon } from "./icons";

type Details = inferRouterOutputs<AppRouter>["conversations"]["get"];
type Changes = { assigneeId?: string | null; teamId?: string | null; priority?: ConversationPriority | null; status?: "open" | "resolved" | "snoozed"; snoozedUntil?: Date };

/**
 * The open conversation's header: who it is with, its status, assignee,
 * channel, team and priority, and the controls that change them. On a phone it
 * also leads back to the list and on to the contact, and its controls scroll
 * sideways in a row of their own.
 */
export function ConversationHeader({ details, me, members, teams, onUpdate, onBack, onShowContact }: {
  details: Details | undefined;
  me: { id: string };
  members: { id: string; name: string; availability: Availability }[];
  teams: { id: string; name: string }[];
  onUpdate: (changes: Changes) => void;
  onBack: () => void;
  onShowContact: () => void;
}) {
  const t = useTranslations("inbox");
  const dates = useDateContext();
  const assigneeAvailability = details?.assignee ? members.find((member) => member.id === details.assignee!.id)?.availability : undefined;
  // The conversation's own team is always a choice, even before the list has loaded (or after it was deleted).
  const teamChoices = details?.team && !teams.some((team) => team.id === details.team!.id) ? [details.team, ...teams] : teams;
  const teamOptions = teamChoices.map((team) => (
    <option key={team.id} value={team.id}>
      {team.name}
    </option>
  ));
  return (
      <header className="flex items-center justify-between gap-3 border-b border-slate-200 bg-white px-4 py-2 max-md:flex-wrap max-md:gap-1 max-md:px-1 max-md:py-1 dark:border-slate-800 dark:bg-slate-900">
        <PaneButton label={t("pane.backToList")} onClick={onBack}>
          <ChevronLeftIcon />
        </PaneButton>
        <div className="min-w-0 max-md:flex-1">
          <h2 className="truncate font-semibold">{details?.contact.name ?? "…"}</h2>
          <p className="text-xs text-slate-500 max-md:truncate dark:text-slate-400">
            {details ? (
              <>
                {details.status === "snoozed" && details.snoozedUntil ? t("conversation.snoozedUntil", { time: shortTime(details.snoozedUntil, dates) }) : t(`conversation.status.${details.status}`)} ·{" "}
                {assigneeAvailability ? <AvailabilityDot status={assigneeAvailability} label={t(`availability.${assigneeAvailability}`)} /> : null}{" "}
                {details.assignee ? t("conversation.assignedTo", { name: details.assignee.name }) : t("conversation.unassigned")}
                {!details.assignee && details.queuedAt && details.status === "open" ? <> ({t("conversation.waitingInQueue")})</> : null} · <ChannelTag channel={details.channel} />
                {details.team ? <> · {t("conversation.inTeam", { team: details.team.name })}</> : null}{" "}
                <PriorityChip priority={details.priority} />
              </>
            ) : (
              t("conversation.loading")
            )}
          </p>
        </div>
        {details && (
          <PaneButton label={t("pane.showContact")} onClick={onShowContact}>
            <ContactIcon />
          </PaneButton>
        )}
        {details && (
          <div className="flex shrink-0 items-center gap-1.5 max-md:w-full max-md:overflow-x-auto max-md:px-1 max-md:pb-1" data-testid="conversation-controls">
            {details.assignee?.id !== me.id ? (
              <button className="rounded-lg max-md:min-h-11 max-md:shrink-0 border border-slate-300 px-2.5 py-1 text-xs font-medium hover:bg-slate-100 dark:border-slate-700 dark:hover:bg-slate-800" onClick={() => onUpdate({ assigneeId: me.id })}>
                {t("conversation.assignToMe")}
              </button>
            ) : (
              <button className="rounded-lg max-md:min-h-11 max-md:shrink-0 border border-slate-300 px-2.5 py-1 text-xs font-medium hover:bg-slate-100 dark:border-slate-700 dark:hover:bg-slate-800" onClick={() => onUpdate({ assigneeId: null })}>
                {t("conversation.unassign")}
              </button>
            )}
            <select
              aria-label={t("conversation.assignee")}
              value={details.assignee?.id ?? ""}
              onChange={(event) => onUpdate({ assigneeId: event.target.value || null })}
              className="max-w-36 rounded-lg max-md:min-h-11 max-md:shrink-0 border border-slate-300 bg-transparent px-1.5 py-1 text-xs dark:border-slate-700"
            >
              <option value="">{t("conversation.unassigned")}</option>
              {members.map((member) => (
                <option key={member.id} value={member.id} data-availability={member.availability}>
                  {t("conversation.assigneeOption", { name: member.name, status: t(`availability.${member.availability}`) })}
                </option>
              ))}
            </select>
            <select
              aria-label={t("conversation.team")}
              value={details.team?.id ?? ""}
              onChange={(event) => onUpdate({ teamId: event.target.value || null })}
              className="max-w-32 rounded-lg max-md:min-h-11 max-md:shrink-0 border border-slate-300 bg-transparent px-1.5 py-1 text-xs dark:border-slate-700"
            >
              <option value="">{t("conversation.noTeam")}</option>
              {teamOptions}
            </select>
            <select
              aria-label={t("conversation.priority")}
              value={details.priority ?? ""}
              onChange={(event) => onUpdate({ priority: (event.target.value || null) as ConversationPriority | null })}
              className="rounded-lg max-md:min-h-11 max-md:shrink-0 border border-slate-300 bg-transparent px-1.5 py-1 text-xs dark:border-slate-700"
            >
              <option value="">{t("conversation.noPriority")}</option>
              {conversationPriorities.map((priority) => (
                <option key={priority} value={priority}>
                  {t(`priority.${priority}`)}
                </option>
              ))}
            </select>
            <select
              aria-label={t("conversation.snooze")}
              value=""
              onChange={(event) => {
                const hours = Number(event.target.value);
                if (hours) onUpdate({ status: "snoozed", snoozedUntil: new Date(Date.now() + hours * 3_600_000) });
              }}
              className="rounded-lg max-md:min-h-11 max-md:shrink-0 border border-slate-300 bg-transparent px-1.5 py-1 text-xs dark:border-slate-700"
            >
              <option value="">{t("conversation.snoozePrompt")}</option>
              <option value="1">{t("conversation.snoozeHours", { hours: 1 })}</option>
              <option value="4">{t("conversation.snoozeHours", { hours: 4 })}</option>
              <option value="24">{t("conversation.untilTomorrow")}</option>
              <option value="168">{t("conversation.aWeek")}</option>
            </select>
            {details.status === "resolved" ? (
              <button className="rounded-lg max-md:min-h-11 max-md:shrink-0 bg-slate-800 px-2.5 py-1 text-xs font-semibold text-white hover:bg-slate-700 dark:bg-slate-200 dark:text-slate-900" onClick={() => onUpdate({ status: "open" })}>
                {t("conversation.reopen")}
              </button>
            ) : (
              <button className="rounded-lg max-md:min-h-11 max-md:shrink-0 bg-emerald-600 px-2.5 py-1 text-xs font-semibold text-white hover:bg-emerald-700" onClick={() => onUpdate({ status: "resolved" })}>
                {t("conversation.resolve")}
              </button>
            )}
          </div>
        )}
      </header>
  );
}
