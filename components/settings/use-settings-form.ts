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
  // The edit in progress and the saved version it started from: a save sends only what the person
  // changed, against that version, so a change someone else saved meanwhile is a CONFLICT, never overwritten.
  const [draft, setDraft] = useState<{ base: { version: number; values: Pick<Settings, K> }; values: Pick<Settings, K> } | null>(null);
  const [saved, setSaved] = useState(false);
  const mutation = useMutation(trpc.settings.update.mutationOptions());

  const pick = (values: Settings) => Object.fromEntries(keys.map((key) => [key, values[key]])) as Pick<Settings, K>;
  const stored = query.data ? pick(query.data.values) : null;
  const values = draft?.values ?? stored;
  const changedKeys = draft ? keys.filter((key) => JSON.stringify(draft.values[key]) !== JSON.stringify(draft.base.values[key])) : [];
  const clientErrors = draft ? validate(Object.fromEntries(changedKeys.map((key) => [key, draft.values[key]])) as Partial<Settings>) : {};
  const failure = apiError(mutation.error);
  const errors: FieldErrors = { ...serverFieldErrors(failure?.fieldErrors ?? {}), ...clientErrors };

  const accept = (data: NonNullable<typeof query.data>, keep: K[]) => {
    queryClient.setQueryData(trpc.settings.get.queryKey(), data);
    void queryClient.invalidateQueries(trpc.settings.history.pathFilter());
    // Unsaved edits the person is still making survive (a reset of another setting, say); the rest is saved.
    const base = { version: data.version, values: pick(data.values) };
    setDraft(keep.length > 0 && draft ? { base, values: { ...base.values, ...Object.fromEntries(keep.map((key) => [key, draft.values[key]])) } } : null);
  };

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
    saved: saved && changedKeys.length === 0,
    /** The saved value of a setting (what the edit started from). */
    savedValue<Key extends K>(key: Key): Settings[Key] | undefined {
      return (draft?.base.values ?? stored)?.[key];
    },
    set<Key extends K>(key: Key, value: Settings[Key]) {
      if (!values || !query.data) return;
      const base = draft?.base ?? { version: query.data.version, values: pick(query.data.values) };
      setDraft({ base, values: { ...values, [key]: value } });
      setSaved(false);
      mutation.reset();
    },
    save() {
      if (!draft || changedKeys.length === 0 || Object.keys(clientErrors).length > 0) return;
      mutation.mutate(
        { changes: Object.fromEntries(changedKeys.map((key) => [key, draft.values[key]])), expectedVersion: draft.base.version },
        {
          onSuccess: (data) => {
            accept(data, []);
            setSaved(true);
          },
        },
      );
    },
    /** Back to the environment's or built-in default; other unsaved edits on the page stay. */
    resetToDefault(key: K) {
      if (!query.data) return;
      const keep = changedKeys.filter((changed) => changed !== key);
      mutation.mutate({ changes: { [key]: null }, expectedVersion: draft?.base.version ?? query.data.version }, { onSuccess: (data) => accept(data, keep) });
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
