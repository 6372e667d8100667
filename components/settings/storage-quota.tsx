"use client";

import { useQuery } from "@tanstack/react-query";
import { useFormatter, useTranslations } from "next-intl";
import { Field } from "@/components/ui/field";
import { useTRPC } from "@/lib/trpc/client";
import { Section, SettingSourceNote } from "./settings-form-shell";
import type { SettingsForm } from "./use-settings-form";

const MB = 1024 * 1024;

/** The room agents' uploaded files may take, and how much of it they take now. */
export function StorageQuota({ form }: { form: SettingsForm<"retention" | "storage"> }) {
  const t = useTranslations("settings.retention.storage");
  const format = useFormatter();
  const trpc = useTRPC();
  const usage = useQuery(trpc.settings.storageUsage.queryOptions());
  const storage = form.values?.storage;
  if (!storage) return null;
  const megabytes = (value: number) => format.number(value, { style: "unit", unit: "megabyte", maximumFractionDigits: 1 });
  const usedMb = usage.data ? usage.data.usedBytes / MB : null;
  return (
    <Section title={t("title")} description={t("description")}>
      <div className="max-w-48">
        <Field
          label={t("quota")}
          type="number"
          min={10}
          max={102_400}
          value={Number.isNaN(storage.quotaMb) ? "" : storage.quotaMb}
          onChange={(event) => form.set("storage", { quotaMb: event.target.valueAsNumber })}
          error={form.errors["storage.quotaMb"]}
          hint={t("quotaHint")}
        />
      </div>
      <SettingSourceNote form={form} setting="storage" />
      <p className="text-sm text-slate-600 dark:text-slate-400" role="status">
        {usedMb === null ? t("loadingUsage") : t("used", { used: megabytes(usedMb), quota: megabytes(storage.quotaMb) })}
      </p>
      {usedMb !== null && storage.quotaMb < usedMb ? <p className="text-sm text-amber-700 dark:text-amber-400">{t("overQuota")}</p> : null}
    </Section>
  );
}
