"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { useState } from "react";
import { useTRPC } from "@/lib/trpc/client";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { ConfirmButton } from "@/components/ui/confirm-button";
import { apiError } from "../api-error";
import { ChannelCard, Fact } from "./channel-card";
import { SecretOnce } from "./secret-once";
import { SnippetBox } from "./snippet-box";
import type { ChannelItem, WidgetDetails } from "./types";
import { draftOf } from "./widget-draft";
import { WidgetForm } from "./widget-form";

/**
 * A website widget's card: its snippet to copy, where it may run and how it
 * looks; editing those (with the preview), rotating the identity secret (the
 * new one shown once) and disconnecting.
 */
export function WidgetCard({ channel, details }: { channel: ChannelItem; details: WidgetDetails }) {
  const t = useTranslations("settings.channels.widget");
  const common = useTranslations("common");
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const refresh = () => void queryClient.invalidateQueries(trpc.channels.list.pathFilter());
  const [editing, setEditing] = useState(false);
  const [saved, setSaved] = useState(false);
  const [secret, setSecret] = useState<string | null>(null);
  const update = useMutation(
    trpc.channels.updateWebWidget.mutationOptions({
      onSuccess: () => {
        setEditing(false);
        setSaved(true);
        refresh();
      },
    }),
  );
  const rotate = useMutation(trpc.channels.rotateWidgetSecret.mutationOptions({ onSuccess: (result) => setSecret(result.identitySecret) }));
  const rotateFailure = apiError(rotate.error);
  const connected = channel.status !== "disconnected";
  const formId = `widget-edit-${channel.id}`;

  return (
    <ChannelCard
      channel={channel}
      busy={update.isPending || rotate.isPending}
      disconnectDescription={t("disconnectDescription")}
      facts={
        <>
          <Fact label={t("origin")}>
            {details.allowedOrigins.length ? (
              <ul>
                {details.allowedOrigins.map((origin) => (
                  <li key={origin} className="font-mono text-xs">
                    {origin}
                  </li>
                ))}
              </ul>
            ) : (
              t("noOrigins")
            )}
          </Fact>
          <Fact label={t("color")}>
            <span className="inline-flex items-center gap-2">
              <span aria-hidden className="size-4 rounded border border-slate-300 dark:border-slate-600" style={{ background: details.color }} />
              <span className="font-mono text-xs">{details.color}</span>
            </span>
          </Fact>
          <Fact label={t("position")}>{t(`positions.${details.position}`)}</Fact>
          {details.greeting ? (
            <Fact label={t("greeting")}>
              <span className="whitespace-pre-wrap">{details.greeting}</span>
            </Fact>
          ) : null}
          <Fact label={t("identity")}>{details.requireIdentity ? t("identityRequired") : t("identityOptional")}</Fact>
          <Fact label={t("preChatLabel")}>{details.preChat.enabled ? t("on") : t("off")}</Fact>
          <Fact label={t("publicId")}>
            <span className="font-mono text-xs">{details.publicId}</span>
          </Fact>
        </>
      }
      actions={
        <>
          <Button
            type="button"
            variant="secondary"
            className="px-3 py-1.5"
            aria-expanded={editing}
            aria-controls={formId}
            disabled={update.isPending}
            onClick={() => {
              setEditing(!editing);
              setSaved(false);
              update.reset();
            }}
          >
            {t("edit")}
          </Button>
          <ConfirmButton
            label={rotate.isPending ? t("rotating") : t("rotate")}
            title={t("rotateTitle", { name: channel.name })}
            description={t("rotateDescription")}
            confirmLabel={t("rotate")}
            disabled={rotate.isPending || update.isPending}
            onConfirm={() => {
              setSecret(null);
              rotate.mutate({ id: channel.id });
            }}
          />
        </>
      }
    >
      {connected ? (
        <div className="mt-3 flex flex-col gap-3">
          <SnippetBox snippet={details.snippet} />
          {saved ? <Alert tone="success">{t("saved")}</Alert> : null}
          {rotateFailure ? <Alert tone="error">{t("rotateFailed", { error: rotateFailure.message })}</Alert> : null}
          {secret ? (
            <>
              <Alert tone="success">{t("rotated")}</Alert>
              <SecretOnce secret={secret} onDone={() => setSecret(null)} />
            </>
          ) : null}
          {editing ? (
            <section id={formId} aria-label={t("editTitle", { name: channel.name })} className="rounded-lg border border-slate-200 p-4 dark:border-slate-800">
              <h5 className="mb-3 font-medium">{t("editTitle", { name: channel.name })}</h5>
              <WidgetForm
                initial={draftOf(channel.name, details)}
                submitLabel={t("save")}
                pendingLabel={t("saving")}
                pending={update.isPending}
                failure={apiError(update.error)}
                failureText={(error) => t("saveFailed", { error })}
                onSubmit={(input) => update.mutate({ id: channel.id, ...input })}
              >
                <Button type="button" variant="secondary" onClick={() => setEditing(false)} disabled={update.isPending}>
                  {common("cancel")}
                </Button>
              </WidgetForm>
            </section>
          ) : null}
        </div>
      ) : null}
    </ChannelCard>
  );
}
