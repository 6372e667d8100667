import { builtInSettings, settingKeys, settingSchemas, type SettingKey, type Settings, type SettingSource } from "@/lib/settings/schema";
import environmentFile from "@/config/settings.json";
import type { DbClient } from "@/server/db/client";
import type { Prisma } from "@/server/db/generated/client";
import { AppError } from "@/server/errors";
import { recordAudit, type Actor } from "@/server/services/audit/record-audit";

export type AppEnv = "development" | "staging" | "production";

/** The deployment environment whose defaults apply: APP_ENV, else production when NODE_ENV is. */
export function appEnv(source: Record<string, string | undefined> = process.env): AppEnv {
  const value = source.APP_ENV;
  if (value === "development" || value === "staging" || value === "production") return value;
  return source.NODE_ENV === "production" ? "production" : "development";
}

const environmentCache = new Map<AppEnv, Partial<Settings>>();

/** The checked-in defaults for an environment (config/settings.json), each checked against its schema. */
export function environmentDefaults(env: AppEnv): Partial<Settings> {
  const cached = environmentCache.get(env);
  if (cached) return cached;
  // Imported rather than read from disk: the web app is bundled, and the file must travel with it.
  const file = environmentFile as unknown as Record<string, Record<string, unknown>>;
  const defaults: Partial<Record<SettingKey, unknown>> = {};
  for (const [key, value] of Object.entries(file[env] ?? {})) {
    if (!(key in settingSchemas)) throw new Error(`config/settings.json: ${env}.${key} is not a setting`);
    const parsed = settingSchemas[key as SettingKey].safeParse(value);
    if (!parsed.success) throw new Error(`config/settings.json: ${env}.${key}: ${parsed.error.issues[0]?.message}`);
    defaults[key as SettingKey] = parsed.data;
  }
  environmentCache.set(env, defaults as Partial<Settings>);
  return defaults as Partial<Settings>;
}

type Stored = { values: Prisma.JsonValue; version: number; updatedAt: Date; updatedById: string | null } | null;

/** Built-in, then the environment's, then the workspace's own: each value with where it came from. */
function layer(stored: Stored, tenantName: string, env: AppEnv) {
  const overrides = (stored?.values ?? {}) as Record<string, unknown>;
  const environment = environmentDefaults(env);
  const values = {} as Record<SettingKey, unknown>;
  const sources = {} as Record<SettingKey, SettingSource>;
  for (const key of settingKeys) {
    values[key] = builtInSettings[key];
    sources[key] = "built-in";
    if (key in environment) {
      values[key] = environment[key];
      sources[key] = "environment";
    }
    // A stored value that no longer passes its schema (an older format) falls back rather than breaking the workspace.
    if (key in overrides && settingSchemas[key].safeParse(overrides[key]).success) {
      values[key] = overrides[key];
      sources[key] = "workspace";
    }
  }
  // The name is the workspace's own, kept on the tenant.
  values.name = tenantName;
  sources.name = "workspace";
  return { values: values as Settings, sources, overrides };
}

export async function getSettings(db: DbClient, input: { tenantId: string; env?: AppEnv }) {
  const [tenant, stored] = await Promise.all([
    db.tenant.findUniqueOrThrow({ where: { id: input.tenantId }, select: { name: true } }),
    db.tenantSettings.findUnique({ where: { tenantId: input.tenantId } }),
  ]);
  const { values, sources } = layer(stored, tenant.name, input.env ?? appEnv());
  return { values, sources, version: stored?.version ?? 0, updatedAt: stored?.updatedAt ?? null, updatedById: stored?.updatedById ?? null, environment: input.env ?? appEnv() };
}

/**
 * Changes some settings: each value is checked against its schema (errors name
 * the field), `null` returns a setting to its default, and the change becomes a
 * new version — who, when, each value before and after — and an audit entry.
 * With `expectedVersion`, a change made meanwhile by someone else is a CONFLICT
 * rather than silently overwritten.
 */
export async function updateSettings(
  db: DbClient,
  input: { tenantId: string; changes: Partial<Record<SettingKey, unknown>>; expectedVersion?: number; actor: Actor; env?: AppEnv },
) {
  const env = input.env ?? appEnv();
  const fieldErrors: Record<string, string[]> = {};
  const valid: Partial<Record<SettingKey, unknown>> = {};
  for (const [key, value] of Object.entries(input.changes) as [SettingKey, unknown][]) {
    if (value === undefined) continue;
    if (value === null) {
      if (key === "name") fieldErrors.name = ["the workspace needs a name"];
      else valid[key] = null;
      continue;
    }
    const parsed = settingSchemas[key].safeParse(value);
    if (parsed.success) valid[key] = parsed.data;
    else fieldErrors[key] = parsed.error.issues.map((issue) => (issue.path.length ? `${issue.path.join(".")}: ${issue.message}` : issue.message));
  }
  if (Object.keys(fieldErrors).length > 0) throw new AppError("BAD_REQUEST", "some settings are not valid", { fieldErrors });

  // One change at a time per workspace: the row is locked until this transaction ends.
  await db.tenantSettings.upsert({ where: { tenantId: input.tenantId }, create: { tenantId: input.tenantId }, update: {} });
  await db.$executeRaw`SELECT 1 FROM "TenantSettings" WHERE "tenantId" = ${input.tenantId}::uuid FOR UPDATE`;
  const before = await getSettings(db, { tenantId: input.tenantId, env });
  if (input.expectedVersion !== undefined && input.expectedVersion !== before.version) {
    throw new AppError("CONFLICT", "the settings were changed by someone else since you loaded them; reload and apply your change again");
  }
  const stored = ((await db.tenantSettings.findUniqueOrThrow({ where: { tenantId: input.tenantId } })).values ?? {}) as Record<string, unknown>;
  const overrides = { ...stored };
  for (const [key, value] of Object.entries(valid) as [SettingKey, unknown][]) {
    if (key === "name") continue;
    if (value === null) delete overrides[key];
    else overrides[key] = value;
  }
  if (typeof valid.name === "string") await db.tenant.update({ where: { id: input.tenantId }, data: { name: valid.name } });
  const after = layer({ values: overrides as Prisma.JsonValue, version: 0, updatedAt: new Date(), updatedById: null }, typeof valid.name === "string" ? valid.name : before.values.name, env);
  const changed = settingKeys.filter((key) => key in valid && (JSON.stringify(before.values[key]) !== JSON.stringify(after.values[key]) || before.sources[key] !== after.sources[key]));
  if (changed.length === 0) return before;
  const version = before.version + 1;
  await db.tenantSettings.update({ where: { tenantId: input.tenantId }, data: { values: overrides as Prisma.InputJsonValue, version, updatedById: input.actor.userId ?? null } });
  await db.settingsVersion.createMany({
    data: changed.map((key) => ({
      tenantId: input.tenantId,
      version,
      key,
      previous: before.values[key] as Prisma.InputJsonValue,
      next: after.values[key] as Prisma.InputJsonValue,
      changedById: input.actor.userId ?? null,
      changedByApiKeyId: input.actor.apiKeyId ?? null,
    })),
  });
  await recordAudit(db, { tenantId: input.tenantId, action: "settings.updated", actor: input.actor, targetType: "settings", metadata: { keys: changed, version } });
  return getSettings(db, { tenantId: input.tenantId, env });
}

/** Earlier versions, newest first: who changed which setting when, from what to what. */
export async function settingsHistory(db: DbClient, input: { key?: SettingKey; limit: number }) {
  return db.settingsVersion.findMany({
    where: input.key ? { key: input.key } : {},
    orderBy: [{ version: "desc" }, { key: "asc" }],
    take: input.limit,
  });
}
