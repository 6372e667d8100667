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

  // Two workspaces: the user chooses.
  await expect(page.getByRole("heading", { name: "Choose a workspace" })).toBeVisible();
  await page.getByRole("link", { name: /Demo Company/ }).click();
  await expect(page).toHaveURL(`${baseUrl()}/t/demo`);
  await expect(page.getByRole("heading", { name: "Demo Company" })).toBeVisible();
  await expect(page.getByText("You are the owner here.")).toBeVisible();
  await expect(page.getByTestId("signed-in-as")).toContainText(email);
  await page.screenshot({ path: "e2e/screenshots/workspace.png", fullPage: true });

  // Switch through the header's workspace menu.
  await page.getByLabel(/Switch workspace/).click();
  await page.getByRole("navigation", { name: "Workspaces" }).getByRole("link", { name: /Second Shop/ }).click();
  await expect(page).toHaveURL(`${baseUrl()}/t/second-shop`);
  await expect(page.getByRole("heading", { name: "Second Shop" })).toBeVisible();
  await expect(page.getByText("You are an agent here.")).toBeVisible();

  // A workspace the user is not in looks like one that does not exist.
  const response = await page.goto(`${baseUrl()}/t/not-mine`);
  expect(response?.status()).toBe(404);

  await page.goto(`${baseUrl()}/t/demo`);
  await page.getByRole("link", { name: "Sign out" }).click();
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/sign-in/);
  await page.goto(`${baseUrl()}/t/demo`);
  await expect(page).toHaveURL(/\/sign-in\?callbackUrl=%2Ft%2Fdemo/);
});

test("the workspace page in dark mode", async ({ browser }) => {
  const context = await browser.newContext({ colorScheme: "dark" });
  const page = await context.newPage();
  await signIn(page, process.env.E2E_DEMO_PASSWORD!);
  await page.getByRole("link", { name: /Demo Company/ }).click();
  await expect(page.getByRole("heading", { name: "Demo Company" })).toBeVisible();
  await page.screenshot({ path: "e2e/screenshots/workspace-dark.png", fullPage: true });
  await context.close();
});
