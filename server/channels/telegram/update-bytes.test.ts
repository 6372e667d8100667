import { describe, expect, it } from "vitest";
import { updateBytes } from "./update-bytes";

describe("updateBytes", () => {
  it("writes an update as JSON.stringify does", () => {
    const update = { update_id: 1, message: { text: "a\u0000b \uD800 😀", list: [1, null, "x", { deep: true }], skipped: undefined }, empty: {}, none: [] };
    expect(updateBytes(update).toString("utf8")).toBe(JSON.stringify(update));
  });

  it("writes a value nested too deep for JSON.stringify, byte for byte as it was read", () => {
    const text = `{"update_id":2,"message":{"chat":${"[".repeat(300_000)}"bottom",{"k":1}${"]".repeat(300_000)}}}`;
    const value = JSON.parse(text) as unknown;
    expect(() => JSON.stringify(value)).toThrow(RangeError);
    expect(updateBytes(value).toString("utf8")).toBe(text);
  });
});
