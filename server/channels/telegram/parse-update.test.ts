import { describe, expect, it } from "vitest";
import { parseUpdate } from "./parse-update";

const message = (fields: Record<string, unknown> = {}) => ({
  update_id: 10,
  message: { message_id: 1, date: 1, chat: { id: 1, type: "private" }, from: { id: 1, is_bot: false, first_name: "Ann" }, text: "hi", ...fields },
});

describe("parseUpdate", () => {
  it("cleans NUL and unpaired surrogates out of every string before parsing", () => {
    const parsed = parseUpdate({ json: JSON.stringify(message({ text: "a\u0000b\uD800c", from: { id: 1, is_bot: false, first_name: "A\u0000nn\uDC00" } })) });
    expect(parsed).toMatchObject({ ok: true, update: { message: { text: "abc", from: { first_name: "Ann" } } } });
  });

  it("takes texts and names up to its bounds and quarantines past them, saying which field and how long", () => {
    expect(parseUpdate({ value: message({ text: "x".repeat(16_384) }) }).ok).toBe(true);
    expect(parseUpdate({ value: message({ text: "x".repeat(1_000_000) }) })).toEqual({
      ok: false,
      code: "too_long",
      error: "message.text is 1,000,000 characters long, more than intake takes (16,384, far above Telegram's own limits)",
      updateId: 10,
    });
    expect(parseUpdate({ value: message({ caption: "c".repeat(16_385), text: undefined }) })).toMatchObject({ code: "too_long", error: expect.stringMatching(/^message\.caption is 16,385/) });
    expect(parseUpdate({ value: message({ from: { id: 1, is_bot: false, first_name: "n".repeat(1_025) } }) })).toMatchObject({ code: "too_long", error: expect.stringMatching(/^message\.from\.first_name is 1,025/) });
    expect(parseUpdate({ value: message({ from: { id: 1, is_bot: false, first_name: "A", username: "u".repeat(257) } }) })).toMatchObject({ code: "too_long", error: expect.stringMatching(/^message\.from\.username/) });
    expect(parseUpdate({ value: message({ document: { file_id: "f", file_name: "n".repeat(1_025) } }) })).toMatchObject({ code: "too_long", error: expect.stringMatching(/^message\.document\.file_name/) });
    const press = { update_id: 11, callback_query: { id: "q", from: { id: 1, is_bot: false, first_name: "A" }, data: "d".repeat(1_025) } };
    expect(parseUpdate({ value: press })).toMatchObject({ code: "too_long", error: expect.stringMatching(/^callback_query\.data/), updateId: 11 });
  });

  it("names what is wrong with a body that is not JSON, or not an update", () => {
    expect(parseUpdate({ json: "{not json" })).toMatchObject({ ok: false, code: "invalid_json", error: expect.stringMatching(/^the body is not JSON: /), updateId: null });
    expect(parseUpdate({ json: JSON.stringify({ update_id: 12, message: { message_id: "one" } }) })).toMatchObject({ ok: false, code: "not_an_update", error: expect.stringMatching(/^not a Telegram update: message\.message_id: /), updateId: 12 });
    expect(parseUpdate({ json: "[]" })).toMatchObject({ ok: false, code: "not_an_update", error: expect.stringMatching(/^not a Telegram update: the body: /) });
  });

  it("reads a megabyte of nesting without overflowing the stack: ignored where the schema does not look, refused where it does", () => {
    const deep = "[".repeat(500_000) + "]".repeat(500_000);
    const inUnknownField = `{"update_id":13,"message":${JSON.stringify(message().message).slice(0, -1)},"entities":${deep}}}`;
    expect(parseUpdate({ json: inUnknownField })).toMatchObject({ ok: true, update: { update_id: 13, message: { text: "hi" } } });
    expect(parseUpdate({ json: `{"update_id":14,"message":{"message_id":1,"date":1,"chat":${deep}}}` })).toMatchObject({ ok: false, code: "not_an_update", updateId: 14 });
    expect(parseUpdate({ json: deep })).toMatchObject({ ok: false, code: "not_an_update" });
  });

  it("keeps update types it does not know (they are ignored downstream, never refused)", () => {
    expect(parseUpdate({ value: { update_id: 15, message_reaction: { chat: { id: 1 } } } })).toMatchObject({ ok: true, update: { update_id: 15 } });
  });
});

describe("shared places", () => {
  it("a venue keeps its title and address with its location; a bare location has neither", async () => {
    const { normalizeUpdate } = await import("./normalize-update");
    const location = { latitude: 52.52, longitude: 13.405 };
    const venue = parseUpdate({ value: message({ text: undefined, location, venue: { location, title: "Café <b>Zentral</b>", address: "Unter den Linden 1" } }) });
    expect(venue.ok && normalizeUpdate(venue.update)).toMatchObject({ kind: "message", content: { location: { ...location, title: "Café <b>Zentral</b>", address: "Unter den Linden 1" } } });
    const bare = parseUpdate({ value: message({ text: undefined, location }) });
    expect(bare.ok && normalizeUpdate(bare.update)).toMatchObject({ kind: "message", content: { location } });
  });
});
