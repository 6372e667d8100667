"use client";

import { useTranslations } from "next-intl";
import { useMemo } from "react";
import { Field, SelectField } from "@/components/ui/field";
import { Section, SettingSourceNote, SettingsFormShell } from "./settings-form-shell";
import { useSettingsForm } from "./use-settings-form";

const keys = ["name", "defaultLocale", "timeZone"] as const;

/** Languages customers commonly write in; the workspace default can be any of them. */
const commonLocales = ["en", "ru", "uk", "de", "fr", "es", "it", "pt", "pt-BR", "tr", "ar", "fa", "hi", "id", "ja", "ko", "zh", "pl", "nl", "kk", "uz"];

export function GeneralSettings() {
  const t = useTranslations("settings.general");
  const form = useSettingsForm(keys);
  const timeZones = useMemo(() => Intl.supportedValuesOf("timeZone"), []);
  const languageName = useMemo(() => new Intl.DisplayNames([t("displayLocale")], { type: "language" }), [t]);
  const values = form.values;
  return (
    <SettingsFormShell form={form}>
      {values ? (
        <Section title={t("workspace")}>
          <div>
            <Field label={t("name")} value={values.name} maxLength={80} onChange={(event) => form.set("name", event.target.value)} error={form.errors.name} />
          </div>
          <div>
            <SelectField
              label={t("defaultLocale")}
              hint={t("defaultLocaleHint")}
              value={values.defaultLocale}
              onChange={(event) => form.set("defaultLocale", event.target.value)}
              error={form.errors.defaultLocale}
            >
              {[...new Set([values.defaultLocale, ...commonLocales])].map((code) => (
                <option key={code} value={code}>
                  {languageName.of(code) ?? code} ({code})
                </option>
              ))}
            </SelectField>
            <SettingSourceNote form={form} setting="defaultLocale" />
          </div>
          <div>
            <SelectField
              label={t("timeZone")}
              hint={t("timeZoneHint")}
              value={values.timeZone}
              onChange={(event) => form.set("timeZone", event.target.value)}
              error={form.errors.timeZone}
            >
              {[...new Set([values.timeZone, "UTC", ...timeZones])].map((zone) => (
                <option key={zone} value={zone}>
                  {zone}
                </option>
              ))}
            </SelectField>
            <SettingSourceNote form={form} setting="timeZone" />
          </div>
        </Section>
      ) : null}
    </SettingsFormShell>
  );
}
