import type pg from "pg";
import type { RateLimiterAbstract } from "rate-limiter-flexible";
import { RateLimiterRes } from "rate-limiter-flexible";
import type { z } from "zod";
import { clientIp } from "@/server/auth/client-ip";
import type { AppDb } from "@/server/db/client";
import { appErrorCodes, AppError } from "@/server/errors";
import type { Logger } from "@/server/logger";
import type { RateLimiters } from "@/server/security/rate-limit";
import { cleanDeep } from "@/server/security/clean-text";
import { corsHeaders } from "./cors";
import { findWidget, type Widget } from "./find-widget";
import { grantHolds, verifyVisitorToken, type VisitorGrant } from "./visitor-token";
import { WidgetError, widgetErrorResponse } from "./widget-error";

export type WidgetDeps = {
  /** The owner over node-postgres: finding the channel before its tenant is known. */
  systemPool: pg.Pool;
  /** The app role over node-postgres, bound to the channel's tenant per transaction (intake). */
  appPool: pg.Pool;
  /** The app role through Prisma, tenant-scoped (reads, uploads). */
  appDb: AppDb;
  limiters: Pick<RateLimiters, "widgetSession" | "widgetMessage" | "widgetAddress" | "upload">;
  secret: string;
  log: Logger;
};

export type WidgetCall = {
  request: Request;
  widget: Widget;
  /** The page's origin, one the channel allows. */
  origin: string;
  ip: string;
  deps: WidgetDeps;
  /** The visitor the bearer token names, for this channel only (401 otherwise). */
  visitor: () => Promise<VisitorGrant>;
  /** The JSON body, cleaned of what PostgreSQL cannot store, then parsed (400 with field errors otherwise). */
  body: <T>(schema: z.ZodType<T>) => Promise<T>;
  /** Spends one point of a limit (429 with Retry-After once it is spent). */
  limit: (limiter: RateLimiterAbstract, key: string) => Promise<void>;
};

/** What a widget call reads at most: its messages are 4,000 characters, the rest a few fields. */
const MAX_JSON_BYTES = 64 * 1024;

async function readJson(request: Request): Promise<unknown> {
  if (!/^application\/json\b/i.test(request.headers.get("content-type") ?? "")) throw new WidgetError(415, "UNSUPPORTED_MEDIA_TYPE", "send the body as application/json");
  if (Number(request.headers.get("content-length") ?? 0) > MAX_JSON_BYTES) throw new WidgetError(413, "PAYLOAD_TOO_LARGE", "the request body is too large");
  const reader = request.body?.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const read = reader ? await reader.read() : { done: true as const, value: undefined };
    if (read.done) break;
    size += read.value.byteLength;
    if (size > MAX_JSON_BYTES) {
      await reader?.cancel().catch(() => undefined);
      throw new WidgetError(413, "PAYLOAD_TOO_LARGE", "the request body is too large");
    }
    chunks.push(read.value);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString("utf8"));
  } catch {
    throw new WidgetError(400, "BAD_REQUEST", "the body is not JSON");
  }
}

function fieldErrorsOf(error: z.ZodError): Record<string, string[]> {
  const fieldErrors: Record<string, string[]> = {};
  for (const issue of error.issues) (fieldErrors[issue.path.map(String).join(".") || "input"] ??= []).push(issue.message);
  return fieldErrors;
}

/**
 * One call of the widget's public API (`/api/widget/<publicId>/…`), around
 * what `handle` does: the channel by its public id, the page's `Origin` among
 * the channel's allowed origins (otherwise 403 without CORS headers, so the
 * browser hands the page nothing), a disconnected channel refused, every answer
 * with the CORS headers of that origin, and every failure in the error
 * envelope — never a stack trace, never a 5xx for bad input.
 */
export async function answerWidgetCall(
  request: Request,
  publicId: string,
  deps: WidgetDeps,
  handle: (call: WidgetCall) => Promise<{ status?: number; body: unknown; headers?: Record<string, string> } | Response>,
): Promise<Response> {
  let cors: Record<string, string> = {};
  try {
    const widget = await findWidget(deps.systemPool, { publicId });
    if (!widget) throw new WidgetError(404, "CHANNEL_NOT_FOUND", "there is no chat with this id");
    const origin = request.headers.get("origin");
    if (!origin || !widget.allowedOrigins.includes(origin)) throw new WidgetError(403, "ORIGIN_NOT_ALLOWED", "this chat is not set up for this website");
    cors = corsHeaders(origin);
    if (widget.status === "disconnected") throw new WidgetError(410, "CHANNEL_DISCONNECTED", "this chat has been switched off");

    const call: WidgetCall = {
      request,
      widget,
      origin,
      ip: clientIp(request.headers),
      deps,
      visitor: async () => {
        const bearer = /^Bearer (\S+)$/.exec(request.headers.get("authorization") ?? "")?.[1];
        if (!bearer) throw new WidgetError(401, "VISITOR_TOKEN_REQUIRED", "start a session first");
        const grant = await verifyVisitorToken(bearer, deps.secret);
        // Bound to its channel: another channel's visitor (another workspace's too) is nobody here, nor a verified
        // visitor the channel's previous identity secret vouched for.
        if (!grant || !grantHolds(grant, widget)) throw new WidgetError(401, "INVALID_VISITOR_TOKEN", "this visitor token is not valid for this chat; start a new session");
        return grant;
      },
      body: async (schema) => {
        const parsed = schema.safeParse(cleanDeep(await readJson(request)));
        if (!parsed.success) throw new WidgetError(400, "BAD_REQUEST", parsed.error.issues.map((issue) => `${issue.path.join(".") || "input"}: ${issue.message}`).join("; "), { fieldErrors: fieldErrorsOf(parsed.error) });
        return parsed.data;
      },
      limit: async (limiter, key) => {
        try {
          await limiter.consume(key);
        } catch (error) {
          if (!(error instanceof RateLimiterRes)) throw error;
          const seconds = Math.max(1, Math.ceil(error.msBeforeNext / 1000));
          throw new WidgetError(429, "TOO_MANY_REQUESTS", `too many requests; try again in ${seconds} s`, { headers: { "retry-after": String(seconds) } });
        }
      },
    };
    const answer = await handle(call);
    if (answer instanceof Response) {
      for (const [name, value] of Object.entries(cors)) answer.headers.set(name, value);
      return answer;
    }
    return Response.json(answer.body, { status: answer.status ?? 200, headers: { "cache-control": "no-store", ...cors, ...answer.headers } });
  } catch (error) {
    if (error instanceof WidgetError) return widgetErrorResponse(request, error, cors);
    if (error instanceof AppError) {
      const fieldErrors = error.details?.fieldErrors as Record<string, string[]> | undefined;
      return widgetErrorResponse(request, new WidgetError(appErrorCodes[error.code], error.code, error.message, { fieldErrors }), cors);
    }
    deps.log.error({ err: error, route: "widget" }, "widget call failed");
    return widgetErrorResponse(request, new WidgetError(500, "INTERNAL", "something went wrong on our side; try again in a moment"), cors);
  }
}
