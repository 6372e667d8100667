import { z } from "zod";
import type { Attachment, MessageContent } from "@/lib/messages/content";
import type { InboundChat, InboundEvent, InboundIdentity } from "../contract";
import { ANSWER_CALLBACK_ATTEMPTS, ANSWER_CALLBACK_TASK, type AnswerCallbackJob } from "./answer-callback";

/**
 * Telegram updates parsed at the edge: only the fields the product uses are
 * declared, unknown fields pass through untouched (Telegram adds fields often),
 * and the result is the channel contract's InboundEvent, which the core's intake takes.
 * Strings are cleaned before this parse (parse-update.ts) and bounded here.
 */

/**
 * Lengths, in UTF-16 units as JavaScript counts them, well above what Telegram
 * itself allows (text 4,096 characters, captions 1,024, names 64, chat titles
 * 128, usernames 32, callback data 64 bytes, file names 255 bytes): nothing
 * Telegram sends comes near them, so an update past one is not Telegram's and
 * is quarantined whole rather than cut (a cut message would say something the
 * customer did not write).
 */
const updateLimits = {
  text: 16_384,
  name: 1_024,
  username: 256,
  fileName: 1_024,
  callbackData: 1_024,
  /** file ids, MIME types, language codes, album ids, emoji, phone numbers: short tokens. */
  token: 1_024,
} as const;

const text = z.string().max(updateLimits.text);
const name = z.string().max(updateLimits.name);
const username = z.string().max(updateLimits.username);
const token = z.string().max(updateLimits.token);
const fileName = z.string().max(updateLimits.fileName);

const user = z.looseObject({
  id: z.number(),
  is_bot: z.boolean().optional(),
  first_name: name,
  last_name: name.optional(),
  username: username.optional(),
  language_code: token.optional(),
});

const chat = z.looseObject({
  id: z.number(),
  type: z.enum(["private", "group", "supergroup", "channel"]),
  title: name.optional(),
  username: username.optional(),
  first_name: name.optional(),
  last_name: name.optional(),
});

const file = z.looseObject({ file_id: token, file_unique_id: token.optional(), file_size: z.number().optional() });

const message = z.looseObject({
  message_id: z.number(),
  date: z.number(),
  chat,
  from: user.optional(),
  message_thread_id: z.number().optional(),
  is_topic_message: z.boolean().optional(),
  media_group_id: token.optional(),
  reply_to_message: z.looseObject({ message_id: z.number() }).optional(),
  text: text.optional(),
  caption: text.optional(),
  photo: z.array(file.extend({ width: z.number(), height: z.number() })).optional(),
  document: file.extend({ file_name: fileName.optional(), mime_type: token.optional() }).optional(),
  video: file.extend({ width: z.number().optional(), height: z.number().optional(), duration: z.number().optional(), mime_type: token.optional(), file_name: fileName.optional() }).optional(),
  voice: file.extend({ duration: z.number().optional(), mime_type: token.optional() }).optional(),
  audio: file.extend({ duration: z.number().optional(), mime_type: token.optional(), file_name: fileName.optional(), title: name.optional(), performer: name.optional() }).optional(),
  sticker: file.extend({ emoji: token.optional(), width: z.number().optional(), height: z.number().optional(), is_animated: z.boolean().optional(), is_video: z.boolean().optional() }).optional(),
  location: z.looseObject({ latitude: z.number(), longitude: z.number() }).optional(),
  venue: z.looseObject({ location: z.looseObject({ latitude: z.number(), longitude: z.number() }), title: name, address: name }).optional(),
  contact: z.looseObject({ phone_number: token, first_name: name, last_name: name.optional(), user_id: z.number().optional() }).optional(),
  migrate_to_chat_id: z.number().optional(),
});

const chatMemberStatus = z.looseObject({ status: token });

export const updateSchema = z.looseObject({
  update_id: z.number().int().nonnegative(),
  message: message.optional(),
  edited_message: message.optional(),
  callback_query: z
    .looseObject({ id: token, from: user, data: z.string().max(updateLimits.callbackData).optional(), message: z.looseObject({ message_id: z.number(), chat }).optional() })
    .optional(),
  my_chat_member: z.looseObject({ chat, from: user, date: z.number(), old_chat_member: chatMemberStatus, new_chat_member: chatMemberStatus }).optional(),
});

export type TelegramUpdate = z.infer<typeof updateSchema>;
type TelegramMessage = z.infer<typeof message>;

type Sender = { id: string; name: string; username?: string; language?: string };

const nameOf = (person: { first_name: string; last_name?: string }) => [person.first_name, person.last_name].filter(Boolean).join(" ");

function sender(from: z.infer<typeof user>): Sender {
  return { id: String(from.id), name: nameOf(from), username: from.username, language: from.language_code };
}

type TelegramChat = InboundChat & { type: z.infer<typeof chat>["type"]; title: string };

function chatOf(value: z.infer<typeof chat>, threadId?: number): TelegramChat {
  const title = value.title ?? ([value.first_name, value.last_name].filter(Boolean).join(" ") || value.username || String(value.id));
  return { id: String(value.id), type: value.type, title, threadId: threadId === undefined ? undefined : String(threadId) };
}

/** A person in a private chat, or the group itself: whoever the conversation is with. */
export const identityIdOf = (chat: { type: string; id: string }, sender: Sender) => (chat.type === "private" ? sender.id : `chat:${chat.id}`);

function identityOf(chat: TelegramChat, sender: Sender): InboundIdentity {
  const isPrivate = chat.type === "private";
  return {
    externalId: identityIdOf(chat, sender),
    name: isPrivate ? sender.name : chat.title,
    username: isPrivate ? (sender.username ?? null) : null,
    locale: isPrivate ? (sender.language ?? null) : null,
  };
}

/** The chat in the core's terms: its id and topic. */
const bare = (chat: TelegramChat): InboundChat => ({ id: chat.id, threadId: chat.threadId });

function attachmentsOf(m: TelegramMessage): Attachment[] {
  const out: Attachment[] = [];
  // Telegram sends every size of a photo; the largest is the one to show.
  const photo = m.photo?.at(-1);
  if (photo) out.push({ kind: "photo", fileId: photo.file_id, size: photo.file_size, width: photo.width, height: photo.height });
  if (m.document) out.push({ kind: "document", fileId: m.document.file_id, fileName: m.document.file_name, mimeType: m.document.mime_type, size: m.document.file_size });
  if (m.video) out.push({ kind: "video", fileId: m.video.file_id, fileName: m.video.file_name, mimeType: m.video.mime_type, size: m.video.file_size, width: m.video.width, height: m.video.height, duration: m.video.duration });
  if (m.voice) out.push({ kind: "voice", fileId: m.voice.file_id, mimeType: m.voice.mime_type, size: m.voice.file_size, duration: m.voice.duration });
  if (m.audio) out.push({ kind: "audio", fileId: m.audio.file_id, fileName: m.audio.file_name ?? m.audio.title, mimeType: m.audio.mime_type, size: m.audio.file_size, duration: m.audio.duration });
  if (m.sticker) out.push({ kind: "sticker", fileId: m.sticker.file_id, emoji: m.sticker.emoji, width: m.sticker.width, height: m.sticker.height });
  return out;
}

/** One Telegram update as the core's InboundEvent; `dedupeKey` is the update_id. */
export function normalizeUpdate(update: TelegramUpdate): InboundEvent {
  const dedupeKey = String(update.update_id);
  if (update.message) {
    const m = update.message;
    if (m.chat.type === "channel") return { kind: "ignored", dedupeKey, reason: "channel post" };
    if (m.migrate_to_chat_id) {
      const from = chatOf(m.chat);
      const to = String(m.migrate_to_chat_id);
      return { kind: "chat_moved", dedupeKey, from: bare(from), to, identity: { from: `chat:${from.id}`, to: `chat:${to}` } };
    }
    if (!m.from || m.from.is_bot) return { kind: "ignored", dedupeKey, reason: "not from a person" };
    const attachments = attachmentsOf(m);
    const content: MessageContent = {};
    if (m.location) content.location = { latitude: m.location.latitude, longitude: m.location.longitude };
    if (m.venue) content.location = { latitude: m.venue.location.latitude, longitude: m.venue.location.longitude, title: m.venue.title, address: m.venue.address };
    if (m.contact) content.contact = { phone: m.contact.phone_number, firstName: m.contact.first_name, lastName: m.contact.last_name, userId: m.contact.user_id };
    if (m.media_group_id) content.mediaGroupId = m.media_group_id;
    if (m.chat.type !== "private") content.from = { id: m.from.id, name: nameOf(m.from), username: m.from.username };
    const text = m.text ?? m.caption ?? null;
    if (text === null && attachments.length === 0 && !content.location && !content.contact) {
      return { kind: "ignored", dedupeKey, reason: "service message" };
    }
    const inChat = chatOf(m.chat, m.is_topic_message ? m.message_thread_id : undefined);
    return {
      kind: "message",
      dedupeKey,
      chat: bare(inChat),
      identity: identityOf(inChat, sender(m.from)),
      externalId: String(m.message_id),
      text,
      attachments,
      content,
      replyToExternalId: m.reply_to_message ? String(m.reply_to_message.message_id) : undefined,
      sentAt: new Date(m.date * 1000),
    };
  }
  if (update.edited_message) {
    const m = update.edited_message;
    return {
      kind: "edit",
      dedupeKey,
      chat: bare(chatOf(m.chat, m.is_topic_message ? m.message_thread_id : undefined)),
      externalId: String(m.message_id),
      text: m.text ?? m.caption ?? null,
      editedAt: new Date(),
    };
  }
  if (update.callback_query) {
    const q = update.callback_query;
    if (!q.message) return { kind: "ignored", dedupeKey, reason: "inline callback" };
    const inChat = chatOf(q.message.chat);
    // Answered by the worker after the press is stored: the customer's button stops spinning.
    const answer: Omit<AnswerCallbackJob, "tenantId" | "channelId"> = { callbackQueryId: q.id };
    return {
      kind: "message",
      dedupeKey,
      chat: bare(inChat),
      identity: identityOf(inChat, sender(q.from)),
      // Re-sent callbacks come with a new update_id but the same id.
      externalId: `callback:${q.id}`,
      text: q.data ?? null,
      attachments: [],
      content: { callback: { data: q.data ?? "", messageId: q.message.message_id } },
      sentAt: new Date(),
      followUp: { task: ANSWER_CALLBACK_TASK, payload: answer, maxAttempts: ANSWER_CALLBACK_ATTEMPTS },
    };
  }
  if (update.my_chat_member) {
    const change = update.my_chat_member;
    if (change.chat.type !== "private") return { kind: "ignored", dedupeKey, reason: "group membership change" };
    const status = change.new_chat_member.status;
    return { kind: "blocked", dedupeKey, identityExternalId: identityIdOf(chatOf(change.chat), sender(change.from)), blocked: status === "kicked" };
  }
  return { kind: "ignored", dedupeKey, reason: "update type not handled" };
}
