/**
 * A message's parts beyond its text, as stored (`Message.attachments`,
 * `Message.content`) and as every reader sees them: one definition for the
 * channels that write them, the services, the inbox and the widget.
 */

export const attachmentKinds = ["photo", "document", "video", "voice", "audio", "sticker"] as const;
export type AttachmentKind = (typeof attachmentKinds)[number];

/**
 * A file on a message. A customer's file is the channel's to fetch (`fileId`);
 * a file the team or a widget visitor uploaded is stored here (`uploadId`).
 * `externalId` is the channel's id for the part that carried it, once sent.
 */
export type Attachment = {
  kind: AttachmentKind;
  fileId?: string;
  uploadId?: string;
  fileName?: string;
  mimeType?: string;
  size?: number;
  width?: number;
  height?: number;
  duration?: number;
  emoji?: string;
  externalId?: string;
};

/**
 * A member called into a private note: who, and where in the note's text (`offset` and
 * `length` in UTF-16 code units, as JavaScript strings and Telegram entities count), the
 * place holding "@" and their name as it was written.
 */
export type Mention = { userId: string; offset: number; length: number };

/** A reply button a customer can press; `data` comes back as their answer. */
export type MessageButton = { text: string; data: string };

export type MessageContent = {
  /** A shared location; a venue adds its title and address (both customer text). */
  location?: { latitude: number; longitude: number; title?: string; address?: string };
  contact?: { phone: string; firstName: string; lastName?: string; userId?: number };
  /** A pressed button: its data, and the channel's id of the message that carried it. */
  callback?: { data: string; messageId?: number };
  /** In group chats, who wrote (the conversation's contact is the group). */
  from?: { id: number; name: string; username?: string };
  /** Items that arrived apart but are one message (a Telegram album). */
  mediaGroupId?: string;
  /** The channel's ids of every part of the message (an album's items, a long reply's pieces). */
  externalIds?: string[];
  buttons?: MessageButton[];
  /** What the product wrote it as (an auto-reply's kind). */
  autoReply?: string;
  /** The members a private note mentions. */
  mentions?: Mention[];
};
