import { expect, test, type Browser, type Page } from "@playwright/test";
import superjson from "superjson";

const baseUrl = () => process.env.E2E_BASE_URL!;

async function signIn(page: Page, email: string, password: string) {
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

/** Calls the API as the demo owner's browser session would, from the product's own origin. */
async function asOwner<T>(browser: Browser, path: string, input: unknown, method: "GET" | "POST" = "POST"): Promise<T> {
  const context = await browser.newContext();
  const owner = await context.newPage();
  await owner.goto(`${baseUrl()}/sign-in`);
  await signIn(owner, "owner@demo.example", process.env.E2E_DEMO_PASSWORD!);
  await expect(owner.getByRole("heading", { name: "Choose a workspace" })).toBeVisible();
  const headers = { "content-type": "application/json", "x-tenant": "demo", origin: baseUrl() };
  const response =
    method === "POST"
      ? await owner.request.post(`${baseUrl()}/api/trpc/${path}`, { headers, data: superjson.serialize(input) })
      : await owner.request.get(`${baseUrl()}/api/trpc/${path}?input=${encodeURIComponent(JSON.stringify(superjson.serialize(input)))}`, { headers });
  expect(response.status()).toBe(200);
  const result = superjson.deserialize<T>((await response.json()).result.data);
  await context.close();
  return result;
}

async function invite(browser: Browser, email: string): Promise<string> {
  const { url } = await asOwner<{ url: string }>(browser, "members.invite", { email, role: "agent" });
  expect(url).toMatch(/\/invite\/[\w-]{43}$/);
  return url;
}

test("an invitee opens the link, sets a password, joins and is signed in; the link then stops working", async ({ browser }) => {
  const email = `invitee-${Date.now()}@example.com`;
  const url = await invite(browser, email);

  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(url);
  await expect(page.getByRole("heading", { name: "Join Demo Company" })).toBeVisible();
  await page.getByLabel("Your name").fill("Ivy Invitee");
  await page.getByLabel("Password", { exact: true }).fill("a long enough password");
  await page.getByLabel("Repeat password").fill("a different password!");
  await page.getByRole("button", { name: "Join workspace" }).click();
  await expect(page.getByText("The two passwords differ.")).toBeVisible();
  await page.getByLabel("Repeat password").fill("a long enough password");
  await page.screenshot({ path: "e2e/screenshots/invitation.png" });
  await page.getByRole("button", { name: "Join workspace" }).click();

  // Joined and signed in at once, in the workspace's inbox.
  await expect(page).toHaveURL(`${baseUrl()}/t/demo/inbox`);
  await expect(page.getByTestId("signed-in-as")).toContainText(email);

  await page.goto(url);
  await expect(page.getByRole("alert").filter({ hasText: "already been used" })).toHaveText("This invitation has already been used; sign in instead.");
  await context.close();
});

test("an existing account accepts only after signing in as itself, and lands where the invitation's link pointed", async ({ browser }) => {
  const email = `sam-${Date.now()}@example.com`;
  const first = await invite(browser, email);
  const context = await browser.newContext();
  const page = await context.newPage();
  // Make the account through the first invitation, then sign out.
  await page.goto(first);
  await page.getByLabel("Your name").fill("Sam Second");
  await page.getByLabel("Password", { exact: true }).fill("sam second password");
  await page.getByLabel("Repeat password").fill("sam second password");
  await page.getByRole("button", { name: "Join workspace" }).click();
  await expect(page).toHaveURL(`${baseUrl()}/t/demo/inbox`);
  await page.goto(`${baseUrl()}/sign-out`);
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/sign-in/);

  // Removed from the workspace, then invited again: signed out, the invitation cannot be taken for that account.
  const { members } = await asOwner<{ members: { id: string; user: { email: string } }[] }>(browser, "members.list", undefined, "GET");
  await asOwner(browser, "members.remove", { membershipId: members.find((member) => member.user.email === email)!.id });
  const second = await invite(browser, email);
  const deepLink = "/t/demo/inbox?status=resolved";
  await page.goto(`${second}?next=${encodeURIComponent(deepLink)}`);
  await page.getByLabel("Your name").fill("Mallory");
  await page.getByLabel("Password", { exact: true }).fill("mallory chosen password");
  await page.getByLabel("Repeat password").fill("mallory chosen password");
  await page.getByRole("button", { name: "Join workspace" }).click();
  const refusal = page.getByRole("alert").filter({ hasText: "already has an account" });
  await expect(refusal).toContainText(`${email} already has an account. Sign in with it to accept this invitation.`);
  await refusal.getByRole("link", { name: "Sign in to accept" }).click();
  // The invitation page shows the address too (read-only): wait for the sign-in page before reading its fields.
  await expect(page).toHaveURL(/\/sign-in\?/);
  await expect(page.getByLabel("Email")).toHaveValue(email);
  await page.getByLabel("Password").fill("sam second password");
  await page.getByRole("button", { name: "Sign in" }).click();
  // Back on the invitation, now as the invitee: one click joins, then the link's destination.
  await expect(page.getByText(`You are signed in as ${email}.`)).toBeVisible();
  await page.getByRole("button", { name: "Join workspace" }).click();
  await expect(page).toHaveURL(`${baseUrl()}${deepLink}`);
  await context.close();
});
