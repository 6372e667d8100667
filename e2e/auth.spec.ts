import { connect } from "node:net";
import { expect, test, type Page } from "@playwright/test";

const baseUrl = () => process.env.E2E_BASE_URL!;
const email = "owner@demo.example";

async function signIn(page: Page, password: string) {
  await page.goto(`${baseUrl()}/sign-in`);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

test("a wrong password is refused with a message, and nothing else happens", async ({ page }) => {
  await signIn(page, "not-the-password");
  await expect(page.getByRole("alert").filter({ hasText: "Wrong" })).toHaveText("Wrong email or password.");
  await expect(page).toHaveURL(/\/sign-in/);
  await page.screenshot({ path: "e2e/screenshots/sign-in-error.png" });
});

test("sign in, pick a workspace, switch to the other one, sign out", async ({ page }) => {
  await page.goto(`${baseUrl()}/t/demo`);
  await expect(page).toHaveURL(/\/sign-in\?callbackUrl=%2Ft%2Fdemo/);
  await page.screenshot({ path: "e2e/screenshots/sign-in.png" });

  await page.goto(`${baseUrl()}/`);
  await page.getByRole("link", { name: "Sign in" }).click();
  await signIn(page, process.env.E2E_DEMO_PASSWORD!);

  // Two workspaces: the user chooses; a workspace opens on its inbox.
  await expect(page.getByRole("heading", { name: "Choose a workspace" })).toBeVisible();
  await page.getByRole("link", { name: /Demo Company/ }).click();
  await expect(page).toHaveURL(`${baseUrl()}/t/demo/inbox`);
  await expect(page.getByRole("heading", { name: "Inbox" })).toBeVisible();
  await expect(page.getByTestId("signed-in-as")).toContainText(email);
  await page.getByRole("link", { name: "Team" }).click();
  await expect(page).toHaveURL(`${baseUrl()}/t/demo/team`);
  await expect(page.getByRole("heading", { name: "Demo Company" })).toBeVisible();
  await expect(page.getByText("You are the owner here.")).toBeVisible();
  await page.screenshot({ path: "e2e/screenshots/workspace.png", fullPage: true });

  // Switch through the header's workspace menu: an agent there lands in that inbox too.
  await page.getByLabel(/Switch workspace/).click();
  await page.getByRole("navigation", { name: "Workspaces" }).getByRole("link", { name: /Second Shop/ }).click();
  await expect(page).toHaveURL(`${baseUrl()}/t/second-shop/inbox`);
  await page.getByRole("link", { name: "Team" }).click();
  await expect(page.getByRole("heading", { name: "Second Shop" })).toBeVisible();
  await expect(page.getByText("You are an agent here.")).toBeVisible();

  // A workspace the user is not in looks like one that does not exist.
  const response = await page.goto(`${baseUrl()}/t/not-mine`);
  expect(response?.status()).toBe(404);

  await page.goto(`${baseUrl()}/t/demo`);
  await page.getByRole("link", { name: "Sign out" }).click();
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/sign-in/);
  await expect(page.getByRole("status")).toHaveText("You are signed out.");
  await page.goto(`${baseUrl()}/t/demo`);
  await expect(page).toHaveURL(/\/sign-in\?callbackUrl=%2Ft%2Fdemo/);
});

test("a deep link survives signing in: the conversation and its query, not the workspace's front page", async ({ page }) => {
  const deepLink = "/t/demo/inbox/00000000-0000-4000-8000-000000000000?status=resolved";
  await page.goto(`${baseUrl()}${deepLink}`);
  await expect(page).toHaveURL(`${baseUrl()}/sign-in?callbackUrl=${encodeURIComponent(deepLink)}`);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(process.env.E2E_DEMO_PASSWORD!);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(`${baseUrl()}${deepLink}`);
});

test("after signing in, only same-site paths are followed: /\\, //, schemes and their encodings go home", async ({ page }) => {
  await page.goto(`${baseUrl()}/sign-in?callbackUrl=${encodeURIComponent("/%5Cevil.example")}`);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(process.env.E2E_DEMO_PASSWORD!);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("heading", { name: "Choose a workspace" })).toBeVisible();
  expect(new URL(page.url()).host).toBe(new URL(baseUrl()).host);
  for (const target of ["/\\evil.example", "//evil.example", "/%2F%2Fevil.example", "https://evil.example", "/\t/evil.example", "/.//evil.example", "/a/..//evil.example"]) {
    await page.goto(`${baseUrl()}/sign-in?callbackUrl=${encodeURIComponent(target)}`);
    await expect(page).toHaveURL(`${baseUrl()}/`);
  }
});

test("the sign-in page shows only its own notices, never text from the query", async ({ page }) => {
  await page.goto(`${baseUrl()}/sign-in?joined=${encodeURIComponent("<img src=x onerror=alert(1)> Evil Corp: your account is locked, call +1-555")}&notice=hacked`);
  await expect(page.getByRole("status")).toHaveCount(0);
  await expect(page.getByText("Evil Corp")).toHaveCount(0);
  await page.goto(`${baseUrl()}/sign-in?notice=joined`);
  await expect(page.getByRole("status")).toHaveText("Your account is ready and you have joined the workspace. Sign in to start.");
});

test("pages carry a nonce-based CSP and the other security headers, and run with no CSP violation", async ({ page }) => {
  const violations: string[] = [];
  page.on("console", (message) => {
    if (/Content Security Policy|Refused to/.test(message.text())) violations.push(message.text());
  });
  const response = await page.goto(`${baseUrl()}/sign-in`);
  const headers = response!.headers();
  expect(headers["content-security-policy"]).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]+' 'strict-dynamic'/);
  expect(headers["content-security-policy"]).toContain("frame-ancestors 'none'");
  expect(headers["x-frame-options"]).toBe("DENY");
  expect(headers["referrer-policy"]).toBe("strict-origin-when-cross-origin");
  expect(headers["permissions-policy"]).toContain("camera=()");
  expect(headers["x-content-type-options"]).toBe("nosniff");
  // Each request its own nonce.
  const again = (await page.request.get(`${baseUrl()}/sign-in`)).headers()["content-security-policy"];
  expect(again).not.toBe(headers["content-security-policy"]);
  // The page works (it hydrated: the form answers), so Next's own scripts carry the nonce.
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(process.env.E2E_DEMO_PASSWORD!);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("heading", { name: "Choose a workspace" })).toBeVisible();
  await page.getByRole("link", { name: /Demo Company/ }).click();
  await expect(page.getByLabel("Live", { exact: true })).toBeVisible();
  expect(violations).toEqual([]);

  // An API answer may run nothing and be framed by nobody; the public strings keep the CORS a widget on another site needs.
  const api = (await page.request.get(`${baseUrl()}/api/health`)).headers();
  expect(api["content-security-policy"]).toBe("default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'");
  const strings = await page.request.get(`${baseUrl()}/api/public/demo/i18n/en`, { headers: { origin: "https://shop.example" } });
  expect(strings.status()).toBe(200);
  expect(strings.headers()["access-control-allow-origin"]).toBe("*");
});

/** One raw request line and headers, as no browser would send them (fetch would resolve the dot segments first). */
function rawRequest(path: string, headers: string[]): Promise<string> {
  const url = new URL(baseUrl());
  return new Promise((resolve, reject) => {
    const socket = connect(Number(url.port), url.hostname, () => socket.write([`POST ${path} HTTP/1.1`, `Host: ${url.host}`, ...headers, "", ""].join("\r\n")));
    let answer = "";
    socket.on("data", (chunk) => {
      answer += chunk.toString("latin1");
      if (answer.includes("\r\n\r\n")) socket.destroy();
    });
    socket.on("close", () => resolve(answer.split("\r\n")[0]!));
    socket.on("error", reject);
  });
}

test("the web process reads no body it would not limit: dot segments and endless chunked bodies are refused up front", async () => {
  // A chunked body aimed at next-auth through tRPC's streaming exception, by way of a dot segment.
  expect(await rawRequest("/api/trpc/../auth/callback/credentials", ["Transfer-Encoding: chunked"])).toBe("HTTP/1.1 400 Bad Request");
  expect(await rawRequest("/api/trpc/%2e%2e/auth/callback/credentials", ["Transfer-Encoding: chunked"])).toBe("HTTP/1.1 400 Bad Request");
  // Straight at next-auth: a body of unknown length, and one declared too large.
  expect(await rawRequest("/api/auth/callback/credentials", ["Transfer-Encoding: chunked"])).toBe("HTTP/1.1 411 Length Required");
  expect(await rawRequest("/api/auth/callback/credentials", ["Content-Length: 300000000"])).toBe("HTTP/1.1 413 Payload Too Large");
});

test("the workspace page in dark mode", async ({ browser }) => {
  const context = await browser.newContext({ colorScheme: "dark" });
  const page = await context.newPage();
  await signIn(page, process.env.E2E_DEMO_PASSWORD!);
  await page.getByRole("link", { name: /Demo Company/ }).click();
  await page.getByRole("link", { name: "Team" }).click();
  await expect(page.getByRole("heading", { name: "Demo Company" })).toBeVisible();
  await page.screenshot({ path: "e2e/screenshots/workspace-dark.png", fullPage: true });
  await context.close();
});
