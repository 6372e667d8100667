import type pg from "pg";
import type { PreChatField, WidgetPosition } from "@/lib/widget/protocol";

export type Widget = {
  channelId: string;
  tenantId: string;
  name: string;
  status: "connecting" | "active" | "error" | "disconnected";
  publicId: string;
  allowedOrigins: string[];
  color: string;
  position: WidgetPosition;
  greeting: string | null;
  requireIdentity: boolean;
  preChat: { enabled: boolean; fields: PreChatField[] };
  secret: { ciphertext: string; keyId: string };
};

/** A public id as channels are given them (22 characters of url-safe base64); anything else is not looked up. */
export const publicIdPattern = /^[A-Za-z0-9_-]{16,64}$/;

const select = `SELECT c.id AS "channelId", c."tenantId", c.name, c.status::text AS status, w."publicId", w."allowedOrigins", w.color, w.position, w.greeting,
         w."requireIdentity", w."preChat", w."secretCiphertext", w."secretKeyId"
  FROM "WebWidgetChannel" w JOIN "Channel" c ON c.id = w."channelId"`;

type Row = Omit<Widget, "secret"> & { secretCiphertext: string; secretKeyId: string };

/**
 * A widget channel by the public id its snippet carries (the public API) or by
 * its channel id (the visitor socket, whose token names it). Read as the owner:
 * no tenant is known before this answers, and the answer decides which one.
 */
export async function findWidget(systemPool: pg.Pool, by: { publicId: string } | { channelId: string }): Promise<Widget | null> {
  const publicId = "publicId" in by ? by.publicId : null;
  if (publicId !== null && !publicIdPattern.test(publicId)) return null;
  if ("channelId" in by && !/^[0-9a-f-]{36}$/i.test(by.channelId)) return null;
  const { rows } = await systemPool.query<Row>({
    name: publicId !== null ? "widget_by_public_id" : "widget_by_channel_id",
    text: `${select} WHERE ${publicId !== null ? `w."publicId" = $1` : `w."channelId" = $1::uuid`}`,
    values: [publicId ?? ("channelId" in by ? by.channelId : "")],
  });
  const row = rows[0];
  if (!row) return null;
  const { secretCiphertext, secretKeyId, ...widget } = row;
  return { ...widget, allowedOrigins: widget.allowedOrigins ?? [], secret: { ciphertext: secretCiphertext, keyId: secretKeyId } };
}
