/** The admin console's pages, in the order the navigation lists them; each is /t/<slug>/settings/<section>. */
export const settingsSections = [
  "general",
  "business-hours",
  "conversation-rules",
  "retention",
  "members",
  "teams",
  "assignment",
  "channels",
  "api-keys",
  "templates",
  "delivery",
  "audit-log",
] as const;

export type SettingsSection = (typeof settingsSections)[number];
