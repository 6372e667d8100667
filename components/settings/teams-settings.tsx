"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { useState, type FormEvent } from "react";
import { useTRPC } from "@/lib/trpc/client";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { ConfirmButton } from "@/components/ui/confirm-button";
import { Field } from "@/components/ui/field";
import { apiError } from "./api-error";
import { QueryStatus } from "./query-status";
import { Section } from "./settings-form-shell";

type Team = { id: string; name: string; description: string | null; members: { id: string; name: string }[]; openConversations: number };
type Person = { id: string; name: string };

/** The name and description of a new team, or of one being edited. */
function TeamForm({ initial, submitLabel, pendingLabel, onSubmit, onCancel, onEdit, pending, error }: {
  initial?: { name: string; description: string | null };
  /** Called as the person types: the server's last refusal no longer applies. */
  onEdit: () => void;
  submitLabel: string;
  pendingLabel: string;
  onSubmit: (value: { name: string; description: string }) => void;
  onCancel?: () => void;
  pending: boolean;
  error: ReturnType<typeof apiError>;
}) {
  const t = useTranslations("settings.teams");
  const [name, setName] = useState(initial?.name ?? "");
  const [description, setDescription] = useState(initial?.description ?? "");
  const [touched, setTouched] = useState(false);
  const nameError = touched && !name.trim() ? t("nameRequired") : undefined;
  function submit(event: FormEvent) {
    event.preventDefault();
    setTouched(true);
    if (!name.trim()) return;
    onSubmit({ name: name.trim(), description: description.trim() });
  }
  return (
    <form onSubmit={submit} className="flex flex-col gap-3" noValidate>
      <div className="grid gap-3 sm:grid-cols-[14rem_1fr_auto] sm:items-start">
        <Field label={t("name")} value={name} maxLength={60} onChange={(event) => {
            setName(event.target.value);
            onEdit();
          }} onBlur={() => setTouched(true)} error={nameError ?? error?.fieldErrors.name?.[0]} autoComplete="off" />
        <Field label={t("teamDescription")} value={description} maxLength={300} onChange={(event) => {
            setDescription(event.target.value);
            onEdit();
          }} error={error?.fieldErrors.description?.[0]} hint={t("descriptionHint")} autoComplete="off" />
        <span className="flex gap-2 sm:mt-6">
          <Button type="submit" disabled={pending}>
            {pending ? pendingLabel : submitLabel}
          </Button>
          {onCancel ? (
            <Button type="button" variant="secondary" onClick={onCancel}>
              {t("cancel")}
            </Button>
          ) : null}
        </span>
      </div>
      {error && Object.keys(error.fieldErrors).length === 0 ? <Alert tone="error">{error.message}</Alert> : null}
    </form>
  );
}

function TeamRow({ team, people, refresh }: { team: Team; people: Person[]; refresh: () => void }) {
  const t = useTranslations("settings.teams");
  const trpc = useTRPC();
  const [editing, setEditing] = useState(false);
  const [adding, setAdding] = useState("");
  const update = useMutation(trpc.teams.update.mutationOptions({ onSuccess: () => setEditing(false), onSettled: refresh }));
  const remove = useMutation(trpc.teams.delete.mutationOptions({ onSettled: refresh }));
  const addMembers = useMutation(trpc.teams.addMembers.mutationOptions({ onSuccess: () => setAdding(""), onSettled: refresh }));
  const removeMember = useMutation(trpc.teams.removeMember.mutationOptions({ onSettled: refresh }));
  const outside = people.filter((person) => !team.members.some((member) => member.id === person.id));
  const failure = apiError(remove.error ?? addMembers.error ?? removeMember.error);
  return (
    <li className="flex flex-col gap-3 py-4 text-sm" data-testid="team-row">
      {editing ? (
        <TeamForm
          initial={team}
          submitLabel={t("save")}
          pendingLabel={t("saving")}
          pending={update.isPending}
          error={apiError(update.error)}
          onEdit={() => update.reset()}
          onCancel={() => {
            setEditing(false);
            update.reset();
          }}
          onSubmit={(value) => update.mutate({ id: team.id, name: value.name, description: value.description || null })}
        />
      ) : (
        <div className="flex flex-wrap items-start justify-between gap-3">
          <span className="min-w-0">
            <span className="font-medium">{team.name}</span>
            <span className="ml-2 text-xs text-slate-500">{t("openConversations", { count: team.openConversations })}</span>
            {team.description ? <span className="block text-slate-600 dark:text-slate-400">{team.description}</span> : null}
          </span>
          <span className="flex items-center gap-2">
            <Button type="button" variant="secondary" className="px-3 py-1" onClick={() => setEditing(true)}>
              {t("edit")}
            </Button>
            <ConfirmButton
              label={t("delete")}
              title={t("deleteTitle", { name: team.name })}
              description={t("deleteDescription", { count: team.openConversations })}
              confirmLabel={t("delete")}
              disabled={remove.isPending}
              onConfirm={() => remove.mutate({ id: team.id })}
            />
          </span>
        </div>
      )}
      <div className="flex flex-wrap items-center gap-2" aria-label={t("membersOf", { name: team.name })} role="group">
        {team.members.length === 0 ? <span className="text-slate-500">{t("noMembers")}</span> : null}
        {team.members.map((member) => (
          <span key={member.id} className="inline-flex items-center gap-1 rounded-full bg-slate-100 py-0.5 pl-2.5 pr-1 text-xs dark:bg-slate-800">
            {member.name}
            <button
              type="button"
              className="rounded-full px-1.5 text-slate-500 hover:bg-slate-200 hover:text-slate-900 disabled:opacity-50 dark:hover:bg-slate-700 dark:hover:text-slate-100"
              aria-label={t("removeMember", { name: member.name, team: team.name })}
              disabled={removeMember.isPending}
              onClick={() => removeMember.mutate({ id: team.id, userId: member.id })}
            >
              ×
            </button>
          </span>
        ))}
        {outside.length > 0 ? (
          <span className="flex items-center gap-1">
            <label className="sr-only" htmlFor={`add-${team.id}`}>
              {t("addMemberTo", { team: team.name })}
            </label>
            <select
              id={`add-${team.id}`}
              value={adding}
              onChange={(event) => setAdding(event.target.value)}
              className="rounded-lg border border-slate-300 bg-white px-2 py-1 text-xs dark:border-slate-700 dark:bg-slate-900"
            >
              <option value="">{t("pickMember")}</option>
              {outside.map((person) => (
                <option key={person.id} value={person.id}>
                  {person.name}
                </option>
              ))}
            </select>
            <Button type="button" variant="secondary" className="px-2.5 py-1 text-xs" disabled={!adding || addMembers.isPending} onClick={() => addMembers.mutate({ id: team.id, userIds: [adding] })}>
              {addMembers.isPending ? t("adding") : t("add")}
            </Button>
          </span>
        ) : null}
      </div>
      {failure ? <Alert tone="error">{failure.message}</Alert> : null}
    </li>
  );
}

/**
 * Settings → Teams: create teams, name and describe them, choose their
 * members; deleting one leaves its conversations in no team.
 */
export function TeamsSettings() {
  const t = useTranslations("settings.teams");
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const list = useQuery(trpc.teams.list.queryOptions());
  const members = useQuery(trpc.members.list.queryOptions());
  const refresh = () => void queryClient.invalidateQueries(trpc.teams.list.pathFilter());
  const [formKey, setFormKey] = useState(0);
  const create = useMutation(
    trpc.teams.create.mutationOptions({
      onSuccess: () => setFormKey((key) => key + 1),
      onSettled: refresh,
    }),
  );
  const people = members.data?.members.map((member) => member.user) ?? [];
  return (
    <div className="flex flex-col gap-6">
      <Section title={t("createTitle")} description={t("createDescription")}>
        <TeamForm key={formKey} submitLabel={t("create")} pendingLabel={t("creating")} pending={create.isPending} error={apiError(create.error)} onEdit={() => create.reset()} onSubmit={(value) => create.mutate({ name: value.name, description: value.description || null })} />
      </Section>
      <Section title={t("listTitle", { count: list.data?.length ?? 0 })}>
        <QueryStatus query={list} loading={t("loading")} failed={t("loadFailed")} retryLabel={t("retry")} empty={list.data?.length === 0 ? t("empty") : undefined} />
        <ul className="divide-y divide-slate-200 dark:divide-slate-800">
          {list.data?.map((team) => (
            <TeamRow key={team.id} team={team} people={people} refresh={refresh} />
          ))}
        </ul>
      </Section>
    </div>
  );
}
