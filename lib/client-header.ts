/**
 * The header this product's own browser code sends with every API call (the
 * tRPC client, uploads): a page on another site cannot add it without a CORS
 * preflight the server never grants (server/http/same-origin.ts).
 */
export const CLIENT_HEADER = "x-requested-with";
export const CLIENT_HEADER_VALUE = "support-chat";
