import { getDb, getSystemDb } from "@/server/db/client";
import { servePublicStrings } from "@/server/services/templates/serve-public-strings";

export const dynamic = "force-dynamic";

/** A workspace's public strings for a locale (no sign-in): see server/services/templates/serve-public-strings.ts. */
export async function GET(request: Request, { params }: { params: Promise<{ slug: string; locale: string }> }) {
  return servePublicStrings(request, await params, { appDb: getDb(), systemDb: getSystemDb() });
}
