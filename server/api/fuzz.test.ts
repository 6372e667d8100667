import { randomBytes } from "node:crypto";
import { TRPCError } from "@trpc/server";
import { getHTTPStatusCodeFromError } from "@trpc/server/http";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { settingSchemas } from "@/lib/settings/schema";
import type { Principal } from "@/server/auth/principal";
import { createRateLimiters, type RateLimiters } from "@/server/security/rate-limit";
import { createTestDatabase, type TestDatabase } from "@/server/test/database";
import { createTenantFixture, type TenantFixture } from "@/server/test/fixtures";
import { arbitraryFor, arbitraryForInputs, type FuzzPools } from "@/server/test/fuzz/zod-arbitrary";
import { startTelegram } from "@/server/test/telegram";
import { snapshotOfTenant } from "@/server/test/tenant-snapshot";
import { callerFor } from "@/server/test/trpc";
import { appRouter } from "./root";

/**
 * Every procedure of the API, enumerated from the router (so a new one is
 * fuzzed without anyone listing it), called with inputs generated from its own
 * zod schema and mixed with hostile input (server/test/fuzz/zod-arbitrary.ts,
 * server/test/hostile-input.ts), by each of tenant B's members and keys and by
 * nobody. Whatever comes in:
 * - the answer is a success or a 4xx — never a 5xx, which would say the server
 *   did not know what to do with something any client can send;
 * - no promise rejects unhandled;
 * - nothing of tenant A is written or deleted.
 *
 * FUZZ_RUNS cases per procedure, each as a caller drawn from the six. The
 * default, 30, is about 1,500 calls: 25 s for the file on two cores with a
 * load average of 6 (measured; 50 took 50 s on the same busy machine). One
 * seed for the whole file, random unless FUZZ_SEED gives it; a failure prints
 * it with fast-check's path: FUZZ_SEED=<seed> FUZZ_PATH=<path> with
 * `-t <procedure>` replays that very case. B is shared by the procedures
 * (rebuilt only when broken), so a case that failed only because of what an
 * earlier procedure left in B replays with FUZZ_SEED alone: the whole file again.
 */

const runs = Number(process.env.FUZZ_RUNS || 30);
// As fast-check picks one, but one for every procedure, so a seed replays the whole file.
const seed = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : (Date.now() ^ (Math.random() * 0x100000000)) | 0;
const replayPath = process.env.FUZZ_PATH || undefined;

const procedurePaths = Object.keys(appRouter._def.procedures).sort();

type Tenant = "A" | "B";

/**
 * A value of a tenant's fixture (`B rows.conversation.id`), resolved when the
 * call is made: tenant B is rebuilt whenever a case broke it, so a generated
 * input names the row, not yesterday's id of it. Prints as its name.
 */
class FixtureValue {
  constructor(
    readonly tenant: Tenant,
    readonly path: string,
  ) {}
  [fc.toStringMethod]() {
    return `${this.tenant}:${this.path}`;
  }
}

type Side = TenantFixture & { rows: { failedMessage: { id: string } } };

let database: TestDatabase;
let telegram: Awaited<ReturnType<typeof startTelegram>>;
let limiters: RateLimiters;
let a: Side;
let b: Side;
let snapshotOfA: string;
let generation = 0;
const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => unhandled.push(reason);
/** A token the Bot API emulator knows, so channels.connectTelegram can succeed. */
const connectableBotToken = `7000000001:${randomBytes(27).toString("base64url")}`;

/** A fixture with a reply Telegram refused, which the Delivery procedures retry and discard. */
async function side(slug: string): Promise<Side> {
  const fixture = await createTenantFixture(database.db, slug);
  const failed = await database.db.message.create({
    data: {
      tenantId: fixture.tenant.id,
      conversationId: fixture.rows.conversation.id,
      direction: "outbound",
      senderType: "agent",
      text: `secret of ${slug}, not delivered`,
      deliveryStatus: "failed",
      deliveryError: "Telegram refused: Forbidden: bot was blocked by the user",
    },
  });
  return { ...fixture, rows: { ...fixture.rows, failedMessage: failed } };
}

const freshB = async () => (b = await side(`fuzz-b-${++generation}`));

/**
 * Whether B is still as built: some cases succeed at breaking it — workspace.delete
 * with B's slug, members.remove, apiKeys.revoke, channels.disconnect — or at using
 * up a row (delivery.retry, templates.delete, members.revokeInvitation), and every
 * later case would then stop at the ladder or at "not found" instead of reaching
 * the service.
 */
async function bIsWhole(): Promise<boolean> {
  // One round trip: it runs before every case.
  const [row] = await database.db.$queryRaw<{ whole: boolean }[]>`
    SELECT (SELECT string_agg(role::text, ',' ORDER BY role::text) FROM "Membership" WHERE id::text = ANY(${Object.values(b.memberships).map((m) => m.id)})) = 'admin,agent,owner'
      AND (SELECT count(*) FROM "ApiKey" WHERE id::text = ANY(${[b.keys.full.apiKey.id, b.keys.read.apiKey.id]}) AND "revokedAt" IS NULL) = 2
      AND EXISTS (SELECT 1 FROM "Channel" WHERE id::text = ${b.rows.channel.id} AND status <> 'disconnected')
      AND EXISTS (SELECT 1 FROM "Template" WHERE id::text = ${b.rows.template.id})
      AND EXISTS (SELECT 1 FROM "Invitation" WHERE id::text = ${b.rows.invitation.id} AND "revokedAt" IS NULL AND "acceptedAt" IS NULL)
      AND EXISTS (SELECT 1 FROM "Message" WHERE id::text = ${b.rows.failedMessage.id} AND "deliveryStatus" = 'failed' AND "discardedAt" IS NULL)
      AS whole`;
  return row?.whole === true;
}

beforeAll(async () => {
  process.on("unhandledRejection", onUnhandled);
  database = await createTestDatabase();
  // Telegram-touching procedures talk to the emulator, never the internet: an unreachable upstream is no client error.
  telegram = await startTelegram(database);
  telegram.emulator.addBot("123:secret-token"); // every fixture's channel token
  telegram.emulator.addBot(connectableBotToken);
  // Thousands of calls by two keys: the per-key limit is access.test.ts's subject, not this file's.
  limiters = createRateLimiters({ databaseUrl: database.url }, { apiKey: { points: 1_000_000_000, durationSeconds: 60 } });
  a = await side("fuzz-victim");
  // One B for the file, rebuilt only when a case broke it (bIsWhole): a fixture per procedure took a third of the run.
  await freshB();
  snapshotOfA = await snapshotOfTenant(database.db, a);
}, 120_000);

afterAll(async () => {
  process.off("unhandledRejection", onUnhandled);
  await limiters?.close();
  await telegram?.stop();
  await database?.drop();
});

/** Every string-valued path of a fixture that holds an id (uuid), e.g. `rows.conversation.id`, `memberships.agent.id`. */
function idPaths(fixture: object, prefix = ""): string[] {
  return Object.entries(fixture).flatMap(([key, value]) => {
    const path = prefix ? `${prefix}.${key}` : key;
    if (key === "id" && typeof value === "string" && /^[0-9a-f-]{36}$/.test(value)) return [path];
    if (value && typeof value === "object" && !(value instanceof Date) && prefix.split(".").length < 3) return idPaths(value, path);
    return [];
  });
}

/** Fields whose name is not the name of the rows they hold. */
const rowsOfField: Record<string, string> = { assigneeId: "user", actorUserId: "user", before: "message", replyToId: "message", cursor: "audit" };

/**
 * Ids for a field, preferring the rows it names: `conversationId` → conversations,
 * `membershipId` → memberships; a bare `id` → the procedure's or router's noun
 * (`members.revokeInvitation` → invitations, `templates.get` → templates).
 * Mostly B's own (so calls reach the service), some A's (which must stay out of reach).
 */
function idPool(procedure: string): FuzzPools["ids"] {
  const all = idPaths(a);
  const [router, method] = procedure.split(".") as [string, string];
  const procedureNouns = [...method.split(/(?=[A-Z])/).slice(1), router.replace(/s$/, "")];
  return (field) => {
    const nouns = (field && field !== "id" ? [rowsOfField[field] ?? field.replace(/Id$/, "")] : procedureNouns).map((noun) => noun.toLowerCase());
    const named = all.filter((path) => nouns.some((noun) => path.toLowerCase().includes(noun)));
    const preferred = named.length > 0 ? named : all;
    const of = (tenant: Tenant, paths: string[]) => fc.constantFrom(...paths).map((path) => new FixtureValue(tenant, path));
    return fc.oneof({ weight: 4, arbitrary: of("B", preferred) }, { weight: 1, arbitrary: of("A", preferred) }, { weight: 1, arbitrary: of("B", all) }, { weight: 1, arbitrary: of("A", all) });
  };
}

/**
 * Real values by field name, a fuzzing dictionary: what a service's own rules
 * want past the edge's size bounds (template keys and locales, a slug to
 * confirm, B's invitation token, bot tokens the emulator knows, a password long
 * enough), and every workspace setting from its own schema — settings.update
 * takes them as unknown at the edge and checks them in the service.
 */
function valuePool(): FuzzPools["values"] {
  const wellFormed = (schema: Parameters<typeof arbitraryFor>[0]) => arbitraryFor(schema, { ids: () => fc.uuid(), values: () => undefined });
  const settings = Object.fromEntries(Object.entries(settingSchemas).map(([key, schema]) => [key, wellFormed(schema)]));
  const known: Record<string, fc.Arbitrary<unknown>> = {
    ...settings,
    timeZone: fc.oneof(settings.timeZone!, fc.constantFrom("Europe/Berlin", "UTC", "America/Argentina/Buenos_Aires", "Mars/Olympus")),
    defaultLocale: fc.constantFrom("en", "ru", "pt-BR", "xx"),
    locale: fc.constantFrom("en", "ru", "pt-BR", "de", "zz-ZZ", "EN"),
    key: fc.constantFrom("greeting", "away.message", "canned.thanks", "Not A Key"),
    confirmSlug: fc.constantFrom(new FixtureValue("B", "tenant.slug"), new FixtureValue("A", "tenant.slug")),
    token: fc.constantFrom(new FixtureValue("B", "invitationToken"), connectableBotToken, "123:secret-token"),
    email: fc.constantFrom(new FixtureValue("B", "users.agent.email"), new FixtureValue("A", "users.agent.email"), "new.person@example.com"),
    password: fc.constantFrom("a long enough password", "short"),
    currentPassword: fc.constantFrom("a long enough password"),
    newPassword: fc.constantFrom("another long enough password"),
  };
  return (field) => (field === undefined ? undefined : known[field]);
}
const values = valuePool();

function valueAt(tenant: Tenant, path: string): unknown {
  return path.split(".").reduce<unknown>((node, key) => (node as Record<string, unknown>)[key], tenant === "A" ? a : b);
}

/**
 * A copy of the input with every FixtureValue replaced by its current value: a
 * copy, because fast-check hands the same generated objects to later cases and
 * to shrinking. Without recursion (inputs nest thousands deep), and keys set as
 * own properties, so a `__proto__` key stays a key and pollutes nothing here.
 */
function resolve(input: unknown): unknown {
  const holder: Record<string, unknown> = {};
  const stack: [unknown, Record<string, unknown>, string][] = [[input, holder, "input"]];
  while (stack.length > 0) {
    const [value, target, key] = stack.pop()!;
    let copy: unknown = value;
    if (value instanceof FixtureValue) copy = valueAt(value.tenant, value.path);
    else if (Array.isArray(value) || (value !== null && typeof value === "object" && [Object.prototype, null].includes(Object.getPrototypeOf(value)))) {
      copy = Array.isArray(value) ? new Array(value.length) : {};
      for (const [child, inner] of Object.entries(value)) stack.push([inner, copy as Record<string, unknown>, child]);
    }
    Object.defineProperty(target, key, { value: copy, enumerable: true, configurable: true, writable: true });
  }
  return holder.input;
}

const callers: Record<string, () => { principal: Principal | null; tenantSlug?: string }> = {
  "B's owner": () => ({ principal: b.as("owner"), tenantSlug: b.tenant.slug }),
  "B's admin": () => ({ principal: b.as("admin"), tenantSlug: b.tenant.slug }),
  "B's agent": () => ({ principal: b.as("agent"), tenantSlug: b.tenant.slug }),
  "B's full API key": () => ({ principal: b.asKey(b.keys.full) }),
  "B's read-only API key": () => ({ principal: b.asKey(b.keys.read) }),
  anonymous: () => ({ principal: null }),
};

async function call(who: string, path: string, input: unknown): Promise<unknown> {
  const { principal, tenantSlug } = callers[who]!();
  const caller = callerFor(database, principal, { tenantSlug, limiters });
  const procedure = path.split(".").reduce<unknown>((node, key) => (node as Record<string, unknown>)[key], caller) as (input: unknown) => Promise<unknown>;
  try {
    await procedure(resolve(input));
    return null;
  } catch (error) {
    return error;
  }
}

/** The code and what went wrong inside, with the stack that says where. */
function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const inside = error.cause instanceof Error ? error.cause : error;
  return `${error instanceof TRPCError ? error.code : error.name}: ${inside.stack}`;
}

describe("fuzzing every procedure with generated and hostile input", () => {
  const inputsOf = (path: string) => (appRouter._def.procedures[path as keyof typeof appRouter._def.procedures] as unknown as { _def: { inputs: unknown[] } })._def.inputs;

  it("finds the router's procedures, each with a zod input (or none) to generate from", () => {
    expect(procedurePaths.length).toBeGreaterThan(30);
    // Another validator's schema would get only arbitrary JSON: fuzzed, but never past validation.
    expect(procedurePaths.filter((path) => inputsOf(path).some((parser) => typeof parser !== "object" || parser === null || !("_zod" in parser)))).toEqual([]);
  });

  it.each(procedurePaths)("%s answers with a success or a 4xx, and leaves tenant A alone", async (path) => {
    const input = arbitraryForInputs(inputsOf(path), { ids: idPool(path), values });
    const property = fc
      .asyncProperty(fc.constantFrom(...Object.keys(callers)), input, async (who, value) => {
        const error = await call(who, path, value);
        if (error !== null) {
          expect(error, describeError(error)).toBeInstanceOf(TRPCError);
          expect(getHTTPStatusCodeFromError(error as TRPCError), describeError(error)).toBeLessThan(500);
        }
        expect(await snapshotOfTenant(database.db, a), "tenant A changed").toBe(snapshotOfA);
        // Node reports a rejection nobody handled once the microtasks drain: one turn later, it is this case's.
        await new Promise((resolve) => setImmediate(resolve));
        expect(unhandled.splice(0).map(describeError), "unhandled rejections").toEqual([]);
      })
      .beforeEach(async (previous) => {
        await previous();
        if (!(await bIsWhole())) await freshB();
      });
    await fc.assert(property, { numRuns: runs, seed, path: replayPath });
  }, 300_000);
});
