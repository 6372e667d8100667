/**
 * The CORS answer for a page origin the channel allows: that origin echoed
 * (never `*`, never with credentials — the widget sends no cookie, only its
 * bearer token), and `Vary: Origin` so no cache hands one site's answer to another.
 */
export function corsHeaders(origin: string): Record<string, string> {
  return {
    "access-control-allow-origin": origin,
    "access-control-expose-headers": "retry-after, x-request-id",
    vary: "Origin",
  };
}

/** What a preflight (OPTIONS) may allow: the widget's two headers and its methods, remembered for ten minutes. */
export function preflightHeaders(origin: string, methods: readonly string[]): Record<string, string> {
  return {
    ...corsHeaders(origin),
    "access-control-allow-methods": [...methods, "OPTIONS"].join(", "),
    "access-control-allow-headers": "authorization, content-type",
    "access-control-max-age": "600",
  };
}
