import type pg from "pg";
import type { RateLimiterAbstract } from "rate-limiter-flexible";
import type { Server } from "socket.io";
import type { Attachment, AttachmentKind, MessageButton, MessageContent } from "@/lib/messages/content";
import type { AppDb, DbClient } from "@/server/db/client";
import type { Logger } from "@/server/logger";
import type { LoggedEvent } from "@/server/realtime/events";
import type { RelayPosition } from "@/server/realtime/relay";

/**
 * What a channel (Telegram, the website widget, …) is to the rest of the
 * product: the kind it speaks for, what it can carry, how its inbound traffic
 * becomes one provider-neutral event for the core's intake, and how an
 * outbound message leaves. The core (server/channels/core/) and everything
 * above it reach a channel only through this contract and the registry; a
 * channel's own errors are translated at its edge into a `SendOutcome`.
 */

/** A channel kind's name as stored (`Channel.type`). */
export type ChannelKind = string;

export type ChannelCapabilities = {
  /** Kinds of file an agent may send (none: text only). */
  attachments: readonly AttachmentKind[];
  /** The customer's edits reach the product / the team may edit a sent reply. */
  edits: boolean;
  deletes: boolean;
  /** The customer sees "typing…" while an agent types. */
  typing: boolean;
  /** Replies may carry buttons the customer presses. */
  buttons: boolean;
  /** The channel tells when the customer has read the team's messages. */
  readReceipts: boolean;
  /** Characters of one outbound text the channel takes (longer replies are split by the adapter). */
  textLimit: number;
};

/** Whom the conversation is with, as the channel names them. */
export type InboundIdentity = {
  /** Unique per channel: the contact is found by it. */
  externalId: string;
  name: string;
  username?: string | null;
  locale?: string | null;
  email?: string | null;
  /** What else the channel knows of this address (shown in the contact panel); replaces what was stored when given. */
  details?: Record<string, unknown>;
};

/** The channel's chat a conversation lives in (and a thread of it, such as a forum topic). */
export type InboundChat = { id: string; threadId?: string | null };

/** A job the core queues in the same transaction as what it took in (a button press's acknowledgement); its payload gets the tenant and channel ids. */
export type FollowUpJob = { task: string; payload: Record<string, unknown>; maxAttempts: number };

/**
 * Inbound traffic in the core's terms. `dedupeKey` is unique per channel for
 * one delivery of the channel's traffic (Telegram: its update_id): the same key
 * twice is taken once.
 */
export type InboundEvent =
  | {
      kind: "message";
      dedupeKey: string;
      chat: InboundChat;
      identity: InboundIdentity;
      /** The channel's id of this message: unique per conversation, so a re-sent message is stored once. */
      externalId: string;
      text: string | null;
      attachments: Attachment[];
      content: MessageContent;
      replyToExternalId?: string;
      sentAt: Date;
      /** The visitor's own id of a send (echoed to them), when the channel has one. */
      clientMessageId?: string;
      followUp?: FollowUpJob;
    }
  | { kind: "edit"; dedupeKey: string; chat: InboundChat; externalId: string; text: string | null; editedAt: Date }
  /** The customer stopped (or resumed) accepting messages from the channel. */
  | { kind: "blocked"; dedupeKey: string; identityExternalId: string; blocked: boolean }
  /** The customer has read the team's messages up to `at`. */
  | { kind: "read"; dedupeKey: string; chat: InboundChat; at: Date }
  /** The chat got a new id (a Telegram group became a supergroup): conversations and the identity follow it. */
  | { kind: "chat_moved"; dedupeKey: string; from: InboundChat; to: string; identity: { from: string; to: string } }
  /** Nothing for the inbox; with a key, a redelivery of it is still known as a duplicate. */
  | { kind: "ignored"; dedupeKey?: string; reason: string };

export type IngestResult = "ok" | "duplicate" | "ignored";

/** A file of an outbound message, as stored on it; the adapter sets `externalId` (and `fileId`) when it is sent. */
export type OutboundAttachment = Attachment & { uploadId: string; fileName: string };

/** One outbound message, everything an adapter needs to send it. */
export type OutboundMessage = {
  channelId: string;
  tenantId: string;
  conversation: { id: string; externalChatId: string; externalThreadId: string | null };
  message: {
    id: string;
    text: string | null;
    attachments: OutboundAttachment[];
    buttons: MessageButton[];
    /** The channel's id of the message this one answers, when it has one. */
    replyToExternalId: string | null;
  };
  /** What an earlier attempt already sent (ids of text parts); the adapter continues from there. */
  sentIds: string[];
};

/**
 * How a send ended. `sent` carries the channel's id of the message (its first
 * part); `retry` is a failure worth trying again (after `afterSeconds` when the
 * channel said when); `permanent` will fail the same way every time.
 */
export type SendOutcome =
  | { status: "sent"; externalId: string | null }
  | { status: "retry"; reason: string; afterSeconds?: number }
  | { status: "permanent"; reason: string; contactBlocked?: boolean };

/** The limiters delivery shares between every worker, by name; an adapter names which ones a send passes. */
export type SendLimiters = Record<string, RateLimiterAbstract>;

/** What the core lends an adapter while it sends. */
export type SendContext = {
  appDb: AppDb;
  log: Logger;
  timeoutSeconds: number;
  /** Waits for a turn under the named limits (shared by every worker). */
  takeTurn: (limits: ReadonlyArray<{ limiter: string; key: string }>) => Promise<void>;
  /** The bytes of an uploaded file, or null when it is gone. */
  loadUpload: (uploadId: string) => Promise<{ bytes: Uint8Array; fileName: string; mimeType: string } | null>;
  /** Records progress of a multi-part send at once, so a crash after it does not send a part twice. */
  recordProgress: (progress: { sentIds: string[]; attachments: OutboundAttachment[] }) => Promise<void>;
  /** The chat got a new id while sending (the channel said so): conversations and identities follow it. */
  moveChat: (move: { from: string; to: string; identity: { from: string; to: string } }) => Promise<void>;
};

export type TypingTarget = { tenantId: string; channelId: string; conversation: { id: string; externalChatId: string; externalThreadId: string | null } };

/** What the realtime server lends a channel that speaks to its customers over sockets of its own (the widget's visitors). */
export type RealtimeHost = {
  io: Server;
  relay: { position: () => RelayPosition; readNow: () => Promise<void> };
  appPool: pg.Pool;
  systemPool: pg.Pool;
  secret: string;
  log: Logger;
  catchUpLimit: number;
  typingTimeoutMs: number;
  maxEventsPerSecond: number;
  revalidateMs: number;
  /** Emits to the agents who joined a conversation, on every node. */
  toAgents: (conversationId: string, event: string, payload: unknown) => void;
};

/** A channel's part of a realtime node. */
export type RealtimeAttachment = {
  /** The relay's new events, in log order. */
  deliver: (events: LoggedEvent[]) => void;
  /** An agent started or stopped typing: shown to the customer when the conversation is this channel's; whether it is. */
  agentTyping: (conversationId: string, typing: boolean) => Promise<boolean>;
  /** Whether a page origin may open this channel's sockets (the engine's CORS, for the polling transport). */
  allowsOrigin: (origin: string) => Promise<boolean>;
  /** This node's sockets of the channel, told to reconnect (and catch up), then cut. */
  reconnectAll: (reason: string) => void;
  close: () => void;
};

/** A customer's file from its channel, or why it cannot be had (a sentence for the person asking). */
export type ChannelFile = { ok: true; body: ReadableStream<Uint8Array>; name: string | null; length: string | null } | { ok: false; reason: string };

/** A channel's core columns, as every kind has them. */
export type StoredChannel = { id: string; tenantId: string; type: string; name: string; status: string };

export type ChannelAdapter<Details extends { kind: ChannelKind } = { kind: ChannelKind }> = {
  kind: Details["kind"];
  capabilities: ChannelCapabilities;
  /** The channel's sending limits, counted across every worker; `send` names them (as `<kind>.<name>`) in `takeTurn`. */
  sendLimits?: Record<string, { points: number; durationSeconds: number }>;
  /** The kind's own settings and health for the Channels page and `channels.list` (never a secret). */
  describe: (db: DbClient, channel: StoredChannel) => Promise<Details>;
  /** Stops the channel's traffic at its provider, best effort (the channel is marked disconnected either way). */
  disconnect?: (db: DbClient, channel: StoredChannel) => Promise<void>;
  /** The channel's own worker jobs by task name (Telegram: answering a button press), run like every job. */
  jobs?: Record<string, (deps: { appDb: AppDb; log: Logger }, payload: unknown) => Promise<void>>;
  /**
   * Opens a customer's file the channel holds (`Attachment.fileId`), streamed: the core reads its
   * first bytes for the type and passes the rest through. Channels whose files are uploads leave it out.
   */
  openFile?: (context: { appDb: AppDb; tenantId: string }, channelId: string, fileId: string, signal: AbortSignal) => Promise<ChannelFile>;
  /** The channel's own socket namespace on every realtime node, when its customers connect there. */
  realtime?: (host: RealtimeHost) => RealtimeAttachment;
  /** Sends one message. Must be safe to call again with the progress an earlier call recorded. */
  send: (context: SendContext, outbound: OutboundMessage) => Promise<SendOutcome>;
  /**
   * The customer reads the event log itself, over the channel's own sockets: a reply is sent when it
   * commits (`sent`, the message's own id as the channel's), with no delivery job, retry or rate limit.
   * `send` then only answers jobs queued before.
   */
  deliveredByEventLog?: true;
  /** Shows "typing…" to the customer, best effort: whether it was shown. Channels without typing leave it out. */
  typing?: (db: DbClient, target: TypingTarget) => Promise<boolean>;
};
