import { describe, expect, it } from "vitest";
import { dayLabel, shortTime } from "./format";

const now = new Date("2026-11-27T10:00:00Z");

describe("shortTime", () => {
  it("writes a moment of today as the time of day", () => {
    expect(shortTime(new Date("2026-11-27T08:05:00Z"), { locale: "ru", timeZone: "UTC", now })).toBe("08:05");
  });

  it("decides what is today in the viewer's time zone, not the server's", () => {
    const lateYesterdayInUtc = new Date("2026-11-26T22:30:00Z");
    expect(shortTime(lateYesterdayInUtc, { locale: "ru", timeZone: "Europe/Moscow", now })).toBe("01:30");
    expect(shortTime(lateYesterdayInUtc, { locale: "en", timeZone: "UTC", now })).toBe("Nov 26");
  });

  it("adds the year only to dates of another year, in the console's language", () => {
    expect(shortTime("2025-11-03T12:00:00Z", { locale: "en", timeZone: "UTC", now })).toBe("Nov 3, 2025");
    expect(shortTime("2026-11-03T12:00:00Z", { locale: "ru", timeZone: "UTC", now })).toBe("3 нояб.");
  });

  it("writes nothing for a missing date", () => {
    expect(shortTime(null, { locale: "en", now })).toBe("");
  });
});

describe("dayLabel", () => {
  it("heads today's and yesterday's messages with those words in the console's language", () => {
    const today = new Date("2026-11-27T01:00:00Z");
    const yesterday = new Date("2026-11-26T01:00:00Z");
    expect([dayLabel(today, { locale: "en", timeZone: "UTC", now }), dayLabel(yesterday, { locale: "en", timeZone: "UTC", now })]).toEqual(["Today", "Yesterday"]);
    expect([dayLabel(today, { locale: "ru", timeZone: "UTC", now }), dayLabel(yesterday, { locale: "ru", timeZone: "UTC", now })]).toEqual(["Сегодня", "Вчера"]);
  });

  it("heads older days with the weekday and date, capitalized, and the year only when it is another", () => {
    expect(dayLabel(new Date("2026-11-03T12:00:00Z"), { locale: "ru", timeZone: "UTC", now })).toBe("Вторник, 3 ноября");
    expect(dayLabel(new Date("2025-11-03T12:00:00Z"), { locale: "en", timeZone: "UTC", now })).toBe("Monday, November 3, 2025");
  });

  it("still calls the previous day Yesterday just after a night shortened by daylight saving time", () => {
    const justAfterMidnight = new Date("2026-03-09T04:30:00Z"); // 00:30 in New York, the day after clocks went forward
    expect(dayLabel(new Date("2026-03-08T06:00:00Z"), { locale: "en", timeZone: "America/New_York", now: justAfterMidnight })).toBe("Yesterday");
  });
});
