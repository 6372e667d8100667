import type { DbClient } from "@/server/db/client";
import { recordAudit, type Actor } from "@/server/services/audit/record-audit";
import { conversationSummaries } from "@/server/services/conversations/conversations";
import { recordEvents } from "@/server/services/events/record-event";
import { teamOrNotFound } from "./team-view";

/**
 * Deletes a team; its conversations stay, in no team, each with a
 * `team.changed` event carrying its summary (as when an agent moves one), so
 * open inboxes move them out of the team's view.
 */
export async function deleteTeam(db: DbClient, input: { tenantId: string; id: string; actor: Actor }) {
  const team = await teamOrNotFound(db, input.id);
  // The ones this statement takes out, whatever joined the team since it was read.
  const moved = await db.conversation.updateManyAndReturn({ where: { teamId: team.id }, data: { teamId: null }, select: { id: true } });
  await db.team.delete({ where: { id: team.id } });
  const summaries = await conversationSummaries(
    db,
    moved.map((conversation) => conversation.id),
  );
  await recordEvents(
    db,
    summaries.map((conversation) => ({
      tenantId: input.tenantId,
      type: "team.changed",
      conversationId: conversation.id,
      payload: { conversation, previousTeamId: team.id, by: input.actor.userId ?? null, reason: "team deleted" },
    })),
  );
  await recordAudit(db, { tenantId: input.tenantId, action: "team.deleted", actor: input.actor, targetType: "team", targetId: team.id, metadata: { name: team.name, conversations: moved.length } });
  return { id: team.id, conversations: moved.length };
}
