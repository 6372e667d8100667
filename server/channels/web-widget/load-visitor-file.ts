import type pg from "pg";
import { z } from "zod";
import { withTenantSql } from "@/server/db/app-pool";
import { fileResponse } from "@/server/files/file-response";
import { detectFileType } from "@/server/files/passive-type";
import type { Widget } from "./find-widget";

const storedAttachment = z.looseObject({ uploadId: z.string().optional() });

async function findFile(client: pg.ClientBase, widget: Widget, input: { messageId: string; index: number; visitorId?: string }) {
  const { rows } = await client.query<{ attachments: unknown; externalChatId: string }>({
    name: "widget_file_message",
    text: `SELECT m.attachments, c."externalChatId" FROM "Message" m JOIN "Conversation" c ON c.id = m."conversationId"
           WHERE m.id = $1 AND c."channelId" = $2 AND NOT m."isPrivate"`,
    values: [input.messageId, widget.channelId],
  });
  const message = rows[0];
  // Another visitor's message is no more there than one that does not exist.
  if (!message || (input.visitorId !== undefined && message.externalChatId !== input.visitorId)) return null;
  const attachment = storedAttachment.safeParse(Array.isArray(message.attachments) ? message.attachments[input.index] : undefined);
  if (!attachment.success || !attachment.data.uploadId || !z.uuid().safeParse(attachment.data.uploadId).success) return null;
  const upload = await client.query<{ bytes: Buffer; fileName: string }>({ name: "widget_file_upload", text: `SELECT bytes, "fileName" FROM "Upload" WHERE id = $1`, values: [attachment.data.uploadId] });
  return upload.rows[0] ?? null;
}

/**
 * One attachment of a message of this widget's channel (of `visitorId`'s own
 * thread when given), as passive content: the type read again from the bytes,
 * shown inline only when it is a picture, video or sound, otherwise
 * downloaded as opaque bytes, always in a sandbox (server/files/file-response.ts).
 * Cross-origin readable: the visitor's page, on the host site, embeds it, and
 * no cookie ever authorises it. Null when there is no such file for the caller.
 */
export async function loadVisitorFile(appPool: pg.Pool, widget: Widget, input: { messageId: string; index: number; visitorId?: string }): Promise<Response | null> {
  if (!z.uuid().safeParse(input.messageId).success || !Number.isInteger(input.index) || input.index < 0 || input.index > 99) return null;
  const file = await withTenantSql(appPool, widget.tenantId, (client) => findFile(client, widget, input));
  if (!file) return null;
  const bytes = new Uint8Array(file.bytes);
  return fileResponse(bytes, { type: await detectFileType(bytes), name: file.fileName, length: bytes.byteLength, crossOrigin: true });
}
