/** The role every tenant query runs as: it cannot bypass row-level security (see client.ts). */
export const APP_ROLE = "supportchat_app";
