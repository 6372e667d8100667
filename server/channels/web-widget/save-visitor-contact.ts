import { z } from "zod";
import { widgetLimits } from "@/lib/widget/protocol";
import { withTenantSql } from "@/server/db/app-pool";
import { requestIdFrom, REQUEST_ID_HEADER } from "@/server/http/api-error";
import { announceEvents } from "@/server/realtime/announce";
import { chatLock, identifyContact } from "../core/intake";
import { requireMayWrite } from "./require-may-write";
import { findKnownVisitor, visitorIdentity } from "./visitor-identity";
import type { WidgetCall } from "./widget-call";

const contactRequest = z.object({
  email: z.email("not an email address").max(254),
  name: z.string().trim().max(widgetLimits.field).optional(),
});

/**
 * `POST /api/widget/<publicId>/contact`: the away form — the visitor leaves
 * an email (and a name) for the team to answer by, before or without writing.
 * Their contact is made or brought up to date; no message is stored.
 */
export async function saveVisitorContact(call: WidgetCall): Promise<{ contactSaved: true }> {
  const { widget, deps } = call;
  const visitor = await call.visitor();
  requireMayWrite(call, visitor);
  await call.limit(deps.limiters.widgetAddress, `ip:${call.ip}`);
  await call.limit(deps.limiters.widgetMessage, `visitor:${widget.channelId}:${visitor.visitorId}`);
  const input = await call.body(contactRequest);
  const scope = { tenantId: widget.tenantId, channelId: widget.channelId };
  await withTenantSql(
    deps.appPool,
    widget.tenantId,
    async (client) => {
      const known = await findKnownVisitor(client, scope, visitor.visitorId);
      await identifyContact(client, scope, visitorIdentity(visitor.visitorId, known, input, { userAgent: call.request.headers.get("user-agent") }));
    },
    { requestId: requestIdFrom(call.request.headers.get(REQUEST_ID_HEADER)) },
    // One at a time with the visitor's sends: an email left as the first message arrives makes one contact.
    { locks: [chatLock(scope, visitor.visitorId)] },
  );
  announceEvents(deps.appPool);
  return { contactSaved: true };
}
