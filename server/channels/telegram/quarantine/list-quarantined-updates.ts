import type { DbClient } from "@/server/db/client";
import type { QuarantineStatus } from "@/server/db/generated/enums";
import { AppError } from "@/server/errors";
import { cleanText } from "@/server/security/clean-text";
import { decodeTimedCursor, encodeCursor } from "@/server/services/pagination/keyset-cursor";

/** Characters of a body shown in the list: enough to recognise the update, never the megabyte a poison may be. */
const PREVIEW_CHARACTERS = 300;
/** Bytes read for it (a character is at most 4 bytes in UTF-8). */
const PREVIEW_BYTES = PREVIEW_CHARACTERS * 4;


/**
 * The start of a body as text a person can read and a page can show as it is:
 * bytes that are not UTF-8 become U+FFFD, and so do control characters (other
 * than line breaks and tabs) and NUL, and unpaired surrogates are dropped, so
 * nothing in it can act on a terminal or a log. The page still renders it as
 * escaped text.
 */
function previewOf(head: Uint8Array, size: number): string {
  const text = cleanText(
    Buffer.from(head).toString("utf8").replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u2028\u2029]/g, "\uFFFD"),
  );
  const shown = Array.from(text).slice(0, PREVIEW_CHARACTERS).join("");
  return shown.length < text.length || head.length < size ? `${shown}…` : shown;
}

/**
 * A channel's quarantined updates, newest first, in cursor pages: when, the
 * update id, the error and its code, attempts, and a preview of the body (the
 * body itself stays in the database; it may be megabytes). A channel of
 * another workspace is NOT_FOUND, like one that does not exist.
 */
export async function listQuarantinedUpdates(db: DbClient, input: { channelId: string; status: QuarantineStatus; cursor?: string; limit: number }) {
  const channel = await db.channel.findUnique({ where: { id: input.channelId }, select: { id: true } });
  if (!channel) throw new AppError("NOT_FOUND", "no such channel");
  const cursor = input.cursor ? decodeTimedCursor(input.cursor) : undefined;
  const rows = await db.quarantinedUpdate.findMany({
    where: {
      channelId: channel.id,
      status: input.status,
      ...(cursor ? { OR: [{ createdAt: { lt: cursor.at } }, { createdAt: cursor.at, id: { lt: cursor.id } }] } : {}),
    },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: input.limit + 1,
    select: {
      id: true,
      updateId: true,
      error: true,
      errorCode: true,
      attempts: true,
      retriable: true,
      status: true,
      createdAt: true,
      updatedAt: true,
      resolvedAt: true,
      resolvedByUserId: true,
      resolvedByApiKeyId: true,
    },
  });
  const page = rows.slice(0, input.limit);
  // Only the first bytes of each body are read; the rows came from the scoped query above (and RLS applies here too).
  const heads = page.length
    ? await db.$queryRaw<{ id: string; head: Uint8Array; size: number }[]>`
        SELECT id, substring(raw FROM 1 FOR ${PREVIEW_BYTES}::int) AS head, octet_length(raw) AS size
        FROM "QuarantinedUpdate" WHERE id = ANY(${page.map((row) => row.id)}::uuid[])`
    : [];
  const headOf = new Map(heads.map((row) => [row.id, row]));
  const items = page.map(({ updateId, ...row }) => {
    const head = headOf.get(row.id);
    return {
      ...row,
      updateId: updateId === null ? null : Number(updateId),
      size: head?.size ?? 0,
      preview: head ? previewOf(head.head, head.size) : "",
    };
  });
  return { items, nextCursor: rows.length > input.limit ? encodeCursor({ at: page.at(-1)!.createdAt, id: page.at(-1)!.id }) : null };
}
