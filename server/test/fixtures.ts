import { createHash, randomBytes } from "node:crypto";
import type { ApiScope } from "@/lib/api-scopes";
import type { Principal } from "@/server/auth/principal";
import type { SystemDb } from "@/server/db/client";
import type { Role } from "@/server/db/generated/enums";
import { seal } from "@/server/security/secret-box";
import { createApiKey } from "@/server/services/api-keys/create-api-key";
import { hashInvitationToken } from "@/server/services/invitations/invite-member";

export const testEncryptionKey = "5e".repeat(32);
process.env.ENCRYPTION_KEY ??= testEncryptionKey;

/**
 * A tenant with one row in every tenant-owned table, members of each role and
 * API keys, made with the owner's client. Tests use two of them to attack each other.
 */
export async function createTenantFixture(db: SystemDb, slug: string) {
  const suffix = randomBytes(3).toString("hex");
  const tenant = await db.tenant.create({ data: { slug, name: `Tenant ${slug}`, settings: { create: { values: { name: slug } } } } });
  const user = (role: Role) =>
    db.user.create({ data: { email: `${role}-${slug}-${suffix}@example.com`, name: `${role} of ${slug}`, passwordHash: null } });
  const [owner, admin, agent] = await Promise.all([user("owner"), user("admin"), user("agent")]);
  const memberships = {
    owner: await db.membership.create({ data: { tenantId: tenant.id, userId: owner.id, role: "owner" } }),
    admin: await db.membership.create({ data: { tenantId: tenant.id, userId: admin.id, role: "admin" } }),
    agent: await db.membership.create({ data: { tenantId: tenant.id, userId: agent.id, role: "agent" } }),
  };
  const key = (scopes: ApiScope[]) =>
    db.$transaction((tx) => createApiKey(tx, { tenantId: tenant.id, name: scopes.join(" "), scopes, actor: { userId: owner.id } }));
  const fullKey = await key(["conversations:read", "conversations:write", "messages:write", "contacts:read", "admin"]);
  const readKey = await key(["conversations:read"]);
  const token = seal("123:secret-token", testEncryptionKey);
  const channel = await db.channel.create({
    data: {
      tenantId: tenant.id,
      type: "telegram",
      name: `bot of ${slug}`,
    },
  });
  const telegramChannel = await db.telegramChannel.create({
    data: { tenantId: tenant.id, channelId: channel.id, mode: "polling", tokenCiphertext: token.ciphertext, tokenKeyId: token.keyId, webhookSecret: randomBytes(16).toString("hex") },
  });
  // A website widget too: its public id and origins are what attacks on the widget's public API aim at.
  const widgetChannel = await db.channel.create({ data: { tenantId: tenant.id, type: "web_widget", name: `widget of ${slug}`, status: "active" } });
  const widgetSecret = seal(`identity secret of ${slug}`, testEncryptionKey);
  const webWidget = await db.webWidgetChannel.create({
    data: {
      tenantId: tenant.id,
      channelId: widgetChannel.id,
      publicId: `${slug}-widget-${suffix}`.padEnd(22, "x").slice(0, 64),
      allowedOrigins: [`https://${slug}.example`],
      color: "#2563eb",
      position: "right",
      secretCiphertext: widgetSecret.ciphertext,
      secretKeyId: widgetSecret.keyId,
    },
  });
  const contact = await db.contact.create({ data: { tenantId: tenant.id, name: `customer of ${slug}` } });
  const identity = await db.contactIdentity.create({
    data: { tenantId: tenant.id, contactId: contact.id, channelId: channel.id, externalId: `${suffix}1` },
  });
  // A team with the agent in it, and the conversation in the team.
  const team = await db.team.create({ data: { tenantId: tenant.id, name: `Team of ${slug}`, nameKey: `team of ${slug}`, description: `secret of ${slug}`, members: { create: { tenantId: tenant.id, userId: agent.id } } } });
  const conversation = await db.conversation.create({
    data: { tenantId: tenant.id, channelId: channel.id, contactId: contact.id, externalChatId: `${suffix}1`, teamId: team.id, priority: "high" },
  });
  // The team assigns by round robin, returning an offline agent's conversations after 5 minutes.
  const assignmentPolicy = await db.assignmentPolicy.create({ data: { tenantId: tenant.id, teamId: team.id, mode: "round_robin", returnAfterMinutes: 5 } });
  const message = await db.message.create({
    data: { tenantId: tenant.id, conversationId: conversation.id, direction: "inbound", senderType: "contact", text: `secret of ${slug}`, deliveryStatus: "received" },
  });
  const event = await db.event.create({ data: { tenantId: tenant.id, type: "message.created", conversationId: conversation.id, payload: {} } });
  // The agent takes part, was told about the message, and gets pushes and emails on one device.
  const participant = await db.conversationParticipant.create({ data: { tenantId: tenant.id, conversationId: conversation.id, userId: agent.id, reason: "replied" } });
  const notification = await db.notification.create({
    data: { tenantId: tenant.id, userId: agent.id, type: "message.new", conversationId: conversation.id, messageId: message.id, sourceEventId: event.id, data: { contactName: `contact of ${slug}`, preview: `secret of ${slug}` } },
  });
  const notificationPreference = await db.notificationPreference.create({ data: { tenantId: tenant.id, userId: agent.id, settings: { types: {}, pushPreviews: true } } });
  const pushSubscription = await db.pushSubscription.create({
    data: { tenantId: tenant.id, userId: agent.id, endpoint: `https://push.example.com/${slug}`, p256dh: `p256dh-${slug}`, auth: `auth-${slug}` },
  });
  const notificationEmail = await db.notificationEmail.create({ data: { tenantId: tenant.id, userId: agent.id, conversationId: conversation.id, lastSentAt: new Date() } });
  // The reports' fact of the message and the fold's state of its conversation.
  const reportFact = await db.reportFact.create({
    data: { tenantId: tenant.id, eventId: event.id, kind: "message_in", conversationId: conversation.id, cycle: 0, at: message.createdAt, day: message.createdAt, channelId: channel.id, teamId: team.id, labels: [`label of ${slug}`] },
  });
  const reportState = await db.reportState.create({
    data: {
      tenantId: tenant.id,
      conversationId: conversation.id,
      lastEventId: event.id,
      waitingSince: message.createdAt,
      state: { conversationId: conversation.id, lastEventId: String(event.id), cycle: 0, status: "open", channelId: channel.id, teamId: team.id, assigneeId: null, labels: [`label of ${slug}`], firstCustomerAt: message.createdAt.toISOString(), firstReplyAt: null, waitingSince: null },
    },
  });
  await db.processedUpdate.create({ data: { tenantId: tenant.id, channelId: channel.id, key: "1" } });
  const template = await db.template.create({ data: { tenantId: tenant.id, key: "greeting" } });
  const variant = await db.templateVariant.create({ data: { tenantId: tenant.id, templateId: template.id, locale: "en", body: "Hello" } });
  const invitationToken = randomBytes(32).toString("base64url");
  const invitation = await db.invitation.create({
    data: {
      tenantId: tenant.id,
      email: `invitee-${slug}@example.com`,
      role: "agent",
      tokenHash: hashInvitationToken(invitationToken),
      expiresAt: new Date(Date.now() + 86_400_000),
    },
  });
  const audit = await db.auditLog.create({ data: { tenantId: tenant.id, action: "member.invited", actorUserId: owner.id } });
  const settingsVersion = await db.settingsVersion.create({ data: { tenantId: tenant.id, version: 1, key: "timeZone", previous: "UTC", next: "Europe/Riga" } });
  const upload = await db.upload.create({
    data: { tenantId: tenant.id, fileName: `${slug}.txt`, mimeType: "text/plain", size: 5, bytes: new Uint8Array(Buffer.from("hello")) },
  });
  const quarantinedRaw = Buffer.from(JSON.stringify({ update_id: 7, message: { message_id: 7, date: 1, chat: { id: 1, type: "private" }, from: { id: 1, is_bot: false, first_name: "Q" }, text: `secret of ${slug}` } }));
  const quarantinedUpdate = await db.quarantinedUpdate.create({
    data: {
      tenantId: tenant.id,
      channelId: channel.id,
      updateId: 7n,
      raw: new Uint8Array(quarantinedRaw),
      digest: createHash("sha256").update(quarantinedRaw).digest("hex"),
      error: 'new row for relation "Message" violates check constraint',
      errorCode: "23514",
      attempts: 5,
    },
  });

  // One signed-in browser per member, as sign-in makes them (server/auth/options.ts).
  const session = (user: { id: string }) =>
    db.session.create({ data: { userId: user.id, expiresAt: new Date(Date.now() + 12 * 3_600_000), userAgent: `fixture browser of ${slug}`, ip: "203.0.113.7" } });
  const sessions = { owner: await session(owner), admin: await session(admin), agent: await session(agent) };

  const as = (role: Role): Principal => ({ kind: "user", userId: { owner, admin, agent }[role].id, sessionId: sessions[role].id });
  const asKey = (created: typeof fullKey): Principal => ({
    kind: "apiKey",
    apiKeyId: created.apiKey.id,
    tenantId: tenant.id,
    scopes: created.apiKey.scopes as ApiScope[],
  });
  return {
    tenant,
    users: { owner, admin, agent },
    memberships,
    sessions,
    keys: { full: fullKey, read: readKey },
    rows: { channel, telegramChannel, widgetChannel, webWidget, contact, identity, team, assignmentPolicy, conversation, message, event, participant, notification, notificationPreference, pushSubscription, notificationEmail, reportFact, reportState, template, variant, invitation, audit, upload, settingsVersion, quarantinedUpdate },
    invitationToken,
    as,
    asKey,
  };
}

export type TenantFixture = Awaited<ReturnType<typeof createTenantFixture>>;
