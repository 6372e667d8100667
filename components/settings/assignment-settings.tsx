"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { inferRouterOutputs } from "@trpc/server";
import { useTranslations } from "next-intl";
import { useState } from "react";
import type { AppRouter } from "@/server/api/root";
import { assignmentModes, type AssignmentMode } from "@/lib/assignment/availability";
import { useTRPC } from "@/lib/trpc/client";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { apiError } from "./api-error";
import { QueryStatus } from "./query-status";
import { Section, SettingSourceNote, SettingsFormShell } from "./settings-form-shell";
import { useSettingsForm } from "./use-settings-form";

type Policy = inferRouterOutputs<AppRouter>["assignment"]["listPolicies"]["channels"][number];
const keys = ["assignment"] as const;
/** The return times offered (minutes); "never" keeps an offline agent's conversations. */
const returnChoices = ["never", "0", "5", "15", "30", "60", "240"] as const;

/** Settings → Assignment: the workspace's capacity and availability rules, then a policy per channel and per team. */
export function AssignmentSettings() {
  const t = useTranslations("settings.assignment");
  const trpc = useTRPC();
  const policies = useQuery(trpc.assignment.listPolicies.queryOptions());
  return (
    <div className="flex flex-col gap-6">
      <WorkspaceAssignment />
      <Section title={t("policiesTitle")} description={t("policiesDescription")}>
        <QueryStatus query={policies} loading={t("loading")} failed={t("loadFailed")} />
        {policies.data ? (
          <>
            <PolicyList title={t("channels")} empty={t("noChannels")} policies={policies.data.channels} />
            <PolicyList title={t("teams")} empty={t("noTeams")} policies={policies.data.teams} />
          </>
        ) : null}
      </Section>
    </div>
  );
}

function WorkspaceAssignment() {
  const t = useTranslations("settings.assignment");
  const form = useSettingsForm(keys);
  const assignment = form.values?.assignment;
  const number = (value: string) => (value.trim() === "" ? Number.NaN : Number(value));
  return (
    <SettingsFormShell form={form}>
      {assignment ? (
        <Section title={t("workspaceTitle")} description={t("workspaceDescription")}>
          <div className="grid gap-4 sm:grid-cols-2">
            <Field
              label={t("defaultCapacity")}
              type="number"
              min={1}
              max={1000}
              value={Number.isNaN(assignment.defaultCapacity) ? "" : assignment.defaultCapacity}
              onChange={(event) => form.set("assignment", { ...assignment, defaultCapacity: number(event.target.value) })}
              error={form.errors["assignment.defaultCapacity"]}
              hint={t("defaultCapacityHint")}
            />
            <Field
              label={t("offlineAfter")}
              type="number"
              min={1}
              max={1440}
              value={Number.isNaN(assignment.offlineAfterMinutes) ? "" : assignment.offlineAfterMinutes}
              onChange={(event) => form.set("assignment", { ...assignment, offlineAfterMinutes: number(event.target.value) })}
              error={form.errors["assignment.offlineAfterMinutes"]}
              hint={t("offlineAfterHint")}
            />
          </div>
          <label className="flex items-start gap-2 text-sm">
            <input type="checkbox" className="mt-0.5 size-4" checked={assignment.onlineOnSignIn} onChange={(event) => form.set("assignment", { ...assignment, onlineOnSignIn: event.target.checked })} />
            <span className="flex flex-col gap-1">
              <span className="font-medium">{t("onlineOnSignIn")}</span>
              <span className="text-xs text-slate-500">{t("onlineOnSignInHint")}</span>
            </span>
          </label>
          <SettingSourceNote form={form} setting="assignment" />
        </Section>
      ) : null}
    </SettingsFormShell>
  );
}

function PolicyList({ title, empty, policies }: { title: string; empty: string; policies: Policy[] }) {
  return (
    <div className="flex flex-col gap-2">
      <h4 className="text-sm font-semibold text-slate-700 dark:text-slate-300">{title}</h4>
      {policies.length === 0 ? <p className="text-sm text-slate-500">{empty}</p> : null}
      <ul className="divide-y divide-slate-200 dark:divide-slate-800">
        {policies.map((policy) => (
          <PolicyRow key={policy.subject.id} policy={policy} />
        ))}
      </ul>
    </div>
  );
}

/** One channel's or team's policy: its mode and what happens when an agent goes offline, saved together. */
function PolicyRow({ policy }: { policy: Policy }) {
  const t = useTranslations("settings.assignment");
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [mode, setMode] = useState<AssignmentMode>(policy.mode);
  const [returnAfter, setReturnAfter] = useState<string>(policy.returnAfterMinutes === null ? "never" : String(policy.returnAfterMinutes));
  const save = useMutation(trpc.assignment.updatePolicy.mutationOptions({ onSuccess: () => void queryClient.invalidateQueries(trpc.assignment.listPolicies.pathFilter()) }));
  const stored = policy.returnAfterMinutes === null ? "never" : String(policy.returnAfterMinutes);
  const dirty = mode !== policy.mode || returnAfter !== stored;
  // A stored time the menu does not offer (set through the API) stays choosable.
  const choices: string[] = returnChoices.includes(stored as (typeof returnChoices)[number]) ? [...returnChoices] : [...returnChoices, stored];
  const failure = apiError(save.error);
  const subject = policy.subject.kind === "channel" ? { channelId: policy.subject.id } : { teamId: policy.subject.id };
  return (
    <li className="flex flex-wrap items-center justify-between gap-3 py-3 text-sm" data-testid="policy-row" data-subject={policy.subject.id}>
      <span className="min-w-0 font-medium">{policy.subject.name}</span>
      <span className="flex flex-wrap items-center gap-2">
        <select aria-label={t("mode", { name: policy.subject.name })} value={mode} onChange={(event) => setMode(event.target.value as AssignmentMode)} className="rounded-lg border border-slate-300 bg-white px-2 py-1 text-sm dark:border-slate-700 dark:bg-slate-900">
          {assignmentModes.map((option) => (
            <option key={option} value={option}>
              {t(`modes.${option}`)}
            </option>
          ))}
        </select>
        <select
          aria-label={t("returnAfter", { name: policy.subject.name })}
          value={returnAfter}
          disabled={mode === "off"}
          onChange={(event) => setReturnAfter(event.target.value)}
          className="rounded-lg border border-slate-300 bg-white px-2 py-1 text-sm disabled:opacity-50 dark:border-slate-700 dark:bg-slate-900"
        >
          {choices.map((option) => (
            <option key={option} value={option}>
              {t.has(`returnOptions.${option}`) ? t(`returnOptions.${option}`) : t("returnAfterCustom", { minutes: Number(option) })}
            </option>
          ))}
        </select>
        <Button type="button" variant="secondary" className="px-3 py-1" disabled={!dirty || save.isPending} onClick={() => save.mutate({ ...subject, mode, returnAfterMinutes: returnAfter === "never" ? null : Number(returnAfter) })}>
          {save.isPending ? t("saving") : save.isSuccess && !dirty ? t("saved") : t("save")}
        </Button>
      </span>
      {failure ? <Alert tone="error">{failure.message}</Alert> : null}
    </li>
  );
}
