/**
 * The website widget's wire: what the embed script and the product's public
 * widget API (`/api/widget/<publicId>/…`) and visitor socket namespace
 * (`/visitor` on the realtime server) say to each other. Types and constants
 * only, so the widget bundle imports nothing heavy from here.
 *
 * Every HTTP call carries the page's `Origin` (the browser adds it); the server
 * answers only origins in the channel's `allowedOrigins`. Calls after the
 * session carry `Authorization: Bearer <visitorToken>`.
 */

/** Where the widget sits on the host page. */
export type WidgetPosition = "right" | "left";

export const widgetLimits = {
  /** Characters of one visitor message. */
  text: 4_000,
  /** Bytes of one file a visitor attaches. */
  fileBytes: 10 * 1024 * 1024,
  /** Files on one message. */
  files: 5,
  /** Characters of a page URL or referrer kept with the visitor. */
  url: 2_048,
  /** Characters of a pre-chat field's value. */
  field: 256,
} as const;

/** A pre-chat form field the admin configured. `name` and `email` are built in. */
export type PreChatField = { key: string; label: string; type: "text" | "email"; required: boolean };

/** `GET /api/widget/<publicId>/config` */
export type WidgetConfig = {
  publicId: string;
  name: string;
  /** A CSS hex colour, `#RRGGBB`. */
  color: string;
  position: WidgetPosition;
  /** Shown at the top of an empty conversation (workspace text: rendered as text, never HTML). */
  greeting: string | null;
  /** The realtime server's base URL, for the visitor socket (`<realtimeUrl>/visitor`). */
  realtimeUrl: string;
  preChat: { enabled: boolean; fields: PreChatField[] };
  /** Whether the team is within business hours now; outside them the widget shows `awayMessage` and asks for an email. */
  away: { now: boolean; message: string | null };
  /** Strings from the workspace's public templates for the asked locale, over the built-in defaults (keys of `WidgetStrings`). */
  strings: Partial<WidgetStrings>;
  locale: "en" | "ru";
  limits: typeof widgetLimits;
  /** Whether the channel requires a verified identity (`identifierHash`) before a visitor may write. */
  requireIdentity: boolean;
};

/** Every string the widget shows, with built-in English and Russian defaults in the bundle. */
export type WidgetStrings = {
  launcherLabel: string;
  closeLabel: string;
  title: string;
  messageLabel: string;
  messagePlaceholder: string;
  send: string;
  attach: string;
  agentTyping: string;
  seen: string;
  sending: string;
  failed: string;
  preChatTitle: string;
  nameLabel: string;
  emailLabel: string;
  start: string;
  awayEmailPrompt: string;
  awayEmailSaved: string;
  connectionLost: string;
  fileTooBig: string;
  required: string;
  invalidEmail: string;
};

/** `POST /api/widget/<publicId>/session` — starts or resumes a visitor. */
export type SessionRequest = {
  /** The token this browser was given before (localStorage), to continue its conversation. */
  visitorToken?: string;
  /** The host site's signed-in user: `identifierHash` = hex HMAC-SHA256 of `identifier` with the channel's secret. */
  identifier?: string;
  identifierHash?: string;
  /** Shown to agents when given. */
  name?: string;
  email?: string;
  locale?: string;
  pageUrl?: string;
  referrer?: string;
};

export type SessionAnswer = {
  visitorToken: string;
  /** Short-lived token for the visitor socket (`auth: { token, lastEventId }`). */
  socketToken: string;
  visitor: { id: string; name: string | null; email: string | null; verified: boolean };
  /** The visitor's current conversation, if they wrote before. */
  conversationId: string | null;
};

/** A message as a visitor sees it: no private notes, nothing of an agent beyond display name and avatar. */
export type VisitorMessage = {
  id: string;
  /** `visitor`: written by this visitor; `agent`: a person of the team; `bot`: an automatic reply. */
  author: "visitor" | "agent" | "bot";
  agent: { name: string; avatarUrl: string | null } | null;
  text: string | null;
  attachments: VisitorAttachment[];
  createdAt: string;
  /** The visitor's own id for the send, echoed so an optimistic bubble can be matched. */
  clientMessageId: string | null;
};

export type VisitorAttachment = {
  kind: "photo" | "document" | "video" | "voice" | "audio" | "sticker";
  fileName: string | null;
  mimeType: string | null;
  size: number | null;
  /** Absolute URL, readable with the visitor token (`?token=` is never used: `Authorization` only) — or a short-lived capability URL. */
  url: string;
};

/** `GET /api/widget/<publicId>/messages?before=<id>` */
export type MessagesAnswer = { messages: VisitorMessage[]; olderCursor: string | null; agentReadAt: string | null };

/** `POST /api/widget/<publicId>/messages` */
export type SendRequest = {
  text?: string;
  uploadIds?: string[];
  clientMessageId: string;
  pageUrl?: string;
  /** As in SessionRequest: kept with the visitor when their first message makes them a contact (the session stores nothing before). */
  referrer?: string;
  locale?: string;
  /** The pre-chat form's answers, on the first message. */
  preChat?: { name?: string; email?: string; fields?: Record<string, string> };
};

/** `POST /api/widget/<publicId>/uploads` (multipart, one `file` part) */
export type UploadAnswer = { uploadId: string; fileName: string; mimeType: string; size: number };

/** `POST /api/widget/<publicId>/contact` — the away form's email (and a name). */
export type ContactRequest = { email: string; name?: string };

/** `POST /api/widget/<publicId>/read` — the visitor has seen everything up to now. */

/** Errors: `{ error: { code, message } }` with a 4xx status; `code` is stable. */
export type WidgetError = { error: { code: string; message: string } };

/** Visitor socket: events the server emits. */
export type VisitorServerEvents = {
  "message.created": (payload: { eventId: string; message: VisitorMessage }) => void;
  "message.updated": (payload: { eventId: string; message: VisitorMessage }) => void;
  /** An agent is typing (no name: only that someone is). */
  "typing": (payload: { typing: boolean }) => void;
  /** The team has read the visitor's messages up to `at`. */
  "read": (payload: { eventId: string; at: string }) => void;
  "sync": (payload: { lastEventId: string | null; resync: boolean }) => void;
  /** The server is restarting or missed events: the connection closes next, and socket.io's own reconnect (with `lastEventId`) catches up. */
  "reconnect.required": (payload: { reason: string }) => void;
  /** The chat was switched off, or this site removed from it: the server disconnects; do not reconnect. */
  "session.ended": (payload: { reason: string }) => void;
};

/** Visitor socket: what the widget emits. */
export type VisitorClientEvents = {
  typing: (input: { typing: boolean }) => void;
};
