import type {
  ContactRequest,
  MessagesAnswer,
  SendRequest,
  SessionAnswer,
  SessionRequest,
  UploadAnswer,
  WidgetConfig,
} from "@/lib/widget/protocol";

/** A refusal of the widget API: `code` is stable (branch on it), `message` is written for the visitor. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export type Api = ReturnType<typeof createApi>;

/**
 * The public widget API of one channel. The widget runs on someone else's
 * site: requests are CORS and carry no cookies, only the visitor token.
 */
export function createApi(base: string, publicId: string, token: () => string | null) {
  const root = `${base}/api/widget/${encodeURIComponent(publicId)}`;

  async function call<T>(method: "GET" | "POST", path: string, body?: unknown): Promise<T> {
    const headers: Record<string, string> = {};
    const visitorToken = token();
    if (visitorToken) headers.authorization = `Bearer ${visitorToken}`;
    let payload: BodyInit | undefined;
    if (body instanceof FormData) payload = body;
    else if (body !== undefined) {
      headers["content-type"] = "application/json";
      payload = JSON.stringify(body);
    }
    let response: Response;
    try {
      response = await fetch(root + path, { method, headers, body: payload, mode: "cors", credentials: "omit" });
    } catch {
      throw new ApiError(0, "NETWORK", "");
    }
    const answer: unknown = await response.json().catch(() => null);
    if (!response.ok) {
      const error = (answer as { error?: { code?: unknown; message?: unknown } } | null)?.error;
      throw new ApiError(
        response.status,
        typeof error?.code === "string" ? error.code : "HTTP_" + response.status,
        typeof error?.message === "string" ? error.message : "",
      );
    }
    return answer as T;
  }

  return {
    config: (locale: string) => call<WidgetConfig>("GET", `/config?locale=${encodeURIComponent(locale)}`),
    session: (request: SessionRequest) => call<SessionAnswer>("POST", "/session", request),
    messages: (before?: string) => call<MessagesAnswer>("GET", "/messages" + (before ? `?before=${encodeURIComponent(before)}` : "")),
    // The protocol does not fix this answer's shape; see sentMessage in conversation.ts.
    send: (request: SendRequest) => call<unknown>("POST", "/messages", request),
    upload(file: File) {
      const form = new FormData();
      form.append("file", file, file.name);
      return call<UploadAnswer>("POST", "/uploads", form);
    },
    // An empty JSON object rather than no body, so a server that parses every POST as JSON takes it.
    read: () => call<unknown>("POST", "/read", {}),
    contact: (request: ContactRequest) => call<unknown>("POST", "/contact", request),
  };
}
