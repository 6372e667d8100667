import { z } from "zod";
import { attachmentKinds } from "@/lib/messages/content";
import type { VisitorAttachment, VisitorMessage } from "@/lib/widget/protocol";

/** A stored message as either data path gives it (a Prisma row, a node-postgres row, an event's JSON). */
const storedMessage = z.looseObject({
  id: z.string(),
  tenantId: z.string(),
  direction: z.enum(["inbound", "outbound"]),
  senderType: z.string(),
  senderUserId: z.string().nullish(),
  isPrivate: z.boolean(),
  text: z.string().nullish(),
  attachments: z.array(z.looseObject({ kind: z.string(), fileName: z.string().nullish(), mimeType: z.string().nullish(), size: z.number().nullish() })).nullish(),
  clientMessageId: z.string().nullish(),
  createdAt: z.union([z.date(), z.string()]),
});

export type StoredMessage = z.infer<typeof storedMessage>;

export type Projection = {
  /** The display name of the team member who wrote it (the widget's name when they are gone). */
  agentName: (userId: string) => string;
  fileUrl: (grant: { tenantId: string; messageId: string; index: number }) => Promise<string>;
};

/** Parses what a row or event says a message is; null for anything that is not a message. */
export function parseStoredMessage(value: unknown): StoredMessage | null {
  const parsed = storedMessage.safeParse(value);
  return parsed.success ? parsed.data : null;
}

const kinds = new Set<string>(attachmentKinds);

/**
 * A message as the visitor sees it: who wrote it in three words (visitor,
 * agent, bot), a team member by display name only, the text and files with
 * links the page can open. A private note is never a visitor's message: the
 * caller gets null for one, whichever path it came by.
 */
export async function toVisitorMessage(message: StoredMessage, projection: Projection): Promise<VisitorMessage | null> {
  if (message.isPrivate) return null;
  const author = message.direction === "inbound" ? "visitor" : message.senderType === "agent" && message.senderUserId ? "agent" : "bot";
  const attachments: VisitorAttachment[] = await Promise.all(
    (message.attachments ?? []).map(async (attachment, index) => ({
      kind: (kinds.has(attachment.kind) ? attachment.kind : "document") as VisitorAttachment["kind"],
      fileName: attachment.fileName ?? null,
      mimeType: attachment.mimeType ?? null,
      size: attachment.size ?? null,
      url: await projection.fileUrl({ tenantId: message.tenantId, messageId: message.id, index }),
    })),
  );
  return {
    id: message.id,
    author,
    agent: author === "agent" ? { name: projection.agentName(message.senderUserId!), avatarUrl: null } : null,
    text: message.text ?? null,
    attachments,
    createdAt: typeof message.createdAt === "string" ? new Date(message.createdAt.endsWith("Z") || /[+-]\d\d:?\d\d$/.test(message.createdAt) ? message.createdAt : `${message.createdAt}Z`).toISOString() : message.createdAt.toISOString(),
    // The visitor's own id for their send; an agent's client id is the inbox's business.
    clientMessageId: message.direction === "inbound" ? (message.clientMessageId ?? null) : null,
  };
}
