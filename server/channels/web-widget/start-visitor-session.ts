import { randomUUID } from "node:crypto";
import { z } from "zod";
import { widgetLimits, type SessionAnswer } from "@/lib/widget/protocol";
import { withTenantSql } from "@/server/db/app-pool";
import { requestIdFrom, REQUEST_ID_HEADER } from "@/server/http/api-error";
import { announceEvents } from "@/server/realtime/announce";
import { chatLock, identifyContact, ingestInbound } from "../core/intake";
import { isVerifiedIdentifier } from "./identity-secret";
import { visitorConversations } from "./visitor-conversations";
import { findKnownVisitor, visitorIdentity } from "./visitor-identity";
import { grantHolds, secretGeneration, signSocketToken, signVisitorToken, verifyVisitorToken } from "./visitor-token";
import type { WidgetCall } from "./widget-call";
import { WidgetError } from "./widget-error";

const sessionRequest = z.object({
  visitorToken: z.string().max(2048).optional(),
  identifier: z.string().trim().min(1).max(256).optional(),
  identifierHash: z.string().max(128).optional(),
  name: z.string().trim().max(widgetLimits.field).optional(),
  email: z.email().max(254).optional().catch(undefined),
  locale: z.string().max(35).optional(),
  pageUrl: z.string().max(widgetLimits.url).optional().catch(undefined),
  referrer: z.string().max(widgetLimits.url).optional().catch(undefined),
});

/**
 * `POST /api/widget/<publicId>/session`: who this browser is. A host site's
 * signed-in user (`identifier` with its HMAC) is `user:<identifier>` on every
 * device; a wrong hash is refused outright, never downgraded to anonymous, so a
 * forged one learns nothing and gets nothing. Otherwise the stored visitor
 * token continues its visitor, or a new anonymous one begins. An anonymous
 * visitor who signs in on the host site brings their conversation along,
 * unless that user already has one here. Answers a fresh socket token every time.
 */
export async function startVisitorSession(call: WidgetCall): Promise<SessionAnswer> {
  const { widget, deps } = call;
  const input = await call.body(sessionRequest);
  await call.limit(deps.limiters.widgetSession, `ip:${call.ip}`);
  const scope = { tenantId: widget.tenantId, channelId: widget.channelId };

  let previous: string | null = null;
  if (input.visitorToken) {
    const grant = await verifyVisitorToken(input.visitorToken, deps.secret);
    if (!grant || !grantHolds(grant, widget)) {
      throw new WidgetError(401, "INVALID_VISITOR_TOKEN", "this visitor token is not valid for this chat; start a new session");
    }
    previous = grant.visitorId;
  }
  let visitorId: string;
  if (input.identifier !== undefined) {
    if (!input.identifierHash || !isVerifiedIdentifier(widget.secret, input.identifier, input.identifierHash)) {
      throw new WidgetError(401, "IDENTITY_NOT_VERIFIED", "the website could not vouch for this user (identifierHash does not match)");
    }
    visitorId = `user:${input.identifier}`;
  } else {
    visitorId = previous ?? `visitor:${randomUUID()}`;
  }

  const requestId = requestIdFrom(call.request.headers.get(REQUEST_ID_HEADER));
  const { known, conversationId, wrote } = await withTenantSql(
    deps.appPool,
    widget.tenantId,
    async (client) => {
      let wrote = false;
      if (previous?.startsWith("visitor:") && visitorId.startsWith("user:") && !(await findKnownVisitor(client, scope, visitorId))) {
        // What they wrote before signing in stays theirs: the anonymous chat becomes the user's.
        const moved = await ingestInbound(client, scope, { kind: "chat_moved", dedupeKey: JSON.stringify(["moved", previous, visitorId]), from: { id: previous }, to: visitorId, identity: { from: previous, to: visitorId } });
        wrote = moved === "ok";
      }
      let known = await findKnownVisitor(client, scope, visitorId);
      // A signed-in user's name and email as the host site's page gives them (the signature covers the identifier
      // only): the team sees them before the first message.
      if (visitorId.startsWith("user:") && (input.name || input.email)) {
        const identity = visitorIdentity(visitorId, known, { name: input.name, email: input.email }, { ...input, userAgent: call.request.headers.get("user-agent") });
        await identifyContact(client, scope, identity);
        known = await findKnownVisitor(client, scope, visitorId);
        wrote = true;
      }
      const [latest] = await visitorConversations(client, scope, visitorId);
      return { known, conversationId: latest?.id ?? null, wrote };
    },
    { requestId },
    // One at a time with the visitor's sends (and another tab's sign-in), in one order of locks.
    { locks: [previous, visitorId].filter((id): id is string => id !== null).sort().map((chat) => chatLock(scope, chat)) },
  );
  if (wrote) announceEvents(deps.appPool);

  const grant = { tenantId: widget.tenantId, channelId: widget.channelId, visitorId, ...(visitorId.startsWith("user:") ? { generation: secretGeneration(widget.secret) } : {}) };
  return {
    visitorToken: await signVisitorToken(grant, deps.secret),
    socketToken: await signSocketToken(grant, deps.secret),
    visitor: { id: visitorId, name: known?.name ?? null, email: known?.email ?? null, verified: visitorId.startsWith("user:") },
    conversationId,
  };
}
