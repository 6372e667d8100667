import { handleTelegramWebhook } from "@/server/channels/telegram/handle-webhook";
import { getDb, getSystemDb } from "@/server/db/client";
import { createLogger } from "@/server/logger";

export const dynamic = "force-dynamic";

const log = createLogger("web");

export async function POST(request: Request, { params }: { params: Promise<{ channelId: string }> }) {
  const { channelId } = await params;
  return handleTelegramWebhook(request, channelId, { appDb: getDb(), systemDb: getSystemDb(), log });
}
