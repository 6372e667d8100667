import { describe, expect, it } from "vitest";
import { mentionQuery, mentionsIn, splitMentions } from "./mentions";

const sam = { userId: "u-sam", name: "Sam" };
const samantha = { userId: "u-samantha", name: "Samantha Lee" };

describe("mentions in a note", () => {
  it("finds each chosen member's @Name still in the text, longest names first, whole words only", () => {
    expect(mentionsIn("@Samantha Lee and @Sam, not @Samuel or me@Sam", [sam, samantha])).toEqual([
      { userId: "u-samantha", offset: 0, length: 13 },
      { userId: "u-sam", offset: 18, length: 4 },
    ]);
  });

  it("drops a mention whose text was deleted, and keeps one mentioned twice at both places", () => {
    expect(mentionsIn("no one here", [sam])).toEqual([]);
    expect(mentionsIn("@Sam then @Sam", [sam]).map((m) => m.offset)).toEqual([0, 10]);
  });

  it("counts offsets in UTF-16 units, as the server checks them", () => {
    const [mention] = mentionsIn("👋 @Sam", [sam]);
    expect(mention).toEqual({ userId: "u-sam", offset: 3, length: 4 });
    expect("👋 @Sam".slice(mention!.offset, mention!.offset + mention!.length)).toBe("@Sam");
  });

  it("opens the picker for an @ at a word's start and follows what is typed after it", () => {
    expect(mentionQuery("hello @sa", 9)).toEqual({ query: "sa", start: 6 });
    expect(mentionQuery("@", 1)).toEqual({ query: "", start: 0 });
    expect(mentionQuery("mail me@sa", 10)).toBeNull();
    expect(mentionQuery("@sam done", 9)).toBeNull();
  });

  it("cuts the text into runs and chips, ignoring ranges that do not fit", () => {
    expect(splitMentions("hi @Sam!", [{ userId: "u-sam", offset: 3, length: 4 }, { userId: "x", offset: 5, length: 40 }])).toEqual([{ text: "hi " }, { text: "@Sam", userId: "u-sam" }, { text: "!" }]);
  });
});
