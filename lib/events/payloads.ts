import type { Attachment, MessageContent } from "@/lib/messages/content";

/**
 * The payloads of the event log, one typed definition per event type, and the
 * functions that build them. Intake writes events through node-postgres and the
 * services through Prisma: both call these, so an event reads the same
 * whichever path wrote it. Times are Date (either driver) or ISO text once stored.
 */

type Time = Date | string;

export type MessageRecord = {
  id: string;
  tenantId: string;
  conversationId: string;
  direction: "inbound" | "outbound";
  senderType: "contact" | "agent" | "bot" | "system";
  senderUserId: string | null;
  isPrivate: boolean;
  text: string | null;
  content: MessageContent | null;
  attachments: Attachment[];
  deliveryStatus: "received" | "pending" | "sent" | "failed";
  deliveryError: string | null;
  externalId: string | null;
  clientMessageId: string | null;
  replyToId: string | null;
  editHistory: unknown[];
  editedAt: Time | null;
  discardedAt: Time | null;
  createdAt: Time;
  updatedAt: Time;
};

/** The list fields of a conversation a new message changes. */
export type ConversationSummary = { id: string; lastMessageAt: Time | null; lastMessagePreview: string | null; unreadCount: number };

export type ContactSummary = { id: string; name: string; username: string | null };

export const assignmentReasons = ["manual", "auto", "queue", "offline"] as const;
export type AssignmentReason = (typeof assignmentReasons)[number];

export type EventPayloads = {
  "message.created": { message: MessageRecord; conversation?: ConversationSummary };
  "message.updated": { message: MessageRecord };
  "conversation.created": { conversation: Record<string, unknown> & { id: string; contact: ContactSummary } };
  "conversation.updated": { conversation: Record<string, unknown> & { id: string }; [key: string]: unknown };
  "conversation.status_changed": { conversation?: Record<string, unknown>; conversationId?: string; status: string; previousStatus?: string; reason?: string; by?: string | null };
  /**
   * Who has the conversation now, and why: `manual` (a person chose), `auto` (a policy gave it on arrival),
   * `queue` (a policy gave it after it waited for room), `offline` (taken back from an agent offline past the grace).
   * `waitedMs`: how long it waited for an agent (policy assignments and returns); `rule`: the policy's mode.
   */
  "assignee.changed": {
    conversation: Record<string, unknown>;
    by?: string | null;
    previousAssigneeId?: string | null;
    reason?: AssignmentReason;
    rule?: "round_robin" | "balanced";
    waitedMs?: number;
    [key: string]: unknown;
  };
  /** A member's availability in the workspace: `reason` says who changed it (they, the offline grace, or signing in). */
  "availability.changed": { userId: string; status: "online" | "busy" | "offline"; previousStatus: "online" | "busy" | "offline"; reason: "manual" | "disconnected" | "signed_in" };
  /** The conversation moved to another team (`team` null: to none); `reason` when the product did it ("team deleted"). */
  "team.changed": { conversation: Record<string, unknown> & { id: string }; previousTeamId: string | null; by: string | null; reason?: string };
  "priority.changed": { conversation: Record<string, unknown> & { id: string }; previousPriority: string | null; by: string | null };
  "contact.updated": { contact: { id: string; [key: string]: unknown } };
  /** To `userId` alone: a new entry of their notification centre. */
  "notification.created": { userId: string; notification: NotificationView };
  /** To `userId` alone: entries they read (on another device or tab), and what is left unread. */
  "notification.read": { userId: string; ids: string[] | "all"; conversationId?: string; unread: number };
};

/** An entry of the notification centre as the API and the realtime event carry it. */
export type NotificationView = {
  id: string;
  type: "conversation.assigned" | "mention" | "message.new" | "queue.waiting";
  conversationId: string | null;
  messageId: string | null;
  actorUserId: string | null;
  /** Names and a preview as they were when it was made (what the entry shows without another query). */
  data: { contactName: string; actorName: string | null; preview: string };
  readAt: Time | null;
  createdAt: Time;
};

type Loose = { [key: string]: unknown };

/** A stored message (a Prisma row or a node-postgres row) as events carry it: exactly these fields. */
export function messageRecord(row: Loose): MessageRecord {
  const r = row as unknown as MessageRecord;
  return {
    id: r.id,
    tenantId: r.tenantId,
    conversationId: r.conversationId,
    direction: r.direction,
    senderType: r.senderType,
    senderUserId: r.senderUserId ?? null,
    isPrivate: r.isPrivate,
    text: r.text ?? null,
    content: r.content ?? null,
    attachments: r.attachments ?? [],
    deliveryStatus: r.deliveryStatus,
    deliveryError: r.deliveryError ?? null,
    externalId: r.externalId ?? null,
    clientMessageId: r.clientMessageId ?? null,
    replyToId: r.replyToId ?? null,
    editHistory: r.editHistory ?? [],
    editedAt: r.editedAt ?? null,
    discardedAt: r.discardedAt ?? null,
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
  };
}

export const messageCreated = (message: Loose, conversation?: ConversationSummary): EventPayloads["message.created"] => ({
  message: messageRecord(message),
  ...(conversation ? { conversation } : {}),
});

export const messageUpdated = (message: Loose): EventPayloads["message.updated"] => ({ message: messageRecord(message) });

export const conversationCreated = (conversation: Loose & { id: string }, contact: ContactSummary): EventPayloads["conversation.created"] => ({
  conversation: { ...conversation, contact: { id: contact.id, name: contact.name, username: contact.username ?? null } },
});

export const contactUpdated = (contact: Loose & { id: string }): EventPayloads["contact.updated"] => ({ contact });
