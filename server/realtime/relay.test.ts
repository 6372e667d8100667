import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLogger } from "@/server/logger";
import { createTestDatabase, type TestDatabase } from "@/server/test/database";
import { createTenantFixture, type TenantFixture } from "@/server/test/fixtures";
import type { LoggedEvent } from "./events";
import { startEventRelay } from "./relay";

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

const insertEvent = (client: pg.Client, label: string) =>
  client.query<{ id: string }>(`INSERT INTO "Event" ("tenantId", type, payload) VALUES ($1, 'conversation.updated', $2) RETURNING id::text`, [t.tenant.id, JSON.stringify({ label })]);

describe("the event relay", () => {
  it("delivers an event whose transaction took its id after the newest finished one, even when a later event was read first", async () => {
    const seen: LoggedEvent[] = [];
    const relay = startEventRelay({ connectionString: database.url, systemPool: database.systemPool, log: createLogger("test", "silent"), onEvents: (events) => seen.push(...events), onGap: () => undefined, pollMs: 60_000 });
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
});
