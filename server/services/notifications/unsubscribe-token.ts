import { jwtVerify, SignJWT } from "jose";
import { notificationTypes, type NotificationType } from "@/lib/notifications/preferences";

const purpose = "notification-unsubscribe";

export type Unsubscribe = { tenantId: string; userId: string; type: NotificationType };

const key = (secret: string) => new TextEncoder().encode(`${purpose}:${secret}`);

/**
 * The token of an email's "stop emails about this" link: it can do exactly one thing (turn one
 * type's email off for one person in one workspace), so it may sit in a URL; signed with the app
 * secret under its own purpose, valid for 90 days.
 */
export function signUnsubscribeToken(input: Unsubscribe, secret: string): Promise<string> {
  return new SignJWT({ t: input.tenantId, k: input.type, p: purpose }).setProtectedHeader({ alg: "HS256" }).setSubject(input.userId).setIssuedAt().setExpirationTime("90d").sign(key(secret));
}

/** The unsubscribe a token stands for, or null for anything forged, expired or of another purpose. */
export async function verifyUnsubscribeToken(token: unknown, secret: string): Promise<Unsubscribe | null> {
  if (typeof token !== "string" || token.length > 1000) return null;
  try {
    const { payload } = await jwtVerify(token, key(secret), { algorithms: ["HS256"] });
    const type = payload.k as NotificationType;
    if (payload.p !== purpose || typeof payload.t !== "string" || typeof payload.sub !== "string" || !notificationTypes.includes(type)) return null;
    return { tenantId: payload.t, userId: payload.sub, type };
  } catch {
    return null;
  }
}
