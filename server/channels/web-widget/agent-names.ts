import type pg from "pg";

/**
 * Team members' display names by user id: all a visitor ever learns of the
 * person who answered (no email, no id). Read as the owner, since users
 * belong to no one tenant; only ids taken from the visitor's own messages are asked for.
 */
export async function loadAgentNames(systemPool: pg.Pool, userIds: Iterable<string>): Promise<Map<string, string>> {
  const ids = [...new Set(userIds)].filter((id) => /^[0-9a-f-]{36}$/i.test(id));
  if (ids.length === 0) return new Map();
  const { rows } = await systemPool.query<{ id: string; name: string }>({ name: "widget_agent_names", text: `SELECT id, name FROM "User" WHERE id = ANY($1::uuid[])`, values: [ids] });
  return new Map(rows.map((row) => [row.id, row.name]));
}
