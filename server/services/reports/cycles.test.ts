import { describe, expect, it } from "vitest";
import { foldAll, step, type Fact, type LogEvent } from "./cycles";

const base = Date.parse("2026-03-02T09:00:00Z");
const at = (minute: number) => new Date(base + minute * 60_000);

/** One line of a scripted timeline: the minute it happens at and what happens. */
type Line =
  | [number, "created", { teamId?: string; labels?: string[] }?]
  | [number, "customer"]
  | [number, "agent", string]
  | [number, "note", string]
  | [number, "bot"]
  | [number, "auto-reply"]
  | [number, "status", string, string]
  | [number, "update-status", string, string]
  | [number, "assign", string | null]
  | [number, "team", string | null]
  | [number, "labels", string[]];

const conversationId = "c0000000-0000-4000-8000-000000000001";

function events(lines: Line[]): LogEvent[] {
  return lines.map((line, index): LogEvent => {
    const [minute, what] = line;
    const event = (type: string, payload: Record<string, unknown>): LogEvent => ({ id: BigInt(index + 1), type, conversationId, createdAt: at(minute), payload });
    const message = (fields: Record<string, unknown>) => event("message.created", { message: { isPrivate: false, senderUserId: null, createdAt: at(minute).toISOString(), ...fields } });
    switch (what) {
      case "created":
        return event("conversation.created", { conversation: { id: conversationId, channelId: "telegram", teamId: line[2]?.teamId ?? null, assigneeId: null, labels: line[2]?.labels ?? [], status: "open", createdAt: at(minute).toISOString() } });
      case "customer":
        return message({ direction: "inbound", senderType: "contact" });
      case "agent":
        return message({ direction: "outbound", senderType: "agent", senderUserId: line[2] });
      case "note":
        return message({ direction: "outbound", senderType: "agent", senderUserId: line[2], isPrivate: true });
      case "bot":
        return message({ direction: "outbound", senderType: "bot" });
      case "auto-reply":
        return message({ direction: "outbound", senderType: "bot", content: { autoReply: "greeting" } });
      case "status":
        return event("conversation.status_changed", { conversationId, previousStatus: line[2], status: line[3] });
      case "update-status":
        // As conversations.update writes it: the new status only in the conversation's snapshot.
        return event("conversation.status_changed", { conversation: { id: conversationId, status: line[3] }, previousStatus: line[2], by: "ann" });
      case "assign":
        return event("assignee.changed", { conversation: { id: conversationId, assignee: line[2] ? { id: line[2] } : null } });
      case "team":
        return event("team.changed", { conversation: { id: conversationId, team: line[2] ? { id: line[2] } : null }, previousTeamId: null, by: null });
      case "labels":
        return event("conversation.updated", { conversation: { id: conversationId, labels: line[2] } });
    }
  });
}

/** The time metrics a timeline gives, as `kind cycle: from→to by agent` in minutes. */
const timed = (facts: Fact[]) =>
  facts
    .filter((fact) => fact.kind === "first_response" || fact.kind === "next_reply" || fact.kind === "resolution")
    .map((fact) => `${fact.kind} ${fact.cycle}: ${fact.since ? (fact.since.getTime() - base) / 60_000 : "-"}→${(fact.at.getTime() - base) / 60_000}${fact.agentId ? ` by ${fact.agentId}` : ""}`);

const counts = (facts: Fact[]) => Object.fromEntries(["conversation_created", "message_in", "message_out", "reopen", "resolution"].map((kind) => [kind, facts.filter((fact) => fact.kind === kind).length]));

describe("report metrics, defined over scripted timelines", () => {
  it.each<[string, Line[], string[]]>([
    ["first response: the customer's first message to the first agent reply", [[0, "created"], [1, "customer"], [11, "agent", "ann"]], ["first_response 0: 1→11 by ann"]],
    ["a private note is not a reply", [[0, "created"], [1, "customer"], [3, "note", "ann"], [20, "agent", "bob"]], ["first_response 0: 1→20 by bob"]],
    ["an auto-reply and a bot's message are not replies", [[0, "created"], [1, "customer"], [1, "auto-reply"], [2, "bot"], [9, "agent", "ann"]], ["first_response 0: 1→9 by ann"]],
    ["a reply before the customer's message does not count", [[0, "created"], [1, "agent", "ann"], [5, "customer"], [9, "agent", "ann"]], ["first_response 0: 5→9 by ann"]],
    ["several customer messages wait from the first of them", [[0, "created"], [1, "customer"], [2, "customer"], [3, "customer"], [10, "agent", "ann"]], ["first_response 0: 1→10 by ann"]],
    [
      "next reply: each customer message after an agent reply to the next reply",
      [[0, "created"], [0, "customer"], [2, "agent", "ann"], [3, "customer"], [4, "customer"], [10, "agent", "ann"], [12, "agent", "ann"], [15, "customer"], [16, "agent", "bob"]],
      ["first_response 0: 0→2 by ann", "next_reply 0: 3→10 by ann", "next_reply 0: 15→16 by bob"],
    ],
    ["resolution: the cycle's first customer message to its resolution, with the agent it was with", [[0, "created"], [0, "assign", "ann"], [1, "customer"], [2, "agent", "ann"], [30, "status", "open", "resolved"]], ["first_response 0: 1→2 by ann", "resolution 0: 1→30 by ann"]],
    ["a resolution through conversations.update (the status in the snapshot) counts alike", [[0, "created"], [1, "customer"], [30, "update-status", "open", "resolved"], [40, "update-status", "resolved", "open"], [41, "customer"], [45, "agent", "ann"]], ["resolution 0: 1→30", "first_response 1: 41→45 by ann"]],
    ["a resolution without a customer message has no time", [[0, "created"], [5, "status", "open", "resolved"]], ["resolution 0: -→5"]],
    [
      "a reopen starts a cycle: its times start again, nothing waits across it",
      [[0, "created"], [0, "customer"], [2, "agent", "ann"], [3, "customer"], [10, "status", "open", "resolved"], [20, "status", "resolved", "open"], [20, "customer"], [25, "agent", "bob"], [40, "status", "open", "resolved"]],
      ["first_response 0: 0→2 by ann", "resolution 0: 0→10", "first_response 1: 20→25 by bob", "resolution 1: 20→40"],
    ],
    ["snoozing and pending are not resolutions, and waking is not a reopen", [[0, "created"], [0, "customer"], [5, "status", "open", "snoozed"], [50, "status", "snoozed", "open"], [60, "agent", "ann"]], ["first_response 0: 0→60 by ann"]],
    ["an agent's message after the resolution answers nothing", [[0, "created"], [0, "customer"], [10, "status", "open", "resolved"], [11, "agent", "ann"]], ["resolution 0: 0→10"]],
  ])("%s", (_, lines, expected) => {
    expect(timed(foldAll(events(lines)).facts)).toEqual(expected);
  });

  it("counts conversations, messages each way (public ones), resolutions and reopens", () => {
    const { facts } = foldAll(
      events([[0, "created"], [0, "customer"], [0, "auto-reply"], [1, "note", "ann"], [2, "agent", "ann"], [3, "customer"], [9, "status", "open", "resolved"], [10, "status", "resolved", "open"], [10, "customer"], [12, "status", "open", "resolved"]]),
    );
    expect(counts(facts)).toEqual({ conversation_created: 1, message_in: 3, message_out: 2, reopen: 1, resolution: 2 });
  });

  it("keeps each fact's team, agent and labels as they were when it happened", () => {
    const { facts } = foldAll(
      events([[0, "created", { teamId: "sales", labels: ["vip"] }], [1, "customer"], [2, "team", "support"], [3, "labels", ["billing", "vip"]], [4, "assign", "ann"], [5, "agent", "bob"], [6, "status", "open", "resolved"]]),
    );
    const pick = (kind: string) => facts.find((fact) => fact.kind === kind)!;
    expect(pick("conversation_created")).toMatchObject({ teamId: "sales", labels: ["vip"], channelId: "telegram", agentId: null });
    expect(pick("message_in")).toMatchObject({ teamId: "sales", labels: ["vip"] });
    expect(pick("first_response")).toMatchObject({ teamId: "support", labels: ["billing", "vip"], agentId: "bob" });
    expect(pick("resolution")).toMatchObject({ teamId: "support", agentId: "ann" });
  });

  it("adds nothing for an event it has already applied (a follower repeating events after a crash)", () => {
    const log = events([[0, "created"], [1, "customer"], [5, "agent", "ann"]]);
    const once = foldAll(log);
    const again = foldAll([log[2]!, log[1]!], new Map(once.states));
    expect(again.facts).toEqual([]);
    expect(again.states.get(conversationId)).toEqual(once.states.get(conversationId));
    // One event at a time from a saved state gives what the whole history gives.
    let state = null;
    const stepped: Fact[] = [];
    for (const event of log) {
      const result = step(state ? structuredClone(state) : null, event);
      state = result.state;
      stepped.push(...result.facts);
    }
    expect(stepped).toEqual(once.facts);
  });
});
