import { builtInSettings, settingSchemas, type Settings } from "@/lib/settings/schema";
import { appEnv, environmentDefaults, type AppEnv } from "@/server/services/settings/settings";
import type { JobOrigin } from "@/server/jobs/queue";
import { isWithinBusinessHours } from "./business-hours";

/**
 * What intake needs to start an auto-reply. Intake keeps each workspace's few
 * settings involved for a few seconds (a cache, so a customer's message costs no
 * settings read), and when a message may call for an auto-reply, enqueues
 * AUTO_REPLY_TASK in the same transaction, keyed per conversation so a burst
 * waiting in the queue is one job. The job (auto-reply.ts) reads the settings
 * in full and has the last word; this only keeps intake from enqueueing jobs
 * that could not send anything.
 */

export const AUTO_REPLY_TASK = "automation.auto_reply";
export const AUTO_REPLY_ATTEMPTS = 5;
export const autoReplyJobKey = (conversationId: string) => `auto-reply:${conversationId}`;

export type AutoReplyJob = { tenantId: string; conversationId: string } & JobOrigin;

export type AutomationSettings = Pick<Settings, "autoReplies" | "businessHours" | "timeZone">;

/** The SQL expression intake reads from "TenantSettings": the workspace's own values of these settings, as JSON text. */
export const automationSettingsSql = `jsonb_build_object('autoReplies', values -> 'autoReplies', 'businessHours', values -> 'businessHours', 'timeZone', values -> 'timeZone')::text`;

const HOUR_MS = 3_600_000;

/** The effective values, layered as getSettings does: the workspace's own when valid, else the environment's default, else the built-in one. */
export function automationSettings(stored: string | null, env: AppEnv = appEnv()): AutomationSettings {
  const own = (stored ? JSON.parse(stored) : {}) as Record<string, unknown>;
  const environment = environmentDefaults(env);
  const value = <K extends keyof AutomationSettings>(key: K): AutomationSettings[K] => {
    const result = settingSchemas[key].safeParse(own[key]);
    return result.success ? (result.data as AutomationSettings[K]) : (environment[key] ?? builtInSettings[key]);
  };
  return { autoReplies: value("autoReplies"), businessHours: value("businessHours"), timeZone: value("timeZone") };
}

/** How long a process trusts what it read: a change of these settings reaches intake within this. */
const CACHE_MS = 5_000;
const cache = new Map<string, { settings: AutomationSettings; readAt: number }>();

/** A workspace's settings for intake, read with `read` at most once per CACHE_MS per process. */
export async function cachedAutomationSettings(tenantId: string, read: () => Promise<string | null>): Promise<AutomationSettings> {
  const cached = cache.get(tenantId);
  if (cached && Date.now() - cached.readAt < CACHE_MS) return cached.settings;
  const settings = automationSettings(await read());
  if (cache.size >= 10_000) cache.clear(); // bounds memory; the next messages read again
  cache.set(tenantId, { settings, readAt: Date.now() });
  return settings;
}

/** Forgets what was read, so the next message reads the settings again (tests that change them mid-file). */
export function forgetAutomationSettings(): void {
  cache.clear();
}

/**
 * Whether a customer's message may call for an auto-reply: the away reply is
 * on, the message was written outside business hours and the away reply was not
 * handled in this conversation within `periodHours`; or the greeting is on, the
 * message was written within business hours (any time when they are off) and the
 * conversation is new or had no message for the period (the start of a
 * conversation). `conversation` is as it was before this message. Cheap (no
 * I/O): with both off it is false at once.
 */
export function mayNeedAutoReply(
  settings: AutomationSettings,
  message: { at: Date },
  conversation: { lastMessageAt: Date | null; awayHandledAt: Date | null },
): boolean {
  const { greeting, away, periodHours } = settings.autoReplies;
  const quietFor = (since: Date | null) => since === null || message.at.getTime() - since.getTime() >= periodHours * HOUR_MS;
  // While the away reply applies, it is the only one (see auto-reply.ts); once handled, there is nothing to do.
  const open = isWithinBusinessHours(settings, message.at);
  if (away.enabled && !open) return quietFor(conversation.awayHandledAt);
  // The greeting is for a conversation that starts while the team is there (always, without business hours).
  return greeting.enabled && open && quietFor(conversation.lastMessageAt);
}
