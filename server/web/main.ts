import { createServer } from "node:http";
import next from "next";
import { publicUrl } from "@/lib/env";
import { serveTelegramWebhook } from "@/server/channels/telegram/handle-webhook";
import { endPools, getAppPool, getSystemPool } from "@/server/db/app-pool";
import { createProbes, serveProbes } from "@/server/health/probes";
import { REQUEST_ID_HEADER, requestIdFrom } from "@/server/http/api-error";
import { metrics, registerPoolMetrics, routeOf } from "@/server/metrics/registry";
import { projectRoot } from "@/server/config/data-dir";
import { runMain } from "@/server/config/fail";
import { bootstrap } from "@/server/runtime/bootstrap";
import { listen } from "@/server/runtime/listen";
import { onShutdown } from "@/server/runtime/shutdown";
import { inRequestSpan } from "@/server/telemetry/tracing";
import { baselineSecurityHeaders, fillSecurityHeaders } from "@/server/http/security-headers";
import { bodyRefusal, isNormalPath } from "@/server/http/body-limit";
import { requestHost } from "@/server/http/request-host";
import { StartupError } from "@/server/config/fail";
import { existsSync } from "node:fs";
import path from "node:path";
import { format } from "node:util";

// The web process: the production Next.js server, started after the same
// configuration and database checks as the other processes.
runMain(async () => {
  const { config, log, db, stopTracing } = await bootstrap("web");
  if (!existsSync(path.join(projectRoot, ".next", "BUILD_ID"))) {
    throw new StartupError("the web app is not built yet; run npm run build (npm start does it for you)");
  }
  // Next.js prints a few lines of its own with console.*; they become JSON lines like every other.
  for (const [method, level] of [["log", "info"], ["info", "info"], ["warn", "warn"], ["error", "error"]] as const) {
    // eslint-disable-next-line no-console -- replacing console's methods, not printing with them
    console[method] = (...args: unknown[]) => log[level](format(...args));
  }
  const app = next({ dev: false, dir: projectRoot, port: config.PORT });
  await app.prepare();
  const handle = app.getRequestHandler();
  const webhookDeps = { pool: getAppPool(), systemPool: getSystemPool(), log };
  const probes = createProbes({ proc: "web", db, connectionString: process.env.DATABASE_URL! });
  process.env.NEXTAUTH_URL ??= publicUrl(config);
  registerPoolMetrics(webhookDeps.pool, "app");
  registerPoolMetrics(webhookDeps.systemPool, "system");
  const securityHeaders = Object.entries(baselineSecurityHeaders(publicUrl(config)));
  // The files origin serves files and nothing else: no page or API of the app answers on its host.
  const filesHost = config.FILES_PUBLIC_URL ? new URL(config.FILES_PUBLIC_URL).host.toLowerCase() : null;
  const server = createServer((req, res) => {
    // On every answer that does not set its own: a page has its nonce-based policy (proxy.ts), a file its sandbox.
    fillSecurityHeaders(res, securityHeaders);
    const started = performance.now();
    res.once("finish", () => {
      const route = routeOf(req.url);
      const ms = performance.now() - started;
      metrics().httpDuration.observe({ route, method: req.method ?? "GET", status: String(res.statusCode) }, ms / 1000);
      // The access log, at debug: the route kind, never the URL (a query string may hold anything).
      log.debug({ requestId, method: req.method, route, status: res.statusCode, ms: Math.round(ms) }, "request done");
    });
    // Rate limits and the audit log key on the client's address; without a trusted
    // proxy in front, a client-sent X-Forwarded-For must not choose it.
    if (!config.TRUST_PROXY) {
      req.headers["x-forwarded-for"] = req.socket.remoteAddress ?? "unknown";
      // Nor its X-Forwarded-Host: the Origin check of a session's changes compares against the host the request was sent to.
      delete req.headers["x-forwarded-host"];
    }
    // Every request has an id (the client's own when it is well-formed), echoed in the response and
    // seen by everything that handles it (tRPC's context, the audit log, error envelopes).
    const requestId = requestIdFrom(typeof req.headers[REQUEST_ID_HEADER] === "string" ? req.headers[REQUEST_ID_HEADER] : undefined);
    req.headers[REQUEST_ID_HEADER] = requestId;
    res.setHeader(REQUEST_ID_HEADER, requestId);
    if (serveProbes(req, res, probes, "/api/health")) return;
    // The checks below read the path as sent; Next.js routes it after resolving dot segments (`/api/trpc/../auth`,
    // `%2e%2e`), which browsers never send. Such a path is refused, so what is checked is what is routed.
    if (!isNormalPath(req.url)) {
      res.writeHead(400, { "content-type": "application/json" }).end(JSON.stringify({ error: { code: "BAD_REQUEST", message: "the path has dot segments", requestId } }));
      return;
    }
    if (filesHost && !req.url?.startsWith("/files/")) {
      const header = (name: string) => [req.headers[name] ?? []].flat().join(",") || null;
      if (requestHost({ get: header }, config.TRUST_PROXY) === filesHost) {
        res.writeHead(404, { "content-type": "application/json" }).end(JSON.stringify({ error: { code: "NOT_FOUND", message: "only files are served here", requestId } }));
        return;
      }
    }
    const refusal = bodyRefusal(req);
    if (refusal) {
      res.writeHead(refusal.status, { "content-type": "application/json", connection: "close" });
      res.end(JSON.stringify({ error: { code: refusal.status === 413 ? "PAYLOAD_TOO_LARGE" : "LENGTH_REQUIRED", message: refusal.message, requestId } }));
      return;
    }
    inRequestSpan(req, res, routeOf(req.url), () => {
      if (serveTelegramWebhook(req, res, webhookDeps)) return;
      handle(req, res).catch((error: unknown) => {
        // The route kind, never the URL: a file link carries its token in the path.
        log.error({ err: error, route: routeOf(req.url), requestId }, "request failed");
        if (!res.headersSent) res.writeHead(500).end();
      });
    });
  });
  await listen(server, config.PORT, "PORT");
  log.info({ port: config.PORT }, "web listening");
  onShutdown(log, async () => {
    probes.drain();
    await new Promise((resolve) => server.close(resolve));
    await app.close();
    await db.$disconnect();
    await endPools();
    await stopTracing();
  });
});
