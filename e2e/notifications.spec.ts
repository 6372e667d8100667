import { expect, test } from "@playwright/test";
import { baseUrl, demoOwner, signedInAgent } from "./support/agent";

const telegram = () => process.env.E2E_TELEGRAM_URL!;
const sam = { email: "sam@demo.example", password: "e2e-sam-password-1" };

async function customerWrites(chatId: number, name: string, text: string) {
  const response = await fetch(`${telegram()}/control/bots/demo_support_bot/chats/${chatId}/messages`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ name, text }) });
  expect(response.status).toBe(200);
}

test("a mention in a note rings the teammate's bell live; the entry opens the conversation with the note highlighted", async ({ browser }) => {
  const owner = await signedInAgent(browser, demoOwner());
  const teammate = await signedInAgent(browser, sam, { colorScheme: "dark" });
  const count = teammate.getByTestId("notification-count");
  const before = (await count.count()) > 0 ? Number(await count.textContent()) : 0;

  await customerWrites(300501, "Lea Mention", "Was my refund approved?");
  const row = owner.getByTestId("conversation-row").filter({ hasText: "Lea Mention" });
  await expect(row).toBeVisible({ timeout: 20_000 });
  await row.click();

  // "@" in a note offers the members, filtered as one types; Enter takes the highlighted one.
  await owner.getByRole("radio", { name: "Private note" }).click();
  const composer = owner.getByLabel("Private note", { exact: true });
  await expect(composer).toBeFocused();
  await composer.pressSequentially("@Sa");
  const picker = owner.getByTestId("mention-picker");
  const options = picker.getByRole("option");
  await expect(options.filter({ hasText: "Sam Agent" })).toHaveCount(1);
  await expect(options.filter({ hasText: "Demo Owner" })).toHaveCount(0);
  // Other tests' members may match "Sa" too: the arrows walk to Sam, Enter takes the highlighted one.
  const names = await options.allTextContents();
  for (let i = 0; i < names.findIndex((name) => name.includes("Sam Agent")); i++) await owner.keyboard.press("ArrowDown");
  await expect(options.filter({ hasText: "Sam Agent" })).toHaveAttribute("aria-selected", "true");
  await owner.keyboard.press("Enter");
  await expect(composer).toHaveValue("@Sam Agent ");
  await composer.pressSequentially("please check the refund");
  await owner.keyboard.press("Enter");
  const note = owner.getByTestId("thread").locator("[data-private]").filter({ hasText: "please check the refund" });
  await expect(note.getByTestId("mention-chip")).toHaveText("@Sam Agent");
  await owner.screenshot({ path: "e2e/screenshots/notifications-mention.png" });

  // The teammate's bell counts it, live, in the other browser.
  await expect(count).toHaveText(String(before + 1), { timeout: 15_000 });
  await teammate.getByTestId("notification-bell").click();
  const entry = teammate.getByTestId("notification-entry").filter({ hasText: "mentioned you in the conversation with Lea Mention" });
  await expect(entry).toBeVisible();
  await expect(entry).toHaveAttribute("data-unread", "true");
  await expect(entry).toContainText("please check the refund");
  await teammate.screenshot({ path: "e2e/screenshots/notifications-bell-dark.png" });

  await entry.click();
  await expect(teammate).toHaveURL(/\/t\/demo\/inbox\/[0-9a-f-]{36}\?notification=[0-9a-f-]{36}&message=[0-9a-f-]{36}$/);
  const highlighted = teammate.locator("[data-highlighted]");
  await expect(highlighted).toContainText("please check the refund");
  await expect(highlighted).toBeInViewport();
  // Opening it read it: the count is back to what it was.
  if (before === 0) await expect(count).toHaveCount(0);
  else await expect(count).toHaveText(String(before));
  await teammate.screenshot({ path: "e2e/screenshots/notifications-highlighted-dark.png" });

  // Sam now takes part: the customer's next message is news for them too — read at once while Sam looks at that
  // conversation, and counted on the bell once Sam is elsewhere.
  await customerWrites(300501, "Lea Mention", "Thanks, waiting for your answer");
  await expect(highlighted.page().getByTestId("thread").getByTestId("message").filter({ hasText: "Thanks, waiting for your answer" })).toBeVisible({ timeout: 15_000 });
  await teammate.waitForTimeout(1500);
  if (before === 0) await expect(count).toHaveCount(0);
  else await expect(count).toHaveText(String(before));
  await teammate.getByRole("link", { name: "Team" }).click();
  await expect(teammate).toHaveURL(/\/t\/demo\/team$/);
  await customerWrites(300501, "Lea Mention", "Hello? Anyone?");
  await expect(count).toHaveText(String(before + 1), { timeout: 15_000 });
  await owner.context().close();
  await teammate.context().close();
});

test("notification settings: a grid per type and medium, saved; push on this device says what it can do", async ({ browser }) => {
  const page = await signedInAgent(browser, sam);
  await page.getByTestId("notification-bell").click();
  await page.getByRole("link", { name: "Notification settings" }).click();
  await expect(page).toHaveURL(/\/t\/demo\/notifications$/);
  await expect(page.getByRole("heading", { name: "Notifications", level: 1 })).toBeVisible();
  const mentionEmail = page.getByTestId("preference-mention-email");
  await expect(mentionEmail).toBeChecked();
  await mentionEmail.uncheck();
  await page.getByTestId("preference-previews").check();
  await page.getByRole("button", { name: "Save" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Saved" })).toBeVisible();
  await expect(page.getByTestId("push-device-state")).not.toHaveText("…");
  await page.screenshot({ path: "e2e/screenshots/notifications-settings.png", fullPage: true });

  await page.reload();
  await expect(page.getByTestId("preference-mention-email")).not.toBeChecked();
  await expect(page.getByTestId("preference-previews")).toBeChecked();
  await page.getByTestId("preference-mention-email").check();
  await page.getByTestId("preference-previews").uncheck();
  await page.getByRole("button", { name: "Save" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Saved" })).toBeVisible();

  // The account page leads to each workspace's settings.
  await page.goto(`${baseUrl()}/account`);
  await expect(page.getByRole("link", { name: "Demo Company" })).toHaveAttribute("href", "/t/demo/notifications");
  await page.context().close();
});

test("an email's unsubscribe link that is forged or expired says so, and changes nothing", async ({ page }) => {
  await page.goto(`${baseUrl()}/notifications/unsubscribe?token=forged.token.value`);
  await expect(page.getByRole("main").getByRole("alert")).toContainText("This link is not valid or has expired");
  const oneClick = await page.request.post(`${baseUrl()}/api/notifications/unsubscribe?token=forged`, { form: { "List-Unsubscribe": "One-Click" } });
  expect(oneClick.status()).toBe(404);
});
