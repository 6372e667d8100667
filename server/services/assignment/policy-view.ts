import type { DbClient } from "@/server/db/client";
import { AppError } from "@/server/errors";

import type { AssignmentMode } from "@/lib/assignment/availability";

export type { AssignmentMode };
/** What a policy is for: one channel's conversations, or one team's. */
export type PolicySubject = { channelId: string; teamId?: undefined } | { teamId: string; channelId?: undefined };

/** A policy as clients read it; a subject without a stored policy has the default one (off). */
export type PolicyView = {
  subject: { kind: "channel" | "team"; id: string; name: string };
  mode: AssignmentMode;
  returnAfterMinutes: number | null;
  updatedAt: Date | null;
};

const policyFields = { mode: true, returnAfterMinutes: true, updatedAt: true } as const;

/** The channel or team a policy is for, or NOT_FOUND (another workspace's is invisible, so missing the same way). */
export async function policySubject(db: DbClient, subject: PolicySubject): Promise<PolicyView["subject"]> {
  if (subject.channelId) {
    const channel = await db.channel.findUnique({ where: { id: subject.channelId }, select: { id: true, name: true } });
    if (!channel) throw new AppError("NOT_FOUND", "no such channel");
    return { kind: "channel", ...channel };
  }
  const team = await db.team.findUnique({ where: { id: subject.teamId! }, select: { id: true, name: true } });
  if (!team) throw new AppError("NOT_FOUND", "no such team");
  return { kind: "team", ...team };
}

export async function readPolicy(db: DbClient, subject: PolicyView["subject"]): Promise<PolicyView> {
  const stored = await db.assignmentPolicy.findFirst({ where: subject.kind === "channel" ? { channelId: subject.id } : { teamId: subject.id }, select: policyFields });
  return { subject, mode: stored?.mode ?? "off", returnAfterMinutes: stored?.returnAfterMinutes ?? null, updatedAt: stored?.updatedAt ?? null };
}
