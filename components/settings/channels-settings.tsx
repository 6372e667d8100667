"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useFormatter, useTranslations } from "next-intl";
import { useState, type FormEvent } from "react";
import { useTRPC } from "@/lib/trpc/client";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { ConfirmButton } from "@/components/ui/confirm-button";
import { Field, SelectField } from "@/components/ui/field";
import { apiError } from "./api-error";
import { QuarantinedUpdates } from "./quarantined-updates";
import { QueryStatus } from "./query-status";
import { Section } from "./settings-form-shell";

const tokenPattern = /^\d{5,16}:[A-Za-z0-9_-]{30,64}$/;

const statusTone: Record<string, string> = {
  active: "bg-emerald-100 text-emerald-800 dark:bg-emerald-950 dark:text-emerald-200",
  connecting: "bg-sky-100 text-sky-800 dark:bg-sky-950 dark:text-sky-200",
  error: "bg-red-100 text-red-800 dark:bg-red-950 dark:text-red-200",
  disconnected: "bg-slate-100 text-slate-600 dark:bg-slate-800 dark:text-slate-300",
};

function ConnectForm() {
  const t = useTranslations("settings.channels");
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [token, setToken] = useState("");
  const [name, setName] = useState("");
  const [mode, setMode] = useState<"" | "webhook" | "polling">("");
  const connect = useMutation(
    trpc.channels.connectTelegram.mutationOptions({
      onSuccess: () => {
        setToken("");
        setName("");
        void queryClient.invalidateQueries(trpc.channels.list.pathFilter());
      },
    }),
  );
  const failure = apiError(connect.error);
  const tokenError = token && !tokenPattern.test(token.trim()) ? t("tokenFormat") : undefined;
  function onSubmit(event: FormEvent) {
    event.preventDefault();
    if (!token.trim() || tokenError) return;
    connect.mutate({ token: token.trim(), name: name.trim() || undefined, mode: mode || undefined });
  }
  return (
    <form onSubmit={onSubmit} className="flex flex-col gap-3" noValidate>
      <Field
        label={t("token")}
        hint={t("tokenHint")}
        value={token}
        onChange={(event) => {
          setToken(event.target.value);
          connect.reset();
        }}
        error={tokenError ?? failure?.fieldErrors.token?.[0] ?? (failure?.code === "BAD_REQUEST" ? failure.message : undefined)}
        autoComplete="off"
        spellCheck={false}
        type="password"
      />
      <div className="grid gap-3 sm:grid-cols-2">
        <Field label={t("name")} hint={t("nameHint")} value={name} maxLength={80} onChange={(event) => setName(event.target.value)} />
        <SelectField label={t("mode")} value={mode} onChange={(event) => setMode(event.target.value as typeof mode)} hint={t("modeHint")}>
          <option value="">{t("modeAuto")}</option>
          <option value="webhook">{t("webhook")}</option>
          <option value="polling">{t("polling")}</option>
        </SelectField>
      </div>
      {failure && failure.code !== "BAD_REQUEST" ? <Alert tone="error">{failure.message}</Alert> : null}
      {connect.data ? <Alert tone="success">{t("connected", { bot: connect.data.botUsername ? `@${connect.data.botUsername}` : connect.data.name })}</Alert> : null}
      <Button type="submit" className="self-start" disabled={connect.isPending || !token.trim() || Boolean(tokenError)}>
        {connect.isPending ? t("connecting") : t("connect")}
      </Button>
    </form>
  );
}

export function ChannelsSettings() {
  const t = useTranslations("settings.channels");
  const format = useFormatter();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const list = useQuery(trpc.channels.list.queryOptions());
  const refresh = () => void queryClient.invalidateQueries(trpc.channels.list.pathFilter());
  const setMode = useMutation(trpc.channels.setMode.mutationOptions({ onSettled: refresh }));
  const disconnect = useMutation(trpc.channels.disconnect.mutationOptions({ onSettled: refresh }));
  const failure = apiError(setMode.error ?? disconnect.error);
  const when = (date: Date) => format.dateTime(date, { dateStyle: "medium", timeStyle: "short" });

  return (
    <div className="flex flex-col gap-6">
      <Section title={t("connectTitle")} description={t("connectDescription")}>
        <ConnectForm />
      </Section>
      <Section title={t("listTitle")}>
        {failure ? <Alert tone="error">{failure.message}</Alert> : null}
        <QueryStatus query={list} loading={t("loading")} failed={t("loadFailed")} empty={list.data?.length === 0 && t("empty")} />
        <ul className="flex flex-col gap-3">
          {list.data?.map((channel) => (
            <li key={channel.id} className="rounded-lg border border-slate-200 p-4 text-sm dark:border-slate-800" data-testid="channel-row">
              <div className="flex flex-wrap items-center justify-between gap-3">
                <span>
                  <span className="font-medium">{channel.name}</span>
                  {channel.botUsername && channel.name !== `@${channel.botUsername}` ? <span className="ml-2 text-slate-500">@{channel.botUsername}</span> : null}
                </span>
                <span className={`rounded-full px-2 py-0.5 text-xs font-medium ${statusTone[channel.status]}`}>{t(`status.${channel.status}`)}</span>
              </div>
              <dl className="mt-3 grid gap-x-6 gap-y-1 text-slate-600 sm:grid-cols-[auto_1fr] dark:text-slate-400">
                <dt>{t("modeLabel")}</dt>
                <dd>{t(channel.mode)}</dd>
                {channel.webhook ? (
                  <>
                    <dt>{t("webhookHealth")}</dt>
                    <dd>
                      {"unreachable" in channel.webhook
                        ? t("unreachable", { reason: channel.webhook.unreachable })
                        : channel.webhook.lastError
                          ? t("webhookError", { error: channel.webhook.lastError, when: channel.webhook.lastErrorAt ? when(channel.webhook.lastErrorAt) : "—", pending: channel.webhook.pendingUpdates })
                          : t("webhookOk", { pending: channel.webhook.pendingUpdates })}
                    </dd>
                  </>
                ) : null}
                {channel.lastError ? (
                  <>
                    <dt>{t("lastError")}</dt>
                    <dd className="text-red-700 dark:text-red-400">
                      {channel.lastError} {channel.lastErrorAt ? `(${when(channel.lastErrorAt)})` : ""}
                    </dd>
                  </>
                ) : null}
                <dt>{t("connectedAt")}</dt>
                <dd>{when(channel.createdAt)}</dd>
                {channel.disconnectedAt ? (
                  <>
                    <dt>{t("disconnectedAt")}</dt>
                    <dd>{when(channel.disconnectedAt)}</dd>
                  </>
                ) : null}
              </dl>
              <QuarantinedUpdates channelId={channel.id} count={channel.quarantined} />
              {channel.status !== "disconnected" ? (
                <div className="mt-3 flex flex-wrap gap-2">
                  <Button
                    type="button"
                    variant="secondary"
                    className="px-3 py-1.5"
                    disabled={setMode.isPending}
                    onClick={() => setMode.mutate({ id: channel.id, mode: channel.mode === "webhook" ? "polling" : "webhook" })}
                  >
                    {channel.mode === "webhook" ? t("switchToPolling") : t("switchToWebhook")}
                  </Button>
                  <ConfirmButton
                    variant="danger"
                    label={t("disconnect")}
                    title={t("disconnectTitle", { name: channel.name })}
                    description={t("disconnectDescription")}
                    confirmLabel={t("disconnect")}
                    disabled={disconnect.isPending}
                    onConfirm={() => disconnect.mutate({ id: channel.id })}
                  />
                </div>
              ) : null}
            </li>
          ))}
        </ul>
      </Section>
    </div>
  );
}
