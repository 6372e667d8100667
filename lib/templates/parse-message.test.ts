import { describe, expect, it } from "vitest";
import { canonicalLocale } from "./locale";
import { parseMessage } from "./parse-message";
import { templateVariables } from "./variables";

describe("parsing a template body", () => {
  it.each([
    ["Hello {firstName", "line 1, column 7: unclosed brace"],
    ["Hello {}", "line 1, column 7: empty braces; put a variable name inside"],
    ["Hi!\n{n, plural, one {# day}}", "line 2, column 24: missing the other {…} option"],
    ["{n, plural, one {# day} one {# days} other {x}}", "line 1, column 25: the same plural option appears twice"],
    ["{n, plural, =x {none} other {#}}", "line 1, column 14: expected a plural option such as one {…}, other {…} or =0 {…}"],
    ["{n, currency}", "line 1, column 5: unknown argument type; use plural, select, selectordinal, number, date or time"],
  ])("%j is refused with where and what: %s", (body, message) => {
    const parsed = parseMessage(body);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.problem.message).toBe(message);
  });

  it("lists every variable from the message's structure, inside plural and select options too", () => {
    const parsed = parseMessage("{gender, select, female {She {mood}} other {They}} has {count, plural, one {# order for {name}} other {# orders}} since {since, date}");
    if (!parsed.ok) throw new Error(parsed.problem.message);
    expect(Object.fromEntries(templateVariables(parsed.elements))).toEqual({ gender: "choice", mood: "text", count: "number", name: "text", since: "date" });
  });
});

describe("requested locales", () => {
  it("are canonicalised, and anything that is not a language tag is refused", () => {
    expect(canonicalLocale("pt_br")).toBe("pt-BR");
    expect(canonicalLocale("zh-hans")).toBe("zh-Hans");
    expect(canonicalLocale("EN")).toBe("en");
    for (const bad of ["", "e", "english!", "../etc", "en--US", "a".repeat(40)]) expect(canonicalLocale(bad)).toBeNull();
  });
});
