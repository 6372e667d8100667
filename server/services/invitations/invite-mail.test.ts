import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@/server/test/database";
import { createTenantFixture, type TenantFixture } from "@/server/test/fixtures";
import { freePort } from "@/server/test/free-port";
import { startSmtpServer } from "@/server/test/smtp";
import { callerFor } from "@/server/test/trpc";

/** With SMTP_URL set, the link goes to the invitee by mail (a real SMTP server here) and not to the admin. */

let database: TestDatabase;
let t: TenantFixture;
let smtp: Awaited<ReturnType<typeof startSmtpServer>>;

beforeAll(async () => {
  database = await createTestDatabase();
  t = await createTenantFixture(database.db, "mailers");
  smtp = await startSmtpServer();
});
afterAll(async () => {
  await smtp.close();
  await database.drop();
  delete process.env.SMTP_URL;
});

describe("invitation mail", () => {
  it("mails the single-use link to the invitee and does not show it to the admin", async () => {
    process.env.SMTP_URL = smtp.url;
    const invited = await callerFor(database, t.as("admin"), { tenantSlug: "mailers" }).members.invite({ email: "mailed@example.com", role: "agent" });
    expect(invited).toMatchObject({ emailed: true, url: null });
    expect(smtp.received).toHaveLength(1);
    expect(smtp.received[0]!.to).toEqual(["mailed@example.com"]);
    expect(smtp.received[0]!.body).toContain("You are invited to Tenant mailers on Support Chat");
    const token = /\/invite\/([\w-]{43})/.exec(smtp.received[0]!.body)?.[1];
    expect(token).toBeDefined();
    expect((await callerFor(database, null).invitations.get({ token: token! })).email).toBe("mailed@example.com");
  });

  it("reports a mail server that cannot be reached, and keeps no invitation", async () => {
    process.env.SMTP_URL = `smtp://127.0.0.1:${await freePort()}`;
    const before = await database.db.invitation.count();
    await expect(
      callerFor(database, t.as("admin"), { tenantSlug: "mailers" }).members.invite({ email: "unlucky@example.com", role: "agent" }),
    ).rejects.toMatchObject({ code: "SERVICE_UNAVAILABLE", message: expect.stringMatching(/^the invitation email could not be sent/) });
    expect(await database.db.invitation.count()).toBe(before);
  });
});
