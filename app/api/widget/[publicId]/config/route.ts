import { answerPreflight } from "@/server/channels/web-widget/answer-preflight";
import { answerWidgetCall } from "@/server/channels/web-widget/widget-call";
import { widgetConfig } from "@/server/channels/web-widget/widget-config";
import { widgetDeps } from "@/server/channels/web-widget/widget-deps";

export const dynamic = "force-dynamic";

type Params = { params: Promise<{ publicId: string }> };

/** GET /api/widget/<publicId>/config: see widgetConfig. */
export async function GET(request: Request, { params }: Params) {
  return answerWidgetCall(request, (await params).publicId, widgetDeps(), async (call) => ({ body: await widgetConfig(call) }));
}

export async function OPTIONS(request: Request, { params }: Params) {
  return answerPreflight(request, (await params).publicId, widgetDeps(), ["GET"]);
}
