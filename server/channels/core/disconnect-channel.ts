import type { DbClient } from "@/server/db/client";
import { AppError } from "@/server/errors";
import { recordAudit, type Actor } from "@/server/services/audit/record-audit";
import { adapterFor } from "../registry";

/**
 * Stops intake: the channel's provider is told (best effort — a Telegram bot whose
 * token was revoked cannot be reached, and must still be disconnectable) and the
 * channel is marked disconnected, which every intake path checks. Conversations
 * and messages stay.
 */
export async function disconnectChannel(db: DbClient, input: { tenantId: string; id: string; actor: Actor }) {
  const channel = await db.channel.findUnique({ where: { id: input.id } });
  if (!channel) throw new AppError("NOT_FOUND", "no such channel");
  if (channel.status === "disconnected") return channel;
  await adapterFor(channel.type)
    .disconnect?.(db, channel)
    .catch(() => undefined);
  const updated = await db.channel.update({ where: { id: channel.id }, data: { status: "disconnected", disconnectedAt: new Date() } });
  await recordAudit(db, {
    tenantId: input.tenantId,
    action: "channel.disconnected",
    actor: input.actor,
    targetType: "channel",
    targetId: channel.id,
    metadata: { kind: channel.type, name: channel.name },
  });
  return updated;
}
