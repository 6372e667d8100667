import type { NotificationType } from "./preferences";

/** A type as a key of the messages files (next-intl reads "." as nesting, so "message.new" is "message_new" there). */
export const messageKey = (type: NotificationType) => type.replace(".", "_");
