import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHealthServer } from "@/server/health/health-server";
import { createProbes } from "@/server/health/probes";
import { createTestDatabase, type TestDatabase } from "@/server/test/database";
import { createTenantFixture, type TenantFixture } from "@/server/test/fixtures";
import { callerFor } from "@/server/test/trpc";
import { metrics, registerPoolMetrics, routeOf } from "./registry";

let database: TestDatabase;
let t: TenantFixture;
beforeAll(async () => {
  database = await createTestDatabase();
  t = await createTenantFixture(database.db, "metered");
});
afterAll(async () => {
  delete process.env.METRICS_TOKEN;
  await database.drop();
});

const text = () => metrics().registry.metrics();

describe("metrics", () => {
  it("time every tRPC call by procedure, type and outcome", async () => {
    const caller = callerFor(database, t.as("agent"), { tenantSlug: "metered" });
    await caller.conversations.list({ view: "all", status: "open" });
    await expect(caller.conversations.get({ id: "00000000-0000-4000-8000-000000000000" })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(caller.settings.get()).rejects.toMatchObject({ code: "FORBIDDEN" });
    const scraped = await text();
    expect(scraped).toMatch(/trpc_procedure_duration_seconds_count\{procedure="conversations.list",type="query",result="ok"\} [1-9]/);
    expect(scraped).toMatch(/trpc_procedure_duration_seconds_count\{procedure="conversations.get",type="query",result="NOT_FOUND"\} [1-9]/);
    expect(scraped).toMatch(/trpc_procedure_duration_seconds_count\{procedure="settings.get",type="query",result="FORBIDDEN"\} [1-9]/);
  });

  it("group HTTP requests by route kind, never by id", () => {
    expect(routeOf("/api/trpc/conversations.list?batch=1")).toBe("trpc");
    expect(routeOf("/api/telegram/5f0c3a5e-0000-4000-8000-000000000000/webhook")).toBe("telegram_webhook");
    expect(routeOf("/api/health/ready")).toBe("health");
    expect(routeOf("/api/public/acme/i18n/ru")).toBe("public_strings");
    expect(routeOf("/t/acme/inbox/5f0c3a5e-0000-4000-8000-000000000000")).toBe("page");
    expect(routeOf("/_next/static/chunks/app.js")).toBe("static");
    expect(routeOf("/files/eyJhbGciOiJIUzI1NiJ9.secret-capability.sig")).toBe("files");
  });

  it("are served by the realtime and worker health port with pool use, memory and event-loop lag; behind METRICS_TOKEN when set", async () => {
    registerPoolMetrics(database.appPool, "app");
    await database.appPool.query("SELECT 1");
    const probes = createProbes({ proc: "worker", db: database.appDb, connectionString: database.url });
    const server = createHealthServer("worker", database.appDb, probes);
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/metrics`;
    try {
      const open = await fetch(url);
      expect(open.status).toBe(200);
      const body = await open.text();
      expect(body).toMatch(/db_pool_connections\{pool="app",state="idle"\} [1-9]/);
      expect(body).toMatch(/^process_resident_memory_bytes \d+/m);
      expect(body).toMatch(/^nodejs_eventloop_lag_seconds \d/m);

      process.env.METRICS_TOKEN = "a-long-enough-metrics-token";
      expect((await fetch(url)).status).toBe(401);
      expect((await fetch(url, { headers: { authorization: "Bearer wrong-token-of-some-length" } })).status).toBe(401);
      expect((await fetch(url, { headers: { authorization: "Bearer a-long-enough-metrics-token" } })).status).toBe(200);
    } finally {
      delete process.env.METRICS_TOKEN;
      server.close();
    }
  });

  it("GET /api/metrics answers 401 without the token when METRICS_TOKEN is set, the series with it", async () => {
    process.env.DATABASE_URL = database.url;
    const { GET } = await import("@/app/api/metrics/route");
    process.env.METRICS_TOKEN = "a-long-enough-metrics-token";
    try {
      const refused = await GET(new Request("http://localhost/api/metrics"));
      expect(refused.status).toBe(401);
      expect(await refused.json()).toMatchObject({ error: { code: "UNAUTHORIZED" } });
      const allowed = await GET(new Request("http://localhost/api/metrics", { headers: { authorization: "Bearer a-long-enough-metrics-token" } }));
      expect(allowed.status).toBe(200);
      expect(await allowed.text()).toContain("job_queue_ready_jobs");
    } finally {
      delete process.env.METRICS_TOKEN;
    }
  });
});

describe("the deploy/ dashboard", () => {
  it("charts only series the processes export", async () => {
    const { readFileSync } = await import("node:fs");
    const dashboard = JSON.parse(readFileSync("deploy/grafana-dashboard.json", "utf8")) as { panels: { targets: { expr: string }[] }[] };
    const exported = new Set((await metrics().registry.getMetricsAsJSON()).map((metric) => metric.name));
    // Queue gauges register on first scrape; the route test above did that.
    const used = dashboard.panels.flatMap((panel) => panel.targets.flatMap((target) => [...target.expr.matchAll(/([a-z_]+?)(?:_bucket|_count|_sum)?[{[)]/g)].map((match) => match[1]!)));
    const series = [...new Set(used)].filter((name) => /_(total|seconds|bytes|jobs|sockets|connections|updates)$/.test(name));
    expect(series.length).toBeGreaterThan(8);
    expect(series.filter((name) => !exported.has(name))).toEqual([]);
  });
});
