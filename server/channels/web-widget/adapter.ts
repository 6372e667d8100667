import type { ChannelAdapter } from "../contract";
import type { Widget } from "./find-widget";
import { widgetSnippet } from "./snippet";
import { attachVisitorNamespace } from "./visitor-namespace";

export type WebWidgetDetails = { kind: "web_widget"; /** The embed code for the site's pages. */ snippet: string } & Pick<
  Widget,
  "publicId" | "allowedOrigins" | "color" | "position" | "greeting" | "requireIdentity" | "preChat"
>;

/**
 * The website live-chat widget. Its traffic comes through its own public API
 * (`/api/widget/<publicId>/…`, this folder) and the visitor socket namespace;
 * nothing is sent anywhere on its behalf: a reply is in the event log the
 * moment it is stored, and the visitor's socket carries it from there. So a
 * reply is sent when it commits (`deliveredByEventLog`: no job; `send` only
 * confirms one queued before, with the message's own id as the channel's), and an
 * agent's typing reaches the visitor from the realtime server itself (agents'
 * socket typing; `messages.typing` over the API answers `sent: false` here). A disconnected widget needs
 * no provider told: its public API refuses every call.
 */
export const webWidgetAdapter = {
  kind: "web_widget",
  capabilities: {
    // What the file rules show or offer for download (server/files/passive-type.ts); voice notes and stickers are Telegram's.
    attachments: ["photo", "document", "video", "audio"],
    edits: false,
    deletes: false,
    typing: true,
    buttons: false,
    readReceipts: true,
    textLimit: 4000,
  },
  realtime: attachVisitorNamespace,
  deliveredByEventLog: true,
  send: async (_context, outbound) => ({ status: "sent", externalId: outbound.message.id }),
  describe: async (db, channel): Promise<WebWidgetDetails> => {
    const widget = await db.webWidgetChannel.findUnique({ where: { channelId: channel.id } });
    const publicId = widget?.publicId ?? "";
    return {
      kind: "web_widget",
      publicId,
      allowedOrigins: widget?.allowedOrigins ?? [],
      color: widget?.color ?? "#2563eb",
      position: widget?.position === "left" ? "left" : "right",
      greeting: widget?.greeting ?? null,
      requireIdentity: widget?.requireIdentity ?? false,
      preChat: (widget?.preChat as WebWidgetDetails["preChat"] | undefined) ?? { enabled: false, fields: [] },
      snippet: widget ? widgetSnippet(publicId) : "",
    };
  },
} satisfies ChannelAdapter<WebWidgetDetails>;
