/** What an API key may do; checked by the tRPC procedures. */
export const apiScopes = [
  "conversations:read",
  "conversations:write",
  "messages:write",
  "contacts:read",
  "notes:read",
  "admin",
] as const;

export type ApiScope = (typeof apiScopes)[number];

export const defaultApiScopes: ApiScope[] = [
  "conversations:read",
  "conversations:write",
  "messages:write",
  "contacts:read",
];
