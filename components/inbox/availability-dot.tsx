import type { Availability } from "@/lib/assignment/availability";

const tone: Record<Availability, string> = {
  online: "bg-emerald-500",
  busy: "bg-amber-500",
  offline: "bg-slate-400 dark:bg-slate-500",
};

/** A member's availability as a coloured dot; `label` says it in words for screen readers and on hover. */
export function AvailabilityDot({ status, label }: { status: Availability; label: string }) {
  return <span role="img" aria-label={label} title={label} data-availability={status} className={`inline-block size-2 shrink-0 rounded-full ${tone[status]}`} />;
}
