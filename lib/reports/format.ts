import { daysBetween, MAX_REPORT_DAYS, type ReportGrouping } from "./filters";

/** A wait in the largest unit that keeps it readable ("45 sec", "12 min", "3.5 hr", "2.1 days"), in the console's language. */
export function formatWait(seconds: number | null, locale: string): string | null {
  if (seconds === null) return null;
  const [value, unit] =
    seconds < 60 ? [seconds, "second"] : seconds < 3600 ? [seconds / 60, "minute"] : seconds < 86_400 ? [seconds / 3600, "hour"] : [seconds / 86_400, "day"];
  return new Intl.NumberFormat(locale, { style: "unit", unit, unitDisplay: "short", maximumFractionDigits: value < 10 && unit !== "second" ? 1 : 0 }).format(value);
}

/** The date a day later or earlier ("2026-03-01" + 1 → "2026-03-02"). */
export function addDays(day: string, days: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

/** Today in a time zone ("2026-03-29"). */
export function todayIn(timeZone: string, now = new Date()): string {
  return new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" }).format(now);
}

/** The grouping a chart of that many days reads best in: days up to two months, then weeks, then months. */
export function naturalGrouping(from: string, to: string): ReportGrouping {
  const days = daysBetween(from, to);
  return days <= 62 ? "day" : days <= 190 ? "week" : "month";
}

/** Whether two dates make a range a report takes. */
export function validRange(from: string, to: string): boolean {
  return /^\d{4}-\d{2}-\d{2}$/.test(from) && /^\d{4}-\d{2}-\d{2}$/.test(to) && from <= to && daysBetween(from, to) <= MAX_REPORT_DAYS;
}
