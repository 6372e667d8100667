import type { DbClient } from "@/server/db/client";
import type { AssignmentMode, PolicyView } from "./policy-view";

/** Every channel's and every team's policy (off where none was set), for the settings page. */
export async function listPolicies(db: DbClient): Promise<{ channels: PolicyView[]; teams: PolicyView[] }> {
  const [channels, teams, stored] = await Promise.all([
    db.channel.findMany({ orderBy: { createdAt: "asc" }, select: { id: true, name: true } }),
    db.team.findMany({ orderBy: { nameKey: "asc" }, select: { id: true, name: true } }),
    db.assignmentPolicy.findMany({ select: { channelId: true, teamId: true, mode: true, returnAfterMinutes: true, updatedAt: true } }),
  ]);
  const of = new Map(stored.map((policy) => [policy.channelId ?? policy.teamId, policy]));
  const view = (kind: "channel" | "team") => (subject: { id: string; name: string }): PolicyView => {
    const policy = of.get(subject.id);
    return { subject: { kind, ...subject }, mode: (policy?.mode ?? "off") as AssignmentMode, returnAfterMinutes: policy?.returnAfterMinutes ?? null, updatedAt: policy?.updatedAt ?? null };
  };
  return { channels: channels.map(view("channel")), teams: teams.map(view("team")) };
}
