import { handleTelegramWebhook } from "@/server/channels/telegram/handle-webhook";
import { getAppPool, getSystemPool } from "@/server/db/app-pool";
import { createLogger } from "@/server/logger";

export const dynamic = "force-dynamic";

const log = createLogger("web");

export async function POST(request: Request, { params }: { params: Promise<{ channelId: string }> }) {
  const { channelId } = await params;
  return handleTelegramWebhook(request, channelId, { pool: getAppPool(), systemPool: getSystemPool(), log });
}
