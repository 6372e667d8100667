import { describe, expect, it } from "vitest";
import { findSecrets } from "./check-log-secrets";

describe("check-log-secrets", () => {
  const line = (fields: Record<string, unknown>) => JSON.stringify({ level: 30, msg: "x", ...fields });

  it("finds each shape of secret, and names the line and kind without repeating it", () => {
    const log = [
      line({ msg: "clean" }),
      line({ url: "https://api.telegram.org/bot700123:" + "A".repeat(35) + "/getMe" }),
      line({ key: "sck_abcdEF12_" + "k".repeat(43) }),
      line({ headers: { cookie: "next-auth.session-token=eyJhbGciOi.abc" } }),
      line({ authorization: "Bearer sck_whatever_1234567890abcdef" }),
      line({ url: "postgres://app:hunter2@db:5432/support" }),
      line({ note: "my-very-own-secret" }),
      line({ msg: "demo sign-in: owner@demo.example / scdemo_AbCdEfGh12345678" }),
    ].join("\n");
    expect(findSecrets("web.log", log, ["my-very-own-secret"])).toEqual([
      { file: "web.log", line: 2, what: "a Telegram bot token" },
      { file: "web.log", line: 3, what: "an API key" },
      { file: "web.log", line: 4, what: "a session cookie" },
      { file: "web.log", line: 5, what: "a bearer credential" },
      { file: "web.log", line: 6, what: "a password in a database URL" },
      { file: "web.log", line: 7, what: "a value listed in SECRET_VALUES" },
      { file: "web.log", line: 8, what: "the demo owner's password" },
    ]);
  });

  it("passes what the logger writes in their place", () => {
    const log = [
      line({ authorization: "[redacted]", cookie: "[redacted]", token: "[redacted]" }),
      line({ headers: { cookie: "next-auth.session-token=[redacted]" } }),
      line({ channelId: "0b8f6c7e-1d2a-4c5b-9e8f-7a6b5c4d3e2f", updateId: 700123 }),
      line({ url: "postgres://postgres@127.0.0.1:5432/support" }),
    ].join("\n");
    expect(findSecrets("web.log", log, [])).toEqual([]);
  });
});
