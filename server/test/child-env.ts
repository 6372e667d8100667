import type { EnvVars } from "@/lib/env";

/**
 * Environment for a child process in tests. Next.js's types make NODE_ENV
 * required on ProcessEnv, but a child started without one is what we test.
 */
export function childEnv(vars: EnvVars): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(vars).filter(([, value]) => value !== undefined)) as unknown as NodeJS.ProcessEnv;
}
