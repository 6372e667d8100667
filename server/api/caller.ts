import "server-only";
import { headers } from "next/headers";
import { cache } from "react";
import { createCaller } from "@/server/api/root";
import { createContext } from "@/server/api/trpc";

/**
 * tRPC for server components: the same procedures and checks, no HTTP round trip.
 * Pages under /t/<slug> pass the slug, as the browser's client sends x-tenant.
 */
export const api = cache(async (tenantSlug?: string) => {
  const requestHeaders = new Headers(await headers());
  if (tenantSlug) requestHeaders.set("x-tenant", tenantSlug);
  else requestHeaders.delete("x-tenant");
  return createCaller(await createContext({ headers: requestHeaders }));
});
