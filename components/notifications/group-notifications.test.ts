import { describe, expect, it } from "vitest";
import type { NotificationView } from "@/lib/events/payloads";
import { groupNotifications } from "./group-notifications";

const entry = (id: string, conversationId: string | null, type: NotificationView["type"] = "message.new", read = false): NotificationView => ({
  id,
  type,
  conversationId,
  messageId: null,
  actorUserId: null,
  data: { contactName: "Ann", actorName: null, preview: id },
  readAt: read ? new Date() : null,
  createdAt: new Date(),
});

describe("the notification centre's groups", () => {
  it("puts every entry of a conversation into one group where its newest stands, newest group first", () => {
    const groups = groupNotifications([entry("n5", "c1"), entry("n4", "c2"), entry("n3", "c1", "message.new", true), entry("n2", "c1"), entry("n1", null)]);
    expect(groups.map((g) => [g.latest.id, g.ids, g.more])).toEqual([
      ["n5", ["n5", "n3", "n2"], 2],
      ["n4", ["n4"], 0],
      ["n1", ["n1"], 0],
    ]);
  });

  it("shows a mention as the group's face, and is unread while any entry is", () => {
    const [group] = groupNotifications([entry("n3", "c1", "message.new", true), entry("n2", "c1", "mention", true), entry("n1", "c1")]);
    expect(group!.latest.id).toBe("n2");
    expect(group!.unread).toBe(true);
    expect(groupNotifications([entry("n1", "c1", "message.new", true)])[0]!.unread).toBe(false);
  });
});
