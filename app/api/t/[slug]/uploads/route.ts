import { getDb, getSystemDb } from "@/server/db/client";
import { receiveUpload } from "@/server/files/receive-upload";
import { getRateLimiters } from "@/server/security/rate-limit";

export const dynamic = "force-dynamic";

/** POST /api/t/<slug>/uploads: see receiveUpload. */
export async function POST(request: Request, { params }: { params: Promise<{ slug: string }> }) {
  return receiveUpload(request, (await params).slug, { appDb: getDb(), systemDb: getSystemDb(), limiter: getRateLimiters().upload });
}
