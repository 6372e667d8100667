import { describe, expect, it } from "vitest";
import { pickVariant, renderTemplate } from "./render";

describe("canned response rendering", () => {
  const variants = [
    { locale: "en", body: "Hi {firstName}!" },
    { locale: "ru", body: "Здравствуйте, {firstName}!" },
    { locale: "pt-BR", body: "Olá, {firstName}!" },
  ];
  it("picks the exact locale, then its language, then the default, then English", () => {
    expect(pickVariant(variants, "pt-BR")?.locale).toBe("pt-BR");
    expect(pickVariant(variants, "ru-UA")?.locale).toBe("ru");
    expect(pickVariant(variants, "de", "ru")?.locale).toBe("ru");
    expect(pickVariant(variants, "de")?.locale).toBe("en");
    expect(pickVariant(variants, null)?.locale).toBe("en");
    expect(pickVariant([{ locale: "fr", body: "x" }], "de")?.locale).toBe("fr");
  });
  it("fills variables, plurals included, and reports the ones it lacks", () => {
    expect(renderTemplate("Hi {firstName}!", "en", { firstName: "Mia" })).toEqual({ text: "Hi Mia!", missing: [] });
    expect(renderTemplate("{n, plural, one {# day} other {# days}}", "en", { n: 3 })).toEqual({ text: "3 days", missing: [] });
    expect(renderTemplate("Hi {firstName}, {agentName} here", "en", { firstName: "Mia" })).toEqual({ text: "Hi Mia, {agentName} here", missing: ["agentName"] });
    expect(renderTemplate("Broken {", "en", {})).toEqual({ text: "Broken {", missing: [] });
  });
});
