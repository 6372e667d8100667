import { filesOrigin, processPublicUrl } from "@/lib/env";
import { signFileToken, type FileGrant } from "@/server/files/file-token";

/**
 * Where a visitor's page fetches one attachment: a 5-minute capability link
 * (server/files/file-token.ts), since an `<img src>` cannot carry the visitor's
 * bearer token. With a files origin configured (FILES_PUBLIC_URL) it is a link
 * there, so no file ever opens on the product's own origin; otherwise the
 * widget API's own file route, which serves the same passive-content answer.
 * Signed only after the caller checked the message is the visitor's and not a note.
 */
export async function visitorFileUrl(grant: FileGrant, publicId: string, secret: string): Promise<string> {
  const token = await signFileToken(grant, secret);
  const files = filesOrigin();
  return files ? `${files}/files/${token}` : `${processPublicUrl()}/api/widget/${publicId}/files/${grant.messageId}/${grant.index}/${token}`;
}
