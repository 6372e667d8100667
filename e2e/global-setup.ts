import { startStack } from "./support/stack";

/** One running product for the whole browser run; its address reaches the tests through the environment. */
export default async function globalSetup() {
  const stack = await startStack();
  process.env.E2E_BASE_URL = stack.baseUrl;
  process.env.E2E_DEMO_PASSWORD = stack.demoPassword;
  process.env.E2E_TELEGRAM_URL = stack.telegramUrl;
  process.env.E2E_DEMO_SITE_URL = stack.demoSiteUrl;
  process.env.E2E_STACK_ENV = JSON.stringify(stack.env);
  // A second workspace the demo owner also belongs to, for the tenant switcher.
  stack.admin(["tenant:create", "--name", "Second Shop", "--slug", "second-shop"]);
  stack.admin(["user:create", "--tenant", "second-shop", "--email", "owner@demo.example", "--role", "agent"]);
  // A second agent of the demo workspace, for the inbox's two-agent scenario.
  stack.admin(["user:create", "--tenant", "demo", "--email", "sam@demo.example", "--name", "Sam Agent", "--role", "agent", "--password", "e2e-sam-password-1"]);
  return stack.stop;
}
