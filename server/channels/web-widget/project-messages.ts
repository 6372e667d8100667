import type pg from "pg";
import type { VisitorMessage } from "@/lib/widget/protocol";
import { loadAgentNames } from "./agent-names";
import type { Widget } from "./find-widget";
import { visitorFileUrl } from "./visitor-file-url";
import { parseStoredMessage, toVisitorMessage } from "./visitor-message";

/** Stored messages of a visitor's thread as they see them, in the order given; notes are left out. */
export async function projectMessages(rows: unknown[], deps: { systemPool: pg.Pool; secret: string; widget: Pick<Widget, "publicId" | "name"> }): Promise<VisitorMessage[]> {
  const messages = rows.map(parseStoredMessage).filter((message) => message !== null);
  const names = await loadAgentNames(deps.systemPool, messages.flatMap((message) => (message.senderUserId ? [message.senderUserId] : [])));
  const projection = {
    agentName: (userId: string) => names.get(userId) ?? deps.widget.name,
    fileUrl: (grant: { tenantId: string; messageId: string; index: number }) => visitorFileUrl(grant, deps.widget.publicId, deps.secret),
  };
  const projected = await Promise.all(messages.map((message) => toVisitorMessage(message, projection)));
  return projected.filter((message) => message !== null);
}
