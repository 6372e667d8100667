import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLogger } from "@/server/logger";
import { createTestDatabase, type TestDatabase } from "@/server/test/database";
import { createTenantFixture, type TenantFixture } from "@/server/test/fixtures";
import { CATCH_UP_QUERY, type LoggedEvent } from "./events";
import { startEventRelay, TAIL_QUERY } from "./relay";

let database: TestDatabase;
let t: TenantFixture;

beforeAll(async () => {
  database = await createTestDatabase();
  t = await createTenantFixture(database.db, "relay");
});
afterAll(() => database.drop());

async function connection(): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: database.url });
  await client.connect();
  return client;
}

const xidOf = async (client: pg.Client) => (await client.query<{ xid: string }>("SELECT pg_current_xact_id()::text AS xid")).rows[0]!.xid;

const insertEvent = (client: pg.Client | pg.Pool, label: string) =>
  client.query<{ id: string }>(`INSERT INTO "Event" ("tenantId", type, payload) VALUES ($1, 'conversation.updated', $2) RETURNING id::text`, [t.tenant.id, JSON.stringify({ label })]);

describe("the event relay", () => {
  it("delivers an event whose transaction took its id after the newest finished one, even when a later event was read first", async () => {
    const seen: LoggedEvent[] = [];
    const relay = startEventRelay({ connectionString: database.url, systemPool: database.systemPool, log: createLogger("test", "silent"), onEvents: (events) => void seen.push(...events), onGap: () => undefined, pollMs: 60_000 });
    await relay.ready;
    const [first, second] = [await connection(), await connection()];
    try {
      // `first` takes the lower transaction id, `second` the higher one and the lower event id.
      await first.query("BEGIN");
      await first.query("SELECT pg_current_xact_id()");
      await second.query("BEGIN");
      await second.query("SELECT pg_current_xact_id()");
      const early = (await insertEvent(second, "lower id, still running")).rows[0]!.id;
      const late = (await insertEvent(first, "higher id, committed first")).rows[0]!.id;
      expect(BigInt(early)).toBeLessThan(BigInt(late));
      await first.query("COMMIT");
      // The relay reads past the higher id while `second` runs: its transaction id is at the snapshot's xmax,
      // so the snapshot's in-progress list does not name it.
      await relay.readNow();
      expect(seen.map((event) => event.eventId)).toContain(late);
      expect(relay.position().running).not.toContain(await xidOf(second));
      await second.query("COMMIT");
      await relay.readNow();
      expect(seen.map((event) => event.eventId)).toContain(early);
      expect(seen.filter((event) => event.eventId === early || event.eventId === late)).toHaveLength(2);
    } finally {
      await first.end();
      await second.end();
      await relay.stop();
    }
  });

  it("reads only the events it returns, however long the log: the relay's tail and a client's catch-up", async () => {
    await database.systemPool.query(
      `INSERT INTO "Event" ("tenantId", type, payload) SELECT $1, 'conversation.updated', jsonb_build_object('n', n) FROM generate_series(1, 20000) n`,
      [t.tenant.id],
    );
    // The newest few each in a transaction of its own, as the log is written.
    for (let n = 0; n < 6; n++) await insertEvent(database.systemPool, `newest ${n}`);
    await database.systemPool.query(`ANALYZE "Event"`);
    const { rows } = await database.systemPool.query<{ last: string; xmax: string }>(`SELECT max(id)::text AS last, pg_snapshot_xmax(pg_current_snapshot())::text AS xmax FROM "Event"`);
    const { last, xmax } = rows[0]!;
    const threeBefore = String(BigInt(last) - 3n);
    // The rows of "Event" each scan of the plan looked at: those it returned and those it filtered out.
    const rowsLookedAt = async (text: string, values: unknown[]) => {
      const plan = (await database.systemPool.query<{ "QUERY PLAN": unknown }>(`EXPLAIN (ANALYZE, FORMAT JSON) ${text}`, values)).rows[0]!["QUERY PLAN"];
      let total = 0;
      const visit = (node: Record<string, unknown>) => {
        if (node["Relation Name"] === "Event") {
          const looked = Number(node["Actual Rows"] ?? 0) + Number(node["Rows Removed by Filter"] ?? 0) + Number(node["Rows Removed by Index Recheck"] ?? 0);
          total += looked * Number(node["Actual Loops"] ?? 1);
        }
        for (const child of (node.Plans as Record<string, unknown>[] | undefined) ?? []) visit(child);
      };
      visit((plan as { Plan: Record<string, unknown> }[])[0]!.Plan);
      return total;
    };
    // The relay has read up to three events before the end: the next read returns three.
    expect(await rowsLookedAt(TAIL_QUERY, [threeBefore, [], xmax])).toBeLessThan(50);
    // A client that saw the event three before the end catches up on three (and the one it names).
    expect(await rowsLookedAt(CATCH_UP_QUERY, [threeBefore, t.tenant.id, 101, last, [], null, xmax])).toBeLessThan(50);
  });

  it("delivers every event in order when more than one read's worth waits, across a power of ten of ids", async () => {
    const seen: LoggedEvent[] = [];
    const relay = startEventRelay({ connectionString: database.url, systemPool: database.systemPool, log: createLogger("test", "silent"), onEvents: (events) => void seen.push(...events), onGap: () => undefined, pollMs: 60_000 });
    await relay.ready;
    try {
      // 99,701 to 100,300: as text, "100000" sorts before "99701".
      await database.systemPool.query(`SELECT setval('"Event_id_seq"', greatest(99700, (SELECT max(id) FROM "Event")))`);
      const { rows } = await database.systemPool.query<{ id: string }>(
        `INSERT INTO "Event" ("tenantId", type, payload) SELECT $1, 'conversation.updated', '{}' FROM generate_series(1, 600) RETURNING id::text`,
        [t.tenant.id],
      );
      await relay.readNow();
      expect(seen.map((event) => event.eventId)).toEqual(rows.map((row) => row.id).sort((x, y) => Number(BigInt(x) - BigInt(y))));
    } finally {
      await relay.stop();
    }
  });
});
