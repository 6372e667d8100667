import { z } from "zod";
import { conversationPriorities, type ConversationPriority } from "@/lib/conversations/priority";
import { saneIsoDateSchema } from "@/lib/validation";
import { AppError } from "@/server/errors";

/**
 * A list's page cursor: the last row's time and id, as base64url JSON. A client
 * may send anything back, so decoding parses it with zod into exactly that — a
 * uuid and a time in a sane range (or none, for rows that have no time yet) —
 * and anything else is BAD_REQUEST on `cursor`, never a query PostgreSQL refuses.
 */


// `p`: the last row's priority, in a list sorted by it (null: none).
const cursorSchema = z.object({ at: saneIsoDateSchema.nullable(), id: z.uuid(), p: z.enum(conversationPriorities).nullable().optional() });
export type KeysetCursor = z.output<typeof cursorSchema>;

const message = "this cursor is not one the list returned; start from the first page";

export function encodeCursor(row: { at: Date | null; id: string; p?: ConversationPriority | null }): string {
  const value: z.input<typeof cursorSchema> = { at: row.at?.toISOString() ?? null, id: row.id, ...(row.p !== undefined ? { p: row.p } : {}) };
  return Buffer.from(JSON.stringify(value)).toString("base64url");
}

export function decodeCursor(cursor: string): KeysetCursor {
  try {
    const parsed = cursorSchema.safeParse(JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")));
    if (parsed.success) return parsed.data;
  } catch {
    // not JSON: falls through
  }
  throw new AppError("BAD_REQUEST", message, { fieldErrors: { cursor: [message] } });
}

/** The same for lists whose rows always have a time. */
export function decodeTimedCursor(cursor: string): { at: Date; id: string } {
  const decoded = decodeCursor(cursor);
  if (!decoded.at) throw new AppError("BAD_REQUEST", message, { fieldErrors: { cursor: [message] } });
  return { at: decoded.at, id: decoded.id };
}
