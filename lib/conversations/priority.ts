/** A conversation's priorities, most urgent first: the order the inbox sorts by (none after all of them). */
export const conversationPriorities = ["urgent", "high", "medium", "low"] as const;
export type ConversationPriority = (typeof conversationPriorities)[number];
