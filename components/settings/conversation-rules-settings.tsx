"use client";

import { useTranslations } from "next-intl";
import { Field } from "@/components/ui/field";
import { Choice } from "./choice";
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
            <fieldset className="flex flex-col gap-3">
              <legend className="sr-only">{t("autoResolveTitle")}</legend>
              <Choice name="autoResolve" checked={rules.autoResolveAfterDays === null} onChange={() => form.set("conversationRules", { ...rules, autoResolveAfterDays: null })} label={t("never")} />
              <Choice name="autoResolve" checked={rules.autoResolveAfterDays !== null} onChange={() => form.set("conversationRules", { ...rules, autoResolveAfterDays: rules.autoResolveAfterDays ?? 7 })} label={t("afterDays")}>
                {rules.autoResolveAfterDays !== null ? (
                  <div className="max-w-40">
                    <Field
                      label={t("days")}
                      type="number"
                      min={1}
                      max={365}
                      value={Number.isNaN(rules.autoResolveAfterDays) ? "" : rules.autoResolveAfterDays}
                      onChange={(event) => form.set("conversationRules", { ...rules, autoResolveAfterDays: event.target.valueAsNumber })}
                      error={form.errors["conversationRules.autoResolveAfterDays"]}
                    />
                  </div>
                ) : null}
              </Choice>
            </fieldset>
            <SettingSourceNote form={form} setting="conversationRules" />
          </Section>
        </>
      ) : null}
    </SettingsFormShell>
  );
}
