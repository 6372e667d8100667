"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { useState, type FormEvent } from "react";
import { useTRPC } from "@/lib/trpc/client";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Field, SelectField } from "@/components/ui/field";
import { apiError } from "../api-error";

const tokenPattern = /^\d{5,16}:[A-Za-z0-9_-]{30,64}$/;

/** Connecting a Telegram bot by its token (checked for shape here, for real by Telegram), in webhook or polling mode. */
export function ConnectTelegramForm() {
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
