import { z } from "zod";
import type { DbClient } from "@/server/db/client";

/**
 * What a stored attachment says about where its bytes are: a customer's carries
 * its channel's file id (or, from the widget, our upload id); an agent's carries
 * our upload id (and the channel's file id once sent). Its kind, name and MIME type are the sender's word and decide nothing
 * about how the file is served.
 */
const storedAttachment = z.looseObject({
  kind: z.string(),
  fileId: z.string().optional(),
  uploadId: z.string().optional(),
  fileName: z.string().optional(),
});

/**
 * The attachment at `index` of a message of the transaction's tenant, with the
 * channel its file came through. A private note's file is there only for who
 * may read notes (`includePrivate`: members, and API keys with notes:read).
 */
export async function findAttachment(tx: DbClient, input: { messageId: string; index: number; includePrivate: boolean }) {
  const message = await tx.message.findUnique({
    where: { id: input.messageId },
    select: { attachments: true, isPrivate: true, conversation: { select: { channel: { select: { id: true, type: true } } } } },
  });
  const raw = Array.isArray(message?.attachments) ? message.attachments[input.index] : undefined;
  const parsed = storedAttachment.safeParse(raw);
  if (!message || !parsed.success || (message.isPrivate && !input.includePrivate)) return null;
  return { attachment: parsed.data, channel: message.conversation.channel };
}
