import { parse, TYPE, type MessageFormatElement } from "@formatjs/icu-messageformat-parser";
import IntlMessageFormat from "intl-messageformat";
import { describe, expect, it } from "vitest";
import { consoleMessages } from "./messages";

type Tree = { [key: string]: string | Tree };

function flatten(tree: Tree, prefix = ""): Map<string, string> {
  const out = new Map<string, string>();
  for (const [key, value] of Object.entries(tree)) {
    if (typeof value === "string") out.set(prefix + key, value);
    else for (const [nested, text] of flatten(value, `${prefix}${key}.`)) out.set(nested, text);
  }
  return out;
}

function argumentsOf(elements: MessageFormatElement[], found = new Set<string>()): Set<string> {
  for (const element of elements) {
    if ("value" in element && element.type !== TYPE.literal) found.add(String(element.value));
    if (element.type === TYPE.plural || element.type === TYPE.select) for (const option of Object.values(element.options)) argumentsOf(option.value, found);
    if (element.type === TYPE.tag) argumentsOf(element.children, found);
  }
  return found;
}

const english = flatten((await consoleMessages.en()) as Tree);
const russian = flatten((await consoleMessages.ru()) as Tree);

describe("console messages", () => {
  it("the admin and agent message files never define the same namespace (one would hide the other)", async () => {
    const admin = Object.keys((await import("./messages/en.json")).default);
    const agent = Object.keys((await import("./messages/agent/en.json")).default);
    expect(admin.filter((namespace) => agent.includes(namespace))).toEqual([]);
  });

  it("Russian has exactly the English keys", () => {
    expect([...russian.keys()].sort()).toEqual([...english.keys()].sort());
  });

  it("every message is valid ICU in both languages and uses the same variables in each", () => {
    const problems: string[] = [];
    for (const key of english.keys()) {
      try {
        const a = [...argumentsOf(parse(english.get(key)!, { requiresOtherClause: true }))].sort();
        const b = [...argumentsOf(parse(russian.get(key) ?? "", { requiresOtherClause: true }))].sort();
        if (a.join() !== b.join()) problems.push(`${key}: en uses ${a.join(", ")}; ru uses ${b.join(", ")}`);
      } catch (error) {
        problems.push(`${key}: ${(error as Error).message}`);
      }
    }
    expect(problems).toEqual([]);
  });

  it("Russian plurals pick one, few and many", () => {
    const line = (count: number) => new IntlMessageFormat(russian.get("settings.retention.purgeLine")!, "ru").format({ when: "сегодня", messages: count, uploads: 0, cutoff: "вчера" });
    expect(line(1)).toContain("1 сообщение");
    expect(line(3)).toContain("3 сообщения");
    expect(line(5)).toContain("5 сообщений");
  });
});
