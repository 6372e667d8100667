import { describe, expect, it } from "vitest";
import { draftOf, isHexColor, newWidgetDraft, originErrors, originLines, widgetInput } from "./widget-draft";

describe("originLines", () => {
  it("takes the non-blank lines, trimmed, each with its line number", () => {
    expect(originLines("https://a.example\n\n  https://b.example  \r\nhttp://localhost:3000\n")).toEqual([
      { line: 1, origin: "https://a.example" },
      { line: 3, origin: "https://b.example" },
      { line: 4, origin: "http://localhost:3000" },
    ]);
    expect(originLines(" \n\n")).toEqual([]);
  });
});

describe("originErrors", () => {
  const sent = originLines("https://ok.example\n\nhtp://typo\nhttps://shop.example/path");

  it("puts the server's error about the N-th origin sent at its line, in line order", () => {
    const errors = originErrors({ "allowedOrigins.2": ["an origin has no path"], "allowedOrigins.1": ["use http or https"], name: ["too long"] }, sent);
    expect(errors.lines).toEqual([
      { line: 3, origin: "htp://typo", error: "use http or https" },
      { line: 4, origin: "https://shop.example/path", error: "an origin has no path" },
    ]);
    expect(errors.list).toEqual([]);
  });

  it("keeps errors about the list as a whole, and any it cannot place, without a line", () => {
    expect(originErrors({ allowedOrigins: ["at least one origin"], "allowedOrigins.9": ["bad"] }, sent)).toEqual({ lines: [], list: ["at least one origin", "bad"] });
  });
});

describe("widgetInput and draftOf", () => {
  it("sends the lines as the origins list and the rest trimmed, with a lower-case colour", () => {
    const draft = { ...newWidgetDraft(), name: "  Shop  ", origins: "https://shop.example\n\nhttps://www.shop.example", color: "#FF8800", position: "left" as const, greeting: "  Hi!  ", preChat: true };
    expect(widgetInput(draft, originLines(draft.origins))).toEqual({
      name: "Shop",
      allowedOrigins: ["https://shop.example", "https://www.shop.example"],
      color: "#ff8800",
      position: "left",
      greeting: "Hi!",
      requireIdentity: false,
      preChat: { enabled: true, fields: [] },
    });
  });

  it("sends no greeting as null", () => {
    expect(widgetInput({ ...newWidgetDraft(), greeting: "   " }, []).greeting).toBeNull();
  });

  it("edits a saved widget as it is, its own pre-chat fields kept", () => {
    const fields = [{ key: "order", label: "Order number", type: "text" as const, required: false }];
    const draft = draftOf("Shop", { allowedOrigins: ["https://a.example", "https://b.example"], color: "#123456", position: "right", greeting: null, requireIdentity: true, preChat: { enabled: false, fields } });
    expect(draft).toEqual({ name: "Shop", origins: "https://a.example\nhttps://b.example", color: "#123456", position: "right", greeting: "", requireIdentity: true, preChat: false, preChatFields: fields });
    expect(widgetInput(draft, originLines(draft.origins)).preChat).toEqual({ enabled: false, fields });
  });
});

describe("isHexColor", () => {
  it("takes # and six hex digits only", () => {
    expect(["#2563eb", "#ABCDEF"].map(isHexColor)).toEqual([true, true]);
    expect(["2563eb", "#fff", "#2563eg", "#2563eb0", "red", ""].map(isHexColor)).toEqual([false, false, false, false, false, false]);
  });
});
