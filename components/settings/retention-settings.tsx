"use client";

import { useQuery } from "@tanstack/react-query";
import { useFormatter, useTranslations } from "next-intl";
import { useTRPC } from "@/lib/trpc/client";
import { NeverOrDays } from "./never-or-days";
import { Section, SettingSourceNote, SettingsFormShell } from "./settings-form-shell";
import { StorageQuota } from "./storage-quota";
import { useSettingsForm } from "./use-settings-form";

const keys = ["retention", "storage"] as const;

type PurgeRecord = { cutoff?: string; messages?: number; uploads?: number; events?: number };

export function RetentionSettings() {
  const t = useTranslations("settings.retention");
  const format = useFormatter();
  const trpc = useTRPC();
  const form = useSettingsForm(keys);
  const purges = useQuery(trpc.auditLog.list.queryOptions({ action: "retention.purged", limit: 5 }));
  const retention = form.values?.retention;
  const before = form.savedValue("retention")?.days;
  // Keeping less than before deletes data for good at the next purge: ask first.
  const shrinks = form.dirty && retention?.days != null && (before === null || (before !== undefined && retention.days < before));
  const confirm = shrinks ? { title: t("confirmTitle", { days: retention!.days! }), description: t("confirmDescription", { days: retention!.days! }), confirmLabel: t("confirmLabel") } : null;
  return (
    <SettingsFormShell form={form} confirm={confirm}>
      {retention ? (
        <Section title={t("title")} description={t("description")}>
          <NeverOrDays
            name="retention"
            legend={t("title")}
            neverLabel={t("forever")}
            daysChoiceLabel={t("afterDays")}
            daysChoiceHint={t("afterDaysHint")}
            daysLabel={t("days")}
            days={retention.days}
            defaultDays={365}
            maxDays={3650}
            error={form.errors["retention.days"]}
            onChange={(days) => form.set("retention", { days })}
          />
          <SettingSourceNote form={form} setting="retention" />
          <div>
            <h4 className="text-sm font-semibold">{t("lastPurges")}</h4>
            {purges.isPending ? <p className="text-sm text-slate-500">{t("loadingPurges")}</p> : null}
            {purges.data?.items.length === 0 ? <p className="text-sm text-slate-500">{t("noPurges")}</p> : null}
            <ul className="mt-2 flex flex-col gap-1 text-sm">
              {purges.data?.items.map((item) => {
                const record = item.metadata as PurgeRecord;
                return (
                  <li key={item.id}>
                    {t("purgeLine", {
                      when: format.dateTime(item.createdAt, { dateStyle: "medium", timeStyle: "short" }),
                      messages: record.messages ?? 0,
                      uploads: record.uploads ?? 0,
                      cutoff: record.cutoff ? format.dateTime(new Date(record.cutoff), { dateStyle: "medium" }) : "—",
                    })}
                  </li>
                );
              })}
            </ul>
          </div>
        </Section>
      ) : null}
      <StorageQuota form={form} />
    </SettingsFormShell>
  );
}
