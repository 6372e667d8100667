import { realtimePublicUrl } from "@/lib/env";
import { createTRPCRouter, scopedProcedure } from "@/server/api/trpc";
import { REALTIME_TOKEN_SECONDS, signRealtimeToken } from "@/server/realtime/token";

export const realtimeRouter = createTRPCRouter({
  /**
   * Where the realtime server is and a token to connect with, valid for
   * REALTIME_TOKEN_SECONDS: bound to the caller (user and session, or API key), the
   * tenant and the role. Clients ask for a new one at every (re)connect.
   */
  token: scopedProcedure("conversations:read").query(async ({ ctx }) => {
    const principal =
      ctx.principal.kind === "user"
        ? { kind: "user" as const, userId: ctx.principal.userId, sessionId: ctx.principal.sessionId }
        : { kind: "apiKey" as const, apiKeyId: ctx.principal.apiKeyId, scopes: ctx.scopes };
    const token = await signRealtimeToken({ tenantId: ctx.tenantId, role: ctx.role, principal }, process.env.APP_SECRET ?? "");
    return { url: realtimePublicUrl(), token, expiresInSeconds: REALTIME_TOKEN_SECONDS };
  }),
});
