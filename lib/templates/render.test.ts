import { describe, expect, it } from "vitest";
import { parseMessage } from "./parse-message";
import { formatMessage, pickVariant, renderTemplate, resolveVariant } from "./render";

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

describe("variant fallback", () => {
  const variants = [
    { locale: "en", body: "en" },
    { locale: "pt-BR", body: "pt-BR" },
    { locale: "ru", body: "ru" },
  ];
  it.each([
    ["pt-BR", "ru", "pt-BR", "exact"],
    ["pt-br", "ru", "pt-BR", "exact"],
    ["pt-PT", "ru", "ru", "default"], // no "pt" variant: pt-BR is another region, not the language
    ["ru-RU", "ru", "ru", "language"],
    ["de", "ru", "ru", "default"],
    ["de", "de", "en", "english"],
    ["en", "ru", "en", "exact"],
  ])("%s with the workspace default %s → %s (%s)", (locale, defaultLocale, used, fallback) => {
    expect(resolveVariant(variants, locale, defaultLocale)).toEqual({ variant: { locale: used, body: used }, fallback });
  });

  it("takes whatever exists when neither the locale, its language, the default nor English do", () => {
    expect(resolveVariant([{ locale: "fr", body: "fr" }], "de", "ru")).toEqual({ variant: { locale: "fr", body: "fr" }, fallback: "any" });
    expect(resolveVariant([], "de", "ru")).toBeUndefined();
  });
});

describe("formatting a parsed message", () => {
  const format = (body: string, locale: string, variables: Record<string, string | number>) => {
    const parsed = parseMessage(body);
    if (!parsed.ok) throw new Error(parsed.problem.message);
    return formatMessage(parsed.elements, locale, variables);
  };
  const messages = "{count, plural, one {# message} other {# messages}}";
  const russian = "{count, plural, one {# сообщение} few {# сообщения} many {# сообщений} other {# сообщения}}";

  it("chooses plural forms by the locale's rules, taking numbers given as strings", () => {
    expect(format(messages, "en", { count: 1 }).text).toBe("1 message");
    expect(format(messages, "en", { count: "5" }).text).toBe("5 messages");
    expect(format(russian, "ru", { count: 21 }).text).toBe("21 сообщение");
    expect(format(russian, "ru", { count: "3" }).text).toBe("3 сообщения");
    expect(format(russian, "ru", { count: 11 }).text).toBe("11 сообщений");
  });

  it("shows a missing plural's other form with {name} for the number, and reports it", () => {
    expect(format(`You have ${messages}`, "en", {})).toEqual({ text: "You have {count} messages", missing: ["count"] });
    expect(format(messages, "en", { count: "many" })).toEqual({ text: "{count} messages", missing: ["count"] });
  });

  it("counts a select's options as text, not as variables, and reports variables inside options", () => {
    const body = "{gender, select, female {She} other {They}} wrote to {agentName}: {count, plural, one {# reply from {name}} other {# replies}}";
    expect(format(body, "en", { gender: "female", count: 1 })).toEqual({ text: "She wrote to {agentName}: 1 reply from {name}", missing: ["agentName", "name"] });
  });

  it("writes tags and quoted braces as text", () => {
    expect(format("<b>{name}</b> says '{'hi'}'", "en", { name: "Mia" }).text).toBe("<b>Mia</b> says {hi}");
  });

  it("formats dates given as ISO strings and leaves unusable ones missing", () => {
    expect(format("{when, date, ::yyyyMMdd}", "en", { when: "2024-03-05T12:00:00Z" }).text).toBe("03/05/2024");
    expect(format("Due {when, date, short}", "en", { when: "soon" })).toEqual({ text: "Due {when}", missing: ["when"] });
  });
});

describe("renderTemplate for a bot's reply", () => {
  it("writes a variable without a value as nothing when asked to, never as a placeholder", () => {
    const body = "Hi {username}, {agentName} here. {count, plural, one {# order} other {# orders}} open.";
    expect(renderTemplate(body, "en", { count: 2 }).text).toBe("Hi {username}, {agentName} here. 2 orders open.");
    const bot = renderTemplate(body, "en", { count: 2 }, { placeholder: () => "" });
    expect(bot.text).toBe("Hi ,  here. 2 orders open.");
    expect(bot.missing).toEqual(["username", "agentName"]);
  });
});
