import { describe, expect, it } from "vitest";
import { cleanDeep, cleanText, hasUnsafeText, unsafeTextPaths } from "./clean-text";

describe("cleanText", () => {
  it("removes NUL and unpaired surrogates, and keeps everything else, pairs included", () => {
    expect(cleanText("a\u0000b")).toBe("ab");
    expect(cleanText("x\uD800y")).toBe("xy");
    expect(cleanText("x\uDC00y")).toBe("xy");
    expect(cleanText("\uDC00\uD800")).toBe("");
    expect(cleanText("emoji 😀 ok")).toBe("emoji 😀 ok");
    expect(cleanText("\u202Eevil\u200B right-to-left and zero-width stay: they are text")).toBe("\u202Eevil\u200B right-to-left and zero-width stay: they are text");
    expect(hasUnsafeText("plain")).toBe(false);
    expect(hasUnsafeText("😀")).toBe(false);
    expect(hasUnsafeText("\uD83D")).toBe(true);
  });
});

describe("cleanDeep and unsafeTextPaths", () => {
  it("clean every string and key of a JSON value and name where the bad ones were", () => {
    const value = { text: "hi\u0000", nested: [{ name: "\uD800Ann" }], "k\u0000ey": 1, n: 5, d: new Date(0) };
    expect(unsafeTextPaths(value)).toEqual(expect.arrayContaining(["text", "nested.0.name", "k\u0000ey"]));
    expect(cleanDeep(value)).toEqual({ text: "hi", nested: [{ name: "Ann" }], key: 1, n: 5, d: new Date(0) });
    expect(unsafeTextPaths(value)).toEqual([]);
  });

  it("walk a value nested far deeper than the stack would allow a recursive walk", () => {
    let deep: unknown = "\u0000bottom";
    for (let i = 0; i < 200_000; i++) deep = [deep];
    expect(unsafeTextPaths(deep)).toHaveLength(1);
    let inner = cleanDeep(deep);
    for (let i = 0; i < 200_000; i++) inner = (inner as unknown[])[0];
    expect(inner).toBe("bottom");
  });
});
