import { io as connectClient, type Socket } from "socket.io-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import webpush from "web-push";
import { withTenant } from "@/server/db/tenant-scope";
import { createLogger } from "@/server/logger";
import { signRealtimeToken } from "@/server/realtime/token";
import { startPipeline, type Pipeline } from "@/server/test/pipeline";
import { startPushService, type PushService } from "@/server/test/push-service";
import { startSmtpServer } from "@/server/test/smtp";
import { callerFor } from "@/server/test/trpc";
import { until } from "@/server/test/wait";
import { startNotifier } from "@/server/worker/notifier";
import { EMAIL_GATHER_MS, EMAIL_INTERVAL_MS } from "./delivery-jobs";
import { notifyFromEvents } from "./notify-from-events";
import { sendNotificationEmail } from "./send-notification-email";
import { sendPush, type PushPayload } from "./send-push";
import { unsubscribeByLink } from "./unsubscribe-by-link";
import { signUnsubscribeToken, verifyUnsubscribeToken } from "./unsubscribe-token";

/**
 * Notifications on a real PostgreSQL, from real events: Telegram messages through the emulator and
 * the webhook, agents' replies and notes through tRPC, the notifier following the event log as the
 * worker runs it, pushes to a local push service that decrypts them, email to a local SMTP server,
 * and the realtime node delivering `notification.created` to its person.
 */
let p: Pipeline;
let notifier: ReturnType<typeof startNotifier>;
let push: PushService;
let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
const sockets: Socket[] = [];
const slug = "notify";

beforeAll(async () => {
  p = await startPipeline({ slug, botId: 707301 });
  notifier = startNotifier({ connectionString: p.database.url, systemPool: p.database.systemPool, appDb: p.database.appDb, log: createLogger("test", "silent"), mail: true, pollMs: 60_000 });
  await notifier.ready;
  push = await startPushService();
  smtp = await startSmtpServer();
}, 60_000);
afterAll(async () => {
  for (const socket of sockets) socket.disconnect();
  await notifier?.stop();
  await push?.close();
  await smtp?.close();
  await p?.stop();
});

const as = (role: "owner" | "admin" | "agent") => callerFor(p.database, p.t.as(role), { tenantSlug: slug });
const userId = (role: "owner" | "admin" | "agent") => p.t.users[role].id;

let chats = 0;
/** A customer writes to the bot (a new chat each time unless `chat` is given); the notifier has read what followed. */
async function customerWrites(text: string, chat?: number) {
  const id = chat ?? 9100 + ++chats;
  p.telegram.emulator.customerMessage(p.token, { chat: { id, type: "private", first_name: `Customer ${id}` }, from: { id, is_bot: false, first_name: `Customer ${id}` }, content: { text } });
  await p.telegram.drained(p.token);
  await notifier.readNow();
  const conversation = await p.database.db.conversation.findFirstOrThrow({ where: { tenantId: p.t.tenant.id, externalChatId: String(id) } });
  return { chat: id, conversationId: conversation.id };
}

const notificationsOf = (role: "owner" | "admin" | "agent", conversationId: string) =>
  p.database.db.notification.findMany({ where: { userId: userId(role), conversationId }, orderBy: { createdAt: "asc" } });

const settle = () => notifier.readNow();

describe("who is told, and about what", () => {
  it("tells the assignee about the assignment and each customer message, and nobody who is not assigned or taking part", async () => {
    const { chat, conversationId } = await customerWrites("Hello, my order is late");
    await as("owner").conversations.update({ id: conversationId, assigneeId: userId("agent") });
    await settle();
    await customerWrites("Are you there?", chat);

    expect((await notificationsOf("agent", conversationId)).map((n) => n.type)).toEqual(["conversation.assigned", "message.new"]);
    expect(await notificationsOf("owner", conversationId)).toEqual([]);
    expect(await notificationsOf("admin", conversationId)).toEqual([]);
    const assigned = (await notificationsOf("agent", conversationId))[0]!;
    expect(assigned).toMatchObject({ actorUserId: userId("owner"), data: { contactName: `Customer ${chat}`, actorName: p.t.users.owner.name } });
    expect((await as("agent").conversations.participants({ id: conversationId })).map((x) => [x.userId, x.reason])).toEqual([[userId("agent"), "assigned"]]);
  });

  it("never tells the author: a reply notifies the assignee and the participants, not the one who wrote it", async () => {
    const { conversationId } = await customerWrites("Refund please");
    await as("owner").conversations.update({ id: conversationId, assigneeId: userId("agent") });
    await as("owner").conversations.addParticipant({ id: conversationId, userId: userId("owner") });
    await settle();
    await as("admin").messages.send({ conversationId, text: "Looking into it" });
    await settle();
    await as("agent").messages.send({ conversationId, text: "Refund sent" });
    await settle();

    expect((await notificationsOf("agent", conversationId)).map((n) => n.type)).toEqual(["conversation.assigned", "message.new"]);
    expect((await notificationsOf("owner", conversationId)).map((n) => [n.type, n.actorUserId])).toEqual([
      ["message.new", userId("admin")],
      ["message.new", userId("agent")],
    ]);
    // The admin replied, so takes part from then on: the agent's reply told them.
    expect((await notificationsOf("admin", conversationId)).map((n) => [n.type, n.actorUserId])).toEqual([["message.new", userId("agent")]]);
    const reasons = Object.fromEntries((await as("agent").conversations.participants({ id: conversationId })).map((x) => [x.userId, x.reason]));
    expect(reasons).toEqual({ [userId("agent")]: "assigned", [userId("owner")]: "added", [userId("admin")]: "replied" });
  });

  it("a mention in a note tells the mentioned person once (a mention, not also a new message) and makes them a participant", async () => {
    const { conversationId } = await customerWrites("Which plan do I have?");
    await as("owner").conversations.update({ id: conversationId, assigneeId: userId("admin") });
    await as("owner").conversations.addParticipant({ id: conversationId, userId: userId("agent") });
    await settle();
    const text = "@Owner can you check the plan? cc @Agent @Admin";
    const note = await as("admin").messages.send({
      conversationId,
      text,
      isPrivate: true,
      mentions: [
        { userId: userId("owner"), offset: 0, length: 6 },
        { userId: userId("agent"), offset: text.indexOf("@Agent"), length: 6 },
        // The author mentioning themselves tells nobody.
        { userId: userId("admin"), offset: text.indexOf("@Admin"), length: 6 },
      ],
    });
    await settle();

    expect(note.content).toEqual({
      mentions: [
        { userId: userId("owner"), offset: 0, length: 6 },
        { userId: userId("agent"), offset: 34, length: 6 },
        { userId: userId("admin"), offset: 41, length: 6 },
      ],
    });
    expect((await notificationsOf("owner", conversationId)).map((n) => [n.type, n.messageId])).toEqual([["mention", note.id]]);
    expect((await notificationsOf("agent", conversationId)).map((n) => [n.type, n.messageId])).toEqual([["mention", note.id]]);
    expect((await notificationsOf("admin", conversationId)).filter((n) => n.messageId === note.id)).toEqual([]);
    const reasons = Object.fromEntries((await as("owner").conversations.participants({ id: conversationId })).map((x) => [x.userId, x.reason]));
    expect(reasons).toMatchObject({ [userId("owner")]: "mentioned", [userId("agent")]: "added", [userId("admin")]: "assigned" });
  });

  it("refuses mentions outside a note, off an @ in the text, or of someone who is not a member", async () => {
    const { conversationId } = await customerWrites("hi");
    const stranger = await p.database.db.user.create({ data: { email: "stranger@example.com", name: "Stranger" } });
    const send = (input: Record<string, unknown>) => as("admin").messages.send({ conversationId, text: "@Owner look", isPrivate: true, ...input });
    for (const input of [
      { isPrivate: false, mentions: [{ userId: userId("owner"), offset: 0, length: 6 }] },
      { mentions: [{ userId: userId("owner"), offset: 1, length: 5 }] },
      { mentions: [{ userId: userId("owner"), offset: 0, length: 60 }] },
      { mentions: [{ userId: stranger.id, offset: 0, length: 6 }] },
    ]) {
      await expect(send(input)).rejects.toMatchObject({ code: "BAD_REQUEST", cause: { details: { fieldErrors: { mentions: [expect.any(String)] } } } });
    }
  });

  it("assigning yourself tells nobody; a team's new unassigned conversation tells its members, but not the one who moved it", async () => {
    const { conversationId } = await customerWrites("new here");
    await as("agent").conversations.update({ id: conversationId, assigneeId: userId("agent") });
    await settle();
    expect(await notificationsOf("agent", conversationId)).toEqual([]);

    const other = await customerWrites("for the team");
    await p.database.db.teamMember.create({ data: { tenantId: p.t.tenant.id, teamId: p.t.rows.team.id, userId: userId("admin") } });
    await as("admin").conversations.update({ id: other.conversationId, teamId: p.t.rows.team.id });
    await settle();
    expect((await notificationsOf("agent", other.conversationId)).map((n) => n.type)).toEqual(["queue.waiting"]);
    expect(await notificationsOf("admin", other.conversationId)).toEqual([]);
    await p.database.db.teamMember.delete({ where: { teamId_userId: { teamId: p.t.rows.team.id, userId: userId("admin") } } });
  });

  it("a person who left the workspace is told nothing, though they once took part", async () => {
    const leaver = await p.database.db.user.create({ data: { email: "leaver@example.com", name: "Leaver" } });
    const membership = await p.database.db.membership.create({ data: { tenantId: p.t.tenant.id, userId: leaver.id, role: "agent" } });
    const { chat, conversationId } = await customerWrites("first");
    await as("owner").conversations.addParticipant({ id: conversationId, userId: leaver.id });
    await p.database.db.membership.delete({ where: { id: membership.id } });
    await customerWrites("second", chat);
    expect(await p.database.db.notification.count({ where: { userId: leaver.id } })).toBe(0);
  });

  it("replaying events (a crash before the notifier saved its place) makes nothing twice", async () => {
    const { chat, conversationId } = await customerWrites("replay me");
    await as("owner").conversations.update({ id: conversationId, assigneeId: userId("agent") });
    await as("owner").messages.send({ conversationId, text: "@Admin please look", isPrivate: true, mentions: [{ userId: userId("admin"), offset: 0, length: 6 }] });
    await settle();
    const since = (await p.database.db.event.findFirstOrThrow({ where: { conversationId, type: "assignee.changed" } })).id;
    await customerWrites("and again", chat);
    const before = await p.database.db.notification.count({ where: { tenantId: p.t.tenant.id } });
    const events = await p.database.db.event.findMany({ where: { conversationId, id: { gte: since } }, orderBy: { id: "asc" } });
    expect(events.map((e) => e.type)).toEqual(["assignee.changed", "message.created", "message.created"]);
    const again = await withTenant(p.database.appDb, p.t.tenant.id, (db) =>
      notifyFromEvents(db, { tenantId: p.t.tenant.id, mail: true, events: events.map((e) => ({ eventId: String(e.id), type: e.type, conversationId: e.conversationId, data: e.payload as Record<string, unknown>, at: e.createdAt.toISOString() })) }),
    );
    expect(again).toEqual({ created: 0 });
    expect(await p.database.db.notification.count({ where: { tenantId: p.t.tenant.id } })).toBe(before);
  });
});

describe("preferences", () => {
  it("starts from sensible defaults and keeps what a person changes, type by type", async () => {
    const defaults = await as("admin").notifications.getPreferences();
    expect(defaults.types.mention).toEqual({ inApp: true, push: true, email: true });
    expect(defaults.types["message.new"]).toEqual({ inApp: true, push: true, email: false });
    expect(defaults.previews).toBe(false);
    const changed = await as("admin").notifications.updatePreferences({ types: { "message.new": { inApp: false } }, previews: true });
    expect(changed.types["message.new"]).toEqual({ inApp: false, push: true, email: false });
    expect((await as("admin").notifications.getPreferences()).previews).toBe(true);
    // Another person's choices are their own.
    expect((await as("agent").notifications.getPreferences()).types["message.new"].inApp).toBe(true);
    await expect(as("admin").notifications.updatePreferences({ types: { mention: { sms: true } } } as never)).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await as("admin").notifications.updatePreferences({ types: { "message.new": { inApp: true } }, previews: false });
  });

  it("in the app off: the entry is neither listed nor counted; every medium off: none is made", async () => {
    await as("owner").notifications.updatePreferences({ types: { "message.new": { inApp: false, push: true } } });
    const { chat, conversationId } = await customerWrites("hidden from the bell");
    await as("owner").conversations.update({ id: conversationId, assigneeId: userId("owner") });
    await customerWrites("second message", chat);
    const rows = await notificationsOf("owner", conversationId);
    expect(rows.map((n) => [n.type, n.inApp])).toEqual([["message.new", false]]);
    expect((await as("owner").notifications.list()).notifications.map((n) => n.id)).not.toContain(rows[0]!.id);

    await as("owner").notifications.updatePreferences({ types: { "message.new": { inApp: false, push: false, email: false } } });
    await customerWrites("third message", chat);
    expect(await notificationsOf("owner", conversationId)).toHaveLength(1);
    await as("owner").notifications.updatePreferences({ types: { "message.new": { inApp: true, push: true, email: false } } });
  });
});

describe("the notification centre", () => {
  const connect = async (role: "admin" | "agent") => {
    const token = await signRealtimeToken({ tenantId: p.t.tenant.id, role, principal: { kind: "user", userId: userId(role), sessionId: p.t.sessions[role].id } }, p.secret);
    const socket = connectClient(p.realtime!.url, { auth: { token }, transports: ["websocket"], reconnection: false, forceNew: true });
    sockets.push(socket);
    const received: { name: string; payload: Record<string, unknown> }[] = [];
    socket.onAny((name: string, payload: Record<string, unknown>) => received.push({ name, payload }));
    await new Promise((resolve, reject) => {
      socket.once("sync", resolve);
      socket.once("connect_error", reject);
    });
    return received;
  };

  it("pages newest first, counts the unread, and is read by id, by conversation, or all at once — live on the person's other tabs only", async () => {
    await as("agent").notifications.markAllRead();
    const agentTab = await connect("agent");
    const adminTab = await connect("admin");
    const { chat, conversationId } = await customerWrites("count me");
    await as("owner").conversations.update({ id: conversationId, assigneeId: userId("agent") });
    await settle();
    await customerWrites("and me", chat);
    await customerWrites("and me too", chat);
    expect(await as("agent").notifications.unreadCount()).toEqual({ unread: 3 });

    const first = await as("agent").notifications.list({ limit: 2 });
    expect(first.notifications.map((n) => n.type)).toEqual(["message.new", "message.new"]);
    expect(first.notifications[0]!.data.preview).toBe("and me too");
    const second = await as("agent").notifications.list({ limit: 2, cursor: first.nextCursor! });
    expect(second.notifications.map((n) => n.type)[0]).toBe("conversation.assigned");
    await expect(as("admin").notifications.list({ cursor: first.notifications[0]!.id })).rejects.toMatchObject({ code: "BAD_REQUEST" });

    await until(() => agentTab.filter((r) => r.name === "notification.created").length >= 3, "the agent's tab hears of each entry");
    const live = agentTab.filter((r) => r.name === "notification.created").map((r) => (r.payload.data as { notification: { id: string } }).notification.id);
    expect(live).toEqual(expect.arrayContaining(first.notifications.map((n) => n.id)));
    expect(adminTab.some((r) => r.name.startsWith("notification."))).toBe(false);

    // Someone else's id reads nothing of theirs.
    expect(await as("admin").notifications.markRead({ ids: [first.notifications[0]!.id] })).toMatchObject({ marked: 0 });
    expect(await as("agent").notifications.markRead({ ids: [first.notifications[0]!.id] })).toEqual({ marked: 1, unread: 2 });
    expect(await as("agent").notifications.markRead({ conversationId })).toEqual({ marked: 2, unread: 0 });
    await until(() => agentTab.some((r) => r.name === "notification.read" && (r.payload.data as { unread: number }).unread === 0), "the agent's other tabs hear it was read");
    await customerWrites("one more", chat);
    expect(await as("agent").notifications.markAllRead()).toEqual({ marked: 1, unread: 0 });
    expect(adminTab.some((r) => r.name.startsWith("notification."))).toBe(false);
  });

  it("is a person's own: an API key has no notifications", async () => {
    const key = callerFor(p.database, p.t.asKey(p.t.keys.full));
    await expect(key.notifications.list()).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(key.notifications.unreadCount()).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(key.notifications.updatePreferences({ previews: true })).rejects.toMatchObject({ code: "FORBIDDEN" });
  });
});

describe("web push", () => {
  const vapid = { ...webpush.generateVAPIDKeys(), subject: "mailto:ops@example.com" };
  const pushOf = (notificationId: string) =>
    sendPush((fn) => withTenant(p.database.appDb, p.t.tenant.id, fn), { notificationId, vapid, publicUrl: "", agent: push.agent });

  it("sends a mention to each of the person's devices, encrypted, without the text unless they allow previews", async () => {
    const phone = push.subscribe({ applicationServerKey: vapid.publicKey });
    const laptop = push.subscribe({ applicationServerKey: vapid.publicKey });
    for (const device of [phone, laptop]) expect(await as("owner").notifications.subscribePush(device)).toMatchObject({ id: expect.any(String) });
    expect(await as("owner").notifications.pushStatus({ endpoint: phone.endpoint })).toMatchObject({ devices: 2, subscribedHere: true });
    const { conversationId } = await customerWrites("private details");
    await as("agent").messages.send({ conversationId, text: "@Owner the card number is 4242", isPrivate: true, mentions: [{ userId: userId("owner"), offset: 0, length: 6 }] });
    await settle();
    const [mention] = await notificationsOf("owner", conversationId);

    expect(await pushOf(mention!.id)).toEqual({ sent: 2, removed: 0, failed: 0 });
    const [a, b] = await push.waitFor(2);
    for (const received of [a!, b!]) {
      const payload = JSON.parse(received.payload) as PushPayload;
      expect(payload).toEqual({
        title: `${p.t.users.agent.name} mentioned you`,
        body: "Open the conversation to read it",
        url: `/t/${slug}/inbox/${conversationId}?notification=${mention!.id}&message=${mention!.messageId}`,
        tag: conversationId,
        notificationId: mention!.id,
      });
      expect(received.payload).not.toContain("4242");
      expect(received.vapid).toMatchObject({ publicKey: vapid.publicKey, subject: "mailto:ops@example.com" });
      expect(received.headers.urgency).toBe("high");
    }

    await as("owner").notifications.updatePreferences({ previews: true });
    await pushOf(mention!.id);
    const [withText] = (await push.waitFor(3)).slice(2);
    expect((JSON.parse(withText!.payload) as PushPayload).body).toBe("@Owner the card number is 4242");
    await as("owner").notifications.updatePreferences({ previews: false });
    for (const device of [phone, laptop]) await as("owner").notifications.unsubscribePush({ endpoint: device.endpoint });
  });

  it("removes a device its push service says is gone (410), keeps the others, and pushes nothing already read", async () => {
    // The fixture's device (an unreachable host) is not this test's.
    await p.database.db.pushSubscription.deleteMany({ where: { userId: userId("agent") } });
    const gone = push.subscribe({ applicationServerKey: vapid.publicKey });
    const kept = push.subscribe({ applicationServerKey: vapid.publicKey });
    await as("agent").notifications.subscribePush(gone);
    await as("agent").notifications.subscribePush(kept);
    push.answer(gone.endpoint, 410);
    const { conversationId } = await customerWrites("push me");
    await as("owner").conversations.update({ id: conversationId, assigneeId: userId("agent") });
    await settle();
    const [assigned] = await notificationsOf("agent", conversationId);
    const before = push.received.length;

    expect(await pushOf(assigned!.id)).toEqual({ sent: 1, removed: 1, failed: 0 });
    expect(await p.database.db.pushSubscription.findMany({ where: { userId: userId("agent"), endpoint: { in: [gone.endpoint, kept.endpoint] } }, select: { endpoint: true } })).toEqual([{ endpoint: kept.endpoint }]);
    expect(push.received.length).toBe(before + 1);

    await as("agent").notifications.markRead({ ids: [assigned!.id] });
    expect(await pushOf(assigned!.id)).toEqual({ sent: 0, removed: 0, failed: 0 });
    await as("agent").notifications.unsubscribePush({ endpoint: kept.endpoint });
  });

  it("enqueues a push only for people with a device, and only for the types they push", async () => {
    const device = push.subscribe({ applicationServerKey: vapid.publicKey });
    await as("admin").notifications.subscribePush(device);
    const jobs = () => p.database.db.$queryRaw<{ n: number }[]>`SELECT count(*)::int AS n FROM graphile_worker.jobs WHERE task_identifier = 'notification-push'`.then((r) => r[0]!.n);
    const { conversationId } = await customerWrites("queue push");
    const before = await jobs();
    await as("owner").conversations.update({ id: conversationId, assigneeId: userId("admin") });
    await settle();
    expect(await jobs()).toBe(before + 1);
    await as("admin").notifications.updatePreferences({ types: { "conversation.assigned": { push: false } } });
    await as("owner").conversations.update({ id: conversationId, assigneeId: null });
    await as("owner").conversations.update({ id: conversationId, assigneeId: userId("admin") });
    await settle();
    expect(await jobs()).toBe(before + 1);
    await as("admin").notifications.updatePreferences({ types: { "conversation.assigned": { push: true } } });
    await as("admin").notifications.unsubscribePush({ endpoint: device.endpoint });
  });

  it("refuses a push endpoint that is not https", async () => {
    await expect(as("agent").notifications.subscribePush({ endpoint: "http://127.0.0.1:9/push", keys: { p256dh: "B".repeat(87), auth: "C".repeat(22) } })).rejects.toMatchObject({ code: "BAD_REQUEST" });
  });
});

describe("email", () => {
  const mail = () => ({ SMTP_URL: smtp.url, MAIL_FROM: "Support <support@example.com>" });
  const emailAbout = (conversationId: string, now: Date) =>
    withTenant(p.database.appDb, p.t.tenant.id, (db) => sendNotificationEmail(db, { tenantId: p.t.tenant.id, userId: userId("agent"), conversationId, mail: mail(), publicUrl: "https://support.example.com", secret: p.secret, now }));
  const jobTime = (conversationId: string) =>
    p.database.db.$queryRaw<{ run_at: Date }[]>`SELECT run_at FROM graphile_worker.jobs WHERE key = ${`notification-email:${userId("agent")}:${conversationId}`}`.then((rows) => rows.map((row) => row.run_at));

  it("sends one email for three quick messages, at most one per conversation per 10 minutes, and none after unsubscribing", async () => {
    await as("agent").notifications.updatePreferences({ types: { "message.new": { email: true } } });
    const { chat, conversationId } = await customerWrites("first question");
    await as("owner").conversations.update({ id: conversationId, assigneeId: userId("agent") });
    await settle();
    for (const text of ["one", "two", "three"]) await customerWrites(`quick ${text}`, chat);
    // One job per person and conversation, due when the first notification has gathered for a while.
    const [due] = await jobTime(conversationId);
    const first = (await notificationsOf("agent", conversationId))[0]!;
    expect(due!.getTime()).toBe(first.createdAt.getTime() + EMAIL_GATHER_MS);

    const sentAt = new Date(due!.getTime());
    expect(await emailAbout(conversationId, sentAt)).toEqual({ sent: true, notifications: 4 });
    const ours = smtp.received.filter((m) => m.to.includes(p.t.users.agent.email));
    expect(ours).toHaveLength(1);
    const body = ours[0]!.body;
    expect(body).toContain(`https://support.example.com/t/${slug}/inbox/${conversationId}?notification=`);
    expect(body).toMatch(/List-Unsubscribe:\s+<https:\/\/support\.example\.com\/notifications\/unsubscribe\?token=/);
    expect(body).toContain("List-Unsubscribe-Post: List-Unsubscribe=One-Click");
    expect(body).not.toContain("quick two");
    expect(body).toContain("message text is hidden");

    // More within 10 minutes: the next email waits for the interval.
    await customerWrites("quick four", chat);
    expect((await jobTime(conversationId))[0]!.getTime()).toBe(sentAt.getTime() + EMAIL_INTERVAL_MS);
    expect(await emailAbout(conversationId, new Date(sentAt.getTime() + 60_000))).toMatchObject({ sent: false, retryAt: new Date(sentAt.getTime() + EMAIL_INTERVAL_MS) });
    expect(smtp.received.filter((m) => m.to.includes(p.t.users.agent.email))).toHaveLength(1);

    // The link in the email turns that type's email off (the page asks first); what is pending is then not sent.
    const token = /Stop emails about New messages in my conversations: \S+\?token=([\w.-]+)/.exec(body)![1]!;
    expect(await verifyUnsubscribeToken(token, p.secret)).toEqual({ tenantId: p.t.tenant.id, userId: userId("agent"), type: "message.new" });
    const asked = await unsubscribeByLink(p.database.appDb, { token, secret: p.secret, apply: false });
    expect(asked).toEqual({ tenantId: p.t.tenant.id, userId: userId("agent"), type: "message.new", email: p.t.users.agent.email, workspace: p.t.tenant.name });
    expect((await as("agent").notifications.getPreferences()).types["message.new"].email).toBe(true);
    await unsubscribeByLink(p.database.appDb, { token, secret: p.secret, apply: true });
    expect((await as("agent").notifications.getPreferences()).types["message.new"]).toEqual({ inApp: true, push: true, email: false });
    await customerWrites("quick five", chat);
    expect(await emailAbout(conversationId, new Date(sentAt.getTime() + EMAIL_INTERVAL_MS + 1))).toEqual({ sent: false, notifications: 0 });
    expect(smtp.received.filter((m) => m.to.includes(p.t.users.agent.email))).toHaveLength(1);
  });

  it("sends nothing for what the person already read in the app", async () => {
    await as("agent").notifications.updatePreferences({ types: { "message.new": { email: true } } });
    const { chat, conversationId } = await customerWrites("read it in the app");
    await as("owner").conversations.update({ id: conversationId, assigneeId: userId("agent") });
    await customerWrites("second", chat);
    await as("agent").notifications.markRead({ conversationId });
    expect(await emailAbout(conversationId, new Date(Date.now() + EMAIL_GATHER_MS))).toEqual({ sent: false, notifications: 0 });
    await as("agent").notifications.updatePreferences({ types: { "message.new": { email: false } } });
  });

  it("refuses a forged, expired or other-purpose unsubscribe token, and one of a person who left", async () => {
    expect(await verifyUnsubscribeToken("not-a-token", p.secret)).toBeNull();
    const theirs = { tenantId: p.t.tenant.id, userId: userId("agent"), type: "mention" as const };
    expect(await verifyUnsubscribeToken(await signUnsubscribeToken(theirs, "another secret of at least thirty-two chars"), p.secret)).toBeNull();
    const leaver = await p.database.db.user.create({ data: { email: "gone@example.com", name: "Gone" } });
    expect(await unsubscribeByLink(p.database.appDb, { token: await signUnsubscribeToken({ ...theirs, userId: leaver.id }, p.secret), secret: p.secret, apply: true })).toBeNull();
    expect(await verifyUnsubscribeToken(await signRealtimeToken({ tenantId: p.t.tenant.id, role: "agent", principal: { kind: "user", userId: userId("agent"), sessionId: p.t.sessions.agent.id } }, p.secret), p.secret)).toBeNull();
  });
});
