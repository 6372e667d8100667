import { expect, test, type Browser, type Page } from "@playwright/test";
import { demoOwner, signedInAgent } from "./support/agent";

const telegram = () => process.env.E2E_TELEGRAM_URL!;
const bot = "demo_support_bot";

const signedIn = (browser: Browser, who: { email: string; password: string }, colorScheme: "light" | "dark" = "light"): Promise<Page> => signedInAgent(browser, who, { colorScheme });
const owner = demoOwner;
const sam = { email: "sam@demo.example", password: "e2e-sam-password-1" };

/** The customer's side, through the emulator's customer API. */
async function customerWrites(chatId: number, name: string, text: string) {
  const response = await fetch(`${telegram()}/control/bots/${bot}/chats/${chatId}/messages`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ name, text }) });
  expect(response.status).toBe(200);
}
async function botSentTo(chatId: number): Promise<string[]> {
  const chat = (await (await fetch(`${telegram()}/control/bots/${bot}/chats/${chatId}`)).json()) as { messages: { from: string; text: string }[] };
  return chat.messages.filter((m) => m.from === "bot").map((m) => m.text);
}

test("a customer's message appears live; the reply reaches Telegram, the note does not; resolve and find it under Resolved", async ({ browser }) => {
  const page = await signedIn(browser, owner());
  await expect(page.getByRole("heading", { name: "Inbox" })).toBeVisible();

  await customerWrites(300101, "Mia Customer", "My order #4411 has not arrived");
  const row = page.getByTestId("conversation-row").filter({ hasText: "Mia Customer" });
  await expect(row).toContainText("My order #4411 has not arrived", { timeout: 20_000 });
  await row.click();
  await expect(page).toHaveURL(/\/t\/demo\/inbox\/[0-9a-f-]{36}$/);
  const thread = page.getByTestId("thread");
  await expect(thread.getByTestId("message").filter({ hasText: "My order #4411" })).toBeVisible();

  // Reply with Enter: the bubble appears at once and turns "sent" when Telegram took it.
  await page.getByLabel("Reply", { exact: true }).fill("Sorry, Mia! Checking with the courier <now>.");
  await page.keyboard.press("Enter");
  const reply = thread.getByTestId("message").filter({ hasText: "Checking with the courier" });
  await expect(reply).toBeVisible();
  await expect(reply.getByTestId("status-sent")).toBeVisible({ timeout: 20_000 });
  await expect.poll(() => botSentTo(300101), { timeout: 20_000 }).toContain("Sorry, Mia! Checking with the courier <now>.");

  // A private note stays in the product.
  await page.getByRole("radio", { name: "Private note" }).click();
  await page.getByLabel("Private note", { exact: true }).fill("Courier ticket 88-1 opened");
  await page.keyboard.press("Enter");
  await expect(thread.locator("[data-private]").filter({ hasText: "Courier ticket 88-1 opened" })).toContainText("Private note");
  await page.waitForTimeout(1500);
  expect(await botSentTo(300101)).not.toContain("Courier ticket 88-1 opened");

  // A canned response: "/" opens them, the chosen one is filled in for this customer, Enter sends it.
  await page.getByRole("radio", { name: "Reply" }).click();
  await page.getByLabel("Reply", { exact: true }).fill("/check");
  await expect(page.getByRole("listbox", { name: "Canned responses" }).getByRole("option")).toHaveCount(1);
  await page.keyboard.press("Enter");
  await expect(page.getByLabel("Reply", { exact: true })).toHaveValue("Hi Mia, thanks for your patience! I'm checking this for you right now.");
  await page.keyboard.press("Enter");
  await expect.poll(() => botSentTo(300101), { timeout: 20_000 }).toContain("Hi Mia, thanks for your patience! I'm checking this for you right now.");

  // A label, and the list filtered by it.
  await page.getByLabel("Add a label").fill("courier");
  await page.keyboard.press("Enter");
  await expect(page.getByRole("button", { name: "Remove label courier" })).toBeVisible();
  await page.getByLabel("Label", { exact: true }).fill("courier");
  await expect(page.getByTestId("conversation-row")).toHaveCount(1);
  await expect(page.getByTestId("conversation-row")).toContainText("Mia Customer");
  await page.getByLabel("Label", { exact: true }).fill("");
  await page.screenshot({ path: "e2e/screenshots/inbox.png" });

  // Resolve: it leaves Open, and is under Resolved.
  await page.getByRole("button", { name: "Resolve" }).click();
  await expect(page.getByRole("button", { name: "Reopen" })).toBeVisible();
  await expect(page.getByTestId("conversation-row").filter({ hasText: "Mia Customer" })).toHaveCount(0);
  await page.getByRole("tab", { name: /resolved/ }).click();
  await expect(page.getByTestId("conversation-row").filter({ hasText: "Mia Customer" })).toBeVisible();
  await page.context().close();
});

test("two agents see each other's assignment and reply live, and the keyboard help", async ({ browser }) => {
  const first = await signedIn(browser, owner());
  const second = await signedIn(browser, sam, "dark");
  await customerWrites(300202, "Noah Buyer", "Can I change my delivery address?");
  for (const page of [first, second]) {
    await expect(page.getByTestId("conversation-row").filter({ hasText: "Noah Buyer" })).toBeVisible({ timeout: 20_000 });
  }
  await first.getByTestId("conversation-row").filter({ hasText: "Noah Buyer" }).click();
  await second.getByTestId("conversation-row").filter({ hasText: "Noah Buyer" }).click();

  await first.getByRole("button", { name: "Assign to me" }).click();
  await expect(second.getByText("Assigned to Demo Owner")).toBeVisible();
  await expect(second.getByTestId("conversation-row").filter({ hasText: "Noah Buyer" })).not.toContainText("Unassigned");

  // Typing shows on the other side; the reply appears there without a reload.
  await first.getByLabel("Reply", { exact: true }).pressSequentially("Yes, wh");
  await expect(second.getByTestId("typing")).toContainText("typing…");
  await first.getByLabel("Reply", { exact: true }).pressSequentially("at is the new one?");
  await first.keyboard.press("Enter");
  await expect(second.getByTestId("thread").getByTestId("message").filter({ hasText: "Yes, what is the new one?" })).toBeVisible();
  await second.screenshot({ path: "e2e/screenshots/inbox-dark.png" });

  await second.locator("body").click();
  await second.keyboard.press("?");
  await expect(second.getByRole("dialog", { name: "Keyboard shortcuts" })).toBeVisible();
  await second.keyboard.press("Escape");
  await expect(second.getByRole("dialog")).toHaveCount(0);
  await first.context().close();
  await second.context().close();
});

test("when the connection drops, a banner says so, and what happened meanwhile appears when it is back", async ({ browser }) => {
  const page = await signedIn(browser, owner());
  await customerWrites(300303, "Olivia Offline", "first message");
  await expect(page.getByTestId("conversation-row").filter({ hasText: "Olivia Offline" })).toBeVisible({ timeout: 20_000 });
  await page.getByTestId("conversation-row").filter({ hasText: "Olivia Offline" }).click();
  await page.context().setOffline(true);
  await expect(page.getByTestId("connection-banner")).toContainText("Connection lost", { timeout: 20_000 });
  await customerWrites(300303, "Olivia Offline", "written while you were offline");
  await page.waitForTimeout(3000);
  await page.context().setOffline(false);
  await expect(page.getByTestId("connection-banner")).toHaveCount(0, { timeout: 30_000 });
  await expect(page.getByTestId("thread").getByTestId("message").filter({ hasText: "written while you were offline" })).toBeVisible({ timeout: 20_000 });
  await page.context().close();
});

test("an admin makes a team on the Teams page; an agent in it moves a conversation there with a priority, and finds it under My teams, most urgent first (light and dark)", async ({ browser }) => {
  const admin = await signedIn(browser, owner());
  await admin.goto(admin.url().replace(/\/inbox.*$/, "/settings/teams"));
  await expect(admin.getByText("No teams yet.")).toBeVisible();
  // A team needs a name, said next to the field.
  await admin.getByRole("button", { name: "Create team" }).click();
  await expect(admin.getByText("A team needs a name.")).toBeVisible();
  await admin.getByLabel("Name").fill("Billing");
  await admin.getByLabel("Description").fill("Invoices and refunds");
  await admin.getByRole("button", { name: "Create team" }).click();
  const row = admin.getByTestId("team-row").filter({ hasText: "Billing" });
  await expect(row).toContainText("Invoices and refunds");
  await expect(row).toContainText("No members yet.");
  // The same name again, whatever its case, is refused on the field.
  await admin.getByLabel("Name").fill("billing");
  await admin.getByRole("button", { name: "Create team" }).click();
  await expect(admin.getByText("another team has this name")).toBeVisible();
  await row.getByLabel("Add a member to Billing").selectOption({ label: "Sam Agent" });
  await row.getByRole("button", { name: "Add", exact: true }).click();
  await expect(row.getByRole("button", { name: "Remove Sam Agent from Billing" })).toBeVisible();
  await expect(row).not.toContainText("No members yet.");
  await admin.screenshot({ path: "e2e/screenshots/settings-teams-filled.png", fullPage: true });
  await admin.context().close();

  await customerWrites(300411, "Rita Refund", "I was charged twice");
  await customerWrites(300412, "Oscar Other", "Just saying hi");
  const agent = await signedIn(browser, sam, "dark");
  for (const name of ["Rita Refund", "Oscar Other"]) await expect(agent.getByTestId("conversation-row").filter({ hasText: name })).toBeVisible({ timeout: 20_000 });
  await agent.getByTestId("conversation-row").filter({ hasText: "Rita Refund" }).click();
  await agent.getByLabel("Team", { exact: true }).selectOption({ label: "Billing" });
  await expect(agent.getByText("Team Billing")).toBeVisible();
  await agent.getByLabel("Priority", { exact: true }).selectOption({ label: "Urgent" });
  await expect(agent.getByTestId("conversation-row").filter({ hasText: "Rita Refund" }).getByTestId("priority-chip")).toHaveText("Urgent");

  await agent.getByRole("tab", { name: "My teams" }).click();
  await expect(agent.getByTestId("conversation-row").filter({ hasText: "Rita Refund" })).toBeVisible();
  await expect(agent.getByTestId("conversation-row").filter({ hasText: "Oscar Other" })).toHaveCount(0);
  await agent.getByRole("tab", { name: "All" }).click();
  await agent.getByLabel("Order").selectOption("priority");
  await expect(agent.getByTestId("conversation-row").first()).toContainText("Rita Refund");
  await agent.screenshot({ path: "e2e/screenshots/inbox-team-priority-dark.png" });
  await agent.context().close();
});
