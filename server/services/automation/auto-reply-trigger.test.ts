import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { builtInSettings, type Settings } from "@/lib/settings/schema";
import { ingestUpdate } from "@/server/channels/telegram/ingest-update";
import type { TelegramUpdate } from "@/server/channels/telegram/normalize-update";
import { withTenantSql } from "@/server/db/app-pool";
import { createTestDatabase, type TestDatabase } from "@/server/test/database";
import { createTenantFixture, type TenantFixture } from "@/server/test/fixtures";
import { AUTO_REPLY_TASK, automationSettings, autoReplyJobKey, mayNeedAutoReply, type AutomationSettings } from "./auto-reply-trigger";

/** Intake's side of auto-replies, without a worker: which jobs a customer's message leaves in the queue. */

let database: TestDatabase;
let nextUpdate = 100;

const off = builtInSettings.autoReplies;
const greetingOn: Settings["autoReplies"] = { ...off, greeting: { enabled: true, templateKey: "welcome" } };
const awayOn: Settings["autoReplies"] = { ...off, away: { enabled: true, templateKey: "away" } };
const closedAllWeek: Settings["businessHours"] = { enabled: true, days: { mon: [], tue: [], wed: [], thu: [], fri: [], sat: [], sun: [] } };
const openAllWeek: Settings["businessHours"] = { enabled: true, days: Object.fromEntries(["mon", "tue", "wed", "thu", "fri", "sat", "sun"].map((day) => [day, [{ from: "00:00", to: "23:59" }]])) as Settings["businessHours"]["days"] };

beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database.drop();
});

async function workspace(slug: string, values: Record<string, unknown>) {
  const t = await createTenantFixture(database.db, slug);
  await database.db.tenantSettings.update({ where: { tenantId: t.tenant.id }, data: { values: values as object } });
  return t;
}

function customerWrites(t: TenantFixture, chatId: number, text: string) {
  const update = {
    update_id: nextUpdate++,
    message: { message_id: nextUpdate, date: Math.floor(Date.now() / 1000), chat: { id: chatId, type: "private", first_name: "Ann" }, from: { id: chatId, is_bot: false, first_name: "Ann" }, text },
  } as TelegramUpdate;
  return withTenantSql(database.appPool, t.tenant.id, (client) => ingestUpdate(client, { tenantId: t.tenant.id, channelId: t.rows.channel.id }, update));
}

const autoReplyJobs = async (t: TenantFixture) =>
  (
    await database.db.$queryRaw<{ key: string; payload: { tenantId: string; conversationId: string }; revision: number }[]>`
      SELECT j.key, p.payload, j.revision FROM graphile_worker.jobs j JOIN graphile_worker._private_jobs p ON p.id = j.id WHERE j.task_identifier = ${AUTO_REPLY_TASK}`
  ).filter((job) => job.payload.tenantId === t.tenant.id);

const conversationOf = (t: TenantFixture, chatId: number) => database.db.conversation.findFirstOrThrow({ where: { tenantId: t.tenant.id, externalChatId: String(chatId) } });

describe("intake and auto-replies", () => {
  it("enqueues nothing for a workspace with auto-replies off", async () => {
    const t = await workspace("trigger-off", { businessHours: closedAllWeek });
    expect(await customerWrites(t, 801, "hello")).toBe("ok");
    expect(await autoReplyJobs(t)).toEqual([]);
  });

  it("with the greeting on, enqueues a job for the message that starts a conversation, not for the ones that follow it", async () => {
    const t = await workspace("trigger-greeting", { autoReplies: greetingOn });
    for (const text of ["hello", "anyone?", "hello??"]) expect(await customerWrites(t, 802, text)).toBe("ok");
    const conversation = await conversationOf(t, 802);
    expect(await autoReplyJobs(t)).toEqual([{ key: autoReplyJobKey(conversation.id), payload: { tenantId: t.tenant.id, conversationId: conversation.id }, revision: 0 }]);
  });

  it("with the away reply on, enqueues for every message outside business hours (a burst waiting in the queue is one job), and none within them", async () => {
    const closed = await workspace("trigger-away-closed", { autoReplies: awayOn, businessHours: closedAllWeek });
    for (const text of ["hello", "anyone?", "hello??"]) await customerWrites(closed, 803, text);
    const conversation = await conversationOf(closed, 803);
    const jobs = await autoReplyJobs(closed);
    expect(jobs).toHaveLength(1);
    expect(jobs[0]).toMatchObject({ key: autoReplyJobKey(conversation.id), revision: 2 });
    // Once the away reply has gone out, the customer's next messages within the period queue nothing.
    await database.db.conversation.update({ where: { id: conversation.id }, data: { awayHandledAt: new Date() } });
    await customerWrites(closed, 803, "ok, I'll wait");
    expect((await autoReplyJobs(closed))[0]).toMatchObject({ revision: 2 });

    const open = await workspace("trigger-away-open", { autoReplies: awayOn, businessHours: openAllWeek });
    await customerWrites(open, 804, "hello");
    expect(await autoReplyJobs(open)).toEqual([]);
  });
});

describe("intake's view of the settings", () => {
  it("is read at most once per few seconds per workspace: a change reaches intake within five seconds", async () => {
    const t = await workspace("trigger-cache", { autoReplies: greetingOn });
    await customerWrites(t, 811, "hello");
    await database.db.tenantSettings.update({ where: { tenantId: t.tenant.id }, data: { values: {} } });
    await customerWrites(t, 812, "hello");
    expect(await autoReplyJobs(t)).toHaveLength(2); // still the settings read a moment ago
    await new Promise((resolve) => setTimeout(resolve, 5_100));
    await customerWrites(t, 813, "hello");
    expect(await autoReplyJobs(t)).toHaveLength(2);
  });
});

describe("whether a message may call for an auto-reply", () => {
  const at = new Date("2026-01-05T12:00:00Z");
  const hoursAgo = (hours: number) => new Date(at.getTime() - hours * 3_600_000);
  const settings = (autoReplies: Settings["autoReplies"], businessHours: Settings["businessHours"] = builtInSettings.businessHours): AutomationSettings => ({ autoReplies, businessHours, timeZone: "UTC" });
  const both: Settings["autoReplies"] = { ...greetingOn, away: awayOn.away };
  const cases: [string, AutomationSettings, { lastMessageAt: Date | null; awayHandledAt: Date | null }, boolean][] = [
    ["both off: never", settings(off, closedAllWeek), { lastMessageAt: null, awayHandledAt: null }, false],
    ["greeting: a new conversation", settings(greetingOn), { lastMessageAt: null, awayHandledAt: null }, true],
    ["greeting: quiet for the whole period", settings(greetingOn), { lastMessageAt: hoursAgo(24), awayHandledAt: null }, true],
    ["greeting: a message within the period", settings(greetingOn), { lastMessageAt: hoursAgo(23.9), awayHandledAt: null }, false],
    ["away: outside business hours, in a busy conversation", settings(awayOn, closedAllWeek), { lastMessageAt: hoursAgo(0.1), awayHandledAt: null }, true],
    ["away: outside business hours, the last away reply a period ago", settings(awayOn, closedAllWeek), { lastMessageAt: hoursAgo(0.1), awayHandledAt: hoursAgo(24) }, true],
    ["away: already sent within the period", settings(awayOn, closedAllWeek), { lastMessageAt: hoursAgo(0.1), awayHandledAt: hoursAgo(23.9) }, false],
    ["away sent within the period: no greeting either, even in a quiet conversation", settings(both, closedAllWeek), { lastMessageAt: hoursAgo(30), awayHandledAt: hoursAgo(23.9) }, false],
    ["away: within business hours", settings(awayOn, openAllWeek), { lastMessageAt: null, awayHandledAt: null }, false],
    ["greeting: a new conversation within business hours", settings(greetingOn, openAllWeek), { lastMessageAt: null, awayHandledAt: null }, true],
    ["greeting: not outside business hours, even with the away reply off", settings(greetingOn, closedAllWeek), { lastMessageAt: null, awayHandledAt: null }, false],
    ["away: business hours off means always open", settings(awayOn, { ...closedAllWeek, enabled: false }), { lastMessageAt: null, awayHandledAt: null }, false],
  ];
  it.each(cases)("%s", (_, value, conversation, expected) => {
    expect(mayNeedAutoReply(value, { at }, conversation)).toBe(expected);
  });

  it("layers the workspace's own values over the environment's defaults and the built-in ones, as getSettings does", () => {
    expect(automationSettings(null, "production")).toEqual({ autoReplies: off, businessHours: builtInSettings.businessHours, timeZone: "UTC" });
    const own = automationSettings(JSON.stringify({ autoReplies: greetingOn, businessHours: null, timeZone: "Asia/Tokyo" }), "production");
    expect(own).toEqual({ autoReplies: greetingOn, businessHours: builtInSettings.businessHours, timeZone: "Asia/Tokyo" });
    // A stored value that no longer passes its schema falls back rather than breaking intake.
    expect(automationSettings(JSON.stringify({ autoReplies: { greeting: true } }), "development").autoReplies).toEqual(off);
  });
});
