import { z } from "zod";
import { isTimeZone } from "@/lib/time-zone";

const time = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, "use HH:MM, 24-hour");
const interval = z
  .object({ from: time, to: time })
  .strict()
  .refine((value) => value.from < value.to, { message: "the end must be after the start", path: ["to"] });
const day = z.array(interval).max(4, "at most 4 intervals a day");


/** Every workspace setting, one zod schema per key: what `settings.update` accepts. */
export const settingSchemas = {
  name: z.string().trim().min(1, "a name is needed").max(80, "at most 80 characters"),
  defaultLocale: z.string().regex(/^[a-z]{2,3}(-[A-Z]{2})?$/, "a language code such as en, ru or pt-BR"),
  timeZone: z.string().refine(isTimeZone, "not a time zone; use a name such as Europe/Berlin"),
  businessHours: z
    .object({
      enabled: z.boolean(),
      days: z.object({ mon: day, tue: day, wed: day, thu: day, fri: day, sat: day, sun: day }).strict(),
    })
    .strict(),
  autoReplies: z
    .object({
      greeting: z.object({ enabled: z.boolean(), templateKey: z.string().max(100).nullable() }).strict(),
      away: z.object({ enabled: z.boolean(), templateKey: z.string().max(100).nullable() }).strict(),
      /** An auto-reply is sent at most once per conversation within this many hours. */
      periodHours: z.number().int().min(1, "at least 1 hour").max(24 * 30, "at most 30 days"),
    })
    .strict(),
  conversationRules: z
    .object({
      afterResolved: z.enum(["reopen", "new"]),
      autoResolveAfterDays: z.number().int().min(1, "at least 1 day").max(365, "at most 365 days").nullable(),
    })
    .strict(),
  /**
   * Automatic assignment: open conversations a policy gives an agent at most (a member may have their own),
   * how long after an agent's last inbox closed they turn offline, and whether signing in makes them online.
   */
  assignment: z
    .object({
      defaultCapacity: z.number().int("a whole number").min(1, "at least 1").max(1000, "at most 1000"),
      offlineAfterMinutes: z.number().int("a whole number of minutes").min(1, "at least 1 minute").max(1440, "at most 1440 minutes (a day)"),
      onlineOnSignIn: z.boolean(),
    })
    .strict(),
  retention: z.object({ days: z.number().int().min(1, "at least 1 day").max(3650, "at most 10 years").nullable() }).strict(),
  /** Room for agents' uploaded files (kept in PostgreSQL): at least one file's worth, at most 100 GB. */
  storage: z.object({ quotaMb: z.number().int("a whole number of MB").min(10, "at least 10 MB").max(102_400, "at most 102400 MB (100 GB)") }).strict(),
} as const;

export type SettingKey = keyof typeof settingSchemas;
export type Settings = { [K in SettingKey]: z.infer<(typeof settingSchemas)[K]> };
export const settingKeys = Object.keys(settingSchemas) as SettingKey[];

const weekdays = [{ from: "09:00", to: "18:00" }];

/** The built-in defaults: what a workspace has before anyone changes anything. */
export const builtInSettings: Settings = {
  name: "Support",
  defaultLocale: "en",
  timeZone: "UTC",
  businessHours: { enabled: false, days: { mon: weekdays, tue: weekdays, wed: weekdays, thu: weekdays, fri: weekdays, sat: [], sun: [] } },
  autoReplies: { greeting: { enabled: false, templateKey: null }, away: { enabled: false, templateKey: null }, periodHours: 24 },
  conversationRules: { afterResolved: "reopen", autoResolveAfterDays: null },
  assignment: { defaultCapacity: 10, offlineAfterMinutes: 2, onlineOnSignIn: false },
  retention: { days: null },
  storage: { quotaMb: 1024 },
};

export type SettingSource = "built-in" | "environment" | "workspace";
