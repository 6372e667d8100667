import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SessionAnswer } from "@/lib/widget/protocol";
import { createRateLimiters, type RateLimiters } from "@/server/security/rate-limit";
import { createTestDatabase, type TestDatabase } from "@/server/test/database";
import { createTenantFixture, testEncryptionKey, type TenantFixture } from "@/server/test/fixtures";
import { brokenText, deeplyNested, forgedCursors, hostileNumbers, longStrings, metacharacters, unicodeTricks, wrongTypes, xssPayloads } from "@/server/test/hostile-input";
import { snapshotOfTenant } from "@/server/test/tenant-snapshot";
import { widgetBrowser, widgetDepsFor, type WidgetBrowser } from "@/server/test/widget";
import type { WidgetDeps } from "./widget-call";

/**
 * The widget's public API is the internet's: every field of every call gets
 * the hostile corpus (server/test/hostile-input.ts) — script, direction tricks,
 * SQL and template metacharacters, NUL and lone surrogates, strings past every
 * bound, wrong types, prototype pollution, deep nesting — and whole bodies that
 * are not objects. Every answer is a success or a 4xx, never a 5xx, and the
 * other workspace is untouched.
 */
const secret = "widget-hostile-secret-".padEnd(40, "x");
let database: TestDatabase;
let t: TenantFixture;
let other: TenantFixture;
let limiters: RateLimiters;
let deps: WidgetDeps;
let browser: WidgetBrowser;

beforeAll(async () => {
  process.env.APP_SECRET = secret;
  process.env.ENCRYPTION_KEY = testEncryptionKey;
  database = await createTestDatabase();
  t = await createTenantFixture(database.db, "hostile-widget");
  other = await createTenantFixture(database.db, "bystander");
  const roomy = { points: 1_000_000, durationSeconds: 60 };
  limiters = createRateLimiters({ databaseUrl: database.url }, { widgetSession: roomy, widgetMessage: roomy, widgetAddress: roomy, upload: roomy });
  deps = widgetDepsFor(database, { secret, limiters });
  browser = widgetBrowser(deps, t.rows.webWidget.publicId, t.rows.webWidget.allowedOrigins[0]!);
  expect(((await browser.session()).body as SessionAnswer).visitorToken).toBeTruthy();
}, 60_000);
afterAll(async () => {
  await limiters.close();
  await database.drop();
});

/** Everything JSON can carry of the corpus (a BigInt cannot be sent as JSON at all). */
const corpus: unknown[] = [
  ...xssPayloads,
  ...unicodeTricks,
  ...metacharacters,
  ...forgedCursors,
  ...brokenText,
  ...longStrings,
  ...hostileNumbers,
  ...wrongTypes.filter((value) => typeof value !== "bigint"),
  // As deep as this process's JSON.stringify goes; deeper bodies are sent as text below.
  deeplyNested(500, "object"),
  deeplyNested(500, "array"),
  "https://evil.example/../../etc/passwd",
  "javascript:alert(1)",
];

const fields: Record<string, string[]> = {
  session: ["visitorToken", "identifier", "identifierHash", "name", "email", "locale", "pageUrl", "referrer"],
  messages: ["text", "uploadIds", "clientMessageId", "pageUrl", "referrer", "locale", "preChat", "__proto__"],
  contact: ["email", "name"],
  read: ["at"],
};

const call = (route: string, json: unknown) => {
  switch (route) {
    case "session":
      return browser.session(json as Record<string, unknown>);
    case "messages":
      return browser.send(json as Record<string, unknown>);
    case "contact":
      return browser.contact(json as Record<string, unknown>);
    default:
      return browser.read();
  }
};

describe("hostile input to the widget's public API", () => {
  it.each(Object.keys(fields))("%s answers every field's hostile values with a success or a 4xx", async (route) => {
    const before = await snapshotOfTenant(database.db, other);
    const token = browser.token;
    for (const field of fields[route]!) {
      for (const [index, value] of corpus.entries()) {
        const base = route === "messages" ? { text: "hi", clientMessageId: `h-${Math.random().toString(36).slice(2)}` } : route === "contact" ? { email: "a@example.com" } : {};
        // An own property, so a `__proto__` key is sent as a key.
        const body = Object.defineProperty({ ...base }, field, { value, enumerable: true, configurable: true, writable: true });
        const answer = await call(route, body);
        expect(answer.status, `${route}.${field} = corpus[${index}]`).toBeLessThan(500);
        // A session answered with a new visitor: go on as the first one.
        browser.token = token;
      }
    }
    expect(await snapshotOfTenant(database.db, other)).toBe(before);
  }, 120_000);

  it("answers bodies that are not objects, and hostile queries and ids, with a 4xx", async () => {
    for (const [index, value] of corpus.entries()) {
      const answer = await browser.send(value as Record<string, unknown>);
      expect(answer.status, `corpus[${index}]`).toBeGreaterThanOrEqual(400);
      expect(answer.status).toBeLessThan(500);
    }
    const deep = (depth: number) => `{"text":"hi","clientMessageId":"deep","preChat":${'{"fields":'.repeat(depth)}"x"${"}".repeat(depth)}}`;
    for (const text of [deep(5_000), deep(100_000).slice(0, 60_000), "[".repeat(60_000), "{", "not json", "", "null", '"a string"', "12"]) {
      const answer = await browser.sendRaw(text);
      expect(answer.status, text.slice(0, 40)).toBeGreaterThanOrEqual(400);
      expect(answer.status).toBeLessThan(500);
    }
    for (const cursor of [...forgedCursors, ...xssPayloads.slice(0, 5), "00000000-0000-0000-0000-000000000000"]) {
      const answer = await browser.messages(encodeURIComponent(cursor));
      expect(answer.status, cursor).toBe(400);
    }
    for (const locale of [...unicodeTricks, ...metacharacters, "x".repeat(5_000)]) expect((await browser.config(encodeURIComponent(locale))).status).toBe(200);
    for (const publicId of ["", "x", "../../config", "%00", "a".repeat(300), other.rows.webWidget.publicId]) {
      const answer = await widgetBrowser(deps, publicId, t.rows.webWidget.allowedOrigins[0]!).config();
      expect([403, 404]).toContain(answer.status);
    }
    for (const [messageId, index] of [["not-a-uuid", 0], [t.rows.message.id, 0], [t.rows.message.id, 99_999]] as const) {
      expect((await browser.file(messageId, index)).status).toBe(404);
    }
  }, 60_000);
});
