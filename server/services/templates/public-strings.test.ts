import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withTenant } from "@/server/db/tenant-scope";
import { updateSettings } from "@/server/services/settings/settings";
import { createTestDatabase, type TestDatabase } from "@/server/test/database";
import { createTenantFixture, type TenantFixture } from "@/server/test/fixtures";
import { publicStrings } from "./public-strings";
import { saveTemplate } from "./save-template";

let database: TestDatabase;
let a: TenantFixture;
let b: TenantFixture;
let GET: (request: Request, context: { params: Promise<{ slug: string; locale: string }> }) => Promise<Response>;
let titleId: string;

type Draft = Parameters<typeof saveTemplate>[1]["draft"];

function save(fixture: TenantFixture, draft: Draft, id?: string) {
  return withTenant(database.appDb, fixture.tenant.id, (db) => saveTemplate(db, { tenantId: fixture.tenant.id, id, draft, actor: { userId: fixture.users.owner.id } }));
}

const variants = (texts: Record<string, string>) => Object.entries(texts).map(([locale, body]) => ({ locale, body }));
const title = { key: "widget.title", kind: "public" as const, published: true, variants: variants({ en: "Chat with us", ru: "Напишите нам", "pt-BR": "Fale conosco" }) };

beforeAll(async () => {
  database = await createTestDatabase();
  a = await createTenantFixture(database.db, "public-a");
  b = await createTenantFixture(database.db, "public-b");
  await withTenant(database.appDb, a.tenant.id, (db) => updateSettings(db, { tenantId: a.tenant.id, changes: { defaultLocale: "ru" }, actor: { userId: a.users.owner.id } }));
  titleId = (await save(a, title)).id;
  await save(a, { key: "widget.placeholder", kind: "public", published: true, variants: variants({ en: "Type a message, {name}" }) });
  await save(a, { key: "widget.draft", kind: "public", published: false, variants: variants({ en: "Not ready yet" }) });
  await save(a, { key: "canned.hello", kind: "canned", published: true, variants: variants({ en: "Hello from an agent" }) });
  await save(a, { key: "auto.away", kind: "auto_reply", published: true, variants: variants({ en: "We are away" }) });
  await save(b, { key: "widget.title", kind: "public", published: true, variants: variants({ en: "Tenant B title" }) });
  await save(b, { key: "b.only", kind: "public", published: true, variants: variants({ en: "Only B" }) });
  process.env.DATABASE_URL = database.url;
  ({ GET } = await import("@/app/api/public/[slug]/i18n/[locale]/route"));
});
afterAll(async () => {
  await database.drop();
});

const strings = (slug: string, locale: string) => publicStrings({ appDb: database.appDb, systemDb: database.db }, { slug, locale });

function get(slug: string, locale: string, headers: Record<string, string> = {}) {
  return GET(new Request(`http://localhost/api/public/${slug}/i18n/${locale}`, { headers }), { params: Promise.resolve({ slug, locale }) });
}

describe("public strings", () => {
  it("gives each published public string in the locale after fallback, saying which locale it is in", async () => {
    expect(await strings("public-a", "pt-BR")).toEqual({
      locale: "pt-BR",
      strings: { "widget.placeholder": "Type a message, {name}", "widget.title": "Fale conosco" },
      locales: { "widget.placeholder": "en", "widget.title": "pt-BR" },
    });
    // ru-RU → its language; de → the workspace default (ru), or English where there is no Russian.
    expect((await strings("public-a", "ru-RU")).locales).toEqual({ "widget.placeholder": "en", "widget.title": "ru" });
    expect(await strings("public-a", "de")).toMatchObject({ locale: "de", strings: { "widget.title": "Напишите нам" }, locales: { "widget.title": "ru", "widget.placeholder": "en" } });
    expect((await strings("public-a", "pt_br")).locale).toBe("pt-BR");
  });

  it("never includes unpublished strings, other kinds, or another workspace's", async () => {
    const ofA = await strings("public-a", "en");
    expect(Object.keys(ofA.strings).sort()).toEqual(["widget.placeholder", "widget.title"]);
    expect(JSON.stringify(ofA)).not.toMatch(/Tenant B|Only B|Not ready|Hello from an agent|We are away/);
    expect(await strings("public-b", "en")).toEqual({ locale: "en", strings: { "b.only": "Only B", "widget.title": "Tenant B title" }, locales: { "b.only": "en", "widget.title": "en" } });
  });

  it("refuses an unknown workspace, a malformed slug and a malformed locale", async () => {
    await expect(strings("no-such-workspace", "en")).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(strings("Public_A", "en")).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(strings("public-a", "english!")).rejects.toMatchObject({ code: "BAD_REQUEST" });
  });
});

describe("GET /api/public/<slug>/i18n/<locale>", () => {
  it("answers without a session, as cacheable JSON with a strong ETag", async () => {
    const response = await get("public-a", "pt-BR");
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/json; charset=utf-8");
    expect(response.headers.get("cache-control")).toBe("public, max-age=60");
    expect(response.headers.get("access-control-allow-origin")).toBe("*");
    expect(response.headers.get("etag")).toMatch(/^"[\w-]{43}"$/);
    expect(await response.json()).toEqual(await strings("public-a", "pt-BR"));
  });

  it("answers 304 without a body while nothing changed, and a new ETag once something did", async () => {
    const etag = (await get("public-a", "en")).headers.get("etag")!;
    const unchanged = await get("public-a", "en", { "if-none-match": etag });
    expect(unchanged.status).toBe(304);
    expect(await unchanged.text()).toBe("");
    expect(unchanged.headers.get("etag")).toBe(etag);
    expect((await get("public-a", "en", { "if-none-match": `"other", W/${etag}` })).status).toBe(304);
    expect((await get("public-a", "en", { "if-none-match": '"something-else"' })).status).toBe(200);
    // Another locale is another body.
    expect((await get("public-a", "ru", { "if-none-match": etag })).status).toBe(200);

    await save(a, { ...title, variants: variants({ en: "Talk to us", ru: "Напишите нам" }) }, titleId);
    const changed = await get("public-a", "en", { "if-none-match": etag });
    expect(changed.status).toBe(200);
    expect(changed.headers.get("etag")).not.toBe(etag);
    expect(((await changed.json()) as { strings: Record<string, string> }).strings["widget.title"]).toBe("Talk to us");
  });

  it("answers 404 for an unknown workspace and 400 for a malformed slug or locale, as JSON errors not cached", async () => {
    const unknown = await get("no-such-workspace", "en");
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toEqual({ error: { code: "NOT_FOUND", message: "no such workspace", requestId: expect.any(String) } });
    expect(unknown.headers.get("cache-control")).toBe("no-store");
    for (const [slug, locale] of [["public-a", "en_US!"], ["public-a", "12"], ["Public A", "en"], ["-a", "en"]] as const) {
      const response = await get(slug, locale);
      expect(response.status, `${slug} ${locale}`).toBe(400);
      expect(((await response.json()) as { error: { code: string; message: string } }).error).toMatchObject({ code: "BAD_REQUEST", message: expect.stringMatching(/^not a /) });
    }
  });
});
