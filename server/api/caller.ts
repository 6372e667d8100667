import "server-only";
import { headers } from "next/headers";
import { cache } from "react";
import { createCaller } from "@/server/api/root";
import { createContext } from "@/server/api/trpc";

/** tRPC for server components: same procedures, no HTTP round trip. One context per request. */
const context = cache(async () => createContext({ headers: new Headers(await headers()) }));

export async function api() {
  return createCaller(await context());
}
