import { filesOrigin } from "@/lib/env";
import { proxyAttachment } from "@/server/channels/core/file-proxy";
import { getDb, getSystemDb } from "@/server/db/client";
import { createLogger } from "@/server/logger";

export const dynamic = "force-dynamic";

const log = createLogger("web");

export async function GET(request: Request, { params }: { params: Promise<{ slug: string; messageId: string; index: string }> }) {
  const origin = filesOrigin();
  return proxyAttachment(request, await params, {
    appDb: getDb(),
    systemDb: getSystemDb(),
    log,
    files: origin ? { origin, secret: process.env.APP_SECRET ?? "" } : null,
  });
}
