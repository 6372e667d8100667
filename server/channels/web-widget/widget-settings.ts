import { z } from "zod";
import type { PreChatField, WidgetPosition } from "@/lib/widget/protocol";

const localHosts = new Set(["localhost", "127.0.0.1", "[::1]"]);

/**
 * One page origin the widget may run on, exactly as a browser sends it in
 * `Origin`: `https://host[:port]`, or plain `http://` for a developer's own
 * machine only. No path, query, credentials or wildcard: the widget's API
 * compares origins as strings, so anything looser would be a hole or a dead entry.
 */
const allowedOrigin = z
  .string()
  .trim()
  .max(300, "at most 300 characters")
  .transform((value, context) => {
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      context.addIssue({ code: "custom", message: "not a URL; write an origin such as https://www.example.com" });
      return z.NEVER;
    }
    const wildcard = value.includes("*");
    const bare = url.pathname === "/" && !url.search && !url.hash && !url.username && !url.password && !/[?#]/.test(value) && !/^[a-z]+:\/\/[^/]+\/./i.test(value);
    const scheme = url.protocol === "https:" || (url.protocol === "http:" && localHosts.has(url.hostname));
    if (wildcard || !bare || !scheme) {
      const why = wildcard
        ? "wildcards are not allowed; list each origin"
        : !bare
          ? "an origin has no path, query or credentials; write just https://host[:port]"
          : "use https:// (plain http:// only for localhost or 127.0.0.1)";
      context.addIssue({ code: "custom", message: why });
      return z.NEVER;
    }
    return url.origin;
  });

export const allowedOriginsSchema = z
  .array(allowedOrigin)
  .min(1, "list at least one origin the widget runs on")
  .max(20, "at most 20 origins")
  .transform((origins) => [...new Set(origins)]);

const preChatField = z
  .object({
    key: z.string().trim().regex(/^[a-z][a-z0-9_]{0,31}$/, "use up to 32 lowercase letters, digits or underscores, starting with a letter"),
    label: z.string().trim().min(1, "a label is needed").max(100, "at most 100 characters"),
    type: z.enum(["text", "email"]),
    required: z.boolean(),
  })
  .strict() satisfies z.ZodType<PreChatField>;

export const preChatSchema = z
  .object({ enabled: z.boolean(), fields: z.array(preChatField).max(10, "at most 10 fields") })
  .strict()
  .superRefine((value, context) => {
    const seen = new Set<string>();
    value.fields.forEach((field, index) => {
      if (seen.has(field.key)) context.addIssue({ code: "custom", path: ["fields", index, "key"], message: "each field needs a key of its own" });
      seen.add(field.key);
      if (field.key === "email" && field.type !== "email") context.addIssue({ code: "custom", path: ["fields", index, "type"], message: "the built-in email field is of type email" });
    });
  });

export type PreChat = z.infer<typeof preChatSchema>;

/** A widget's look and rules, as an admin sets them (`channels.createWebWidget` / `updateWebWidget`). */
export const widgetSettingsShape = {
  allowedOrigins: allowedOriginsSchema,
  color: z.string().regex(/^#[0-9a-fA-F]{6}$/, "a colour as #RRGGBB").transform((value) => value.toLowerCase()),
  position: z.enum(["right", "left"]) satisfies z.ZodType<WidgetPosition>,
  greeting: z.string().trim().max(500, "at most 500 characters").nullable(),
  requireIdentity: z.boolean(),
  preChat: preChatSchema,
};

export const defaultPreChat: PreChat = { enabled: false, fields: [] };
