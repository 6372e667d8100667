"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { settingSchemas, type SettingKey, type Settings } from "@/lib/settings/schema";
import { useTRPC } from "@/lib/trpc/client";
import { apiError } from "./api-error";

/** Errors by dotted path ("businessHours.days.mon.0.to"), first message each. */
export type FieldErrors = Record<string, string>;

function validate(values: Partial<Settings>): FieldErrors {
  const errors: FieldErrors = {};
  for (const [key, value] of Object.entries(values) as [SettingKey, unknown][]) {
    const parsed = settingSchemas[key].safeParse(value);
    if (parsed.success) continue;
    for (const issue of parsed.error.issues) errors[[key, ...issue.path].join(".")] ??= issue.message;
  }
  return errors;
}

/** The service names a nested field as "path: message" under the setting's key; spread it back to the field. */
function serverFieldErrors(fieldErrors: Record<string, string[]>): FieldErrors {
  const errors: FieldErrors = {};
  for (const [key, messages] of Object.entries(fieldErrors)) {
    for (const message of messages) {
      const nested = /^([\w.]+): (.*)$/.exec(message);
      const path = nested ? `${key}.${nested[1]}` : key;
      errors[path] ??= nested ? nested[2]! : message;
    }
  }
  return errors;
}

/**
 * A form over some workspace settings: the saved values and where each comes
 * from, a draft checked against the same schemas as the server on every change,
 * the server's own field errors once saved, and a CONFLICT when someone else saved first.
 */
export function useSettingsForm<K extends SettingKey>(keys: readonly K[]) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const query = useQuery(trpc.settings.get.queryOptions());
  const [draft, setDraft] = useState<Pick<Settings, K> | null>(null);
  const [saved, setSaved] = useState(false);
  const mutation = useMutation(
    trpc.settings.update.mutationOptions({
      onSuccess: (data) => {
        queryClient.setQueryData(trpc.settings.get.queryKey(), data);
        void queryClient.invalidateQueries(trpc.settings.history.pathFilter());
        setDraft(null);
        setSaved(true);
      },
    }),
  );

  const stored = query.data ? (Object.fromEntries(keys.map((key) => [key, query.data.values[key]])) as Pick<Settings, K>) : null;
  const values = draft ?? stored;
  const clientErrors = draft ? validate(draft) : {};
  const failure = apiError(mutation.error);
  const errors: FieldErrors = { ...serverFieldErrors(failure?.fieldErrors ?? {}), ...clientErrors };
  const changedKeys = draft && stored ? keys.filter((key) => JSON.stringify(draft[key]) !== JSON.stringify(stored[key])) : [];

  return {
    query,
    values,
    sources: query.data?.sources,
    environment: query.data?.environment,
    errors,
    /** A message for the whole form: a conflict or anything not tied to one field. */
    formError: failure && Object.keys(failure.fieldErrors).length === 0 ? failure : null,
    dirty: changedKeys.length > 0,
    saving: mutation.isPending,
    saved: saved && !draft,
    set<Key extends K>(key: Key, value: Settings[Key]) {
      if (!values) return;
      setDraft({ ...values, [key]: value });
      setSaved(false);
      mutation.reset();
    },
    save() {
      if (!draft || !query.data || Object.keys(clientErrors).length > 0) return;
      mutation.mutate({ changes: Object.fromEntries(changedKeys.map((key) => [key, draft[key]])), expectedVersion: query.data.version });
    },
    /** Back to the environment's or built-in default. */
    resetToDefault(key: K) {
      if (!query.data) return;
      mutation.mutate({ changes: { [key]: null }, expectedVersion: query.data.version });
    },
    discard() {
      setDraft(null);
      mutation.reset();
    },
    async reload() {
      setDraft(null);
      mutation.reset();
      await query.refetch();
    },
  };
}

export type SettingsForm<K extends SettingKey> = ReturnType<typeof useSettingsForm<K>>;
