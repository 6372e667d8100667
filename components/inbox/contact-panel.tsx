"use client";

import { useTranslations } from "next-intl";
import Link from "next/link";
import { useState } from "react";
import type { inferRouterOutputs } from "@trpc/server";
import type { AppRouter } from "@/server/api/root";
import { ChannelIdentity } from "./channel-identity";
import { ChannelTag } from "./channel-kind";
import { initials, shortTime, type DateContext } from "./format";
import { PaneButton } from "./pane-button";
import { Participants } from "./participants";
import { ChevronLeftIcon } from "./icons";

type Conversation = inferRouterOutputs<AppRouter>["conversations"]["get"];

/**
 * The right-hand panel of the inbox: who the customer is (on this
 * conversation's channel too), the conversation's labels and participants, and
 * the customer's other conversations.
 */
export function ContactPanel({
  slug,
  dates,
  details,
  currentId,
  fieldLabels,
  onLabels,
  onBack,
}: {
  slug: string;
  dates: DateContext;
  details: Conversation;
  currentId: string;
  /** The channel's own names for what it asked the customer (the widget's pre-chat fields), by key. */
  fieldLabels?: Record<string, string>;
  onLabels: (labels: string[]) => void;
  /** Back to the thread, on a phone, where this panel takes the whole screen. */
  onBack: () => void;
}) {
  const t = useTranslations("inbox");
  const contact = details.contact;
  const identity = contact.identities.find((candidate) => candidate.channelId === details.channel.id);
  return (
    <aside className="w-72 shrink-0 overflow-y-auto border-l border-slate-200 bg-white p-4 text-sm max-md:w-full max-md:border-l-0 md:max-xl:hidden dark:border-slate-800 dark:bg-slate-900" aria-label={t("contact.label")}>
      <div className="-mx-4 -mt-4 mb-4 flex items-center gap-1 border-b border-slate-200 bg-white px-1 py-0.5 md:hidden dark:border-slate-800 dark:bg-slate-900">
        <PaneButton label={t("pane.backToConversation")} onClick={onBack}>
          <ChevronLeftIcon />
        </PaneButton>
        <h2 className="truncate font-semibold">{t("contact.label")}</h2>
      </div>
      <div className="flex flex-col items-center gap-2 text-center">
        <span aria-hidden className="flex size-14 items-center justify-center rounded-full bg-gradient-to-br from-sky-400 to-indigo-500 text-lg font-semibold text-white">
          {initials(contact.name)}
        </span>
        <p className="font-semibold">{contact.name}</p>
        {contact.username && <p className="text-slate-500">@{contact.username}</p>}
        {contact.blockedAt && <p className="rounded-full bg-red-100 px-2 py-0.5 text-xs text-red-800 dark:bg-red-950 dark:text-red-200">{t("contact.blocked")}</p>}
      </div>
      <dl className="mt-4 space-y-2">
        <div>
          <dt className="text-xs text-slate-500">{t("contact.channel")}</dt>
          <dd>
            <ChannelTag channel={details.channel} />
          </dd>
        </div>
        <ChannelIdentity kind={details.channel.kind} identity={identity} email={contact.email} externalChatId={details.externalChatId} externalThreadId={details.externalThreadId} fieldLabels={fieldLabels} />
        {contact.phone && (
          <div>
            <dt className="text-xs text-slate-500">{t("contact.phone")}</dt>
            <dd>{contact.phone}</dd>
          </div>
        )}
        {contact.locale && contact.locale !== (identity?.details as { locale?: unknown } | null | undefined)?.locale && (
          <div>
            <dt className="text-xs text-slate-500">{t("contact.language")}</dt>
            <dd>{contact.locale}</dd>
          </div>
        )}
        <div>
          <dt className="text-xs text-slate-500">{t("contact.labels")}</dt>
          <dd>
            <Labels labels={details.labels} onLabels={onLabels} />
          </dd>
        </div>
      </dl>
      <Participants conversationId={currentId} />
      <h3 className="mt-5 text-xs font-semibold uppercase tracking-wide text-slate-500">{t("contact.conversations")}</h3>
      <ul className="mt-1 space-y-1">
        {contact.conversations.map((previous) => (
          <li key={previous.id}>
            <Link href={`/t/${slug}/inbox/${previous.id}`} aria-current={previous.id === currentId ? "page" : undefined} className={`block rounded-lg px-2 py-1 hover:bg-slate-100 max-md:py-2 dark:hover:bg-slate-800 ${previous.id === currentId ? "bg-slate-100 dark:bg-slate-800" : ""}`}>
              <span className="flex justify-between text-xs">
                <span>{t(`conversation.status.${previous.status}`)}</span>
                <span className="text-slate-500">{shortTime(previous.lastMessageAt, dates)}</span>
              </span>
              <span className="block truncate text-xs text-slate-600 dark:text-slate-400">{previous.lastMessagePreview ?? "—"}</span>
            </Link>
          </li>
        ))}
      </ul>
    </aside>
  );
}

/** The conversation's labels, each removable, and a small field to add one. */
function Labels({ labels, onLabels }: { labels: string[]; onLabels: (labels: string[]) => void }) {
  const t = useTranslations("inbox.contact");
  const [newLabel, setNewLabel] = useState("");
  return (
    <div className="flex flex-wrap items-center gap-1">
      {labels.map((label) => (
        <span key={label} className="flex items-center gap-0.5 rounded bg-slate-100 px-1.5 text-xs dark:bg-slate-800">
          {label}
          <button type="button" aria-label={t("removeLabel", { label })} onClick={() => onLabels(labels.filter((l) => l !== label))} className="text-slate-500 hover:text-slate-900 max-md:flex max-md:size-11 max-md:items-center max-md:justify-center max-md:text-base dark:hover:text-white">
            ×
          </button>
        </span>
      ))}
      <form
        onSubmit={(event) => {
          event.preventDefault();
          const label = newLabel.trim().toLowerCase();
          if (label && !label.includes(",") && !labels.includes(label)) onLabels([...labels, label]);
          setNewLabel("");
        }}
      >
        <label className="sr-only" htmlFor="add-label">
          {t("addLabel")}
        </label>
        <input id="add-label" value={newLabel} onChange={(event) => setNewLabel(event.target.value)} maxLength={40} placeholder={t("labelPlaceholder")} className="w-20 rounded border border-slate-300 bg-transparent px-1 text-xs max-md:h-11 max-md:w-32 max-md:text-base dark:border-slate-700" />
      </form>
    </div>
  );
}
