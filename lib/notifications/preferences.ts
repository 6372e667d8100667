import { z } from "zod";

/** What a person can be told about (the centre's entry types; SLA warnings join with SLAs). */
export const notificationTypes = ["conversation.assigned", "mention", "message.new", "queue.waiting"] as const;
export type NotificationType = (typeof notificationTypes)[number];

/** Where: the notification centre (the bell), the browser's push, email. */
export const notificationMedia = ["inApp", "push", "email"] as const;
export type NotificationMedium = (typeof notificationMedia)[number];

export type MediumChoices = Record<NotificationMedium, boolean>;
export type NotificationPreferences = {
  types: Record<NotificationType, MediumChoices>;
  /** Whether pushes and emails may carry the message's text (off: they say only that something came, and from whom). */
  previews: boolean;
};

/**
 * The defaults of a person who chose nothing: what is addressed to them personally (an assignment,
 * a mention) everywhere; new messages of their conversations in the app and as a push, not by
 * email (one per message would flood an inbox); the team's queue in the app only.
 */
export const defaultPreferences: NotificationPreferences = {
  types: {
    "conversation.assigned": { inApp: true, push: true, email: true },
    mention: { inApp: true, push: true, email: true },
    "message.new": { inApp: true, push: true, email: false },
    "queue.waiting": { inApp: true, push: false, email: false },
  },
  previews: false,
};

const choicesPatch = z.object(Object.fromEntries(notificationMedia.map((medium) => [medium, z.boolean().optional()])) as Record<NotificationMedium, z.ZodOptional<z.ZodBoolean>>).strict();

/** A change to some of the choices (what it leaves out stays as it was). */
export const preferencesPatch = z
  .object({
    types: z.object(Object.fromEntries(notificationTypes.map((type) => [type, choicesPatch.optional()])) as Record<NotificationType, z.ZodOptional<typeof choicesPatch>>).strict().optional(),
    previews: z.boolean().optional(),
  })
  .strict();
export type PreferencesPatch = z.infer<typeof preferencesPatch>;

/** The stored choices over the defaults; anything unreadable in storage falls back to the default. */
export function resolvePreferences(stored: unknown, patch: PreferencesPatch = {}): NotificationPreferences {
  const saved = preferencesPatch.safeParse(stored);
  const layers = [saved.success ? saved.data : {}, patch];
  const types = Object.fromEntries(
    notificationTypes.map((type) => [type, Object.assign({}, defaultPreferences.types[type], ...layers.map((layer) => layer.types?.[type] ?? {})) as MediumChoices]),
  ) as NotificationPreferences["types"];
  const previews = layers.reduce((value, layer) => layer.previews ?? value, defaultPreferences.previews);
  return { types, previews };
}
