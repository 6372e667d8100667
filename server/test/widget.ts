import { answerPreflight } from "@/server/channels/web-widget/answer-preflight";
import { listVisitorMessages } from "@/server/channels/web-widget/list-visitor-messages";
import { markVisitorRead } from "@/server/channels/web-widget/mark-visitor-read";
import { saveVisitorContact } from "@/server/channels/web-widget/save-visitor-contact";
import { sendVisitorMessage } from "@/server/channels/web-widget/send-visitor-message";
import { serveVisitorFile } from "@/server/channels/web-widget/serve-visitor-file";
import { serveVisitorFileLink } from "@/server/channels/web-widget/serve-visitor-file-link";
import { startVisitorSession } from "@/server/channels/web-widget/start-visitor-session";
import { storeVisitorUpload } from "@/server/channels/web-widget/store-visitor-upload";
import { answerWidgetCall, type WidgetDeps } from "@/server/channels/web-widget/widget-call";
import { widgetConfig } from "@/server/channels/web-widget/widget-config";
import { createLogger } from "@/server/logger";
import type { RateLimiters } from "@/server/security/rate-limit";
import type { TestDatabase } from "./database";

/** The widget's public API as its route handlers (app/api/widget/) run it, for one test database. */
export function widgetDepsFor(database: TestDatabase, options: { secret: string; limiters: RateLimiters }): WidgetDeps {
  return { systemPool: database.systemPool, appPool: database.appPool, appDb: database.appDb, limiters: options.limiters, secret: options.secret, log: createLogger("test", "silent") };
}

export type WidgetAnswer = { status: number; headers: Headers; body: unknown };

/**
 * A browser on a host page calling `/api/widget/<publicId>/…`: every request
 * carries the page's Origin (unless `origin: null`), a bearer visitor token
 * once given, and goes through the same functions the route files call.
 */
export function widgetBrowser(deps: WidgetDeps, publicId: string, origin: string | null, options: { ip?: string; userAgent?: string } = {}) {
  let token: string | null = null;
  const base = `https://support.example.test/api/widget/${publicId}`;
  const request = (method: string, path: string, init: { json?: unknown; body?: BodyInit; headers?: Record<string, string>; bearer?: string | null } = {}) => {
    const headers: Record<string, string> = { "x-forwarded-for": options.ip ?? "198.51.100.7", "user-agent": options.userAgent ?? "Mozilla/5.0 (test browser)", ...init.headers };
    if (origin !== null) headers.origin = origin;
    const bearer = init.bearer === undefined ? token : init.bearer;
    if (bearer) headers.authorization = `Bearer ${bearer}`;
    let body = init.body;
    if (init.json !== undefined) {
      headers["content-type"] = "application/json";
      body = JSON.stringify(init.json);
    }
    return new Request(base + path, { method, headers, body, duplex: "half" } as RequestInit);
  };
  const answer = async (response: Response): Promise<WidgetAnswer> => {
    const type = response.headers.get("content-type") ?? "";
    return { status: response.status, headers: response.headers, body: type.includes("json") ? await response.json() : Buffer.from(await response.arrayBuffer()) };
  };
  const call = async (req: Request, handle: Parameters<typeof answerWidgetCall>[3]) => answer(await answerWidgetCall(req, publicId, deps, handle));
  const wrap = <T>(fn: (c: Parameters<Parameters<typeof answerWidgetCall>[3]>[0]) => Promise<T>) => async (c: Parameters<Parameters<typeof answerWidgetCall>[3]>[0]) => ({ body: await fn(c) });

  return {
    get token() {
      return token;
    },
    set token(value: string | null) {
      token = value;
    },
    config: (locale = "en") => call(request("GET", `/config?locale=${locale}`), wrap(widgetConfig)),
    async session(json: Record<string, unknown> = {}) {
      const result = await call(request("POST", "/session", { json: { visitorToken: token ?? undefined, ...json }, bearer: null }), wrap(startVisitorSession));
      if (result.status === 200) token = (result.body as { visitorToken: string }).visitorToken;
      return result;
    },
    send: (json: Record<string, unknown>, init: { bearer?: string | null } = {}) => call(request("POST", "/messages", { json, ...init }), sendVisitorMessage),
    /** A body as given, JSON or not. */
    sendRaw: (text: string) => call(request("POST", "/messages", { body: text, headers: { "content-type": "application/json" } }), sendVisitorMessage),
    messages: (before?: string, init: { bearer?: string | null } = {}) => call(request("GET", `/messages${before ? `?before=${before}` : ""}`, init), wrap(listVisitorMessages)),
    upload(file: { name: string; type: string; bytes: Buffer }) {
      const form = new FormData();
      form.append("file", new File([new Uint8Array(file.bytes)], file.name, { type: file.type }));
      return call(request("POST", "/uploads", { body: form }), storeVisitorUpload);
    },
    read: () => call(request("POST", "/read", { json: {} }), wrap(markVisitorRead)),
    contact: (json: Record<string, unknown>) => call(request("POST", "/contact", { json }), wrap(saveVisitorContact)),
    file: (messageId: string, index: number, init: { bearer?: string | null } = {}) => call(request("GET", `/files/${messageId}/${index}`, init), (c) => serveVisitorFile(c, { messageId, index: String(index) })),
    /** Opens a `VisitorAttachment.url` as an `<img>` would: no Origin, no token. */
    async open(url: string) {
      const [, messageId, index, linkToken] = /\/files\/([^/]+)\/(\d+)\/([^/]+)$/.exec(new URL(url).pathname) ?? [];
      const path = new URL(url).pathname.replace(/^\/api\/widget\/[^/]+/, "");
      return answer(await serveVisitorFileLink(new Request(base + path), { publicId, messageId: messageId ?? "", index: index ?? "", token: linkToken ?? "" }, deps));
    },
    preflight: (methods: ("GET" | "POST")[] = ["POST"]) => answerPreflight(request("OPTIONS", "/messages", { bearer: null }), publicId, deps, methods).then(answer),
  };
}

export type WidgetBrowser = ReturnType<typeof widgetBrowser>;
