"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useFormatter, useTranslations } from "next-intl";
import { useTRPC } from "@/lib/trpc/client";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { apiError } from "../api-error";
import { ChannelCard, Fact } from "./channel-card";
import type { ChannelItem, TelegramDetails } from "./types";

/** A Telegram bot's card: its @username, how updates arrive (and the webhook's health), and switching that. */
export function TelegramCard({ channel, details }: { channel: ChannelItem; details: TelegramDetails }) {
  const t = useTranslations("settings.channels");
  const format = useFormatter();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const setMode = useMutation(trpc.channels.setMode.mutationOptions({ onSettled: () => void queryClient.invalidateQueries(trpc.channels.list.pathFilter()) }));
  const failure = apiError(setMode.error);
  const when = (date: Date) => format.dateTime(date, { dateStyle: "medium", timeStyle: "short" });
  const webhook = details.webhook;
  return (
    <ChannelCard
      channel={channel}
      nameSuffix={details.botUsername && channel.name !== `@${details.botUsername}` ? <span className="ml-2 font-normal text-slate-500">@{details.botUsername}</span> : null}
      busy={setMode.isPending}
      disconnectDescription={t("disconnectDescription")}
      facts={
        <>
          <Fact label={t("modeLabel")}>{t(details.mode)}</Fact>
          {webhook ? (
            <Fact label={t("webhookHealth")}>
              {"unreachable" in webhook
                ? t("unreachable", { reason: webhook.unreachable })
                : webhook.lastError
                  ? t("webhookError", { error: webhook.lastError, when: webhook.lastErrorAt ? when(webhook.lastErrorAt) : "—", pending: webhook.pendingUpdates })
                  : t("webhookOk", { pending: webhook.pendingUpdates })}
            </Fact>
          ) : null}
        </>
      }
      actions={
        <Button
          type="button"
          variant="secondary"
          className="px-3 py-1.5"
          disabled={setMode.isPending}
          onClick={() => setMode.mutate({ id: channel.id, mode: details.mode === "webhook" ? "polling" : "webhook" })}
        >
          {details.mode === "webhook" ? t("switchToPolling") : t("switchToWebhook")}
        </Button>
      }
    >
      {failure ? (
        <div className="mt-3">
          <Alert tone="error">{failure.message}</Alert>
        </div>
      ) : null}
    </ChannelCard>
  );
}
