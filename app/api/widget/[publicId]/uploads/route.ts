import { answerPreflight } from "@/server/channels/web-widget/answer-preflight";
import { storeVisitorUpload } from "@/server/channels/web-widget/store-visitor-upload";
import { answerWidgetCall } from "@/server/channels/web-widget/widget-call";
import { widgetDeps } from "@/server/channels/web-widget/widget-deps";

export const dynamic = "force-dynamic";

type Params = { params: Promise<{ publicId: string }> };

/** POST /api/widget/<publicId>/uploads (multipart, one part "file"): see storeVisitorUpload. */
export async function POST(request: Request, { params }: Params) {
  return answerWidgetCall(request, (await params).publicId, widgetDeps(), storeVisitorUpload);
}

export async function OPTIONS(request: Request, { params }: Params) {
  return answerPreflight(request, (await params).publicId, widgetDeps(), ["POST"]);
}
