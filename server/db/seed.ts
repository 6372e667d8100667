import { createWebWidget } from "@/server/channels/web-widget/create-web-widget";
import type { SystemDb } from "@/server/db/client";
import { isUniqueViolation } from "@/server/errors";
import { seal } from "@/server/security/secret-box";
import { hashPassword } from "@/server/security/password";

export const DEMO_TENANT_SLUG = "demo";
export const DEMO_OWNER_EMAIL = "owner@demo.example";

/** The demo bot lives in the local Telegram emulator (npm run dev:telegram); no real bot has this token. */
export const DEMO_BOT_TOKEN = "100000001:demo-emulator-token-not-a-real-telegram-bot";
export const DEMO_BOT_USERNAME = "demo_support_bot";

/** The demo's website widget, embedded by the sample shop page `npm start` serves on DEMO_SITE_PORT. */
export const DEMO_WIDGET_NAME = "Website";

/** The origins a browser gives the sample shop page: both names of this machine. */
const demoSiteOrigins = (port: number) => [`http://127.0.0.1:${port}`, `http://localhost:${port}`];

/**
 * A demo workspace so a newcomer sees a working inbox on first start: a tenant,
 * its owner, a Telegram channel and one conversation, in one transaction that
 * does nothing when the demo tenant exists, so every start may call it; then
 * its website widget (see `ensureDemoWidget`), also for a workspace seeded
 * before widgets existed.
 */
export async function seedDemo(
  db: SystemDb,
  options: { ownerPassword: string; encryptionKey: string; emulatorUrl?: string; demoSitePort: number },
): Promise<{ created: boolean; tenantId: string; widget: { publicId: string } }> {
  const { created, tenantId } = await seedDemoWorkspace(db, options);
  return { created, tenantId, widget: await ensureDemoWidget(db, tenantId, demoSiteOrigins(options.demoSitePort)) };
}

async function seedDemoWorkspace(db: SystemDb, options: { ownerPassword: string; encryptionKey: string; emulatorUrl?: string }) {
  const existing = await db.tenant.findUnique({ where: { slug: DEMO_TENANT_SLUG } });
  if (existing) return { created: false, tenantId: existing.id };

  const passwordHash = await hashPassword(options.ownerPassword);
  const token = seal(DEMO_BOT_TOKEN, options.encryptionKey);
  const now = Date.now();
  const at = (minutesAgo: number) => new Date(now - minutesAgo * 60_000);

  try {
    return await insertDemo(db, passwordHash, token, at, options.emulatorUrl);
  } catch (error) {
    // Another process seeded it between our check and our insert.
    if (!isUniqueViolation(error)) throw error;
    const winner = await db.tenant.findUniqueOrThrow({ where: { slug: DEMO_TENANT_SLUG } });
    return { created: false, tenantId: winner.id };
  }
}

/**
 * The demo workspace's widget channel "Website", made as an admin's is
 * (`createWebWidget`: a random public id, the identity secret sealed with the
 * process's ENCRYPTION_KEY), allowing the sample shop page's origins. Made
 * once; on a later start it gains the origins of a changed DEMO_SITE_PORT
 * (and keeps any the admin added). Starts racing on one database make one:
 * they take turns on an advisory lock.
 */
async function ensureDemoWidget(db: SystemDb, tenantId: string, origins: string[]): Promise<{ publicId: string }> {
  return db.$transaction(async (tx) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`demo-widget:${tenantId}`}, 0))`;
    const existing = await tx.webWidgetChannel.findFirst({
      where: { tenantId, channel: { status: { not: "disconnected" } } },
      orderBy: { channel: { createdAt: "asc" } },
    });
    if (!existing) {
      const widget = await createWebWidget(tx, {
        tenantId,
        name: DEMO_WIDGET_NAME,
        allowedOrigins: origins,
        color: "#0f766e",
        position: "right",
        greeting: "Hi! Questions about an order or a product? Write to us here.",
        actor: {},
      });
      return { publicId: widget.publicId };
    }
    const missing = origins.filter((origin) => !existing.allowedOrigins.includes(origin));
    if (missing.length > 0) {
      await tx.webWidgetChannel.update({ where: { channelId: existing.channelId }, data: { allowedOrigins: [...existing.allowedOrigins, ...missing] } });
    }
    return { publicId: existing.publicId };
  });
}

const demoCannedResponses: [string, string, Record<string, string>][] = [
  [
    "checking",
    "We are looking into it",
    { en: "Hi {firstName}, thanks for your patience! I'm checking this for you right now.", ru: "Здравствуйте, {firstName}! Спасибо за терпение, я уже проверяю." },
  ],
  [
    "shipping-delay",
    "A parcel is late",
    { en: "Sorry for the wait, {firstName}. Your order is on its way; {agentName} will keep an eye on it until it arrives." },
  ],
  ["closing", "Wrapping up", { en: "Glad I could help, {firstName}! Write to us any time.", ru: "Рад был помочь, {firstName}! Пишите в любое время." }],
];

function insertDemo(db: SystemDb, passwordHash: string, token: ReturnType<typeof seal>, at: (minutesAgo: number) => Date, emulatorUrl?: string) {
  return db.$transaction(async (tx) => {
    const tenant = await tx.tenant.create({
      data: { slug: DEMO_TENANT_SLUG, name: "Demo Company", settings: { create: {} } },
    });
    const owner = await tx.user.upsert({
      where: { email: DEMO_OWNER_EMAIL },
      update: {},
      create: { email: DEMO_OWNER_EMAIL, name: "Demo Owner", passwordHash },
    });
    await tx.membership.create({ data: { tenantId: tenant.id, userId: owner.id, role: "owner" } });
    const channel = await tx.channel.create({
      data: {
        tenantId: tenant.id,
        type: "telegram",
        name: "Demo bot",
        status: "active",
        telegram: {
          create: {
            tenantId: tenant.id,
            mode: "polling",
            apiRoot: emulatorUrl,
            tokenCiphertext: token.ciphertext,
            tokenKeyId: token.keyId,
            botId: 100000001n,
            botUsername: DEMO_BOT_USERNAME,
            webhookSecret: crypto.randomUUID().replaceAll("-", ""),
          },
        },
      },
    });
    // Canned responses the composer offers after "/", in English and Russian.
    for (const [key, description, variants] of demoCannedResponses) {
      await tx.template.create({
        data: {
          tenantId: tenant.id,
          key,
          kind: "canned",
          description,
          published: true,
          variants: { create: Object.entries(variants).map(([locale, body]) => ({ tenantId: tenant.id, locale, body })) },
        },
      });
    }
    const contact = await tx.contact.create({
      data: { tenantId: tenant.id, name: "Alice Example", username: "alice_example", locale: "en" },
    });
    await tx.contactIdentity.create({
      data: { tenantId: tenant.id, contactId: contact.id, channelId: channel.id, externalId: "200000001", username: "alice_example" },
    });
    const firstText = "Hi! I ordered a lamp last week and it hasn't arrived yet. Can you check?";
    const lastText = "Order #1042, the blue one.";
    const conversation = await tx.conversation.create({
      data: {
        tenantId: tenant.id,
        channelId: channel.id,
        contactId: contact.id,
        externalChatId: "200000001",
        status: "open",
        lastMessageAt: at(2),
        lastMessagePreview: lastText,
        unreadCount: 2,
      },
    });
    await tx.message.createMany({
      data: [
        // No Telegram message ids: the emulator's chats start counting from 1.
        { text: firstText, createdAt: at(5) },
        { text: lastText, createdAt: at(2) },
      ].map((message) => ({
        ...message,
        tenantId: tenant.id,
        conversationId: conversation.id,
        direction: "inbound" as const,
        senderType: "contact" as const,
        deliveryStatus: "received" as const,
      })),
    });
    await tx.event.create({
      data: {
        tenantId: tenant.id,
        type: "conversation.created",
        conversationId: conversation.id,
        payload: { conversationId: conversation.id, contactId: contact.id, channelId: channel.id },
      },
    });
    return { created: true, tenantId: tenant.id };
  });
}
