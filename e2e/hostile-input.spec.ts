import { expect, test, type Page } from "@playwright/test";
import superjson from "superjson";
import { tinyPng } from "../server/test/sample-files";
import { hostileFiles, xssPayloads } from "./support/xss-corpus";

/**
 * Hostile input, end to end: script-injection payloads sent as a customer (the
 * Telegram emulator) and as an admin (the API) in every field either controls,
 * then every page that shows them opened in Chromium. Each payload would push
 * its number onto `window.__xss` if it ever ran, or open a dialog; neither may
 * happen anywhere. Screenshots show what an agent sees instead: the text, as text.
 */

const baseUrl = () => process.env.E2E_BASE_URL!;
const telegram = () => process.env.E2E_TELEGRAM_URL!;
const bot = "demo_support_bot";
const payloads = xssPayloads();
const firstChat = 410_000;

async function customer(chatId: number, body: Record<string, unknown>) {
  const response = await fetch(`${telegram()}/control/bots/${bot}/chats/${chatId}/messages`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  expect(response.status, await response.clone().text()).toBe(200);
  return ((await response.json()) as { messageIds: number[] }).messageIds;
}

async function signIn(page: Page) {
  await page.goto(`${baseUrl()}/sign-in`);
  await page.getByLabel("Email").fill("owner@demo.example");
  await page.getByLabel("Password").fill(process.env.E2E_DEMO_PASSWORD!);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("heading", { name: "Choose a workspace" })).toBeVisible();
}

/** The API as the signed-in owner's pages call it. */
async function api<T>(page: Page, path: string, input: unknown, method: "GET" | "POST" = "POST"): Promise<{ status: number; data?: T }> {
  const headers = { "content-type": "application/json", "x-tenant": "demo", origin: baseUrl() };
  const response =
    method === "POST"
      ? await page.request.post(`${baseUrl()}/api/trpc/${path}`, { headers, data: superjson.serialize(input) })
      : await page.request.get(`${baseUrl()}/api/trpc/${path}?input=${encodeURIComponent(JSON.stringify(superjson.serialize(input)))}`, { headers });
  const body = (await response.json()) as { result?: { data: { json: unknown; meta?: never } } };
  return { status: response.status(), data: body.result ? superjson.deserialize<T>(body.result.data as never) : undefined };
}

/** Nothing ran: no payload pushed its number, no dialog opened. */
async function expectNothingRan(page: Page, dialogs: string[], where: string) {
  expect(await page.evaluate(() => (window as unknown as { __xss?: number[] }).__xss), `a payload ran on ${where}`).toBeUndefined();
  expect(dialogs, `a dialog opened on ${where}`).toEqual([]);
}

test("script-injection payloads in every customer and admin field run nowhere: inbox, contact panel, settings, files", async ({ page }) => {
  test.setTimeout(300_000);
  expect(payloads.length).toBeGreaterThanOrEqual(30);
  const dialogs: string[] = [];
  page.on("dialog", (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });

  // As customers: one chat per payload, the payload in the name, last name, username and text, then in a
  // caption and file name, a document's name, a contact card, a venue's title and address, or button data.
  for (const [i, payload] of payloads.entries()) {
    const chatId = firstChat + i;
    const profile = { name: payload, lastName: payload, username: payload };
    const [messageId] = await customer(chatId, { ...profile, text: payload });
    switch (i % 5) {
      case 0:
        await customer(chatId, { ...profile, text: payload, photo: { name: `${payload}.png`, base64: tinyPng.toString("base64"), mime: "image/png" } });
        break;
      case 1:
        await customer(chatId, { ...profile, text: payload, document: { name: `${payload}.html`, base64: hostileFiles.html(i + 1).toString("base64"), mime: "text/html" } });
        break;
      case 2:
        await customer(chatId, { ...profile, contact: { phone: payload, firstName: payload, lastName: payload } });
        break;
      case 3:
        await customer(chatId, { ...profile, venue: { latitude: 52.5, longitude: 13.4, title: payload, address: payload } });
        break;
      case 4: {
        const press = await fetch(`${telegram()}/control/bots/${bot}/chats/${chatId}/buttons`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ ...profile, messageId, data: payload }) });
        expect(press.status).toBe(200);
        break;
      }
    }
  }
  // HTML and SVG under every media kind, each claiming a type a browser would show.
  const filesChat = firstChat + 999;
  const html = hostileFiles.html(900).toString("base64");
  const svg = hostileFiles.svg(901).toString("base64");
  for (const [kind, mime, base64] of [
    ["photo", "text/html", html],
    ["photo", "image/svg+xml", svg],
    ["document", "text/html", html],
    ["document", "image/svg+xml", svg],
    ["video", "video/mp4", html],
    ["voice", "audio/ogg", html],
    ["audio", "audio/mpeg", svg],
    ["sticker", "image/webp", svg],
  ] as const) {
    await customer(filesChat, { name: "File Sender", text: kind === "sticker" || kind === "voice" ? undefined : `${kind} claiming ${mime}`, [kind]: { name: `evil.${kind}`, base64, mime } });
  }

  await signIn(page);
  // Wait until intake has every chat (the last ones are a few seconds behind): the files chat is the last, and
  // other tests may have left open conversations, so a count alone could be reached before it arrives.
  await expect
    .poll(
      async () => {
        const list = (await api<{ items: { contact: { name: string } }[]; counts: { open: number } }>(page, "conversations.list", { view: "all", status: "open", limit: 100 }, "GET")).data;
        return (list?.counts.open ?? 0) >= payloads.length + 1 && Boolean(list?.items.some((conversation) => conversation.contact.name === "File Sender"));
      },
      { timeout: 60_000 },
    )
    .toBe(true);

  // As an admin: the workspace name, template bodies and keys, labels, notes and replies, an API key's name.
  const conversations = (await api<{ items: { id: string; contact: { name: string } }[] }>(page, "conversations.list", { view: "all", status: "open", limit: 100 }, "GET")).data!.items;
  // A customer's name is their first and last name, each the payload (cut at Telegram's 64 characters).
  const named = (payload: string) => (conversation: { contact: { name: string } }) => conversation.contact.name.startsWith(payload.slice(0, 64));
  const hostile = conversations.filter((conversation) => payloads.some((payload) => named(payload)(conversation)));
  expect(hostile.length).toBeGreaterThanOrEqual(payloads.length);
  const { values } = (await api<{ values: { name: string } }>(page, "settings.get", undefined, "GET")).data!;
  expect((await api(page, "settings.update", { changes: { name: payloads[2]!.slice(0, 80) } })).status).toBe(200);
  try {
    let templatesStored = 0;
    for (const [i, payload] of payloads.entries()) {
      // Bodies are ICU: a payload with braces is refused by the checker, which is fine; the rest are stored.
      const saved = await api(page, "templates.upsert", { key: `xss.${i}`, kind: "canned", published: true, description: payload, variants: [{ locale: "en", body: payload }] });
      if (saved.status === 200) templatesStored++;
      const conversation = hostile[i % hostile.length]!;
      const label = payload.replace(/,/g, " ").slice(0, 40).trim() || "x";
      expect((await api(page, "conversations.update", { id: conversation.id, labels: [label] })).status).toBe(200);
      expect((await api(page, "messages.send", { conversationId: conversation.id, text: payload, isPrivate: i % 2 === 0 })).status).toBe(200);
      if (i < 10) expect((await api(page, "apiKeys.create", { name: payload.slice(0, 80), scopes: ["conversations:read"] })).status).toBe(200);
    }
    expect(templatesStored).toBeGreaterThanOrEqual(20);

    // Every hostile conversation opened: the list, the thread and the contact panel render it all.
    await page.goto(`${baseUrl()}/t/demo/inbox`);
    await expect(page.getByLabel("Live", { exact: true })).toBeVisible();
    for (const conversation of hostile) {
      await page.goto(`${baseUrl()}/t/demo/inbox/${conversation.id}`);
      await expect(page.getByTestId("thread").getByTestId("message").first()).toBeVisible();
      await page.waitForTimeout(150);
      await expectNothingRan(page, dialogs, `the conversation of ${conversation.contact.name}`);
    }
    await page.goto(`${baseUrl()}/t/demo/inbox/${hostile[3]!.id}`);
    await expect(page.getByTestId("thread").getByTestId("message").first()).toBeVisible();
    await page.screenshot({ path: "e2e/screenshots/hostile-inbox.png" });
    await page.goto(`${baseUrl()}/t/demo/inbox/${hostile[4]!.id}`);
    await expect(page.getByTestId("thread").getByTestId("message").first()).toBeVisible();
    await page.screenshot({ path: "e2e/screenshots/hostile-inbox-button.png" });

    // The files chat: no hostile file shows as an image or plays; each is a download link at most.
    const files = conversations.find((conversation) => conversation.contact.name === "File Sender")!;
    await page.goto(`${baseUrl()}/t/demo/inbox/${files.id}`);
    await expect(page.getByTestId("thread").getByTestId("message")).toHaveCount(8, { timeout: 20_000 });
    await page.waitForTimeout(1000);
    await expectNothingRan(page, dialogs, "the thread of hostile files");
    await page.screenshot({ path: "e2e/screenshots/hostile-files.png" });

    // Settings: every page where admins' text shows.
    for (const section of ["general", "templates", "api-keys", "audit-log", "members", "channels", "delivery", "retention"]) {
      await page.goto(`${baseUrl()}/t/demo/settings/${section}`);
      await expect(page.getByText("Loading…")).toHaveCount(0, { timeout: 15_000 });
      await page.waitForTimeout(200);
      await expectNothingRan(page, dialogs, `settings/${section}`);
      if (section === "templates" || section === "api-keys") await page.screenshot({ path: `e2e/screenshots/hostile-settings-${section}.png`, fullPage: true });
    }
    // The template editor and preview render a hostile body too.
    await page.goto(`${baseUrl()}/t/demo/settings/templates`);
    await page.getByText("xss.0", { exact: true }).first().click();
    await page.waitForTimeout(500);
    await expectNothingRan(page, dialogs, "the template editor");

    // The file route itself, opened as a page: hostile files download as opaque bytes inside a sandbox, the real picture shows.
    const { messages } = (await api<{ messages: { id: string; attachments: { kind: string }[] }[] }>(page, "messages.list", { conversationId: files.id, limit: 50 }, "GET")).data!;
    const urls = messages.filter((message) => message.attachments.length > 0).map((message) => `${baseUrl()}/api/t/demo/files/${message.id}/0`);
    expect(urls).toHaveLength(8);
    for (const url of urls) {
      const answer = await page.request.get(url);
      expect(answer.status()).toBe(200);
      expect(answer.headers()["content-type"]).toBe("application/octet-stream");
      expect(answer.headers()["content-disposition"]).toMatch(/^attachment;/);
      expect(answer.headers()["content-security-policy"]).toBe("sandbox; default-src 'none'");
      expect(answer.headers()["x-content-type-options"]).toBe("nosniff");
      expect(answer.headers()["cross-origin-resource-policy"]).toBe("same-origin");
      // Opened in a tab, the browser downloads it instead of rendering it.
      const tab = await page.context().newPage();
      const download = tab.waitForEvent("download", { timeout: 10_000 }).catch(() => null);
      await tab.goto(url).catch(() => undefined);
      expect(await download, `${url} was not downloaded`).not.toBeNull();
      await tab.close();
    }
    const photoChat = hostile.find(named(payloads[0]!))!;
    const photo = (await api<{ messages: { id: string; attachments: unknown[] }[] }>(page, "messages.list", { conversationId: photoChat.id, limit: 50 }, "GET")).data!.messages.find((message) => message.attachments.length > 0)!;
    const picture = await page.request.get(`${baseUrl()}/api/t/demo/files/${photo.id}/0`);
    expect(picture.headers()["content-type"]).toBe("image/png");
    expect(picture.headers()["content-disposition"]).toMatch(/^inline;/);
    await page.goto(`${baseUrl()}/api/t/demo/files/${photo.id}/0`);
    await expectNothingRan(page, dialogs, "a picture opened from the file route");
    // The invitation page shows the workspace's name to someone outside it.
    const { url } = (await api<{ url: string }>(page, "members.invite", { email: `xss-${Date.now()}@example.com`, role: "agent" })).data!;
    const outsider = await page.context().browser()!.newPage();
    outsider.on("dialog", (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    await outsider.goto(url);
    await expect(outsider.getByRole("heading", { level: 1 })).toContainText("<img src=x onerror=");
    await expectNothingRan(outsider, dialogs, "the invitation page");
    await outsider.screenshot({ path: "e2e/screenshots/hostile-invitation.png" });
    await outsider.close();
  } finally {
    // The other browser tests know the demo workspace by its name.
    expect((await api(page, "settings.update", { changes: { name: values.name } })).status).toBe(200);
  }
});
