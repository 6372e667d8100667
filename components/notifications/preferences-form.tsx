"use client";

import { useMutation } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { useState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { messageKey } from "@/lib/notifications/message-key";
import { notificationMedia, notificationTypes, type NotificationPreferences } from "@/lib/notifications/preferences";
import { useTRPC } from "@/lib/trpc/client";

/** A grid of what × where (in the app, push, email), and whether pushes and emails may show the text. Saved as a whole. */
export function NotificationPreferencesForm({ initial, emailConfigured }: { initial: NotificationPreferences; emailConfigured: boolean }) {
  const t = useTranslations("notifications");
  const trpc = useTRPC();
  const [preferences, setPreferences] = useState(initial);
  const [dirty, setDirty] = useState(false);
  const save = useMutation(
    trpc.notifications.updatePreferences.mutationOptions({
      onSuccess: (saved) => {
        setPreferences(saved);
        setDirty(false);
      },
    }),
  );
  const change = (next: NotificationPreferences) => {
    setPreferences(next);
    setDirty(true);
    save.reset();
  };
  return (
    <form
      className="flex flex-col gap-4 rounded-xl border border-slate-200 bg-white p-4 shadow-sm sm:p-5 dark:border-slate-800 dark:bg-slate-900"
      onSubmit={(event) => {
        event.preventDefault();
        save.mutate(preferences);
      }}
    >
      <div className="overflow-x-auto">
        <table className="w-full min-w-[20rem] text-sm">
          <thead>
            <tr className="text-left text-xs text-slate-500 uppercase dark:text-slate-400">
              <th scope="col" className="py-2 pr-3 font-semibold">
                {t("preferences.type")}
              </th>
              {notificationMedia.map((medium) => (
                <th key={medium} scope="col" className="px-2 py-2 text-center font-semibold">
                  {t(`media.${medium}`)}
                </th>
              ))}
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100 dark:divide-slate-800">
            {notificationTypes.map((type) => (
              <tr key={type}>
                <th scope="row" className="py-3 pr-3 text-left font-normal">
                  <span className="block font-medium text-slate-900 dark:text-slate-100">{t(`types.${messageKey(type)}`)}</span>
                  <span className="block text-xs text-slate-500 dark:text-slate-400">{t(`typeHints.${messageKey(type)}`)}</span>
                </th>
                {notificationMedia.map((medium) => (
                  <td key={medium} className="px-2 py-3 text-center">
                    <label className="inline-flex h-11 w-11 cursor-pointer items-center justify-center">
                      <input
                        type="checkbox"
                        className="h-5 w-5 accent-sky-600"
                        aria-label={`${t(`types.${messageKey(type)}`)}: ${t(`media.${medium}`)}`}
                        data-testid={`preference-${type}-${medium}`}
                        checked={preferences.types[type][medium]}
                        onChange={(event) => change({ ...preferences, types: { ...preferences.types, [type]: { ...preferences.types[type], [medium]: event.target.checked } } })}
                      />
                    </label>
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {emailConfigured ? null : <Alert tone="info">{t("preferences.emailOff")}</Alert>}
      <label className="flex items-start gap-3 text-sm">
        <input type="checkbox" className="mt-0.5 h-5 w-5 accent-sky-600" checked={preferences.previews} onChange={(event) => change({ ...preferences, previews: event.target.checked })} data-testid="preference-previews" />
        <span>
          <span className="block font-medium">{t("preferences.previews")}</span>
          <span className="block text-xs text-slate-500 dark:text-slate-400">{t("preferences.previewsHint")}</span>
        </span>
      </label>
      <div className="flex flex-wrap items-center gap-3">
        <Button type="submit" disabled={!dirty || save.isPending} className="max-md:min-h-11">
          {t("preferences.save")}
        </Button>
        {save.isSuccess ? (
          <span role="status" className="text-sm text-emerald-700 dark:text-emerald-300">
            {t("preferences.saved")}
          </span>
        ) : null}
      </div>
      {save.isError ? <Alert tone="error">{t("preferences.saveFailed", { reason: save.error.message })}</Alert> : null}
    </form>
  );
}
