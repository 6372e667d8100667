import type { VisitorGrant } from "./visitor-token";
import type { WidgetCall } from "./widget-call";
import { WidgetError } from "./widget-error";

/** A channel that requires identity takes nothing from an anonymous visitor; they may only read its config. */
export function requireMayWrite(call: WidgetCall, visitor: VisitorGrant): void {
  if (call.widget.requireIdentity && !visitor.visitorId.startsWith("user:")) {
    throw new WidgetError(403, "IDENTITY_REQUIRED", "sign in on this website to write to us");
  }
}
