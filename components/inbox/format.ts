import { useLocale, useTimeZone } from "next-intl";

/**
 * How the inbox writes dates: in the console's language and the viewer's time zone.
 * Both come from next-intl, so the server's first render and the browser's agree.
 */
export type DateContext = { locale: string; timeZone?: string; now?: Date };

export function useDateContext(): DateContext {
  return { locale: useLocale(), timeZone: useTimeZone() };
}

// Building an Intl formatter costs far more than using one, and the thread formats on every scroll.
const formats = new Map<string, Intl.DateTimeFormat>();
function dateFormat(locale: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${locale}|${JSON.stringify(options)}`;
  let format = formats.get(key);
  if (!format) formats.set(key, (format = new Intl.DateTimeFormat(locale, options)));
  return format;
}

/** The calendar day (days since 1970-01-01) an instant falls on in a time zone, so days compare by subtraction. */
function dayNumber(date: Date, timeZone: string | undefined): number {
  const parts = dateFormat("en-US", { timeZone, year: "numeric", month: "numeric", day: "numeric" }).formatToParts(date);
  const part = (type: Intl.DateTimeFormatPartTypes) => Number(parts.find((candidate) => candidate.type === type)!.value);
  return Date.UTC(part("year"), part("month") - 1, part("day")) / 86_400_000;
}

/** Whether two instants fall on the same calendar day in a time zone. */
export function sameDay(a: Date, b: Date, timeZone: string | undefined): boolean {
  return dayNumber(a, timeZone) === dayNumber(b, timeZone);
}

function yearOf(date: Date, timeZone: string | undefined): string {
  return dateFormat("en-US", { timeZone, year: "numeric" }).format(date);
}

/** Short times for lists and bubbles: the time today, else the date (with the year when it is not this one). */
export function shortTime(date: Date | string | null | undefined, { locale, timeZone, now = new Date() }: DateContext): string {
  if (!date) return "";
  const d = typeof date === "string" ? new Date(date) : date;
  if (sameDay(d, now, timeZone)) return dateFormat(locale, { timeZone, hour: "2-digit", minute: "2-digit" }).format(d);
  const sameYear = yearOf(d, timeZone) === yearOf(now, timeZone);
  return dateFormat(locale, sameYear ? { timeZone, day: "numeric", month: "short" } : { timeZone, day: "numeric", month: "short", year: "numeric" }).format(d);
}

/** The heading of a day in a thread: "Today", "Yesterday", else the full date. */
export function dayLabel(date: Date, { locale, timeZone, now = new Date() }: DateContext): string {
  const daysAgo = dayNumber(now, timeZone) - dayNumber(date, timeZone);
  const year = yearOf(date, timeZone) === yearOf(now, timeZone) ? undefined : "numeric";
  const label =
    daysAgo === 0 || daysAgo === 1
      ? new Intl.RelativeTimeFormat(locale, { numeric: "auto" }).format(-daysAgo, "day")
      : dateFormat(locale, { timeZone, weekday: "long", day: "numeric", month: "long", year }).format(date);
  // A heading starts with a capital, also in languages that write "today" and weekdays in lower case.
  return label.charAt(0).toLocaleUpperCase(locale) + label.slice(1);
}

export function initials(name: string): string {
  return name
    .split(/\s+/)
    .filter(Boolean)
    .slice(0, 2)
    .map((part) => part[0]!.toUpperCase())
    .join("");
}
