import type { DbClient } from "@/server/db/client";
import { AppError } from "@/server/errors";
import { recordAudit, type Actor } from "@/server/services/audit/record-audit";
import type { PreChat } from "./widget-settings";

export type WidgetChanges = {
  name?: string;
  allowedOrigins?: string[];
  color?: string;
  position?: "right" | "left";
  greeting?: string | null;
  requireIdentity?: boolean;
  preChat?: PreChat;
};

/**
 * Changes a widget's name, origins, look or rules; what is left out stays.
 * Takes effect on the next call of its public API (origins too: a removed
 * site is refused from then on). Audited with the names of what changed.
 */
export async function updateWebWidget(db: DbClient, input: { tenantId: string; id: string; changes: WidgetChanges; actor: Actor }) {
  const channel = await db.channel.findUnique({ where: { id: input.id }, include: { webWidget: true } });
  if (!channel?.webWidget) throw new AppError("NOT_FOUND", "no such website widget");
  const { name, ...own } = input.changes;
  const widgetData = Object.fromEntries(Object.entries(own).filter(([, value]) => value !== undefined));
  if (name !== undefined) await db.channel.update({ where: { id: channel.id }, data: { name } });
  if (Object.keys(widgetData).length > 0) {
    if ("greeting" in widgetData) widgetData.greeting = widgetData.greeting || null;
    await db.webWidgetChannel.update({ where: { channelId: channel.id }, data: widgetData });
  }
  const changed = Object.keys(input.changes).filter((key) => input.changes[key as keyof WidgetChanges] !== undefined);
  if (changed.length > 0) {
    await recordAudit(db, { tenantId: input.tenantId, action: "channel.updated", actor: input.actor, targetType: "channel", targetId: channel.id, metadata: { kind: "web_widget", changed } });
  }
  return { id: channel.id };
}
