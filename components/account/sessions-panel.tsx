"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useFormatter, useTranslations } from "next-intl";
import { useState } from "react";
import { apiError } from "@/components/settings/api-error";
import { QueryStatus } from "@/components/settings/query-status";
import { Section } from "@/components/settings/settings-form-shell";
import { Alert } from "@/components/ui/alert";
import { ConfirmButton } from "@/components/ui/confirm-button";
import { useTRPC } from "@/lib/trpc/client";
import type { Device } from "@/server/services/sessions/describe-device";

/** Where the user is signed in, with a way to end any other session, or all of them, at once. */
export function SessionsPanel() {
  const t = useTranslations("account.sessions");
  const format = useFormatter();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const sessions = useQuery(trpc.account.sessions.queryOptions());
  const refresh = () => void queryClient.invalidateQueries(trpc.account.sessions.pathFilter());
  const revoke = useMutation(trpc.account.revokeSession.mutationOptions({ onSettled: refresh }));
  const revokeOthers = useMutation(trpc.account.revokeOtherSessions.mutationOptions({ onSettled: refresh }));
  const failure = apiError(revoke.error ?? revokeOthers.error);
  // Named when asked, since the list no longer has it once it is gone.
  const [revokedDevice, setRevokedDevice] = useState("");

  const deviceName = (device: Device) => {
    const browser = device.browser ?? t("unknownBrowser");
    return device.os ? t("device", { browser, os: device.os }) : browser;
  };
  const others = sessions.data?.filter((session) => !session.current) ?? [];

  return (
    <Section title={t("title")} description={t("description")}>
      {failure ? <Alert tone="error">{failure.message}</Alert> : null}
      {revoke.isSuccess ? <Alert tone="success">{t("revoked", { device: revokedDevice })}</Alert> : null}
      {revokeOthers.data ? <Alert tone="success">{t("revokedOthers", { count: revokeOthers.data.count })}</Alert> : null}
      <QueryStatus query={sessions} loading={t("loading")} failed={t("loadFailed")} retryLabel={t("retry")} empty={sessions.data?.length === 0 && t("empty")} />
      {sessions.data && sessions.data.length > 0 ? (
        <ul className="divide-y divide-slate-200 dark:divide-slate-800" aria-label={t("title")}>
          {sessions.data.map((session) => (
            <li key={session.id} className="flex flex-wrap items-center justify-between gap-3 py-3 text-sm" data-testid="session-row">
              <span className="min-w-0">
                <span className="font-medium">{deviceName(session.device)}</span>
                {session.device.kind !== "other" ? <span className="ml-2 text-xs text-slate-500 dark:text-slate-400">{t(session.device.kind === "mobile" ? "phone" : "tablet")}</span> : null}
                {session.current ? (
                  <span className="ml-2 rounded-full bg-emerald-100 px-2 py-0.5 text-xs font-medium text-emerald-800 dark:bg-emerald-950 dark:text-emerald-200">{t("thisDevice")}</span>
                ) : null}
                <span className="block text-xs text-slate-500 dark:text-slate-400">
                  {session.ip ? `${t("address", { ip: session.ip })} · ` : null}
                  {t("signedIn", { when: format.dateTime(session.createdAt, { dateStyle: "medium", timeStyle: "short" }) })} ·{" "}
                  {t("lastSeen", { when: format.relativeTime(session.lastSeenAt) })}
                </span>
              </span>
              {session.current ? null : (
                <ConfirmButton
                  variant="danger"
                  label={t("revoke")}
                  title={t("revokeTitle", { device: deviceName(session.device) })}
                  description={t("revokeDescription")}
                  confirmLabel={t("revoke")}
                  disabled={revoke.isPending}
                  onConfirm={() => {
                    setRevokedDevice(deviceName(session.device));
                    revokeOthers.reset();
                    revoke.mutate({ id: session.id });
                  }}
                />
              )}
            </li>
          ))}
        </ul>
      ) : null}
      {sessions.data && sessions.data.length > 0 && others.length === 0 ? <p className="text-sm text-slate-500 dark:text-slate-400">{t("onlyThisDevice")}</p> : null}
      {others.length > 0 ? (
        <div>
          <ConfirmButton
            variant="danger"
            label={t("revokeOthers")}
            title={t("revokeOthersTitle")}
            description={t("revokeOthersDescription")}
            confirmLabel={t("revokeOthers")}
            disabled={revokeOthers.isPending}
            onConfirm={() => {
              revoke.reset();
              revokeOthers.mutate();
            }}
          />
        </div>
      ) : null}
    </Section>
  );
}
