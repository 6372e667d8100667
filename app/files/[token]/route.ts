import { filesOrigin, trustProxy } from "@/lib/env";
import { getDb } from "@/server/db/client";
import { serveFileLink } from "@/server/files/serve-file-link";
import { createLogger } from "@/server/logger";

export const dynamic = "force-dynamic";

const log = createLogger("web");

/** GET /files/<token>: the files origin's only route (FILES_PUBLIC_URL); see serveFileLink. */
export async function GET(request: Request, { params }: { params: Promise<{ token: string }> }) {
  const origin = filesOrigin();
  return serveFileLink(request, (await params).token, {
    appDb: getDb(),
    log,
    files: origin ? { origin, secret: process.env.APP_SECRET ?? "" } : null,
    trustProxy: trustProxy(),
  });
}
