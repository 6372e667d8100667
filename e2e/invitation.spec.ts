import { expect, test } from "@playwright/test";
import superjson from "superjson";

const baseUrl = () => process.env.E2E_BASE_URL!;

test("an invitee opens the link, sets a password, joins and signs in; the link then stops working", async ({ browser }) => {
  // The owner invites through the API with their browser session (the settings page comes later).
  const ownerContext = await browser.newContext();
  const owner = await ownerContext.newPage();
  await owner.goto(`${baseUrl()}/sign-in`);
  await owner.getByLabel("Email").fill("owner@demo.example");
  await owner.getByLabel("Password").fill(process.env.E2E_DEMO_PASSWORD!);
  await owner.getByRole("button", { name: "Sign in" }).click();
  await expect(owner.getByRole("heading", { name: "Choose a workspace" })).toBeVisible();
  const email = `invitee-${Date.now()}@example.com`;
  const response = await owner.request.post(`${baseUrl()}/api/trpc/members.invite`, {
    headers: { "content-type": "application/json", "x-tenant": "demo" },
    data: superjson.serialize({ email, role: "agent" }),
  });
  expect(response.status()).toBe(200);
  const { url } = superjson.deserialize<{ url: string }>((await response.json()).result.data);
  expect(url).toMatch(/\/invite\/[\w-]{43}$/);
  await ownerContext.close();

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

  await expect(page.getByText("You have joined Demo Company. Sign in to start.")).toBeVisible();
  await expect(page.getByLabel("Email")).toHaveValue(email);
  await page.getByLabel("Password").fill("a long enough password");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(`${baseUrl()}/t/demo`);
  await expect(page.getByText("You are an agent here.")).toBeVisible();

  await page.goto(url);
  await expect(page.getByRole("alert").filter({ hasText: "already been used" })).toHaveText("This invitation has already been used; sign in instead.");
  await context.close();
});
