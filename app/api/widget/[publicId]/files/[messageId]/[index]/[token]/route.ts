import { serveVisitorFileLink } from "@/server/channels/web-widget/serve-visitor-file-link";
import { widgetDeps } from "@/server/channels/web-widget/widget-deps";

export const dynamic = "force-dynamic";

/** GET /api/widget/<publicId>/files/<messageId>/<index>/<token>: a file link of VisitorAttachment.url; see serveVisitorFileLink. */
export async function GET(request: Request, { params }: { params: Promise<{ publicId: string; messageId: string; index: string; token: string }> }) {
  return serveVisitorFileLink(request, await params, widgetDeps());
}
