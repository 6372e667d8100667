import type { DbClient } from "@/server/db/client";
import { AppError } from "@/server/errors";
import { recordAudit, type Actor } from "@/server/services/audit/record-audit";
import { newIdentitySecret } from "./identity-secret";

/**
 * A new identity-verification secret for a widget, answered once; the old one
 * stops verifying at once, and every verified visitor's token and socket of the
 * old one end with it (their tokens name the secret's generation): a leaked
 * secret is worth nothing from here on. The host site's next sign-in verifies
 * its users again with the new one.
 */
export async function rotateWidgetSecret(db: DbClient, input: { tenantId: string; id: string; actor: Actor }): Promise<{ identitySecret: string }> {
  const widget = await db.webWidgetChannel.findUnique({ where: { channelId: input.id } });
  if (!widget) throw new AppError("NOT_FOUND", "no such website widget");
  const { secret, sealed } = newIdentitySecret();
  await db.webWidgetChannel.update({ where: { channelId: input.id }, data: { secretCiphertext: sealed.ciphertext, secretKeyId: sealed.keyId } });
  await recordAudit(db, { tenantId: input.tenantId, action: "channel.secret_rotated", actor: input.actor, targetType: "channel", targetId: input.id, metadata: { kind: "web_widget" } });
  return { identitySecret: secret };
}
