import { describe, expect, it } from "vitest";
import { httpLink, widgetVisitorDetails } from "./identity-details";

describe("httpLink", () => {
  it("links plain http and https addresses", () => {
    expect(httpLink("https://shop.example.com/cart?step=2")).toBe("https://shop.example.com/cart?step=2");
    expect(httpLink("HTTP://Example.com")).toBe("http://example.com/");
  });

  it("never links a script, data or other scheme, however it is disguised", () => {
    for (const value of ["javascript:alert(1)", " javascript:alert(1)", "JaVaScRiPt:alert(1)", "java\tscript:alert(1)", "java\nscript:alert(1)", "data:text/html,<script>alert(1)</script>", "vbscript:msgbox(1)", "file:///etc/passwd", "ftp://example.com"]) {
      expect(httpLink(value), value).toBeNull();
    }
  });

  it("does not link what is not an absolute URL", () => {
    for (const value of ["/relative/path", "//evil.example.com", "example.com", "", "not a url"]) expect(httpLink(value), value).toBeNull();
  });
});

describe("widgetVisitorDetails", () => {
  it("reads the widget's fields and keeps the rest as pre-chat answers, flattened one level", () => {
    expect(
      widgetVisitorDetails({ pageUrl: "https://shop.example.com/", referrer: "https://google.com/", browser: "Firefox 133", locale: "de-DE", verifiedId: "user-42", company: "Acme", fields: { order: "5521", vip: true } }),
    ).toEqual({ pageUrl: "https://shop.example.com/", referrer: "https://google.com/", browser: "Firefox 133", locale: "de-DE", verifiedId: "user-42", fields: [["company", "Acme"], ["order", "5521"], ["vip", "true"]] });
  });

  it("keeps only text from what a hostile browser may have stored", () => {
    const read = widgetVisitorDetails({ pageUrl: { toString: "x" }, referrer: ["a"], browser: null, locale: 5, nested: { deeper: { html: "<b>" } }, list: ["a", "b"], empty: "" });
    expect(read).toEqual({ pageUrl: null, referrer: null, browser: null, locale: "5", verifiedId: null, fields: [] });
  });

  it("reads nothing from details that are not an object", () => {
    for (const details of [null, undefined, "text", 42, ["pageUrl"]]) expect(widgetVisitorDetails(details).fields).toEqual([]);
  });

  it("shows at most 30 answers", () => {
    const many = Object.fromEntries(Array.from({ length: 100 }, (_, i) => [`field${i}`, `value ${i}`]));
    expect(widgetVisitorDetails(many).fields).toHaveLength(30);
  });
});
