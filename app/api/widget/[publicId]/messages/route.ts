import { answerPreflight } from "@/server/channels/web-widget/answer-preflight";
import { listVisitorMessages } from "@/server/channels/web-widget/list-visitor-messages";
import { sendVisitorMessage } from "@/server/channels/web-widget/send-visitor-message";
import { answerWidgetCall } from "@/server/channels/web-widget/widget-call";
import { widgetDeps } from "@/server/channels/web-widget/widget-deps";

export const dynamic = "force-dynamic";

type Params = { params: Promise<{ publicId: string }> };

/** GET /api/widget/<publicId>/messages?before=<id>: see listVisitorMessages. */
export async function GET(request: Request, { params }: Params) {
  return answerWidgetCall(request, (await params).publicId, widgetDeps(), async (call) => ({ body: await listVisitorMessages(call) }));
}

/** POST /api/widget/<publicId>/messages: see sendVisitorMessage. */
export async function POST(request: Request, { params }: Params) {
  return answerWidgetCall(request, (await params).publicId, widgetDeps(), sendVisitorMessage);
}

export async function OPTIONS(request: Request, { params }: Params) {
  return answerPreflight(request, (await params).publicId, widgetDeps(), ["GET", "POST"]);
}
