/**
 * The report metrics' definitions, as one fold over a conversation's events in
 * log order (README, Reports). A conversation lives in cycles: the first opens
 * when it is created, each reopen (resolved → anything else) opens the next.
 *
 * - First response time: from the cycle's first customer message to the first
 *   agent reply after it. An agent reply is a public message an agent sent: not a
 *   private note, not an auto-reply or a bot's message. A reply before the
 *   customer's first message of the cycle does not count.
 * - Next reply time: from each customer message that follows an agent reply
 *   (the first of a run of them) to the next agent reply.
 * - Resolution time: from the cycle's first customer message to its resolution;
 *   a cycle resolved without a customer message has a resolution but no time.
 * - Counts: conversations created, incoming messages (the customer's), outgoing
 *   messages (every public message the customer received: agents', bots',
 *   auto-replies; not notes, not the system's lines), resolutions, reopens.
 *
 * `step` is the whole of it: the store keeps each conversation's `CycleState`
 * and runs `step` on every new event (incrementally), or from nothing over the
 * log (a rebuild) — the same function, so both give the same facts.
 */

export const factKinds = ["conversation_created", "message_in", "message_out", "first_response", "next_reply", "resolution", "reopen"] as const;
export type FactKind = (typeof factKinds)[number];

/** Who and where a fact belongs to, as the conversation stood when it happened. */
export type Dimensions = { channelId: string | null; teamId: string | null; agentId: string | null; labels: string[] };

export type Fact = Dimensions & {
  kind: FactKind;
  /** The log event it came from: with `kind`, what makes writing it twice harmless. */
  eventId: bigint;
  conversationId: string;
  cycle: number;
  /** When it happened (the reply, the resolution, the message). */
  at: Date;
  /** For the three time metrics: when the wait began (the customer's message). */
  since: Date | null;
};

/** What the fold remembers of a conversation between events. */
export type CycleState = {
  conversationId: string;
  /** The last event applied: an event at or below it is already counted. */
  lastEventId: bigint;
  cycle: number;
  status: string;
  channelId: string | null;
  teamId: string | null;
  assigneeId: string | null;
  labels: string[];
  /** The cycle's first customer message; null until one came. */
  firstCustomerAt: Date | null;
  firstReplyAt: Date | null;
  /** A customer's message after an agent reply, waiting for the next one. */
  waitingSince: Date | null;
};

/** An event of the log as the fold reads it (the store's query gives these fields). */
export type LogEvent = { id: bigint; type: string; conversationId: string; createdAt: Date; payload: Record<string, unknown> };

type Loose = Record<string, unknown>;

const asDate = (value: unknown, fallback: Date) => (typeof value === "string" || value instanceof Date ? new Date(value) : fallback);

/** The conversation's fields an event's snapshot carries, in either shape writers use (`teamId` or `team: { id }`). */
function snapshot(conversation: Loose | undefined): Partial<Pick<CycleState, "channelId" | "teamId" | "assigneeId" | "labels" | "status">> {
  if (!conversation) return {};
  const id = (key: string, nested: string): string | null | undefined => {
    if (key in conversation) return (conversation[key] as string | null) ?? null;
    if (nested in conversation) return ((conversation[nested] as Loose | null)?.id as string | undefined) ?? null;
    return undefined;
  };
  const fields: ReturnType<typeof snapshot> = {};
  const channelId = id("channelId", "channel");
  const teamId = id("teamId", "team");
  const assigneeId = id("assigneeId", "assignee");
  if (channelId !== undefined) fields.channelId = channelId;
  if (teamId !== undefined) fields.teamId = teamId;
  if (assigneeId !== undefined) fields.assigneeId = assigneeId;
  if (Array.isArray(conversation.labels)) fields.labels = (conversation.labels as string[]).slice().sort();
  if (typeof conversation.status === "string") fields.status = conversation.status;
  return fields;
}

function freshState(event: LogEvent): CycleState {
  return {
    conversationId: event.conversationId,
    lastEventId: 0n,
    cycle: 0,
    status: "open",
    channelId: null,
    teamId: null,
    assigneeId: null,
    labels: [],
    firstCustomerAt: null,
    firstReplyAt: null,
    waitingSince: null,
  };
}

/**
 * Applies one event to a conversation's state: the new state and the facts it
 * adds. An event the state has already seen (its id at or below `lastEventId`)
 * changes nothing, so a follower that repeats events after a crash adds nothing twice.
 */
export function step(previous: CycleState | null, event: LogEvent): { state: CycleState; facts: Fact[] } {
  if (previous && event.id <= previous.lastEventId) return { state: previous, facts: [] };
  const state: CycleState = { ...(previous ?? freshState(event)), lastEventId: event.id };
  const facts: Fact[] = [];
  const payload = event.payload;
  const before = { teamId: state.teamId, agentId: state.assigneeId };
  Object.assign(state, snapshot(payload.conversation as Loose | undefined));
  const fact = (kind: FactKind, at: Date, since: Date | null = null, agentId: string | null = state.assigneeId) =>
    facts.push({ kind, eventId: event.id, conversationId: state.conversationId, cycle: state.cycle, at, since, channelId: state.channelId, teamId: state.teamId, agentId, labels: state.labels });

  switch (event.type) {
    case "conversation.created":
      fact("conversation_created", asDate((payload.conversation as Loose | undefined)?.createdAt, event.createdAt));
      break;
    case "conversation.status_changed": {
      // Intake names the status; conversations.update's event carries it in the conversation's snapshot (read above).
      const status = (payload.status as string | undefined) ?? state.status;
      const was = (payload.previousStatus as string | undefined) ?? previous?.status ?? "open";
      state.status = status;
      if (status === "resolved" && was !== "resolved") {
        // The agent it was with when resolved (the snapshot may already show the assignee cleared by the same change).
        fact("resolution", event.createdAt, state.firstCustomerAt, state.assigneeId ?? before.agentId);
      } else if (was === "resolved" && status !== "resolved") {
        state.cycle += 1;
        state.firstCustomerAt = state.firstReplyAt = state.waitingSince = null;
        fact("reopen", event.createdAt);
      }
      break;
    }
    case "message.created": {
      const message = payload.message as Loose | undefined;
      if (!message) break;
      const at = asDate(message.createdAt, event.createdAt);
      // Notes are the team's, and the system's own lines (a conversation's history) reach nobody.
      if (message.isPrivate || message.senderType === "system") break;
      if (message.direction === "inbound") {
        fact("message_in", at);
        if (state.status === "resolved") break;
        if (!state.firstCustomerAt) state.firstCustomerAt = at;
        else if (state.firstReplyAt && !state.waitingSince) state.waitingSince = at;
        break;
      }
      const agentId = message.senderType === "agent" ? ((message.senderUserId as string | null) ?? null) : null;
      fact("message_out", at, null, agentId ?? state.assigneeId);
      // Only an agent's reply answers, and only within an unresolved cycle the customer wrote in.
      if (message.senderType !== "agent" || state.status === "resolved" || !state.firstCustomerAt) break;
      if (!state.firstReplyAt) {
        state.firstReplyAt = at;
        fact("first_response", at, state.firstCustomerAt, agentId);
      } else if (state.waitingSince) {
        fact("next_reply", at, state.waitingSince, agentId);
        state.waitingSince = null;
      }
      break;
    }
  }
  return { state, facts };
}

/** Since when the customer waits for an agent's reply: from the cycle's first message until the first reply, then from each message after a reply. */
export function awaitingReplySince(state: CycleState): Date | null {
  if (state.status === "resolved" || state.status === "snoozed") return null;
  return state.waitingSince ?? (state.firstReplyAt ? null : state.firstCustomerAt);
}

/** The facts of a whole history (a rebuild), folding each conversation's events in log order. */
export function foldAll(events: LogEvent[], states = new Map<string, CycleState>()): { states: Map<string, CycleState>; facts: Fact[] } {
  const facts: Fact[] = [];
  for (const event of events) {
    const result = step(states.get(event.conversationId) ?? null, event);
    states.set(event.conversationId, result.state);
    facts.push(...result.facts);
  }
  return { states, facts };
}
