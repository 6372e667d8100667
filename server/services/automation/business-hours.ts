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
