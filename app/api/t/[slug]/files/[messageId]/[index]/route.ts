import { proxyAttachment } from "@/server/channels/telegram/file-proxy";
import { getDb, getSystemDb } from "@/server/db/client";
import { createLogger } from "@/server/logger";

export const dynamic = "force-dynamic";

const log = createLogger("web");

export async function GET(request: Request, { params }: { params: Promise<{ slug: string; messageId: string; index: string }> }) {
  return proxyAttachment(request, await params, { appDb: getDb(), systemDb: getSystemDb(), log });
}
