"use client";

import { useQuery } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { useTRPC } from "@/lib/trpc/client";
import { ChannelCard } from "./channels/channel-card";
import { ConnectTelegramForm } from "./channels/connect-telegram-form";
import { CreateWidget } from "./channels/create-widget";
import { TelegramCard } from "./channels/telegram-card";
import type { ChannelItem } from "./channels/types";
import { WidgetCard } from "./channels/widget-card";
import { QueryStatus } from "./query-status";
import { Section } from "./settings-form-shell";

/**
 * The Channels page: connect a Telegram bot, create a website widget, and
 * every channel of the workspace with its kind's own card.
 */
export function ChannelsSettings() {
  const t = useTranslations("settings.channels");
  const trpc = useTRPC();
  const list = useQuery(trpc.channels.list.queryOptions());
  return (
    <div className="flex flex-col gap-6">
      <Section title={t("connectTitle")} description={t("connectDescription")}>
        <ConnectTelegramForm />
      </Section>
      <Section title={t("widget.title")} description={t("widget.description")}>
        <CreateWidget />
      </Section>
      <Section title={t("listTitle")}>
        <QueryStatus query={list} loading={t("loading")} failed={t("loadFailed")} retryLabel={t("retryLoad")} empty={list.data?.length === 0 && t("empty")} />
        <ul className="flex flex-col gap-3">
          {list.data?.map((channel) => (
            <ChannelCardOf key={channel.id} channel={channel} />
          ))}
        </ul>
      </Section>
    </div>
  );
}

/** The card for a channel's kind; a kind this page does not know yet gets the common card only. */
function ChannelCardOf({ channel }: { channel: ChannelItem }) {
  const t = useTranslations("settings.channels");
  const details = channel.details;
  if (details.kind === "telegram") return <TelegramCard channel={channel} details={details} />;
  if (details.kind === "web_widget") return <WidgetCard channel={channel} details={details} />;
  return <ChannelCard channel={channel} facts={null} busy={false} disconnectDescription={t("disconnectAny")} />;
}
