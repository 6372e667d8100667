import { expect, test, type Page } from "@playwright/test";
import superjson from "superjson";
import { baseUrl, demoOwner, mutate, signedInAgent } from "./support/agent";

const telegram = () => process.env.E2E_TELEGRAM_URL!;
const bot = "demo_support_bot";
const sam = { email: "sam@demo.example", password: "e2e-sam-password-1" };

async function customerWrites(chatId: number, name: string, text: string) {
  const response = await fetch(`${telegram()}/control/bots/${bot}/chats/${chatId}/messages`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ name, text }) });
  expect(response.status).toBe(200);
}

async function query<T>(page: Page, procedure: string, input?: unknown): Promise<T> {
  const search = input === undefined ? "" : `?input=${encodeURIComponent(JSON.stringify(superjson.serialize(input)))}`;
  const response = await page.request.get(`${baseUrl()}/api/trpc/${procedure}${search}`, { headers: { "x-tenant": "demo" } });
  const body = (await response.json()) as { result?: { data: never } };
  if (!response.ok() || !body.result) throw new Error(`${procedure} answered ${response.status()}: ${JSON.stringify(body)}`);
  return superjson.deserialize<T>(body.result.data);
}

test("an admin sets a team's policy and an agent's capacity; the agent goes online and gets the waiting conversation live, goes offline and it returns to the queue", async ({ browser }) => {
  const owner = await signedInAgent(browser, demoOwner());
  const members = await query<{ members: { user: { id: string; name: string } }[] }>(owner, "members.list");
  const samId = members.members.find((member) => member.user.name === "Sam Agent")!.user.id;
  const team = await mutate<{ id: string }>(owner, "teams.create", { name: "Night shift", userIds: [samId] });

  // The policy page: the team's row, round robin, conversations back to the queue at once.
  await owner.goto(`${baseUrl()}/t/demo/settings/assignment`);
  const row = owner.getByTestId("policy-row").filter({ hasText: "Night shift" });
  await row.getByLabel("Mode for Night shift").selectOption("round_robin");
  await row.getByLabel("When an agent goes offline, for Night shift").selectOption("0");
  await row.getByRole("button", { name: "Save" }).click();
  await expect(row.getByRole("button", { name: "Saved" })).toBeVisible();
  await owner.getByLabel("Open conversations per agent").fill("0");
  await expect(owner.getByText("at least 1")).toBeVisible();
  await owner.getByLabel("Open conversations per agent").fill("5");
  await owner.screenshot({ path: "e2e/screenshots/assignment-settings.png", fullPage: true });

  // Sam's own capacity, on the Members page.
  await owner.goto(`${baseUrl()}/t/demo/settings/members`);
  const capacity = owner.getByLabel("Capacity of Sam Agent");
  await capacity.fill("2");
  await capacity.press("Enter");
  await expect.poll(async () => (await query<{ members: { user: { id: string }; capacity: number | null }[] }>(owner, "members.list")).members.find((m) => m.user.id === samId)?.capacity).toBe(2);
  await owner.screenshot({ path: "e2e/screenshots/assignment-members.png", fullPage: true });

  // A customer writes; the owner moves the conversation to the team, where it waits: nobody of the team is online.
  await customerWrites(300901, "Iris Night", "Is anyone there at this hour?");
  await owner.goto(`${baseUrl()}/t/demo/inbox`);
  const ownerRow = owner.getByTestId("conversation-row").filter({ hasText: "Iris Night" });
  await ownerRow.click();
  await owner.getByLabel("Team", { exact: true }).selectOption(team.id);
  await expect(owner.getByText("waiting in queue")).toBeVisible();
  await expect(owner.getByTestId("queue-indicator")).toContainText("waiting");

  // Sam comes online: the conversation is his, live, with the reason in the thread.
  const agent = await signedInAgent(browser, sam, { colorScheme: "dark" });
  await agent.getByRole("tab", { name: "Mine" }).click();
  await agent.getByLabel("My availability").selectOption("online");
  const samRow = agent.getByTestId("conversation-row").filter({ hasText: "Iris Night" });
  await expect(samRow).toBeVisible({ timeout: 20_000 });
  await samRow.click();
  await expect(agent.getByTestId("assignment-line").filter({ hasText: "Assigned to Sam Agent from the queue" })).toBeVisible();
  await expect(owner.getByText("Assigned to Sam Agent", { exact: false }).first()).toBeVisible();
  await agent.screenshot({ path: "e2e/screenshots/assignment-online-dark.png" });

  // Sam goes offline: the policy returns it to the queue at once, and both inboxes say why.
  await agent.getByLabel("My availability").selectOption("offline");
  await expect(agent.getByText("1 conversation went back to the queue.")).toBeVisible();
  await expect(owner.getByTestId("assignment-line").filter({ hasText: "Returned to queue: Sam Agent went offline" })).toBeVisible({ timeout: 20_000 });
  await expect(owner.getByText("waiting in queue")).toBeVisible();
  await expect(owner.getByTestId("queue-indicator")).toContainText("waiting");
  await owner.screenshot({ path: "e2e/screenshots/assignment-returned.png" });

  // Leave the demo as it was for the other tests: no policy, the conversation resolved.
  await mutate(owner, "assignment.updatePolicy", { teamId: team.id, mode: "off", returnAfterMinutes: null });
  await owner.getByRole("button", { name: "Resolve" }).click();
  // Resolved before the browser closes: an open conversation left behind would count in the next tests' lists.
  await expect(owner.getByRole("button", { name: "Reopen" })).toBeVisible();
  await mutate(owner, "teams.delete", { id: team.id });
  await owner.context().close();
  await agent.context().close();
});
