import { TRPCError } from "@trpc/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withTenant } from "@/server/db/tenant-scope";
import { createApiKey } from "@/server/services/api-keys/create-api-key";
import { updateSettings } from "@/server/services/settings/settings";
import { createTestDatabase, type TestDatabase } from "@/server/test/database";
import { createTenantFixture, type TenantFixture } from "@/server/test/fixtures";
import { refusal } from "@/server/test/refusal";
import { callerFor } from "@/server/test/trpc";

let database: TestDatabase;
let t: TenantFixture;
let contactsOnlyKey: Awaited<ReturnType<typeof createApiKey>>;

beforeAll(async () => {
  database = await createTestDatabase();
  t = await createTenantFixture(database.db, "templates");
  contactsOnlyKey = await database.db.$transaction((tx) => createApiKey(tx, { tenantId: t.tenant.id, name: "contacts only", scopes: ["contacts:read"], actor: { userId: t.users.owner.id } }));
});
afterAll(async () => {
  await database.drop();
});

const as = (role: "owner" | "admin" | "agent") => callerFor(database, t.as(role), { tenantSlug: "templates" });
const admin = () => as("admin").templates;

/** The field errors a failed call carries (the API sends them as data.fieldErrors, see server/api/trpc.ts). */
async function failure(promise: Promise<unknown>) {
  const error = await promise.then(
    () => {
      throw new Error("expected the call to fail");
    },
    (e: unknown) => e as TRPCError & { cause?: { details?: { fieldErrors?: Record<string, string[]> } } },
  );
  return { code: error.code, message: error.message, fieldErrors: error.cause?.details?.fieldErrors ?? {} };
}

function setSettings(changes: Parameters<typeof updateSettings>[1]["changes"]) {
  return withTenant(database.appDb, t.tenant.id, (db) => updateSettings(db, { tenantId: t.tenant.id, changes, actor: { userId: t.users.owner.id } }));
}

const draft = (key: string, variants: Record<string, string>, extra: { kind?: "canned" | "auto_reply" | "public"; published?: boolean; description?: string } = {}) => ({
  key,
  kind: extra.kind ?? "canned",
  published: extra.published ?? true,
  description: extra.description,
  variants: Object.entries(variants).map(([locale, body]) => ({ locale, body })),
});

describe("templates.upsert", () => {
  it("creates a template with its variants in one go, audited, and readable with templates.get", async () => {
    const created = await admin().upsert(draft("order.shipped", { ru: "Заказ отправлен", en: "Your order is on its way, {firstName}" }, { description: "  After dispatch  " }));
    expect(created).toMatchObject({ key: "order.shipped", kind: "canned", published: true, description: "After dispatch" });
    expect(created.variants.map((variant) => [variant.locale, variant.body])).toEqual([
      ["en", "Your order is on its way, {firstName}"],
      ["ru", "Заказ отправлен"],
    ]);
    expect(await as("agent").templates.get({ id: created.id })).toEqual(created);
    const audit = await database.db.auditLog.findFirstOrThrow({ where: { tenantId: t.tenant.id, action: "template.created", targetId: created.id } });
    expect(audit).toMatchObject({ actorUserId: t.users.admin.id, targetType: "template", metadata: { key: "order.shipped", locales: ["ru", "en"] } });
  });

  it("replaces the key, fields and the whole variant set on update, keeping the id", async () => {
    const created = await admin().upsert(draft("refund", { en: "Refund sent", ru: "Деньги вернули", de: "Erstattet" }));
    const updated = await admin().upsert({ id: created.id, ...draft("refund.sent", { en: "Your refund is on its way", "pt-BR": "Reembolso enviado" }, { kind: "auto_reply", published: false }) });
    expect(updated).toMatchObject({ id: created.id, key: "refund.sent", kind: "auto_reply", published: false, description: null });
    expect(updated.variants.map((variant) => [variant.locale, variant.body])).toEqual([
      ["en", "Your refund is on its way"],
      ["pt-BR", "Reembolso enviado"],
    ]);
    expect(await database.db.templateVariant.count({ where: { templateId: created.id } })).toBe(2);
    const audit = await database.db.auditLog.findFirstOrThrow({ where: { action: "template.updated", targetId: created.id } });
    expect(audit.metadata).toMatchObject({ key: "refund.sent", previousKey: "refund", published: false });
  });

  it("refuses an edit of a version someone else changed meanwhile, when told which version it edits", async () => {
    const created = await admin().upsert(draft("stale", { en: "First" }));
    const second = await admin().upsert({ id: created.id, ...draft("stale", { en: "Second" }), expectedUpdatedAt: created.updatedAt });
    const stale = await failure(admin().upsert({ id: created.id, ...draft("stale", { en: "Third" }), expectedUpdatedAt: created.updatedAt }));
    expect(stale).toMatchObject({ code: "CONFLICT", message: expect.stringMatching(/changed by someone else/) });
    expect((await admin().get({ id: created.id })).variants[0]!.body).toBe("Second");
    await expect(admin().upsert({ id: created.id, ...draft("stale", { en: "Third" }), expectedUpdatedAt: second.updatedAt })).resolves.toMatchObject({ key: "stale" });
  });

  it("refuses a key another template has with CONFLICT and an error on the key, on create and on rename", async () => {
    await admin().upsert(draft("taken", { en: "One" }));
    const duplicate = await failure(admin().upsert(draft("taken", { en: "Two" })));
    expect(duplicate).toMatchObject({ code: "CONFLICT", fieldErrors: { key: ["another template already has this key"] } });
    const other = await admin().upsert(draft("not-taken", { en: "Three" }));
    expect(await failure(admin().upsert({ id: other.id, ...draft("taken", { en: "Three" }) }))).toMatchObject({ code: "CONFLICT", fieldErrors: { key: expect.any(Array) } });
    expect(await database.db.template.count({ where: { tenantId: t.tenant.id, key: "taken" } })).toBe(1);
  });

  it("validates key, locales, bodies and sizes, naming each field, and writes nothing", async () => {
    const before = await database.db.template.count();
    const badKey = await failure(admin().upsert(draft("Order Shipped!", { en: "x" })));
    expect(badKey).toMatchObject({ code: "BAD_REQUEST", fieldErrors: { key: [expect.stringMatching(/lowercase letters, digits, dots, dashes/)] } });
    for (const key of [".hidden", "-dash", "", "a".repeat(101)]) expect((await failure(admin().upsert(draft(key, { en: "x" })))).fieldErrors).toHaveProperty("key");

    const variants = await failure(admin().upsert({ ...draft("variants", {}), variants: [{ locale: "en", body: "Hi" }, { locale: "en", body: "Hello" }, { locale: "english", body: "Hey" }, { locale: "ru", body: "  " }] }));
    expect(variants.code).toBe("BAD_REQUEST");
    expect(variants.fieldErrors).toEqual({
      "variants.1.locale": ["en appears more than once"],
      "variants.2.locale": ["a language code such as en, ru or pt-BR"],
      "variants.3.body": ["write the text"],
    });
    expect((await failure(admin().upsert(draft("empty", {})))).fieldErrors).toEqual({ variants: ["add the text in at least one language"] });
    expect((await failure(admin().upsert(draft("long", { en: "x".repeat(4001) })))).fieldErrors).toEqual({ "variants.0.body": ["at most 4,000 characters"] });
    const many = Object.fromEntries(Array.from({ length: 21 }, (_, i) => [`${String.fromCharCode(97 + i)}${String.fromCharCode(97 + i)}`, "x"]));
    expect((await failure(admin().upsert(draft("many", many)))).fieldErrors).toEqual({ variants: ["at most 20 languages"] });
    // Beyond what any form sends, the edge refuses the payload itself, naming the field as the service would.
    expect(await refusal(admin().upsert(draft("huge", { en: "x".repeat(10_000) })))).toMatchObject({ code: "BAD_REQUEST", fieldErrors: { "variants.0.body": [expect.any(String)] } });
    expect(await refusal(admin().upsert(draft("x".repeat(100_001), { en: "x" })))).toMatchObject({ code: "BAD_REQUEST", fieldErrors: { key: [expect.any(String)] } });
    expect(await refusal(admin().upsert(draft("huge.description", { en: "x" }, { description: "x".repeat(100_001) })))).toMatchObject({ code: "BAD_REQUEST", fieldErrors: { description: [expect.any(String)] } });
    expect(await database.db.template.count()).toBe(before);
  });

  it("refuses bodies that are not valid ICU MessageFormat, saying where (line and column) and what is wrong", async () => {
    const invalid = await failure(admin().upsert(draft("broken", { en: "Hello {name}", ru: "Привет, {name", "pt-BR": "Olá!\n{n, plural, one {# dia}}" })));
    expect(invalid.code).toBe("BAD_REQUEST");
    expect(invalid.fieldErrors).toEqual({
      "variants.1.body": ["line 1, column 9: unclosed brace"],
      "variants.2.body": ["line 2, column 24: missing the other {…} option"],
    });
    expect(invalid.message).toContain("variants.1.body: line 1, column 9: unclosed brace");
    expect(await database.db.template.count({ where: { key: "broken" } })).toBe(0);
  });

  it("reaches HTTP clients as a 400 with data.fieldErrors", async () => {
    process.env.DATABASE_URL = database.url;
    const { POST } = await import("@/app/api/trpc/[trpc]/route");
    const response = await POST(
      new Request("http://localhost/api/trpc/templates.upsert", {
        method: "POST",
        headers: { authorization: `Bearer ${t.keys.full.key}`, "content-type": "application/json" },
        body: JSON.stringify({ json: draft("http", { en: "Hi {name" }) }),
      }),
    );
    expect(response.status).toBe(400);
    const body = (await response.json()) as { error: { json: { data: { code: string; fieldErrors: Record<string, string[]> } } } };
    expect(body.error.json.data).toMatchObject({ code: "BAD_REQUEST", fieldErrors: { "variants.0.body": ["line 1, column 4: unclosed brace"] } });
  });
});

describe("templates.delete", () => {
  it("deletes a template with its variants, audited", async () => {
    const created = await admin().upsert(draft("doomed", { en: "Bye", ru: "Пока" }));
    expect(await admin().delete({ id: created.id })).toEqual({ id: created.id, key: "doomed" });
    expect(await database.db.templateVariant.count({ where: { templateId: created.id } })).toBe(0);
    await expect(admin().get({ id: created.id })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(admin().delete({ id: created.id })).rejects.toMatchObject({ code: "NOT_FOUND" });
    const audit = await database.db.auditLog.findFirstOrThrow({ where: { action: "template.deleted", targetId: created.id } });
    expect(audit.metadata).toMatchObject({ key: "doomed" });
  });

  it("refuses to delete or rename a template an auto-reply sends, saying which", async () => {
    const away = await admin().upsert(draft("away.message", { en: "We are away" }, { kind: "auto_reply" }));
    await setSettings({ autoReplies: { greeting: { enabled: false, templateKey: null }, away: { enabled: true, templateKey: "away.message" }, periodHours: 24 } });
    const refused = await failure(admin().delete({ id: away.id }));
    expect(refused).toMatchObject({ code: "CONFLICT", message: expect.stringMatching(/^the away auto-reply sends "away.message"; choose another template/) });
    expect((await failure(admin().upsert({ id: away.id, ...draft("away.renamed", { en: "We are away" }, { kind: "auto_reply" }) }))).fieldErrors.key?.[0]).toMatch(/the away auto-reply/);
    // Its text can still change.
    await expect(admin().upsert({ id: away.id, ...draft("away.message", { en: "Back soon" }, { kind: "auto_reply" }) })).resolves.toMatchObject({ key: "away.message" });
    expect(await database.db.template.count({ where: { id: away.id } })).toBe(1);

    await setSettings({ autoReplies: null });
    await expect(admin().delete({ id: away.id })).resolves.toMatchObject({ key: "away.message" });
  });
});

describe("templates.preview", () => {
  let stored: { id: string };
  beforeAll(async () => {
    stored = await admin().upsert(draft("welcome", { en: "Welcome, {firstName}!", ru: "Добро пожаловать, {firstName}!", "pt-BR": "Bem-vindo, {firstName}!" }));
  });

  it.each([
    ["pt-BR", "ru", "pt-BR", "exact"],
    ["pt-PT", "ru", "ru", "default"],
    ["ru-RU", "ru", "ru", "language"],
    ["de", "ru", "ru", "default"],
    ["de", "de", "en", "english"],
    ["pt_br", "de", "pt-BR", "exact"],
  ])("renders %s with the workspace default %s from the %s variant (%s)", async (locale, defaultLocale, used, fallback) => {
    await setSettings({ defaultLocale });
    const preview = await as("agent").templates.preview({ id: stored.id, locale, variables: { firstName: "Mia" } });
    expect(preview).toMatchObject({ locale: used, fallback, missing: [], variables: ["firstName"] });
    expect(preview.text).toMatch(/Mia!$/);
  });

  it("falls back to any variant when none fits, and finds a template by key", async () => {
    await admin().upsert(draft("french-only", { fr: "Bonjour {firstName}" }));
    expect(await admin().preview({ key: "french-only", locale: "de", variables: {} })).toEqual({
      text: "Bonjour {firstName}",
      locale: "fr",
      fallback: "any",
      missing: ["firstName"],
      variables: ["firstName"],
    });
  });

  it("renders plurals by each language's rules, coercing numbers given as text, and names what is missing", async () => {
    const en = "{count, plural, one {# message} other {# messages}} for {firstName}";
    const ru = "{count, plural, one {# сообщение} few {# сообщения} many {# сообщений} other {# сообщения}} для {firstName}";
    expect(await admin().preview({ body: en, locale: "en", variables: { count: 1, firstName: "Mia" } })).toEqual({
      text: "1 message for Mia",
      locale: "en",
      fallback: "exact",
      missing: [],
      variables: ["count", "firstName"],
    });
    expect((await admin().preview({ body: en, locale: "en", variables: { count: "7" } })).text).toBe("7 messages for {firstName}");
    const russian = async (count: number | string) => (await admin().preview({ body: ru, locale: "ru", variables: { count, firstName: "Оля" } })).text;
    expect([await russian(1), await russian("3"), await russian(5), await russian(21)]).toEqual(["1 сообщение для Оля", "3 сообщения для Оля", "5 сообщений для Оля", "21 сообщение для Оля"]);
    expect(await admin().preview({ body: ru, locale: "ru", variables: {} })).toMatchObject({ text: "{count} сообщения для {firstName}", missing: ["count", "firstName"] });
  });

  it("refuses invalid ICU with where it is broken, and unknown templates, locales and sources", async () => {
    const broken = await failure(admin().preview({ body: "Hi {firstName", locale: "en", variables: {} }));
    expect(broken).toMatchObject({ code: "BAD_REQUEST", message: "the text is not valid ICU MessageFormat: line 1, column 4: unclosed brace", fieldErrors: { body: ["line 1, column 4: unclosed brace"] } });
    await expect(admin().preview({ key: "no-such-template", locale: "en", variables: {} })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(admin().preview({ id: crypto.randomUUID(), locale: "en", variables: {} })).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect(await failure(admin().preview({ body: "x", locale: "not a locale", variables: {} }))).toMatchObject({ code: "BAD_REQUEST", fieldErrors: { locale: expect.any(Array) } });
    await expect(admin().preview({ id: stored.id, body: "x", locale: "en", variables: {} })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(admin().preview({ locale: "en", variables: {} })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    const tooMany = Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`v${i}`, i]));
    await expect(admin().preview({ body: "x", locale: "en", variables: tooMany })).rejects.toMatchObject({ code: "BAD_REQUEST" });
  });
});

describe("who may use templates", () => {
  const code = (promise: Promise<unknown>) => promise.then(() => "OK", (error: TRPCError) => error.code);

  it("lets agents and read-only keys list, get and preview, but not change or delete", async () => {
    for (const caller of [as("agent"), callerFor(database, t.asKey(t.keys.read))]) {
      expect((await caller.templates.list({})).map((template) => template.key)).toContain("greeting");
      expect((await caller.templates.get({ id: t.rows.template.id })).key).toBe("greeting");
      expect((await caller.templates.preview({ id: t.rows.template.id, locale: "en", variables: {} })).text).toBe("Hello");
      expect(await code(caller.templates.upsert(draft("agent-made", { en: "x" })))).toBe("FORBIDDEN");
      expect(await code(caller.templates.upsert({ id: t.rows.template.id, ...draft("greeting", { en: "Pwned" }) }))).toBe("FORBIDDEN");
      expect(await code(caller.templates.delete({ id: t.rows.template.id }))).toBe("FORBIDDEN");
    }
    expect((await admin().get({ id: t.rows.template.id })).variants[0]!.body).toBe("Hello");
  });

  it("refuses keys without conversations:read even reading, and lets keys with admin change them", async () => {
    const contactsOnly = callerFor(database, t.asKey(contactsOnlyKey));
    expect(await code(contactsOnly.templates.list({}))).toBe("FORBIDDEN");
    expect(await code(contactsOnly.templates.get({ id: t.rows.template.id }))).toBe("FORBIDDEN");
    expect(await code(contactsOnly.templates.preview({ body: "x", locale: "en", variables: {} }))).toBe("FORBIDDEN");
    const full = callerFor(database, t.asKey(t.keys.full));
    const created = await full.templates.upsert(draft("by-key", { en: "Made by a key" }));
    const audit = await database.db.auditLog.findFirstOrThrow({ where: { action: "template.created", targetId: created.id } });
    expect(audit.actorApiKeyId).toBe(t.keys.full.apiKey.id);
    expect(await full.templates.delete({ id: created.id })).toMatchObject({ key: "by-key" });
  });
});
