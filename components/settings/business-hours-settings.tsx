"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useTranslations } from "next-intl";
import type { Settings } from "@/lib/settings/schema";
import { useTRPC } from "@/lib/trpc/client";
import { Field, SelectField } from "@/components/ui/field";
import { FieldError, Section, SettingSourceNote, SettingsFormShell } from "./settings-form-shell";
import { useSettingsForm } from "./use-settings-form";

const keys = ["businessHours", "autoReplies"] as const;
const days = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"] as const;
type Day = (typeof days)[number];
type Hours = Settings["businessHours"];
type AutoReplies = Settings["autoReplies"];

const timeInput =
  "w-28 rounded-lg max-md:w-32 border border-slate-300 bg-white px-2 py-1.5 text-sm aria-[invalid]:border-red-500 dark:border-slate-700 dark:bg-slate-900";

function Checkbox({ label, checked, onChange, hint }: { label: string; checked: boolean; onChange: (checked: boolean) => void; hint?: string }) {
  return (
    <label className="flex items-start gap-2 text-sm">
      <input type="checkbox" className="mt-0.5 size-4" checked={checked} onChange={(event) => onChange(event.target.checked)} />
      <span>
        <span className="font-medium">{label}</span>
        {hint ? <span className="block text-xs text-slate-500">{hint}</span> : null}
      </span>
    </label>
  );
}

export function BusinessHoursSettings({ slug }: { slug: string }) {
  const t = useTranslations("settings.businessHours");
  const trpc = useTRPC();
  const form = useSettingsForm(keys);
  const templates = useQuery(trpc.templates.list.queryOptions({}));
  const values = form.values;
  if (!values) return <SettingsFormShell form={form}>{null}</SettingsFormShell>;
  const hours = values.businessHours;
  const replies = values.autoReplies;
  const setHours = (next: Partial<Hours>) => form.set("businessHours", { ...hours, ...next });
  const setDay = (day: Day, intervals: Hours["days"][Day]) => setHours({ days: { ...hours.days, [day]: intervals } });
  const setReply = (kind: "greeting" | "away", next: Partial<AutoReplies["greeting"]>) => form.set("autoReplies", { ...replies, [kind]: { ...replies[kind], ...next } });
  const usable = (templates.data ?? []).filter((template) => template.kind === "auto_reply" || template.kind === "canned");

  return (
    <SettingsFormShell form={form}>
      <Section title={t("hoursTitle")} description={t("hoursDescription")}>
        <Checkbox label={t("enabled")} checked={hours.enabled} onChange={(enabled) => setHours({ enabled })} hint={t("enabledHint")} />
        <table className="w-full text-sm" aria-label={t("hoursTitle")}>
          <tbody className="divide-y divide-slate-100 dark:divide-slate-800">
            {days.map((day) => (
              <tr key={day}>
                <th scope="row" className="w-32 py-2 text-left align-top font-medium max-md:w-24">
                  {t(`days.${day}`)}
                </th>
                <td className="py-2">
                  <div className="flex flex-col gap-2">
                    {hours.days[day].length === 0 ? <span className="text-slate-500">{t("closed")}</span> : null}
                    {hours.days[day].map((interval, index) => {
                      const errorKey = `businessHours.days.${day}.${index}`;
                      const error = form.errors[`${errorKey}.to`] ?? form.errors[`${errorKey}.from`] ?? form.errors[errorKey];
                      const errorId = `hours-${day}-${index}-error`;
                      const change = (next: Partial<typeof interval>) => setDay(day, hours.days[day].map((item, i) => (i === index ? { ...item, ...next } : item)));
                      return (
                        <div key={index} className="flex flex-wrap items-center gap-2">
                          <input
                            type="time"
                            className={timeInput}
                            aria-label={t("from", { day: t(`days.${day}`) })}
                            aria-invalid={error ? true : undefined}
                            aria-describedby={error ? errorId : undefined}
                            value={interval.from}
                            onChange={(event) => change({ from: event.target.value })}
                          />
                          <span aria-hidden>–</span>
                          <input
                            type="time"
                            className={timeInput}
                            aria-label={t("to", { day: t(`days.${day}`) })}
                            aria-invalid={error ? true : undefined}
                            aria-describedby={error ? errorId : undefined}
                            value={interval.to}
                            onChange={(event) => change({ to: event.target.value })}
                          />
                          <button type="button" className="text-xs text-slate-500 underline" onClick={() => setDay(day, hours.days[day].filter((_, i) => i !== index))}>
                            {t("removeInterval")}
                          </button>
                          <FieldError id={errorId} message={error} />
                        </div>
                      );
                    })}
                    {hours.days[day].length < 4 ? (
                      <button
                        type="button"
                        className="self-start text-xs font-medium text-brand-600 underline dark:text-brand-500"
                        onClick={() => setDay(day, [...hours.days[day], { from: "09:00", to: "18:00" }])}
                      >
                        {t("addInterval")}
                      </button>
                    ) : null}
                    <FieldError id={`hours-${day}-error`} message={form.errors[`businessHours.days.${day}`]} />
                  </div>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        <SettingSourceNote form={form} setting="businessHours" />
      </Section>

      <Section title={t("autoRepliesTitle")} description={t("autoRepliesDescription")}>
        {(["greeting", "away"] as const).map((kind) => (
          <div key={kind} className="flex flex-col gap-2 rounded-lg bg-slate-50 p-4 dark:bg-slate-900">
            <Checkbox label={t(`${kind}.label`)} hint={t(`${kind}.hint`)} checked={replies[kind].enabled} onChange={(enabled) => setReply(kind, { enabled })} />
            <SelectField
              label={t("template")}
              value={replies[kind].templateKey ?? ""}
              onChange={(event) => setReply(kind, { templateKey: event.target.value || null })}
              error={form.errors[`autoReplies.${kind}.templateKey`] ?? (replies[kind].enabled && !replies[kind].templateKey ? t("templateNeeded") : undefined)}
              hint={
                usable.length === 0 ? (
                  <Link className="underline" href={`/t/${slug}/settings/templates`}>
                    {t("noTemplates")}
                  </Link>
                ) : undefined
              }
            >
              <option value="">{t("noTemplate")}</option>
              {replies[kind].templateKey && !usable.some((template) => template.key === replies[kind].templateKey) ? (
                <option value={replies[kind].templateKey!}>{t("missingTemplate", { key: replies[kind].templateKey! })}</option>
              ) : null}
              {usable.map((template) => (
                <option key={template.id} value={template.key}>
                  {template.key}
                </option>
              ))}
            </SelectField>
          </div>
        ))}
        <div className="max-w-xs">
          <Field
            label={t("period")}
            hint={t("periodHint")}
            type="number"
            min={1}
            max={720}
            value={Number.isNaN(replies.periodHours) ? "" : replies.periodHours}
            onChange={(event) => form.set("autoReplies", { ...replies, periodHours: event.target.valueAsNumber })}
            error={form.errors["autoReplies.periodHours"]}
          />
        </div>
        <SettingSourceNote form={form} setting="autoReplies" />
      </Section>
    </SettingsFormShell>
  );
}
