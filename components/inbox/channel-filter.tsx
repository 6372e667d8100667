"use client";

import { useTranslations } from "next-intl";

export type ChannelFilterValue = { kind: string; channelId: string };

const selectClass = "min-w-[7rem] flex-1 rounded-md border border-slate-300 bg-transparent px-1.5 py-1 text-xs dark:border-slate-700 dark:bg-slate-900";

/**
 * The list's channel filters: by kind (All / Telegram / Website), and, when the
 * workspace has more than one channel of that choice, by one bot or widget
 * (kept on screen while one is chosen, so it can always be cleared).
 */
export function ChannelFilter({ channels, value, onChange }: { channels: { id: string; kind: string; name: string }[]; value: ChannelFilterValue; onChange: (value: ChannelFilterValue) => void }) {
  const t = useTranslations("inbox.filters");
  const common = useTranslations("common");
  // The kinds of the workspace's own channels, in the order they were added: a kind nobody uses is no filter.
  const kinds = [...new Set(channels.map((channel) => channel.kind))];
  const choices = channels.filter((channel) => !value.kind || channel.kind === value.kind);
  return (
    <>
      <label className="sr-only" htmlFor="inbox-channel-kind">
        {t("channel")}
      </label>
      <select id="inbox-channel-kind" value={value.kind} onChange={(event) => onChange({ kind: event.target.value, channelId: "" })} className={selectClass}>
        <option value="">{t("allChannels")}</option>
        {kinds.map((kind) => (
          <option key={kind} value={kind}>
            {common("channelKind", { kind })}
          </option>
        ))}
      </select>
      {choices.length > 1 || value.channelId ? (
        <>
          <label className="sr-only" htmlFor="inbox-channel">
            {t("channelName")}
          </label>
          <select id="inbox-channel" value={value.channelId} onChange={(event) => onChange({ ...value, channelId: event.target.value })} className={selectClass}>
            <option value="">{t("anyChannelOfKind")}</option>
            {choices.map((channel) => (
              <option key={channel.id} value={channel.id}>
                {channel.name}
              </option>
            ))}
          </select>
        </>
      ) : null}
    </>
  );
}
