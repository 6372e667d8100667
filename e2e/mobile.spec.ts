import { expect, test, type Browser, type Page } from "@playwright/test";
import { baseUrl, demoOwner, signedInAgent } from "./support/agent";

/** A phone: 390 × 844 CSS pixels (an iPhone 12–15), touch, the mobile viewport rules. */
const phone = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true };

const telegram = () => process.env.E2E_TELEGRAM_URL!;
const bot = "demo_support_bot";
const sections = ["general", "business-hours", "conversation-rules", "retention", "members", "teams", "assignment", "channels", "api-keys", "templates", "delivery", "audit-log"];

async function customerWrites(chatId: number, name: string, text: string) {
  const response = await fetch(`${telegram()}/control/bots/${bot}/chats/${chatId}/messages`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ name, text }) });
  expect(response.status).toBe(200);
}

const onPhone = (browser: Browser, colorScheme: "light" | "dark" = "light") => signedInAgent(browser, demoOwner(), { ...phone, colorScheme });

/** Nothing wider than the screen: the page never scrolls sideways (a wide table scrolls inside its own box). */
async function expectNoSidewaysScroll(page: Page) {
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  expect(width, `${page.url()} is ${width} px wide`).toBeLessThanOrEqual(390);
}

/** Every visible control in `scope` is at least 44 × 44 px, or as tall and full-width (a row). */
async function expectTouchSized(page: Page, scope: string) {
  const small = await page.locator(scope).evaluate((root) =>
    [...root.querySelectorAll<HTMLElement>("button, select, a, input:not([type=checkbox]):not([type=file]), textarea, summary")]
      .filter((element) => element.getClientRects().length > 0 && getComputedStyle(element).visibility !== "hidden" && !element.closest(".sr-only"))
      .map((element) => ({ element, box: element.getBoundingClientRect() }))
      .filter(({ box }) => box.width > 1 && (box.height < 44 || box.width < 44))
      .map(({ element, box }) => `${element.tagName.toLowerCase()} "${element.getAttribute("aria-label") ?? element.textContent?.trim().slice(0, 30)}" ${Math.round(box.width)}×${Math.round(box.height)}`),
  );
  expect(small, `controls smaller than 44 × 44 in ${scope}`).toEqual([]);
}

test("on a phone the inbox shows one pane at a time: list, thread, contact, and back by button and by the browser", async ({ browser }) => {
  const page = await onPhone(browser);
  await customerWrites(390101, "Ava Mobile", "Where is my parcel? Ordered on Monday.");
  const row = page.getByTestId("conversation-row").filter({ hasText: "Ava Mobile" });
  await expect(row).toBeVisible({ timeout: 20_000 });

  // The list, the whole width, the page exactly one screen high.
  const list = page.getByRole("complementary", { name: "Conversation list", exact: true });
  await expect(list).toBeVisible();
  expect((await list.boundingBox())!.width).toBe(390);
  await expectNoSidewaysScroll(page);
  expect(await page.evaluate(() => document.documentElement.scrollHeight)).toBeLessThanOrEqual(844);
  await expectTouchSized(page, "header");
  await expectTouchSized(page, '[aria-label="Conversation list"]');
  await page.screenshot({ path: "e2e/screenshots/mobile-list.png" });

  // A tap opens the thread, alone.
  await row.tap();
  await expect(page).toHaveURL(/\/t\/demo\/inbox\/[0-9a-f-]{36}$/);
  const conversationUrl = page.url();
  const thread = page.getByTestId("thread");
  await expect(thread.getByTestId("message").filter({ hasText: "Where is my parcel?" })).toBeVisible();
  await expect(list).toBeHidden();
  await expect(page.getByRole("complementary", { name: "Contact", exact: true })).toBeHidden();
  await expect(page.getByRole("button", { name: "Back to conversations" })).toBeVisible();
  await expectNoSidewaysScroll(page);
  expect(await page.evaluate(() => document.documentElement.scrollHeight)).toBeLessThanOrEqual(844);
  await expectTouchSized(page, '[aria-label="Conversation"] > header');
  await page.getByLabel("Reply", { exact: true }).fill("Hi Ava, it is on its way.");
  await page.screenshot({ path: "e2e/screenshots/mobile-thread.png" });

  // The contact, from the thread, alone too; the browser's Back returns to the thread.
  await page.getByRole("button", { name: "Contact details" }).tap();
  const contact = page.getByRole("complementary", { name: "Contact", exact: true });
  await expect(contact).toBeVisible();
  await expect(contact).toContainText("Ava Mobile");
  await expect(page).toHaveURL(`${conversationUrl}?pane=contact`);
  await expect(thread).toBeHidden();
  expect((await contact.boundingBox())!.width).toBe(390);
  await expectNoSidewaysScroll(page);
  await page.screenshot({ path: "e2e/screenshots/mobile-contact.png" });
  await page.goBack();
  await expect(page).toHaveURL(conversationUrl);
  await expect(thread).toBeVisible();
  await expect(contact).toBeHidden();

  // And by the panel's own back button, which steps back rather than piling up history.
  await page.getByRole("button", { name: "Contact details" }).tap();
  await expect(contact).toBeVisible();
  await contact.getByRole("button", { name: "Back to the conversation" }).tap();
  await expect(page).toHaveURL(conversationUrl);
  await expect(thread).toBeVisible();

  // Thread → list by the back button; then the browser's Forward and Back walk the same panes.
  await page.getByRole("button", { name: "Back to conversations" }).tap();
  await expect(page).toHaveURL(`${baseUrl()}/t/demo/inbox`);
  await expect(list).toBeVisible();
  await expect(thread).toBeHidden();
  await page.goForward();
  await expect(thread).toBeVisible();
  await expect(list).toBeHidden();
  await page.goBack();
  await expect(list).toBeVisible();
  await expect(thread).toBeHidden();

  // A conversation opened from a link (no list behind it): the back button still leads to the list.
  await page.goto(conversationUrl);
  await expect(thread).toBeVisible();
  await page.getByRole("button", { name: "Back to conversations" }).tap();
  await expect(page).toHaveURL(`${baseUrl()}/t/demo/inbox`);
  await expect(list).toBeVisible();
  await page.context().close();
});

test("on a phone the header folds into a menu, and the settings and account pages fit the screen", async ({ browser }) => {
  const page = await onPhone(browser);
  const menu = page.getByRole("button", { name: "Menu" });
  await expect(menu).toBeVisible();
  await expect(page.getByRole("link", { name: "Team" })).toBeHidden();
  await menu.tap();
  await expect(menu).toHaveAttribute("aria-expanded", "true");
  await expectTouchSized(page, "header");
  await page.screenshot({ path: "e2e/screenshots/mobile-menu.png" });
  await page.getByRole("link", { name: "Settings" }).tap();
  await expect(page).toHaveURL(/\/t\/demo\/settings\/general$/);
  await expect(menu).toHaveAttribute("aria-expanded", "false");

  for (const section of sections) {
    await page.goto(`${baseUrl()}/t/demo/settings/${section}`);
    await expect(page.getByRole("main").getByRole("heading", { level: 2 }).first()).toBeVisible();
    await expect(page.getByText("Loading…")).toHaveCount(0, { timeout: 15_000 });
    await expectNoSidewaysScroll(page);
    if (section === "general" || section === "business-hours" || section === "members") await page.screenshot({ path: `e2e/screenshots/mobile-settings-${section}.png`, fullPage: true });
  }

  // My notification settings: the grid fits, its checkboxes are touch-sized.
  await page.goto(`${baseUrl()}/t/demo/notifications`);
  await expect(page.getByTestId("push-device-state")).not.toHaveText("…");
  await expectNoSidewaysScroll(page);
  await expectTouchSized(page, "main");
  await page.screenshot({ path: "e2e/screenshots/mobile-notifications.png", fullPage: true });

  // The reports: the cards stack, the breakdown's table scrolls inside its own box.
  await page.goto(`${baseUrl()}/t/demo/reports`);
  await expect(page.getByTestId("figure-firstResponse")).toBeVisible();
  await expect(page.getByTestId("live-open")).toBeVisible();
  await expectNoSidewaysScroll(page);
  await page.screenshot({ path: "e2e/screenshots/mobile-reports.png", fullPage: true });

  await page.getByTestId("signed-in-as").tap();
  await expect(page).toHaveURL(`${baseUrl()}/account`);
  await expect(page.getByRole("heading", { name: "Your account" })).toBeVisible();
  await expect(page.getByText("Loading your sessions…")).toHaveCount(0, { timeout: 15_000 });
  await expectNoSidewaysScroll(page);
  await expectTouchSized(page, "header");
  await page.screenshot({ path: "e2e/screenshots/mobile-account.png", fullPage: true });
  await page.context().close();
});

test("on a phone in dark mode the inbox is dark too", async ({ browser }) => {
  const page = await onPhone(browser, "dark");
  await customerWrites(390202, "Leo Night", "Is the shop open on Sunday?");
  const row = page.getByTestId("conversation-row").filter({ hasText: "Leo Night" });
  await expect(row).toBeVisible({ timeout: 20_000 });
  const background = await page.getByRole("complementary", { name: "Conversation list", exact: true }).evaluate((element) => getComputedStyle(element).backgroundColor);
  expect(background).not.toBe("rgb(255, 255, 255)");
  await page.screenshot({ path: "e2e/screenshots/mobile-dark-list.png" });
  await row.tap();
  await expect(page.getByTestId("thread").getByTestId("message").filter({ hasText: "Is the shop open on Sunday?" })).toBeVisible();
  await page.screenshot({ path: "e2e/screenshots/mobile-dark-thread.png" });
  await page.context().close();
});

test("the console installs as an app: manifest and icons without signing in, a service worker, and an offline page", async ({ browser }) => {
  const context = await browser.newContext(phone);
  const page = await context.newPage();
  const policyErrors: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error" && /Content Security Policy/i.test(message.text())) policyErrors.push(message.text());
  });

  // Signed out: the sign-in page links the manifest, and the manifest, its icons and the worker answer.
  const signIn = await page.goto(`${baseUrl()}/sign-in`);
  const policy = signIn!.headers()["content-security-policy"]!;
  expect(policy).toContain("manifest-src 'self'");
  expect(policy).toContain("worker-src 'self'");
  await expect(page.locator('link[rel="manifest"]')).toHaveAttribute("href", "/manifest.webmanifest");
  const manifestResponse = await page.request.get(`${baseUrl()}/manifest.webmanifest`);
  expect(manifestResponse.status()).toBe(200);
  const manifest = (await manifestResponse.json()) as { name: string; start_url: string; display: string; icons: { src: string; sizes: string; type: string; purpose?: string }[] };
  expect(manifest).toMatchObject({ name: "Support Chat", start_url: "/", display: "standalone" });
  const pngs = manifest.icons.filter((icon) => icon.type === "image/png");
  expect(pngs.map((icon) => icon.sizes)).toEqual(expect.arrayContaining(["192x192", "512x512"]));
  expect(pngs.some((icon) => icon.purpose === "maskable")).toBe(true);
  for (const icon of manifest.icons) {
    const response = await page.request.get(new URL(icon.src, baseUrl()).toString());
    expect(response.status(), icon.src).toBe(200);
    expect(response.headers()["content-type"], icon.src).toContain(icon.type);
  }
  const worker = await page.request.get(`${baseUrl()}/sw.js`);
  expect(worker.status()).toBe(200);
  expect(worker.headers()["content-type"]).toMatch(/^text\/javascript/);
  expect(worker.headers()["cache-control"]).toBe("no-cache");

  // The worker registers and activates; it does not stand in the way of the pages.
  expect(await page.evaluate(() => navigator.serviceWorker.ready.then((registration) => Boolean(registration.active)))).toBe(true);
  await page.reload();
  await expect(page.getByRole("button", { name: "Sign in" })).toBeVisible();

  // Without a network a page is the offline page, in both languages, with its stylesheet from the cache.
  await context.setOffline(true);
  await page.goto(`${baseUrl()}/t/demo/inbox`);
  const offline = page.getByTestId("offline");
  await expect(offline).toContainText("You are offline");
  await expect(offline).toContainText("Нет подключения к сети");
  const retry = offline.getByRole("link", { name: "Try again · Повторить" });
  expect((await retry.boundingBox())!.height).toBeGreaterThanOrEqual(44);
  await expectNoSidewaysScroll(page);
  await page.screenshot({ path: "e2e/screenshots/mobile-offline.png" });

  // Back online, "try again" loads the page that was asked for (here: sign in first).
  await context.setOffline(false);
  await retry.tap();
  await expect(page).toHaveURL(/\/sign-in/);
  expect(policyErrors).toEqual([]);
  await context.close();
});

test("the offline page is dark in dark mode", async ({ browser }) => {
  const context = await browser.newContext({ ...phone, colorScheme: "dark" });
  const page = await context.newPage();
  await page.goto(`${baseUrl()}/offline.html`);
  await expect(page.getByTestId("offline")).toContainText("You are offline");
  expect(await page.evaluate(() => getComputedStyle(document.body).backgroundColor)).toBe("rgb(2, 6, 23)");
  await page.screenshot({ path: "e2e/screenshots/mobile-offline-dark.png" });
  await context.close();
});
