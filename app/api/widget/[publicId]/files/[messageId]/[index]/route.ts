import { answerPreflight } from "@/server/channels/web-widget/answer-preflight";
import { serveVisitorFile } from "@/server/channels/web-widget/serve-visitor-file";
import { answerWidgetCall } from "@/server/channels/web-widget/widget-call";
import { widgetDeps } from "@/server/channels/web-widget/widget-deps";

export const dynamic = "force-dynamic";

type Params = { params: Promise<{ publicId: string; messageId: string; index: string }> };

/** GET /api/widget/<publicId>/files/<messageId>/<index> with the visitor token: see serveVisitorFile. */
export async function GET(request: Request, { params }: Params) {
  const { publicId, ...file } = await params;
  return answerWidgetCall(request, publicId, widgetDeps(), (call) => serveVisitorFile(call, file));
}

export async function OPTIONS(request: Request, { params }: Params) {
  return answerPreflight(request, (await params).publicId, widgetDeps(), ["GET"]);
}
