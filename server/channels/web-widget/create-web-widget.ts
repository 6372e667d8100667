import { randomBytes } from "node:crypto";
import type { DbClient } from "@/server/db/client";
import { recordAudit, type Actor } from "@/server/services/audit/record-audit";
import { newIdentitySecret } from "./identity-secret";
import { widgetSnippet } from "./snippet";
import { defaultPreChat, type PreChat } from "./widget-settings";

/**
 * A new website widget channel. Its public id (what the snippet carries, on
 * every page of the site) is 128 random bits, so one widget's id says nothing
 * of another's. The identity-verification secret is answered here once and
 * kept only sealed: the admin puts it on their server, and can rotate it.
 */
export async function createWebWidget(
  db: DbClient,
  input: {
    tenantId: string;
    name: string;
    allowedOrigins: string[];
    color: string;
    position: "right" | "left";
    greeting?: string | null;
    requireIdentity?: boolean;
    preChat?: PreChat;
    actor: Actor;
  },
) {
  const publicId = randomBytes(16).toString("base64url");
  const { secret, sealed } = newIdentitySecret();
  const channel = await db.channel.create({
    data: {
      tenantId: input.tenantId,
      type: "web_widget",
      name: input.name,
      status: "active",
      webWidget: {
        create: {
          tenantId: input.tenantId,
          publicId,
          allowedOrigins: input.allowedOrigins,
          color: input.color,
          position: input.position,
          greeting: input.greeting || null,
          requireIdentity: input.requireIdentity ?? false,
          preChat: input.preChat ?? defaultPreChat,
          secretCiphertext: sealed.ciphertext,
          secretKeyId: sealed.keyId,
        },
      },
    },
  });
  await recordAudit(db, {
    tenantId: input.tenantId,
    action: "channel.created",
    actor: input.actor,
    targetType: "channel",
    targetId: channel.id,
    metadata: { kind: "web_widget", name: channel.name, allowedOrigins: input.allowedOrigins },
  });
  return { id: channel.id, publicId, snippet: widgetSnippet(publicId), identitySecret: secret };
}
