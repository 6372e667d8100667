"use client";

import { useTranslations } from "next-intl";
import { Choice } from "./choice";
import { NeverOrDays } from "./never-or-days";
import { Section, SettingSourceNote, SettingsFormShell } from "./settings-form-shell";
import { useSettingsForm } from "./use-settings-form";

const keys = ["conversationRules"] as const;

export function ConversationRulesSettings() {
  const t = useTranslations("settings.rules");
  const form = useSettingsForm(keys);
  const rules = form.values?.conversationRules;
  return (
    <SettingsFormShell form={form}>
      {rules ? (
        <>
          <Section title={t("afterResolvedTitle")} description={t("afterResolvedDescription")}>
            <fieldset className="flex flex-col gap-3">
              <legend className="sr-only">{t("afterResolvedTitle")}</legend>
              <Choice name="afterResolved" checked={rules.afterResolved === "reopen"} onChange={() => form.set("conversationRules", { ...rules, afterResolved: "reopen" })} label={t("reopen")} hint={t("reopenHint")} />
              <Choice name="afterResolved" checked={rules.afterResolved === "new"} onChange={() => form.set("conversationRules", { ...rules, afterResolved: "new" })} label={t("new")} hint={t("newHint")} />
            </fieldset>
          </Section>
          <Section title={t("autoResolveTitle")} description={t("autoResolveDescription")}>
            <NeverOrDays
              name="autoResolve"
              legend={t("autoResolveTitle")}
              neverLabel={t("never")}
              daysChoiceLabel={t("afterDays")}
              daysLabel={t("days")}
              days={rules.autoResolveAfterDays}
              defaultDays={7}
              maxDays={365}
              error={form.errors["conversationRules.autoResolveAfterDays"]}
              onChange={(days) => form.set("conversationRules", { ...rules, autoResolveAfterDays: days })}
            />
            <SettingSourceNote form={form} setting="conversationRules" />
          </Section>
        </>
      ) : null}
    </SettingsFormShell>
  );
}
