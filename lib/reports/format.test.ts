import { describe, expect, it } from "vitest";
import { addDays, formatWait, naturalGrouping, todayIn, validRange } from "./format";

describe("report formatting", () => {
  it.each<[number | null, string, string | null]>([
    [null, "en", null],
    [42, "en", "42 sec"],
    [90, "en", "1.5 min"],
    [720, "en", "12 min"],
    [12_600, "en", "3.5 hr"],
    [183_600, "en", "2.1 days"],
    [720, "ru", "12 мин"],
  ])("%s seconds in %s: %s", (seconds, locale, expected) => {
    expect(formatWait(seconds, locale)).toBe(expected);
  });

  it("counts days, today in a zone, and picks a grouping for the chart", () => {
    expect(addDays("2026-02-28", 1)).toBe("2026-03-01");
    expect(addDays("2026-03-01", -29)).toBe("2026-01-31");
    expect(todayIn("Asia/Tokyo", new Date("2026-03-01T20:00:00Z"))).toBe("2026-03-02");
    expect(todayIn("America/Los_Angeles", new Date("2026-03-01T05:00:00Z"))).toBe("2026-02-28");
    expect(naturalGrouping("2026-03-01", "2026-03-30")).toBe("day");
    expect(naturalGrouping("2026-01-01", "2026-03-31")).toBe("week");
    expect(naturalGrouping("2025-04-01", "2026-03-31")).toBe("month");
    expect(validRange("2026-03-02", "2026-03-01")).toBe(false);
    expect(validRange("2025-01-01", "2026-01-03")).toBe(false);
    expect(validRange("2026-03-01", "2026-03-01")).toBe(true);
  });
});
