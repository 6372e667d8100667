import { readFileSync } from "node:fs";
import { expect, test } from "@playwright/test";
import { parse } from "csv-parse/sync";
import { baseUrl, demoOwner, signedInAgent } from "./support/agent";

const telegram = () => process.env.E2E_TELEGRAM_URL!;

async function customerWrites(chatId: number, name: string, text: string) {
  const response = await fetch(`${telegram()}/control/bots/demo_support_bot/chats/${chatId}/messages`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ name, text }) });
  expect(response.status).toBe(200);
}

test("reports: a customer's conversation answered in the inbox shows in the figures; a figure opens its conversations; the CSV downloads and parses", async ({ browser }) => {
  const page = await signedInAgent(browser, demoOwner());
  await customerWrites(300701, "Rita Report", "Where is my order?");
  const row = page.getByTestId("conversation-row").filter({ hasText: "Rita Report" });
  await expect(row).toBeVisible({ timeout: 20_000 });
  await row.click();
  await page.getByLabel("Reply", { exact: true }).fill("It ships today, Rita.");
  await page.keyboard.press("Enter");
  await expect(page.getByTestId("thread")).toContainText("It ships today, Rita.");

  await page.getByRole("link", { name: "Reports", exact: true }).first().click();
  await expect(page.getByRole("heading", { name: "Reports", level: 1 })).toBeVisible();
  await expect(page.getByTestId("live-open")).toBeVisible();
  // Once the worker's follower has counted the reply, the first responses' conversations list Rita's.
  const drill = page.getByTestId("drill-down");
  await expect(async () => {
    await page.reload();
    await page.getByTestId("figure-firstResponse").click();
    await expect(drill.getByRole("table")).toBeVisible({ timeout: 2000 });
    // Longest waits first, a page at a time: other tests' conversations may come before Rita's.
    const more = drill.getByRole("button", { name: "Show more" });
    while (!(await drill.getByText("Rita Report").count()) && (await more.count())) {
      await more.click();
      await expect(more.or(drill.getByText("Rita Report")).first()).toBeVisible();
    }
    await expect(drill).toContainText("Rita Report", { timeout: 1000 });
  }).toPass({ timeout: 20_000 });
  await expect(page.getByTestId("figure-firstResponse")).not.toContainText(/· 0 timed/);
  await expect(page.getByTestId("figure-conversations")).not.toContainText(/^New conversations0$/);
  await expect(page.getByTestId("report-chart").getByRole("application")).toBeVisible();
  await page.getByTestId("report-definitions").locator("summary").click();
  await expect(page.getByTestId("report-definitions")).toContainText("Private notes, auto-replies and bots' messages are not replies");
  await page.screenshot({ path: "e2e/screenshots/reports.png", fullPage: true });

  // The drill-down's conversations each open the inbox.
  await expect(drill.getByRole("link", { name: "Open in the inbox" }).first()).toHaveAttribute("href", /^\/t\/demo\/inbox\/[0-9a-f-]{36}$/);

  // The breakdown by agent names the owner, who replied.
  await expect(page.getByTestId("breakdown-table")).toContainText("Demo Owner");

  // The CSV of every fact downloads and parses, with the reply's first response in it.
  await page.getByText("Download CSV").click();
  const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "Every fact" }).click()]);
  expect(download.suggestedFilename()).toMatch(/^report-demo-facts-\d{4}-\d{2}-\d{2}-\d{4}-\d{2}-\d{2}\.csv$/);
  const rows = parse(readFileSync((await download.path())!), { bom: true }) as string[][];
  expect(rows[0]).toEqual(["day", "at", "kind", "conversation_id", "cycle", "seconds", "business_seconds", "channel_id", "team_id", "agent_id", "labels"]);
  expect(rows.some((csvRow) => csvRow[2] === "first_response" && Number(csvRow[5]) >= 0)).toBe(true);
  await page.context().close();
});

test("reports in dark and in Russian", async ({ browser }) => {
  const page = await signedInAgent(browser, demoOwner(), { colorScheme: "dark" });
  await page.goto(`${baseUrl()}/t/demo/reports`);
  await expect(page.getByTestId("figure-firstResponse")).toBeVisible();
  await page.screenshot({ path: "e2e/screenshots/reports-dark.png", fullPage: true });
  await page.getByLabel("Language", { exact: true }).first().selectOption("ru");
  await expect(page.getByRole("heading", { name: "Отчёты", level: 1 })).toBeVisible();
  await expect(page.getByTestId("figure-firstResponse")).toContainText("Время первого ответа");
  await page.screenshot({ path: "e2e/screenshots/reports-ru.png", fullPage: true });
  // Back to English for the other tests of this person.
  await page.getByLabel("Язык", { exact: true }).first().selectOption("en");
  await expect(page.getByRole("heading", { name: "Reports", level: 1 })).toBeVisible();
  await page.context().close();
});
