"use client";

import { useFormatter, useTranslations } from "next-intl";
import { notificationLink } from "@/lib/notifications/link";
import { messageKey } from "@/lib/notifications/message-key";
import type { NotificationGroup } from "./group-notifications";

/** One line of the centre: who did what in which conversation, the preview, when; a dot while unread. */
export function NotificationEntry({ slug, group, onOpen }: { slug: string; group: NotificationGroup; onOpen: (href: string) => void }) {
  const t = useTranslations("notifications");
  const format = useFormatter();
  const { latest } = group;
  const href = notificationLink({ publicUrl: "", slug, notification: latest });
  return (
    <a
      href={href}
      onClick={(event) => {
        // A new tab (middle click, modifier keys) opens as a plain link; here, the app navigates and marks it read.
        if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey) return;
        event.preventDefault();
        onOpen(href);
      }}
      data-testid="notification-entry"
      data-unread={group.unread ? "true" : "false"}
      className={`flex min-h-11 gap-3 px-4 py-3 text-sm hover:bg-slate-50 focus-visible:bg-slate-50 focus-visible:outline-none dark:hover:bg-slate-800 dark:focus-visible:bg-slate-800 ${group.unread ? "" : "opacity-70"}`}
    >
      <span aria-hidden className={`mt-1.5 h-2 w-2 shrink-0 rounded-full ${group.unread ? "bg-sky-500" : "bg-transparent"}`} />
      <span className="min-w-0 flex-1">
        <span className="block text-slate-900 dark:text-slate-100">
          {t(`entry.${messageKey(latest.type)}`, { contact: latest.data.contactName || "—", actor: latest.data.actorName ?? "none" })}
          {group.unread ? <span className="sr-only"> · {t("unreadDot")}</span> : null}
        </span>
        {latest.data.preview ? <span className="mt-0.5 block truncate text-slate-500 dark:text-slate-400">{latest.data.preview}</span> : null}
        <span className="mt-0.5 block text-xs text-slate-400 dark:text-slate-500">
          {format.relativeTime(new Date(latest.createdAt))}
          {group.more > 0 ? ` · ${t("grouped", { count: group.more })}` : null}
        </span>
      </span>
    </a>
  );
}
