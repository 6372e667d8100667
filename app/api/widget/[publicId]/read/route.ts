import { answerPreflight } from "@/server/channels/web-widget/answer-preflight";
import { markVisitorRead } from "@/server/channels/web-widget/mark-visitor-read";
import { answerWidgetCall } from "@/server/channels/web-widget/widget-call";
import { widgetDeps } from "@/server/channels/web-widget/widget-deps";

export const dynamic = "force-dynamic";

type Params = { params: Promise<{ publicId: string }> };

/** POST /api/widget/<publicId>/read: see markVisitorRead. */
export async function POST(request: Request, { params }: Params) {
  return answerWidgetCall(request, (await params).publicId, widgetDeps(), async (call) => ({ body: await markVisitorRead(call) }));
}

export async function OPTIONS(request: Request, { params }: Params) {
  return answerPreflight(request, (await params).publicId, widgetDeps(), ["POST"]);
}
