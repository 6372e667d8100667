import { TRPCError } from "@trpc/server";

/** What a tRPC call may send unless its procedure declares more (`meta.maxBodyBytes`). */
export const DEFAULT_BODY_LIMIT_BYTES = 1024 * 1024;

/**
 * The request's body as a stream that fails with PAYLOAD_TOO_LARGE as soon as
 * more than `limit` bytes have arrived — chunked bodies included, since it counts
 * what arrives rather than trusting Content-Length — and at once when the
 * declared length is already larger. Nothing beyond the limit is read or kept.
 */
export function limitedBody(request: Request, limit: number): ReadableStream<Uint8Array> | null {
  if (!request.body) return null;
  const tooLarge = () => new TRPCError({ code: "PAYLOAD_TOO_LARGE", message: `the request body is larger than ${Math.round(limit / 1024)} KB` });
  const declared = Number(request.headers.get("content-length") ?? "NaN");
  if (Number.isFinite(declared) && declared > limit) {
    void request.body.cancel().catch(() => undefined);
    return new ReadableStream({ start: (controller) => controller.error(tooLarge()) });
  }
  let size = 0;
  const reader = request.body.getReader();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const { done, value } = await reader.read();
      if (done) return controller.close();
      size += value.byteLength;
      if (size > limit) {
        controller.error(tooLarge());
        await reader.cancel().catch(() => undefined);
        return;
      }
      controller.enqueue(value);
    },
    cancel: (reason) => reader.cancel(reason),
  });
}

/** Everything else the web process serves takes small bodies at most (sign-in forms); pages take none. */
export const OTHER_BODY_LIMIT_BYTES = 64 * 1024;

/** Routes that read their bodies through a limit of their own while streaming. */
const streamingLimited = [
  /^\/api\/trpc\//,
  /^\/api\/t\/[^/]+\/uploads(?:\?|$)/,
  /^\/api\/telegram\/[^/]+\/webhook(?:\?|$)/,
  // The website widget's file uploads (its other calls are small JSON and keep the general limit).
  /^\/api\/widget\/[^/]+\/uploads(?:\?|$)/,
];

/**
 * The web process's guard for every other route, before Next.js reads anything:
 * a declared body over OTHER_BODY_LIMIT_BYTES is 413, and a body of unknown length
 * (chunked) is 411, since nothing would stop it. Returns the refusal, or null to go on.
 */
export function bodyRefusal(request: { method?: string; url?: string; headers: Record<string, string | string[] | undefined> }): { status: 411 | 413; message: string } | null {
  if (request.method === "GET" || request.method === "HEAD" || request.method === "OPTIONS") return null;
  if (streamingLimited.some((route) => route.test(request.url ?? ""))) return null;
  const length = request.headers["content-length"];
  if (typeof length === "string") {
    return Number(length) > OTHER_BODY_LIMIT_BYTES ? { status: 413, message: `the request body is larger than ${OTHER_BODY_LIMIT_BYTES / 1024} KB` } : null;
  }
  return request.headers["transfer-encoding"] ? { status: 411, message: "send a Content-Length with the body" } : null;
}

/** Whether a request's path is the one it routes to: no `.`/`..` segments, plain or percent-encoded. */
export function isNormalPath(url: string | undefined): boolean {
  const path = (url ?? "/").split("?")[0]!;
  try {
    return new URL(path, "http://normal.invalid").pathname === path;
  } catch {
    return false;
  }
}
