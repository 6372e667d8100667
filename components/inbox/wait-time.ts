/** A waiting time as the inbox says it: seconds, minutes, hours and minutes, or days. */
export function waitParts(ms: number): { unit: "seconds" | "minutes" | "hours" | "days"; count: number; minutes: number } {
  const seconds = Math.max(0, Math.floor(ms / 1000));
  if (seconds < 60) return { unit: "seconds", count: seconds, minutes: 0 };
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return { unit: "minutes", count: minutes, minutes: 0 };
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return { unit: "hours", count: hours, minutes: minutes % 60 };
  return { unit: "days", count: Math.floor(hours / 24), minutes: 0 };
}
