import type { Settings } from "@/lib/settings/schema";

type Weekday = keyof Settings["businessHours"]["days"];

const weekdays: Record<string, Weekday> = { Mon: "mon", Tue: "tue", Wed: "wed", Thu: "thu", Fri: "fri", Sat: "sat", Sun: "sun" };

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat("en-US", { timeZone, weekday: "short", hour: "2-digit", minute: "2-digit", hourCycle: "h23" });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** The weekday and wall-clock time ("HH:MM") at an instant in a time zone, as a person there reads their clock. */
function wallClock(at: Date, timeZone: string): { day: Weekday; time: string } {
  const parts = Object.fromEntries(formatterFor(timeZone).formatToParts(at).map((part) => [part.type, part.value]));
  return { day: weekdays[parts.weekday!]!, time: `${parts.hour}:${parts.minute}` };
}

/**
 * Whether the workspace is open at an instant: the wall-clock time in its time
 * zone falls in one of that weekday's intervals. Intervals include their start
 * and exclude their end (09:00–18:00 is open at 09:00 and closed at 18:00),
 * except that an end of 23:59 runs to midnight, since the settings cannot say
 * 24:00. The clock is read through Intl, so a daylight-saving change moves the
 * hours with the local clock, as it does for the people working them. With
 * business hours off, the workspace is always open.
 */
export function isWithinBusinessHours(settings: Pick<Settings, "businessHours" | "timeZone">, at: Date): boolean {
  if (!settings.businessHours.enabled) return true;
  const { day, time } = wallClock(at, settings.timeZone);
  return settings.businessHours.days[day].some((interval) => interval.from <= time && (time < interval.to || interval.to === "23:59"));
}

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
const dayKeys: Weekday[] = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"];

const offsetFormatters = new Map<string, Intl.DateTimeFormat>();

/** How far the zone's clock is ahead of UTC at an instant, in ms (whole minutes, as zones are). */
function offsetAt(timeZone: string, at: number): number {
  let formatter = offsetFormatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat("en-US", { timeZone, year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", hourCycle: "h23" });
    offsetFormatters.set(timeZone, formatter);
  }
  const minute = Math.floor(at / MINUTE) * MINUTE;
  const parts = Object.fromEntries(formatter.formatToParts(minute).map((part) => [part.type, Number(part.value)]));
  return Date.UTC(parts.year!, parts.month! - 1, parts.day!, parts.hour!, parts.minute!) - minute;
}

/** The day's intervals as minutes since midnight, merged where they overlap (an end of 23:59 is midnight, as above). */
function openMinutes(intervals: { from: string; to: string }[]): [number, number][] {
  const minutes = (time: string) => Number(time.slice(0, 2)) * 60 + Number(time.slice(3));
  const spans = intervals.map(({ from, to }): [number, number] => [minutes(from), to === "23:59" ? 24 * 60 : minutes(to)]).sort((a, b) => a[0] - b[0]);
  const merged: [number, number][] = [];
  for (const span of spans) {
    const last = merged.at(-1);
    if (last && span[0] <= last[1]) last[1] = Math.max(last[1], span[1]);
    else merged.push(span);
  }
  return merged;
}

/**
 * How long the workspace was open between two instants, in ms: the time
 * isWithinBusinessHours answers true for, exactly (so a daylight-saving change
 * shortens or lengthens a day as the local clock does: an hour of 02:00–02:30
 * on the autumn change is open twice). The span is cut where the zone's offset
 * changes; within each piece the local clock runs evenly, and the open minutes
 * of each local day it covers are added up. Business hours off: all of it.
 */
export function businessMillis(settings: Pick<Settings, "businessHours" | "timeZone">, from: Date, to: Date): number {
  const start = from.getTime();
  const end = to.getTime();
  if (!(end > start)) return 0;
  if (!settings.businessHours.enabled) return end - start;
  const open = Object.fromEntries(dayKeys.map((key) => [key, openMinutes(settings.businessHours.days[key])])) as Record<Weekday, [number, number][]>;
  let total = 0;
  let pieceStart = start;
  while (pieceStart < end) {
    const offset = offsetAt(settings.timeZone, pieceStart);
    // The piece runs until the offset changes (found to the minute within a day's step) or the span ends.
    let pieceEnd = Math.min(end, pieceStart + DAY);
    if (offsetAt(settings.timeZone, pieceEnd) !== offset) {
      // Minutes: `low` has the piece's offset, `high` another; the first minute of the new one ends the piece.
      let low = Math.floor(pieceStart / MINUTE);
      let high = Math.floor(pieceEnd / MINUTE);
      while (high - low > 1) {
        const middle = Math.floor((low + high) / 2);
        if (offsetAt(settings.timeZone, middle * MINUTE) === offset) low = middle;
        else high = middle;
      }
      pieceEnd = high * MINUTE;
    }
    total += openWithin(open, pieceStart + offset, pieceEnd + offset);
    pieceStart = pieceEnd;
  }
  return total;
}

/** Open time between two local clock readings (ms since the epoch, read as if the clock were UTC). */
function openWithin(open: Record<Weekday, [number, number][]>, localStart: number, localEnd: number): number {
  let total = 0;
  for (let dayStart = Math.floor(localStart / DAY) * DAY; dayStart < localEnd; dayStart += DAY) {
    for (const [from, to] of open[dayKeys[new Date(dayStart).getUTCDay()]!]) {
      total += Math.max(0, Math.min(localEnd, dayStart + to * MINUTE) - Math.max(localStart, dayStart + from * MINUTE));
    }
  }
  return total;
}
