// Next.js calls register() once when the server starts. The web process's custom server
// (server/web/main.ts) has already started tracing by then when OTEL_EXPORTER_OTLP_ENDPOINT is set;
// this covers Next running on its own (next start), and is a no-op the second time.
export async function register() {
  if (process.env.NEXT_RUNTIME === "nodejs") {
    const { startTracing } = await import("./server/telemetry/tracing");
    await startTracing("web");
  }
}
