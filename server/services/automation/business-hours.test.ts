import { describe, expect, it } from "vitest";
import type { Settings } from "@/lib/settings/schema";
import { businessMillis, isWithinBusinessHours } from "./business-hours";

type Days = Settings["businessHours"]["days"];
const nineToSix = [{ from: "09:00", to: "18:00" }];
const office: Days = { mon: nineToSix, tue: nineToSix, wed: nineToSix, thu: nineToSix, fri: nineToSix, sat: [], sun: [] };
const hours = (timeZone: string, days: Partial<Days> = {}, enabled = true) => ({ timeZone, businessHours: { enabled, days: { ...office, ...days } } });

// 2026-01-05 and 2026-03-30 are Mondays, 2026-01-10 a Saturday, 2026-03-29 and 2026-10-25 Sundays (Europe's DST changes).
const cases: [string, ReturnType<typeof hours>, string, boolean][] = [
  ["off: always open, even on a Saturday night", hours("UTC", {}, false), "2026-01-10T23:00:00Z", true],
  ["off: always open, even with no hours at all", hours("UTC", { mon: [] }, false), "2026-01-05T12:00:00Z", true],
  ["the start of an interval is open", hours("UTC"), "2026-01-05T09:00:00Z", true],
  ["the minute before the start is closed", hours("UTC"), "2026-01-05T08:59:59Z", false],
  ["the last minute before the end is open", hours("UTC"), "2026-01-05T17:59:59Z", true],
  ["the end of an interval is closed", hours("UTC"), "2026-01-05T18:00:00Z", false],
  ["a day without intervals is closed", hours("UTC"), "2026-01-10T12:00:00Z", false],
  ["the gap between two intervals is closed", hours("UTC", { mon: [{ from: "09:00", to: "12:00" }, { from: "13:00", to: "17:00" }] }), "2026-01-05T12:30:00Z", false],
  ["the second interval of a day is open", hours("UTC", { mon: [{ from: "09:00", to: "12:00" }, { from: "13:00", to: "17:00" }] }), "2026-01-05T13:00:00Z", true],
  ["an end of 23:59 runs to midnight", hours("UTC", { sat: [{ from: "00:00", to: "23:59" }] }), "2026-01-10T23:59:30Z", true],
  ["read in the workspace's zone: 08:00Z is 09:00 in Berlin in winter", hours("Europe/Berlin"), "2026-01-05T08:00:00Z", true],
  ["read in the workspace's zone: 07:30Z is 08:30 in Berlin in winter", hours("Europe/Berlin"), "2026-01-05T07:30:00Z", false],
  ["summer time moves the hours with the clock: 07:00Z is 09:00 in Berlin in July", hours("Europe/Berlin"), "2026-07-06T07:00:00Z", true],
  ["summer time: 06:59Z is 08:59 in Berlin in July", hours("Europe/Berlin"), "2026-07-06T06:59:00Z", false],
  ["the day after the spring change, 07:00Z is already 09:00", hours("Europe/Berlin"), "2026-03-30T07:00:00Z", true],
  ["on the spring change, 01:59 local is still closed before a 03:00 opening", hours("Europe/Berlin", { sun: [{ from: "03:00", to: "04:00" }] }), "2026-03-29T00:59:00Z", false],
  ["on the spring change, the clock jumps to 03:00 and it opens", hours("Europe/Berlin", { sun: [{ from: "03:00", to: "04:00" }] }), "2026-03-29T01:00:00Z", true],
  ["on the autumn change, 02:15 in summer time is open", hours("Europe/Berlin", { sun: [{ from: "02:00", to: "02:30" }] }), "2026-10-25T00:15:00Z", true],
  ["on the autumn change, 02:15 again in winter time is open too", hours("Europe/Berlin", { sun: [{ from: "02:00", to: "02:30" }] }), "2026-10-25T01:15:00Z", true],
  ["the weekday is the local one: Tuesday 01:00Z is Monday 17:00 in Los Angeles", hours("America/Los_Angeles"), "2026-01-06T01:00:00Z", true],
  ["the weekday is the local one: Sunday 23:30Z is Monday 08:30 in Tokyo", hours("Asia/Tokyo"), "2026-01-04T23:30:00Z", false],
  ["Sunday 00:00Z is Monday 09:00 in Tokyo", hours("Asia/Tokyo"), "2026-01-05T00:00:00Z", true],
  ["half-hour zones: 03:29Z is 08:59 in Kolkata", hours("Asia/Kolkata"), "2026-01-05T03:29:00Z", false],
  ["half-hour zones: 03:30Z is 09:00 in Kolkata", hours("Asia/Kolkata"), "2026-01-05T03:30:00Z", true],
];

describe("business hours", () => {
  it.each(cases)("%s", (_, settings, at, open) => {
    expect(isWithinBusinessHours(settings, new Date(at))).toBe(open);
  });
});

describe("business time between two instants", () => {
  const h = 3_600_000;
  const span = (settings: ReturnType<typeof hours>, from: string, to: string) => businessMillis(settings, new Date(from), new Date(to)) / h;
  it.each<[string, ReturnType<typeof hours>, string, string, number]>([
    ["off: all of it", hours("UTC", {}, false), "2026-01-10T10:00:00Z", "2026-01-12T10:00:00Z", 48],
    ["within one interval", hours("UTC"), "2026-01-05T10:00:00Z", "2026-01-05T12:30:00Z", 2.5],
    ["starting before opening", hours("UTC"), "2026-01-05T07:00:00Z", "2026-01-05T10:00:00Z", 1],
    ["overnight: the evening and the next morning", hours("UTC"), "2026-01-05T17:00:00Z", "2026-01-06T10:00:00Z", 2],
    ["across a weekend: Friday 17:00 to Monday 10:00", hours("UTC"), "2026-01-09T17:00:00Z", "2026-01-12T10:00:00Z", 2],
    ["all within a weekend: nothing", hours("UTC"), "2026-01-10T08:00:00Z", "2026-01-11T20:00:00Z", 0],
    ["a whole week: five days of nine hours", hours("UTC"), "2026-01-05T00:00:00Z", "2026-01-12T00:00:00Z", 45],
    ["overlapping intervals count once", hours("UTC", { mon: [{ from: "09:00", to: "12:00" }, { from: "11:00", to: "13:00" }] }), "2026-01-05T00:00:00Z", "2026-01-06T00:00:00Z", 4],
    ["an end of 23:59 runs to midnight", hours("UTC", { sat: [{ from: "00:00", to: "23:59" }] }), "2026-01-10T00:00:00Z", "2026-01-11T00:00:00Z", 24],
    ["in the workspace's zone: Berlin's 09:00 is 08:00Z in winter", hours("Europe/Berlin"), "2026-01-05T07:00:00Z", "2026-01-05T09:00:00Z", 1],
    ["the spring change's Sunday, open all day, has 23 hours", hours("Europe/Berlin", { sun: [{ from: "00:00", to: "23:59" }] }), "2026-03-28T23:00:00Z", "2026-03-29T22:00:00Z", 23],
    ["the autumn change's Sunday, open all day, has 25 hours", hours("Europe/Berlin", { sun: [{ from: "00:00", to: "23:59" }] }), "2026-10-24T22:00:00Z", "2026-10-25T23:00:00Z", 25],
    ["02:00–02:30 on the autumn change is open twice", hours("Europe/Berlin", { sun: [{ from: "02:00", to: "02:30" }] }), "2026-10-24T22:00:00Z", "2026-10-25T23:00:00Z", 1],
    ["01:00–04:00 on the spring change is two hours of clock", hours("Europe/Berlin", { sun: [{ from: "01:00", to: "04:00" }] }), "2026-03-28T22:00:00Z", "2026-03-29T22:00:00Z", 2],
    ["a working week across the spring change: the Monday after opens an hour earlier in UTC", hours("Europe/Berlin"), "2026-03-27T16:00:00Z", "2026-03-30T08:00:00Z", 2],
    ["half-hour zones: Kolkata's 09:00 is 03:30Z", hours("Asia/Kolkata"), "2026-01-05T03:00:00Z", "2026-01-05T04:00:00Z", 0.5],
    ["the weekday is the local one: Sunday evening UTC is Monday morning in Tokyo", hours("Asia/Tokyo"), "2026-01-04T23:00:00Z", "2026-01-05T02:00:00Z", 2],
    ["the end before the start: nothing", hours("UTC"), "2026-01-05T12:00:00Z", "2026-01-05T10:00:00Z", 0],
  ])("%s", (_, settings, from, to, expected) => {
    expect(span(settings, from, to)).toBeCloseTo(expected, 9);
  });

  it("agrees with isWithinBusinessHours, minute by minute, over a month with a daylight-saving change", () => {
    const settings = hours("America/New_York", { sat: [{ from: "10:00", to: "14:00" }], mon: [{ from: "01:00", to: "03:30" }, { from: "09:00", to: "17:00" }] });
    const from = Date.parse("2026-10-20T00:00:00Z");
    const to = Date.parse("2026-11-15T00:00:00Z"); // the change is on 2026-11-01
    let counted = 0;
    for (let at = from; at < to; at += 60_000) if (isWithinBusinessHours(settings, new Date(at))) counted += 60_000;
    expect(businessMillis(settings, new Date(from), new Date(to))).toBe(counted);
  });
});
