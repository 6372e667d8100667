import { createHmac } from "node:crypto";
import path from "node:path";
import { expect, test, type Locator, type Page } from "@playwright/test";
import { freePort } from "../server/test/free-port";
import { startDemoSite } from "./demo-site/server";
import { baseUrl, demoOwner, mutate, signedInAgent } from "./support/agent";

/**
 * The website widget as a visitor meets it on someone else's site: the sample
 * shop `npm start` serves on its own port (the demo workspace's "Website"
 * channel), and pages these tests serve on ports of their own.
 */

const demoSite = () => process.env.E2E_DEMO_SITE_URL!;
const shot = (name: string) => path.join(import.meta.dirname, "../test-results/e2e", `widget-${name}.png`);
const run = Date.now().toString(36);
// 64×40, blue and yellow squares: small enough to travel fast, big enough to be seen in the screenshots.
const photo = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAEAAAAAoCAIAAADBrGu+AAAAV0lEQVR42u3XMQ0AIAwEQEwgAWXYxQkOmDBQpi4QLvnxh970aWl9hlmjhrmtXwAAAAAAUoBXDj31AQAAAAByAEsMAAAA4B+wxAAAAAD+AUsMAAAA8CVgA+rahvG6hiOVAAAAAElFTkSuQmCC",
  "base64",
);

/** The embed snippet on the sample shop page, exactly as served. */
async function demoSnippet(): Promise<string> {
  const html = await (await fetch(demoSite())).text();
  const snippet = /<script src="[^"]+\/widget\.js" data-channel="[^"]+" async><\/script>/.exec(html)?.[0];
  if (!snippet) throw new Error(`no widget snippet on the sample shop page:\n${html}`);
  return snippet;
}

const publicIdOf = (snippet: string) => /data-channel="([^"]+)"/.exec(snippet)![1]!;

/** The chat panel, opened from the bubble. */
async function openWidget(page: Page): Promise<Locator> {
  await page.getByRole("button", { name: "Open chat" }).click();
  const panel = page.getByRole("dialog", { name: "Website" });
  await expect(panel).toBeVisible();
  return panel;
}

async function visitorWrites(panel: Locator, text: string): Promise<void> {
  await panel.getByRole("textbox", { name: "Message" }).fill(text);
  await panel.getByRole("button", { name: "Send" }).click();
  await expect(panel.getByRole("log")).toContainText(text);
}

/** What the visitor's thread shows, bubble by bubble: each one's text and its pictures' names. */
function shownMessages(panel: Locator): Promise<string[]> {
  return panel
    .getByRole("log")
    .locator(".bubble")
    .evaluateAll((bubbles) => bubbles.map((bubble) => [bubble.textContent ?? "", ...Array.from(bubble.querySelectorAll("img"), (img) => `[${img.alt}]`)].join(" ")));
}

test("a visitor on another site writes; the agent sees it live with its channel and replies with a file; the visitor sees both live and again after a reload", async ({ browser }) => {
  const agent = await signedInAgent(browser, demoOwner());
  const visitor = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
  // Arriving from a search, as a referrer the contact panel shows.
  await visitor.goto(demoSite(), { referer: "http://search.example/results?q=blue+lamp" });
  await expect(visitor.getByRole("heading", { name: "Sample shop" })).toBeVisible();
  await expect(visitor.getByRole("button", { name: "Open chat" })).toBeVisible();
  await visitor.screenshot({ path: shot("closed") });

  const panel = await openWidget(visitor);
  await expect(panel).toContainText("Questions about an order or a product?");
  const question = `Is the blue lamp in stock? (${run})`;
  await visitorWrites(panel, question);

  const row = agent.getByTestId("conversation-row").filter({ hasText: question });
  await expect(row).toBeVisible({ timeout: 20_000 });
  await expect(row.getByTestId("channel-tag")).toContainText("Website");
  await row.click();
  await expect(agent.getByTestId("thread").getByTestId("message").filter({ hasText: question })).toBeVisible();
  // The contact panel: the page the visitor wrote from.
  await expect(agent.getByRole("link", { name: `${demoSite()}/` })).toBeVisible();
  await expect(agent.getByRole("link", { name: /^http:\/\/search\.example\// })).toBeVisible();

  const answer = `Yes, three are left — here it is (${run})`;
  await agent.getByLabel("Reply", { exact: true }).fill(answer);
  await agent.getByLabel("Attach").setInputFiles({ name: "lamp.png", mimeType: "image/png", buffer: photo });
  await agent.getByRole("button", { name: "Send", exact: true }).click();
  await expect(agent.getByTestId("thread").getByTestId("message").filter({ hasText: answer })).toBeVisible();
  await agent.screenshot({ path: shot("inbox") });

  const log = panel.getByRole("log");
  await expect(log).toContainText(answer, { timeout: 20_000 });
  const picture = log.getByRole("img", { name: "lamp.png" });
  await expect(picture).toBeVisible({ timeout: 20_000 });
  // The file itself came through, not just its name.
  await expect.poll(() => picture.evaluate((img: HTMLImageElement) => img.naturalWidth), { timeout: 20_000 }).toBe(64);
  await visitor.screenshot({ path: shot("open") });

  const before = await shownMessages(panel);
  expect(before).toEqual([question, expect.stringContaining(answer)]);
  expect(before[1]).toContain("[lamp.png]");
  await visitor.reload();
  const again = await openWidget(visitor);
  await expect(again.getByRole("log").getByRole("img", { name: "lamp.png" })).toBeVisible({ timeout: 20_000 });
  expect(await shownMessages(again)).toEqual(before);

  await agent.context().close();
  await visitor.context().close();
});

test("a forged identity is refused: the widget says so and the session endpoint answers 401, while the site's real signature is taken", async ({ browser }) => {
  const admin = await signedInAgent(browser, demoOwner());
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  const channel = await mutate<{ id: string; publicId: string; snippet: string; identitySecret: string }>(admin, "channels.createWebWidget", {
    name: "Website",
    allowedOrigins: [origin],
    color: "#7c3aed",
    position: "left",
    greeting: null,
  });
  const site = await startDemoSite({ snippet: channel.snippet, port });
  try {
    const visitor = await (await browser.newContext()).newPage();
    // The anonymous session the opened panel asks for is answered only after the forged one, the order in which
    // the stale answer once replaced the refusal with "unavailable" (it came by chance, one CI run in many).
    let forgedAnswered!: () => void;
    const afterForged = new Promise<void>((resolve) => (forgedAnswered = resolve));
    await visitor.route(`${baseUrl()}/api/widget/${channel.publicId}/session`, async (route) => {
      if (route.request().method() !== "POST") return route.continue();
      const response = await route.fetch();
      const forging = Boolean((route.request().postDataJSON() as { identifierHash?: string }).identifierHash);
      if (!forging) await afterForged;
      await route.fulfill({ response });
      if (forging) forgedAnswered();
    });
    await visitor.goto(site.url);
    const panel = await openWidget(visitor);
    const forged = { identifier: `customer-${run}`, identifierHash: "0".repeat(64) };
    await visitor.evaluate((identity) => (window as unknown as { SupportChat: { setUser: (user: typeof identity) => void } }).SupportChat.setUser(identity), forged);
    await expect(panel.getByRole("alert")).toContainText("could not vouch for this user");

    // The same call from the page, as a script on it could make it.
    const session = (body: object) =>
      visitor.evaluate(
        async ({ url, body }) => {
          const response = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
          return { status: response.status, body: (await response.json()) as { error?: { code: string }; visitor?: { id: string; verified: boolean } } };
        },
        { url: `${baseUrl()}/api/widget/${channel.publicId}/session`, body },
      );
    const refused = await session(forged);
    expect(refused.status).toBe(401);
    expect(refused.body.error?.code).toBe("IDENTITY_NOT_VERIFIED");

    // The hash the site's server makes with the channel's secret is what gets a visitor in as that user.
    const signed = { identifier: forged.identifier, identifierHash: createHmac("sha256", channel.identitySecret).update(forged.identifier).digest("hex") };
    const taken = await session(signed);
    expect(taken.status).toBe(200);
    expect(taken.body.visitor).toMatchObject({ id: `user:${forged.identifier}`, verified: true });
    await visitor.context().close();
  } finally {
    await site.close();
    await mutate(admin, "channels.disconnect", { id: channel.id });
    await admin.context().close();
  }
});

test("when the site's user signs out (reset), the next person in that browser sees nothing of their conversation", async ({ browser }) => {
  const admin = await signedInAgent(browser, demoOwner());
  const port = await freePort();
  const channel = await mutate<{ id: string; publicId: string; snippet: string; identitySecret: string }>(admin, "channels.createWebWidget", {
    name: "Website",
    allowedOrigins: [`http://127.0.0.1:${port}`],
    color: "#0f766e",
    position: "right",
    greeting: null,
  });
  const site = await startDemoSite({ snippet: channel.snippet, port });
  try {
    const visitor = await (await browser.newContext()).newPage();
    await visitor.goto(site.url);
    const identifier = `signed-in-${run}`;
    const user = { identifier, identifierHash: createHmac("sha256", channel.identitySecret).update(identifier).digest("hex") };
    await visitor.evaluate((identity) => (window as unknown as { SupportChat: { setUser: (user: typeof identity) => void } }).SupportChat.setUser(identity), user);
    const panel = await openWidget(visitor);
    const secret = `My card ends in 4242 (${run})`;
    await visitorWrites(panel, secret);
    const storageKey = `supportchat:${channel.publicId}:visitor`;
    const tokenOf = () => visitor.evaluate((key) => localStorage.getItem(key), storageKey);
    const signedInToken = await tokenOf();
    expect(signedInToken).toContain(identifier);

    await visitor.evaluate(() => (window as unknown as { SupportChat: { reset: () => void } }).SupportChat.reset());
    await expect(panel.getByRole("log")).not.toContainText(secret);
    // The panel was open, so a new anonymous visitor begins at once; the signed-in one's token is gone.
    await expect.poll(tokenOf).not.toBeNull();
    expect(await tokenOf()).not.toBe(signedInToken);
    expect(await tokenOf()).not.toContain(identifier);
    await visitor.reload();
    const again = await openWidget(visitor);
    await expect(again.getByRole("textbox", { name: "Message" })).toBeVisible();
    await expect(again.getByRole("log")).not.toContainText(secret);
    await visitor.context().close();
  } finally {
    await site.close();
    await mutate(admin, "channels.disconnect", { id: channel.id });
    await admin.context().close();
  }
});

test("on a site that is not among its allowed origins the widget stays off: its config call answers 403 and no bubble appears", async ({ browser }) => {
  const snippet = await demoSnippet();
  const site = await startDemoSite({ snippet, port: 0 });
  try {
    const page = await (await browser.newContext()).newPage();
    const consoleLines: string[] = [];
    page.on("console", (message) => consoleLines.push(`${message.type()}: ${message.text()}`));
    const configCall = page.waitForEvent("requestfailed", (request) => new URL(request.url()).pathname.endsWith("/config"));
    await page.goto(site.url);
    await expect(page.getByRole("heading", { name: "Sample shop" })).toBeVisible();
    // The refusal carries no CORS headers, so the page is handed nothing, not even the status: the fetch fails.
    expect((await configCall).failure()?.errorText).toBe("net::ERR_FAILED");
    await expect.poll(() => consoleLines.join("\n")).toContain("blocked by CORS policy");
    // The bundle tells the site's developer it is off, in the console, and draws nothing.
    await expect.poll(() => consoleLines.join("\n")).toContain("warning: Support Chat: the widget is off");
    await expect(page.getByRole("button", { name: "Open chat" })).toHaveCount(0);
    await expect(page.getByRole("dialog")).toHaveCount(0);

    // The server's own word on it, for config and session alike: 403, and no CORS headers.
    const headers = { origin: new URL(site.url).origin, "content-type": "application/json" };
    const root = `${baseUrl()}/api/widget/${publicIdOf(snippet)}`;
    for (const answer of [await page.request.get(`${root}/config`, { headers }), await page.request.post(`${root}/session`, { headers, data: {} })]) {
      expect(answer.status()).toBe(403);
      expect(((await answer.json()) as { error: { code: string } }).error.code).toBe("ORIGIN_NOT_ALLOWED");
      expect(answer.headers()["access-control-allow-origin"]).toBeUndefined();
    }
    // While the sample shop's own origin is served.
    const allowed = await page.request.get(`${root}/config`, { headers: { origin: new URL(demoSite()).origin } });
    expect(allowed.status()).toBe(200);
    expect(allowed.headers()["access-control-allow-origin"]).toBe(new URL(demoSite()).origin);
    await page.context().close();
  } finally {
    await site.close();
  }
});

test("on a phone the open widget covers the screen, and in a dark system theme it is dark", async ({ browser }) => {
  const phone = await (await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true })).newPage();
  await phone.goto(demoSite());
  const panel = await openWidget(phone);
  await visitorWrites(panel, `Writing from my phone (${run})`);
  const box = (await panel.boundingBox())!;
  expect(box.width).toBeGreaterThanOrEqual(380);
  expect(box.height).toBeGreaterThanOrEqual(700);
  await phone.screenshot({ path: shot("phone") });
  await phone.context().close();

  const dark = await (await browser.newContext({ colorScheme: "dark", viewport: { width: 1280, height: 800 } })).newPage();
  await dark.goto(demoSite());
  const darkPanel = await openWidget(dark);
  await visitorWrites(darkPanel, `Is there a dark blue lamp too? (${run})`);
  const background = await darkPanel.evaluate((element) => getComputedStyle(element).backgroundColor);
  const [r, g, b] = background.match(/\d+/g)!.map(Number) as [number, number, number];
  expect(0.2126 * r + 0.7152 * g + 0.0722 * b, `panel background ${background}`).toBeLessThan(80);
  await dark.screenshot({ path: shot("dark") });
  await dark.context().close();
});

test("an admin creates a widget on the Channels page: a bad origin is named by its line, the preview follows the form, the snippet and the secret (once) can be copied", async ({ browser }) => {
  const admin = await signedInAgent(browser, demoOwner(), { permissions: ["clipboard-read", "clipboard-write"] });
  await admin.goto(`${baseUrl()}/t/demo/settings/channels`);
  const section = admin.getByRole("region", { name: "Website widget" });
  await section.getByLabel("Name", { exact: true }).fill(`Docs site ${run}`);
  await section.getByLabel("Allowed origins").fill("https://docs.example\nhttps://docs.example/help");
  await section.getByLabel("Hex code").fill("#7c3aed");
  await section.getByRole("radio", { name: "Bottom left" }).check();
  await section.getByLabel("Greeting (optional)").fill("Ask us about the docs");
  const preview = section.getByTestId("widget-preview");
  await expect(preview).toHaveAttribute("data-position", "left");
  await expect(preview).toContainText("Ask us about the docs");
  await section.getByRole("button", { name: "Create widget" }).click();
  // The second line has a path: refused, and said so for that line, nothing created.
  await expect(section.getByTestId("origin-errors")).toContainText("Line 2");
  await section.getByLabel("Allowed origins").fill("https://docs.example");
  await section.getByRole("button", { name: "Create widget" }).click();

  const created = section.getByTestId("created-widget");
  await expect(created.getByLabel("Embed snippet")).toHaveValue(/<script src="[^"]+\/widget\.js" data-channel="[A-Za-z0-9_-]{22}" async><\/script>/);
  await created.getByRole("button", { name: "Copy snippet" }).click();
  await expect(created.getByText("Copied")).toBeVisible();
  expect(await admin.evaluate(() => navigator.clipboard.readText())).toMatch(/data-channel="[A-Za-z0-9_-]{22}"/);
  const secret = await created.getByLabel("Identity secret").inputValue();
  expect(secret.length).toBeGreaterThanOrEqual(32);
  await expect(created).toContainText("you will not see this again");
  await admin.screenshot({ path: shot("created"), fullPage: true });
  await created.getByRole("button", { name: "I have saved it" }).click();
  await expect(created.getByTestId("identity-secret")).toHaveCount(0);

  // Listed with its settings, never its secret; switched off again so the demo keeps one widget.
  const card = admin.getByTestId("channel-row").filter({ hasText: `Docs site ${run}` });
  await expect(card).toContainText("https://docs.example");
  await expect(admin.locator("body")).not.toContainText(secret);
  await card.getByRole("button", { name: "Disconnect" }).click();
  await admin.getByRole("dialog").getByRole("button", { name: "Disconnect" }).click();
  await expect(card).toContainText(/Disconnected/i);
});
