import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import path from "node:path";
import { encode } from "next-auth/jwt";
import { createSystemPool } from "@/server/db/app-pool";
import { createLogger } from "@/server/logger";
import { buildIsMissingOrStale, buildWebApp } from "@/server/start/build";
import { freePort } from "@/server/test/free-port";
import { openBenchDatabase, percentile, readScenario, round } from "./support";

/**
 * The inbox's first screen with a big workspace: C conversations (one message
 * each) and one thread of M messages, served by the production web process.
 * Reports the time to the whole server-rendered page (data included) for the
 * inbox and for the big thread, and the list and search queries through tRPC.
 */
type Scenario = { conversations: number; threadMessages: number; requests: number };

const root = path.join(import.meta.dirname, "..");

/**
 * Scrolling in a real Chromium: the conversation list through all its pages, and
 * the big thread after loading every older page; frame times measured with
 * requestAnimationFrame while scrolling by a steady step each frame.
 */
async function measureScrolling(base: string, session: string, slug: string, bigId: string) {
  const { chromium } = await import("@playwright/test");
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-background-networking", "--disable-component-update", "--no-first-run", "--disable-gpu"],
  });
  try {
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    await context.addCookies([{ name: "next-auth.session-token", value: session, url: base }]);
    const page = await context.newPage();
    await page.goto(`${base}/t/${slug}/inbox/${bigId}`);
    await page.getByTestId("conversation-row").first().waitFor();
    await page.getByTestId("message").first().waitFor();
    /** Scrolls an element by `step` px per frame for `frames` frames; returns the frame times. */
    // As a string: tsx would wrap a function's inner functions with a helper the page does not have.
    const scroll = (testId: string, step: number, frames: number) =>
      page.evaluate<number[]>(`new Promise((resolve) => {
        const element = document.querySelector('[data-testid="${testId}"]');
        const times = [];
        let last = performance.now();
        let n = 0;
        const tick = (now) => {
          times.push(now - last);
          last = now;
          element.scrollTop += ${step};
          if (++n < ${frames}) requestAnimationFrame(tick);
          else resolve(times.slice(1));
        };
        requestAnimationFrame(tick);
      })`);
    const summary = (times: number[]) => {
      const sorted = [...times].sort((a, b) => a - b);
      return { frames: times.length, p50Ms: round(sorted[Math.floor(sorted.length / 2)]!), p95Ms: round(sorted[Math.floor(sorted.length * 0.95)]!), over50Ms: times.filter((t) => t > 50).length };
    };
    // The list: down through the pages (each page of 50 loads as its end comes into view).
    const list = await scroll("conversation-list", 120, 600);
    const rowsInDom = await page.getByTestId("conversation-row").count();
    const listHeight = await page.getByTestId("conversation-list").evaluate((element) => element.scrollHeight);
    // The thread: every older page loaded, then scrolled from the top to the bottom.
    const thread = page.getByTestId("thread");
    const loadedMessages = () => page.locator('ol[aria-label="Messages"]').evaluate((element) => Number((element as HTMLElement).dataset.count));
    for (let i = 0; i < 200 && (await page.getByText("The beginning of this conversation").count()) === 0; i++) {
      const count = await loadedMessages();
      // What scrolling to the top does (the button is what it shows meanwhile); clicked in the page, as it re-renders while loading.
      await page.evaluate(`[...document.querySelectorAll("button")].find((b) => b.textContent === "Load older messages")?.click()`);
      // Polled from here: waitForFunction evaluates its predicate with eval, which the page's CSP refuses.
      for (const deadline = Date.now() + 10_000; (await loadedMessages()) <= count; await new Promise((resolve) => setTimeout(resolve, 50))) {
        if (Date.now() > deadline) throw new Error(`no older messages loaded within 10 s (still ${count})`);
      }
    }
    const messagesLoaded = await loadedMessages();
    const messagesInDom = await page.getByTestId("message").count();
    await thread.evaluate((element) => (element.scrollTop = 0));
    const threadFrames = await scroll("thread", 150, 600);
    return {
      // Rows are 76 px high: the scroll height tells how many were loaded; the DOM holds only those on screen.
      list: { ...summary(list), rowsLoaded: Math.round(listHeight / 76), rowsInDom },
      thread: { ...summary(threadFrames), messagesLoaded, messagesInDom },
    };
  } finally {
    await browser.close();
  }
}

export async function runInboxBench(): Promise<void> {
  const scenario = readScenario<Scenario>("inbox");
  const log = createLogger("test", "info");
  if (buildIsMissingOrStale()) await buildWebApp(log, () => undefined);

  const database = await openBenchDatabase();
  const url = database.url;
  const db = createSystemPool(url, 3);

  // --- a big workspace ---------------------------------------------------------------------
  const seedStarted = performance.now();
  const slug = `bench-inbox-${Date.now()}`;
  const tenantId = (await db.query<{ id: string }>(`INSERT INTO "Tenant" (id, slug, name, "updatedAt") VALUES (gen_random_uuid(), $1, 'Bench Inbox', now()) RETURNING id`, [slug])).rows[0]!.id;
  await db.query(`INSERT INTO "TenantSettings" ("tenantId", "updatedAt") VALUES ($1, now())`, [tenantId]);
  const userId = (await db.query<{ id: string }>(`INSERT INTO "User" (id, email, name, "updatedAt") VALUES (gen_random_uuid(), $1, 'Bench Agent', now()) RETURNING id`, [`agent-${Date.now()}@bench.example`])).rows[0]!.id;
  await db.query(`INSERT INTO "Membership" (id, "tenantId", "userId", role, "updatedAt") VALUES (gen_random_uuid(), $1, $2, 'owner', now())`, [tenantId, userId]);
  const sessionId = (await db.query<{ id: string }>(`INSERT INTO "Session" (id, "userId", "expiresAt") VALUES (gen_random_uuid(), $1, now() + interval '1 day') RETURNING id`, [userId])).rows[0]!.id;
  const channelId = (
    await db.query<{ id: string }>(
      `INSERT INTO "Channel" (id, "tenantId", type, name, status, "updatedAt") VALUES (gen_random_uuid(), $1, 'telegram', 'Bench bot', 'active', now()) RETURNING id`,
      [tenantId],
    )
  ).rows[0]!.id;
  await db.query(`INSERT INTO "TelegramChannel" ("channelId", "tenantId", mode, "tokenCiphertext", "tokenKeyId", "webhookSecret") VALUES ($1, $2, 'polling', 'x', 'x', $3)`, [
    channelId,
    tenantId,
    randomBytes(16).toString("hex"),
  ]);
  await db.query(`INSERT INTO "Contact" (id, "tenantId", name, username, labels, "updatedAt") SELECT gen_random_uuid(), $1, 'Customer ' || n, 'customer_' || n, '{}', now() FROM generate_series(1, $2) n`, [tenantId, scenario.conversations]);
  await db.query(
    `INSERT INTO "Conversation" (id, "tenantId", "channelId", "contactId", "externalChatId", status, labels, "lastMessageAt", "lastMessagePreview", "unreadCount", "updatedAt", "assigneeId")
     SELECT gen_random_uuid(), $1, $2, c.id, 'chat-' || c.username, (ARRAY['open','open','open','pending','resolved'])[1 + (abs(hashtext(c.id::text)) % 5)]::"ConversationStatus", '{}',
            now() - (abs(hashtext(c.username)) % 43200) * interval '1 minute', 'Hello, where is my order ' || c.username || '?', 1, now(),
            CASE WHEN abs(hashtext(c.name)) % 4 = 0 THEN $3::uuid END
     FROM "Contact" c WHERE c."tenantId" = $1`,
    [tenantId, channelId, userId],
  );
  await db.query(
    `INSERT INTO "Message" (id, "tenantId", "conversationId", direction, "senderType", text, "deliveryStatus", "createdAt", "updatedAt")
     SELECT gen_random_uuid(), $1, id, 'inbound', 'contact', "lastMessagePreview", 'received', "lastMessageAt", now() FROM "Conversation" WHERE "tenantId" = $1`,
    [tenantId],
  );
  const bigId = (await db.query<{ id: string }>(`SELECT id FROM "Conversation" WHERE "tenantId" = $1 AND status = 'open' ORDER BY "lastMessageAt" DESC LIMIT 1`, [tenantId])).rows[0]!.id;
  await db.query(
    `INSERT INTO "Message" (id, "tenantId", "conversationId", direction, "senderType", text, "deliveryStatus", "createdAt", "updatedAt")
     SELECT gen_random_uuid(), $1, $2, CASE WHEN n % 2 = 0 THEN 'inbound' ELSE 'outbound' END::"MessageDirection", CASE WHEN n % 2 = 0 THEN 'contact' ELSE 'agent' END::"SenderType",
            'Message number ' || n || ' of a long thread about a parcel that went around the world twice.', CASE WHEN n % 2 = 0 THEN 'received' ELSE 'sent' END::"DeliveryStatus",
            now() - (($3 - n) * interval '1 minute'), now()
     FROM generate_series(1, $3) n`,
    [tenantId, bigId, scenario.threadMessages],
  );
  await db.query("ANALYZE");
  const seedSeconds = (performance.now() - seedStarted) / 1000;

  // --- the production web process ------------------------------------------------------------
  const secret = randomBytes(32).toString("base64url");
  const port = await freePort();
  let output = "";
  const web = spawn(process.execPath, ["--import", "tsx", path.join(root, "server/web/main.ts")], {
    cwd: root,
    env: { ...process.env, NODE_ENV: "production", DATABASE_URL: url, APP_SECRET: secret, ENCRYPTION_KEY: "ab".repeat(32), PORT: String(port), LOG_LEVEL: "warn", REDIS_URL: "" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  web.stdout!.on("data", (chunk: Buffer) => (output += chunk.toString("utf8")));
  web.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString("utf8")));
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    if (web.exitCode !== null || i > 300) throw new Error(`the web process did not start: ${output}`);
    if (await fetch(`${base}/api/health`).then((r) => r.ok, () => false)) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  // A signed-in agent, as next-auth's cookie carries it: the user and their live session.
  const session = await encode({ token: { uid: userId, sid: sessionId, sub: userId, name: "Bench Agent" }, secret });
  const headers = { cookie: `next-auth.session-token=${session}`, "x-tenant": slug };

  const time = async (target: string, init: RequestInit = {}) => {
    const samples: number[] = [];
    let bytes = 0;
    for (let i = 0; i < scenario.requests + 3; i++) {
      const started = performance.now();
      const response = await fetch(`${base}${target}`, { ...init, headers: { ...headers, ...(init.headers ?? {}) } });
      const body = await response.text();
      if (!response.ok) throw new Error(`${target} answered ${response.status}: ${body.slice(0, 300)}`);
      if (i >= 3) samples.push(performance.now() - started); // the first few warm the process up
      bytes = body.length;
    }
    return { p50Ms: round(percentile(samples, 50)), p95Ms: round(percentile(samples, 95)), maxMs: round(Math.max(...samples)), kiB: round(bytes / 1024) };
  };
  const trpc = (procedure: string, input: unknown) => `/api/trpc/${procedure}?input=${encodeURIComponent(JSON.stringify({ json: input }))}`;

  const result = {
    scenario,
    seedSeconds: round(seedSeconds),
    inboxPage: await time(`/t/${slug}/inbox`),
    bigThreadPage: await time(`/t/${slug}/inbox/${bigId}`),
    listQuery: await time(trpc("conversations.list", { view: "all", status: "open", limit: 50 })),
    mineQuery: await time(trpc("conversations.list", { view: "mine", status: "open", limit: 50 })),
    searchQuery: await time(trpc("conversations.list", { view: "all", status: "open", search: "order customer_77", limit: 50 })),
    bigThreadQuery: await time(trpc("messages.list", { conversationId: bigId, limit: 50 })),
  };
  const scrolling = await measureScrolling(base, session, slug, bigId);
  process.stdout.write(`${JSON.stringify({ ...result, scrolling }, null, 2)}\n`);
  web.kill("SIGTERM");
  await new Promise((resolve) => web.once("exit", resolve));
  await db.end();
  await database.close();
}
