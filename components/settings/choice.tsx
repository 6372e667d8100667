import type { ReactNode } from "react";

/** One option of a radio group, with a line that explains it and, when chosen, its own fields below. */
export function Choice({ name, checked, onChange, label, hint, children }: { name: string; checked: boolean; onChange: () => void; label: string; hint?: string; children?: ReactNode }) {
  return (
    <div className="flex flex-col gap-2">
      <label className="flex items-start gap-2 text-sm">
        <input type="radio" name={name} className="mt-0.5 size-4" checked={checked} onChange={onChange} />
        <span className="flex flex-col gap-1">
          <span className="font-medium">{label}</span>
          {hint ? <span className="text-xs text-slate-500">{hint}</span> : null}
        </span>
      </label>
      {children ? <div className="pl-6">{children}</div> : null}
    </div>
  );
}
