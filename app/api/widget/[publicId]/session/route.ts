import { answerPreflight } from "@/server/channels/web-widget/answer-preflight";
import { startVisitorSession } from "@/server/channels/web-widget/start-visitor-session";
import { answerWidgetCall } from "@/server/channels/web-widget/widget-call";
import { widgetDeps } from "@/server/channels/web-widget/widget-deps";

export const dynamic = "force-dynamic";

type Params = { params: Promise<{ publicId: string }> };

/** POST /api/widget/<publicId>/session: see startVisitorSession. */
export async function POST(request: Request, { params }: Params) {
  return answerWidgetCall(request, (await params).publicId, widgetDeps(), async (call) => ({ body: await startVisitorSession(call) }));
}

export async function OPTIONS(request: Request, { params }: Params) {
  return answerPreflight(request, (await params).publicId, widgetDeps(), ["POST"]);
}
