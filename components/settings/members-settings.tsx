"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useFormatter, useTranslations } from "next-intl";
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { emailSchema } from "@/lib/validation";
import { useTRPC } from "@/lib/trpc/client";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { ConfirmButton } from "@/components/ui/confirm-button";
import { Field, SelectField } from "@/components/ui/field";
import { apiError } from "./api-error";
import { QueryStatus } from "./query-status";
import { MemberCapacity } from "./member-capacity";
import { AvailabilityDot } from "@/components/inbox/availability-dot";
import { Section } from "./settings-form-shell";

type Role = "owner" | "admin" | "agent";
const roles: Role[] = ["owner", "admin", "agent"];

function InviteForm({ myRole }: { myRole: Role }) {
  const t = useTranslations("settings.members");
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [email, setEmail] = useState("");
  const [role, setRole] = useState<Role>("agent");
  const [touched, setTouched] = useState(false);
  const invite = useMutation(
    trpc.members.invite.mutationOptions({
      onSuccess: () => {
        setEmail("");
        setTouched(false);
        void queryClient.invalidateQueries(trpc.members.list.pathFilter());
      },
    }),
  );
  const emailError = touched && email ? emailSchema.safeParse(email).error?.issues[0]?.message : undefined;
  const failure = apiError(invite.error);
  function onSubmit(event: FormEvent) {
    event.preventDefault();
    setTouched(true);
    if (!emailSchema.safeParse(email).success) return;
    invite.mutate({ email, role });
  }
  return (
    <form onSubmit={onSubmit} className="flex flex-col gap-3" noValidate>
      <div className="grid gap-3 sm:grid-cols-[1fr_10rem_auto] sm:items-start">
        <Field
          label={t("email")}
          type="email"
          value={email}
          onChange={(event) => {
            setEmail(event.target.value);
            invite.reset();
          }}
          onBlur={() => setTouched(true)}
          error={emailError ?? failure?.fieldErrors.email?.[0]}
          autoComplete="off"
        />
        <SelectField label={t("role")} value={role} onChange={(event) => setRole(event.target.value as Role)} error={failure?.fieldErrors.role?.[0]}>
          {roles
            .filter((candidate) => myRole === "owner" || candidate !== "owner")
            .map((candidate) => (
              <option key={candidate} value={candidate}>
                {t(`roles.${candidate}`)}
              </option>
            ))}
        </SelectField>
        <Button type="submit" className="sm:mt-6" disabled={invite.isPending}>
          {invite.isPending ? t("inviting") : t("invite")}
        </Button>
      </div>
      {failure && Object.keys(failure.fieldErrors).length === 0 ? <Alert tone="error">{failure.message}</Alert> : null}
      {invite.data ? (
        <Alert tone="success">
          {invite.data.url ? (
            <span className="flex flex-col gap-2">
              <span>{t("linkCreated", { email: invite.data.invitation.email })}</span>
              <input readOnly aria-label={t("inviteLink")} value={invite.data.url} className="w-full rounded border border-emerald-300 bg-white px-2 py-1 font-mono text-xs text-slate-900" onFocus={(event) => event.target.select()} />
              <Button type="button" variant="secondary" className="self-start px-3 py-1" onClick={() => void navigator.clipboard?.writeText(invite.data!.url!)}>
                {t("copy")}
              </Button>
            </span>
          ) : (
            t("emailed", { email: invite.data.invitation.email })
          )}
        </Alert>
      ) : null}
    </form>
  );
}

export function MembersSettings({ slug }: { slug: string }) {
  const t = useTranslations("settings.members");
  const format = useFormatter();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const list = useQuery(trpc.members.list.queryOptions());
  const me = useQuery(trpc.me.get.queryOptions());
  const workspace = useQuery(trpc.workspace.get.queryOptions());
  const settings = useQuery(trpc.settings.get.queryOptions());
  const refresh = () => void queryClient.invalidateQueries(trpc.members.list.pathFilter());
  const router = useRouter();
  const myMembershipId = list.data?.members.find((member) => member.user.id === (me.data?.kind === "user" ? me.data.user.id : null))?.id;
  // Leaving, or giving up admin rights, ends access to these pages: go where the person still belongs.
  const updateRole = useMutation(
    trpc.members.updateRole.mutationOptions({
      onSettled: refresh,
      onSuccess: (updated) => {
        if (updated.id === myMembershipId && updated.role === "agent") router.replace(`/t/${slug}/inbox`);
      },
    }),
  );
  const remove = useMutation(
    trpc.members.remove.mutationOptions({
      onSettled: refresh,
      onSuccess: (removed) => {
        if (removed.id === myMembershipId) router.replace("/");
      },
    }),
  );
  const revoke = useMutation(trpc.members.revokeInvitation.mutationOptions({ onSettled: refresh }));
  const myRole = (workspace.data?.role ?? "agent") as Role;
  const myId = me.data?.kind === "user" ? me.data.user.id : null;
  const failure = apiError(updateRole.error ?? remove.error ?? revoke.error);

  return (
    <div className="flex flex-col gap-6">
      <Section title={t("inviteTitle")} description={t("inviteDescription")}>
        <InviteForm myRole={myRole} />
      </Section>
      <Section title={t("membersTitle", { count: list.data?.members.length ?? 0 })}>
        {failure ? <Alert tone="error">{failure.message}</Alert> : null}
        <QueryStatus query={list} loading={t("loading")} failed={t("loadFailed")} />
        <ul className="divide-y divide-slate-200 dark:divide-slate-800">
          {list.data?.members.map((member) => {
            const manageable = myRole === "owner" || member.role !== "owner";
            const self = member.user.id === myId;
            return (
              <li key={member.id} className="flex flex-wrap items-center justify-between gap-3 py-3 text-sm" data-testid="member-row">
                <span className="min-w-0">
                  <AvailabilityDot status={member.availability} label={t(`availability.${member.availability}`)} />{" "}
                  <span className="font-medium">{member.user.name}</span>
                  {self ? <span className="ml-1 text-xs text-slate-500">({t("you")})</span> : null}
                  <span className="block text-slate-500">{member.user.email}</span>
                </span>
                <span className="flex flex-wrap items-center gap-2">
                  <MemberCapacity userId={member.user.id} name={member.user.name} capacity={member.capacity} defaultCapacity={settings.data?.values.assignment.defaultCapacity} />
                  <label className="sr-only" htmlFor={`role-${member.id}`}>
                    {t("roleOf", { name: member.user.name })}
                  </label>
                  <select
                    id={`role-${member.id}`}
                    value={member.role}
                    disabled={!manageable || updateRole.isPending}
                    onChange={(event) => updateRole.mutate({ membershipId: member.id, role: event.target.value as Role })}
                    className="rounded-lg border border-slate-300 bg-white px-2 py-1 text-sm dark:border-slate-700 dark:bg-slate-900"
                  >
                    {roles
                      .filter((candidate) => myRole === "owner" || candidate !== "owner" || member.role === "owner")
                      .map((candidate) => (
                        <option key={candidate} value={candidate}>
                          {t(`roles.${candidate}`)}
                        </option>
                      ))}
                  </select>
                  <ConfirmButton
                    label={self ? t("leave") : t("remove")}
                    title={self ? t("leaveTitle") : t("removeTitle", { name: member.user.name })}
                    description={self ? t("leaveDescription") : t("removeDescription", { name: member.user.name })}
                    confirmLabel={self ? t("leave") : t("remove")}
                    disabled={!manageable || remove.isPending}
                    onConfirm={() => remove.mutate({ membershipId: member.id })}
                  />
                </span>
              </li>
            );
          })}
        </ul>
      </Section>
      <Section title={t("invitationsTitle")}>
        {list.data && list.data.invitations.length === 0 ? <p className="text-sm text-slate-500">{t("noInvitations")}</p> : null}
        <ul className="divide-y divide-slate-200 dark:divide-slate-800">
          {list.data?.invitations.map((invitation) => (
            <li key={invitation.id} className="flex flex-wrap items-center justify-between gap-3 py-3 text-sm">
              <span>
                <span className="font-medium">{invitation.email}</span>
                <span className="block text-slate-500">
                  {t("invitedAs", { role: t(`roles.${invitation.role}`), expires: format.dateTime(invitation.expiresAt, { dateStyle: "medium" }) })}
                </span>
              </span>
              <ConfirmButton
                label={t("revoke")}
                title={t("revokeTitle", { email: invitation.email })}
                description={t("revokeDescription")}
                confirmLabel={t("revoke")}
                disabled={revoke.isPending}
                onConfirm={() => revoke.mutate({ id: invitation.id })}
              />
            </li>
          ))}
        </ul>
      </Section>
    </div>
  );
}
