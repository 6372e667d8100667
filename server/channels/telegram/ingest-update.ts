import type pg from "pg";
import { ingestInbound } from "../core/intake";
import type { IngestResult } from "../contract";
import { normalizeUpdate, type TelegramUpdate } from "./normalize-update";

export type { IngestResult };

/**
 * Takes one Telegram update into the inbox, in the caller's transaction: the
 * update becomes the contract's InboundEvent and the core's intake stores it
 * (idempotently: the update_id is the dedupe key).
 */
export function ingestUpdate(db: pg.ClientBase, scope: { tenantId: string; channelId: string }, update: TelegramUpdate): Promise<IngestResult> {
  return ingestInbound(db, scope, normalizeUpdate(update));
}
