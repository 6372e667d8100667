import { expect, type Browser, type BrowserContextOptions, type Page } from "@playwright/test";
import superjson from "superjson";

/** An agent of the demo workspace in a browser of their own: signing in, and calling the API as them. */

export const baseUrl = () => process.env.E2E_BASE_URL!;
export const demoOwner = () => ({ email: "owner@demo.example", password: process.env.E2E_DEMO_PASSWORD! });

/** A new browser context signed in as `who`, on the demo workspace's inbox with its live connection up. */
export async function signedInAgent(browser: Browser, who: { email: string; password: string }, options: BrowserContextOptions = {}): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, ...options });
  const page = await context.newPage();
  await page.goto(`${baseUrl()}/sign-in?callbackUrl=${encodeURIComponent("/t/demo/inbox")}`);
  await page.getByLabel("Email").fill(who.email);
  await page.getByLabel("Password").fill(who.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/t\/demo\/inbox/);
  await expect(page.getByLabel("Live", { exact: true })).toBeVisible();
  return page;
}

/** A tRPC mutation in the demo workspace with the page's session; throws unless it succeeded. */
export async function mutate<T>(page: Page, procedure: string, input: unknown): Promise<T> {
  const response = await page.request.post(`${baseUrl()}/api/trpc/${procedure}`, {
    headers: { "content-type": "application/json", "x-tenant": "demo", origin: baseUrl() },
    data: superjson.serialize(input),
  });
  const body = (await response.json()) as { result?: { data: never } };
  if (!response.ok() || !body.result) throw new Error(`${procedure} answered ${response.status()}: ${JSON.stringify(body)}`);
  return superjson.deserialize<T>(body.result.data);
}
