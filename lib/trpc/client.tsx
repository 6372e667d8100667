"use client";

import { QueryClientProvider, type QueryClient } from "@tanstack/react-query";
import { createTRPCClient, httpBatchLink, loggerLink } from "@trpc/client";
import { createTRPCContext } from "@trpc/tanstack-react-query";
import { useState, type ReactNode } from "react";
import superjson from "superjson";
import { CLIENT_HEADER, CLIENT_HEADER_VALUE } from "@/lib/client-header";
import type { AppRouter } from "@/server/api/root";
import { makeQueryClient } from "./query-client";

export const { TRPCProvider, useTRPC, useTRPCClient } = createTRPCContext<AppRouter>();

let browserQueryClient: QueryClient | undefined;

/** Pages under /t/<slug> act in that workspace (the server checks the membership); every call says it is this product's own page. */
function requestHeaders(): Record<string, string> {
  if (typeof window === "undefined") return {};
  const slug = /^\/t\/([^/]+)/.exec(window.location.pathname)?.[1];
  return { [CLIENT_HEADER]: CLIENT_HEADER_VALUE, ...(slug ? { "x-tenant": decodeURIComponent(slug) } : {}) };
}

function getQueryClient() {
  // The server makes a new client per request; the browser keeps one for the tab.
  if (typeof window === "undefined") return makeQueryClient();
  browserQueryClient ??= makeQueryClient();
  return browserQueryClient;
}

export function TRPCReactProvider({ children }: { children: ReactNode }) {
  const queryClient = getQueryClient();
  const [trpcClient] = useState(() =>
    createTRPCClient<AppRouter>({
      links: [
        loggerLink({ enabled: (op) => process.env.NODE_ENV === "development" && op.direction === "down" && op.result instanceof Error }),
        httpBatchLink({ url: "/api/trpc", transformer: superjson, headers: requestHeaders }),
      ],
    }),
  );
  return (
    <QueryClientProvider client={queryClient}>
      <TRPCProvider trpcClient={trpcClient} queryClient={queryClient}>
        {children}
      </TRPCProvider>
    </QueryClientProvider>
  );
}
