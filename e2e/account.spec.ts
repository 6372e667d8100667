import { expect, test, type Browser, type Page } from "@playwright/test";
import superjson from "superjson";

/**
 * The account page in the browser: where you are signed in, signing other
 * devices out, and a new password, which ends every other session at once.
 * A person of their own (joined through an invitation), so no other test's
 * password changes.
 */

const baseUrl = () => process.env.E2E_BASE_URL!;

async function signIn(page: Page, email: string, password: string, callbackUrl = "/account") {
  await page.goto(`${baseUrl()}/sign-in?callbackUrl=${encodeURIComponent(callbackUrl)}`);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

/** A new member of the demo workspace, invited by the owner and joined through the link. */
async function newMember(browser: Browser): Promise<{ email: string; password: string }> {
  const email = `account-${Date.now()}@example.com`;
  const password = "first password of mine";
  const owner = await browser.newContext();
  const ownerPage = await owner.newPage();
  await signIn(ownerPage, "owner@demo.example", process.env.E2E_DEMO_PASSWORD!, "/");
  await expect(ownerPage.getByRole("heading", { name: "Choose a workspace" })).toBeVisible();
  const invited = await ownerPage.request.post(`${baseUrl()}/api/trpc/members.invite`, {
    headers: { "content-type": "application/json", "x-tenant": "demo", origin: baseUrl() },
    data: superjson.serialize({ email, role: "agent" }),
  });
  const { url } = superjson.deserialize<{ url: string }>((await invited.json()).result.data);
  await owner.close();
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(url);
  await page.getByLabel("Your name").fill("Acco Unt");
  await page.getByLabel("Password", { exact: true }).fill(password);
  await page.getByLabel("Repeat password").fill(password);
  await page.getByRole("button", { name: "Join workspace" }).click();
  await expect(page).toHaveURL(/\/t\/demo\/inbox$/);
  await context.close();
  return { email, password };
}

test("the account page lists where you are signed in, signs other devices out, and a new password ends the other sessions at once", async ({ browser }) => {
  const person = await newMember(browser);
  const laptop = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const phone = await browser.newContext({ colorScheme: "dark", userAgent: "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1" });
  const here = await laptop.newPage();
  const there = await phone.newPage();
  await signIn(there, person.email, person.password, "/t/demo/inbox");
  await expect(there).toHaveURL(/\/t\/demo\/inbox$/);
  await signIn(here, person.email, person.password);
  await expect(here).toHaveURL(`${baseUrl()}/account`);

  // From the header's name too.
  await here.goto(`${baseUrl()}/t/demo/inbox`);
  await here.getByTestId("signed-in-as").click();
  await expect(here).toHaveURL(`${baseUrl()}/account`);
  // Three: the browser that joined (closing a browser signs nothing out), the phone and this one.
  const rows = here.getByTestId("session-row");
  await expect(rows).toHaveCount(3);
  await expect(rows.filter({ hasText: "This device" })).toHaveCount(1);
  await expect(rows.filter({ hasText: "Mobile Safari 17 on iOS 17.5" })).toContainText("Phone");
  await here.screenshot({ path: "e2e/screenshots/account.png", fullPage: true });
  await there.goto(`${baseUrl()}/account`);
  await expect(there.getByTestId("session-row")).toHaveCount(3);
  await there.screenshot({ path: "e2e/screenshots/account-dark.png", fullPage: true });

  // Signing the other devices out ends the phone's session on its next request.
  await here.getByRole("button", { name: "Sign out of all other devices" }).click();
  await here.getByRole("dialog").getByRole("button", { name: "Sign out of all other devices" }).click();
  await expect(here.getByText("Signed out of 2 other devices.")).toBeVisible();
  await expect(here.getByTestId("session-row")).toHaveCount(1);
  await there.goto(`${baseUrl()}/t/demo/inbox`);
  await expect(there).toHaveURL(/\/sign-in\?callbackUrl=%2Ft%2Fdemo%2Finbox/);

  // A new password: a wrong current one is said next to its field; the right one signs every other session out.
  await signIn(there, person.email, person.password, "/t/demo/inbox");
  await expect(there).toHaveURL(/\/t\/demo\/inbox$/);
  await here.reload();
  await expect(here.getByTestId("session-row")).toHaveCount(2);
  await here.getByLabel("Current password").fill("not my password at all");
  await here.getByLabel("New password", { exact: true }).fill("second password of mine");
  await here.getByLabel("Repeat the new password").fill("second password of mine");
  await here.getByRole("button", { name: "Change password" }).click();
  await expect(here.getByText("That is not your current password.")).toBeVisible();
  await here.getByLabel("Current password").fill(person.password);
  await here.getByRole("button", { name: "Change password" }).click();
  await expect(here.getByText("Your password is changed, and 1 other device was signed out.")).toBeVisible();
  await there.reload();
  await expect(there).toHaveURL(/\/sign-in/);
  await signIn(there, person.email, person.password, "/t/demo/inbox");
  await expect(there.getByRole("alert").filter({ hasText: "Wrong" })).toHaveText("Wrong email or password.");
  await signIn(there, person.email, "second password of mine", "/t/demo/inbox");
  await expect(there).toHaveURL(/\/t\/demo\/inbox$/);
  await laptop.close();
  await phone.close();
});
