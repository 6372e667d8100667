import { z } from "zod";
import type { Attachment } from "@/lib/messages/content";
import { widgetLimits, type VisitorMessage } from "@/lib/widget/protocol";
import { withTenantSql } from "@/server/db/app-pool";
import { requestIdFrom, REQUEST_ID_HEADER } from "@/server/http/api-error";
import { announceEvents } from "@/server/realtime/announce";
import { chatLock, ingestMessage } from "../core/intake";
import { attachmentKindOf } from "./attachment-kind";
import { projectMessages } from "./project-messages";
import { requireMayWrite } from "./require-may-write";
import { findKnownVisitor, visitorIdentity } from "./visitor-identity";
import type { WidgetCall } from "./widget-call";
import { WidgetError } from "./widget-error";

const sendRequest = z.object({
  text: z.string().max(widgetLimits.text, `at most ${widgetLimits.text} characters`).optional(),
  uploadIds: z.array(z.uuid()).max(widgetLimits.files, `at most ${widgetLimits.files} files`).optional(),
  clientMessageId: z.string().regex(/^[A-Za-z0-9._:-]{1,100}$/, "a client message id is up to 100 letters, digits and . _ : -"),
  pageUrl: z.string().max(widgetLimits.url).optional().catch(undefined),
  referrer: z.string().max(widgetLimits.url).optional().catch(undefined),
  locale: z.string().max(35).optional().catch(undefined),
  preChat: z
    .object({
      name: z.string().trim().max(widgetLimits.field).optional(),
      email: z.string().trim().max(254).optional(),
      fields: z.record(z.string().max(32), z.string().max(widgetLimits.field)).optional(),
    })
    .optional(),
});

type SendRequest = z.infer<typeof sendRequest>;

const isEmail = (value: string) => z.email().safeParse(value).success;

/**
 * The pre-chat form's answers against the fields the admin configured: a
 * required one must be there, an email field must hold an email, and answers
 * to fields that do not exist are dropped. Checked on a visitor's first
 * message only (before there is a contact); later messages need not repeat it.
 */
function preChatAnswers(call: WidgetCall, preChat: SendRequest["preChat"]): { name?: string; email?: string; fields: Record<string, string> } {
  const { fields: configured } = call.widget.preChat;
  const fieldErrors: Record<string, string[]> = {};
  const answer = (key: string) => (key === "name" ? preChat?.name : key === "email" ? preChat?.email : preChat?.fields?.[key])?.trim() || undefined;
  const fields: Record<string, string> = {};
  for (const field of configured) {
    const value = answer(field.key);
    if (!value) {
      if (field.required) fieldErrors[`preChat.${field.key}`] = ["this field is required"];
      continue;
    }
    if (field.type === "email" && !isEmail(value)) fieldErrors[`preChat.${field.key}`] = ["not an email address"];
    else if (field.key !== "name" && field.key !== "email") fields[field.key] = value;
  }
  if (preChat?.email && !isEmail(preChat.email)) fieldErrors["preChat.email"] = ["not an email address"];
  if (Object.keys(fieldErrors).length > 0) throw new WidgetError(400, "PRE_CHAT_INCOMPLETE", "fill in the form before the first message", { fieldErrors });
  return { name: preChat?.name || undefined, email: preChat?.email || undefined, fields };
}

/**
 * `POST /api/widget/<publicId>/messages`: the visitor writes. Limited per
 * visitor and per address; files only those this visitor uploaded; then the
 * core's intake, as for every channel, in the tenant's transaction: the
 * visitor's contact (name and email from the pre-chat form, what the browser
 * reports as details), their open conversation or a new one, the message,
 * the events the inbox follows, auto-replies. A resend with the same
 * `clientMessageId` stores nothing and answers the message stored first.
 */
export async function sendVisitorMessage(call: WidgetCall): Promise<{ status: number; body: VisitorMessage }> {
  const { widget, deps } = call;
  const visitor = await call.visitor();
  requireMayWrite(call, visitor);
  await call.limit(deps.limiters.widgetAddress, `ip:${call.ip}`);
  await call.limit(deps.limiters.widgetMessage, `visitor:${widget.channelId}:${visitor.visitorId}`);
  const input = await call.body(sendRequest);
  const text = input.text?.trim() ? input.text : null;
  const uploadIds = [...new Set(input.uploadIds ?? [])];
  if (!text && uploadIds.length === 0) throw new WidgetError(400, "EMPTY_MESSAGE", "write something or attach a file", { fieldErrors: { text: ["write something or attach a file"] } });

  const scope = { tenantId: widget.tenantId, channelId: widget.channelId };
  const requestId = requestIdFrom(call.request.headers.get(REQUEST_ID_HEADER));
  const { row, fresh } = await withTenantSql(
    deps.appPool,
    widget.tenantId,
    async (client) => {
      const { rows: uploads } = uploadIds.length
        ? await client.query<{ id: string; fileName: string; mimeType: string; size: number }>({
            name: "widget_visitor_uploads",
            text: `SELECT id, "fileName", "mimeType", size FROM "Upload" WHERE id = ANY($1::uuid[]) AND "visitorKey" = $2`,
            values: [uploadIds, `${widget.channelId}:${visitor.visitorId}`],
          })
        : { rows: [] };
      // Only this visitor's own uploads: an id of anyone else's file is as good as none.
      if (uploads.length !== uploadIds.length) throw new WidgetError(404, "UPLOAD_NOT_FOUND", "an attached file was not found; attach it again");
      const attachments: Attachment[] = uploadIds.map((id) => {
        const upload = uploads.find((candidate) => candidate.id === id)!;
        return { kind: attachmentKindOf(upload.mimeType), uploadId: upload.id, fileName: upload.fileName, mimeType: upload.mimeType, size: upload.size };
      });
      const known = await findKnownVisitor(client, scope, visitor.visitorId);
      const preChat = widget.preChat.enabled && !known ? preChatAnswers(call, input.preChat) : { name: undefined, email: undefined, fields: {} };
      const identity = visitorIdentity(visitor.visitorId, known, preChat, {
        pageUrl: input.pageUrl,
        referrer: input.referrer,
        locale: input.locale ?? call.request.headers.get("accept-language")?.split(/[,;]/)[0]?.trim(),
        userAgent: call.request.headers.get("user-agent"),
        preChat: preChat.fields,
      });
      const { message } = await ingestMessage(client, scope, {
        kind: "message",
        // Parts that may hold any character (a host site's identifier, the visitor's message id), kept apart.
        dedupeKey: JSON.stringify(["message", visitor.visitorId, input.clientMessageId]),
        chat: { id: visitor.visitorId },
        identity,
        externalId: input.clientMessageId,
        text,
        attachments,
        content: {},
        sentAt: new Date(),
        clientMessageId: input.clientMessageId,
      });
      if (message) return { row: message, fresh: true };
      // A resend: the message stored the first time.
      const { rows } = await client.query({
        name: "widget_sent_message",
        text: `SELECT m.* FROM "Message" m JOIN "Conversation" c ON c.id = m."conversationId"
               WHERE c."channelId" = $1 AND c."externalChatId" = $2 AND m.direction = 'inbound' AND m."externalId" = $3
               ORDER BY m."createdAt" DESC LIMIT 1`,
        values: [widget.channelId, visitor.visitorId, input.clientMessageId],
      });
      return { row: rows[0], fresh: false };
    },
    { requestId },
    // The visitor's tabs and quick sends come at once: one at a time from here, so their first messages make one
    // contact and one conversation. Taken with BEGIN, in its round trip.
    { locks: [chatLock(scope, visitor.visitorId)] },
  );
  if (fresh) announceEvents(deps.appPool);
  if (!row) throw new WidgetError(409, "NOT_STORED", "the message could not be taken; send it again");
  const [message] = await projectMessages([row], { systemPool: deps.systemPool, secret: deps.secret, widget });
  return { status: fresh ? 201 : 200, body: message! };
}
