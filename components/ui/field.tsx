import { useId, type InputHTMLAttributes, type ReactNode, type SelectHTMLAttributes } from "react";

const controlClass =
  "rounded-lg border border-slate-300 bg-white px-3 py-2 text-sm shadow-sm outline-none focus:border-brand-500 focus:ring-2 focus:ring-brand-500/30 aria-[invalid]:border-red-500 dark:border-slate-700 dark:bg-slate-900";

type Frame = { label: string; error?: string; hint?: ReactNode };

/** The label above a control and its error (or hint) under it, tied to the control for screen readers. */
function Labelled({ id, label, error, hint, children }: Frame & { id: string; children: ReactNode }) {
  return (
    <div className="flex flex-col gap-1">
      <label htmlFor={id} className="text-sm font-medium text-slate-700 dark:text-slate-300">
        {label}
      </label>
      {children}
      {error ? (
        <p id={`${id}-error`} className="text-sm text-red-600 dark:text-red-400">
          {error}
        </p>
      ) : hint ? (
        <p id={`${id}-hint`} className="text-xs text-slate-500">
          {hint}
        </p>
      ) : null}
    </div>
  );
}

const controlProps = (id: string, { error, hint }: Frame) => ({
  id,
  "aria-invalid": error ? true : undefined,
  "aria-describedby": error ? `${id}-error` : hint ? `${id}-hint` : undefined,
  className: controlClass,
});

/** A labelled input with its error under it, wired for screen readers. */
export function Field({ label, error, hint, ...input }: InputHTMLAttributes<HTMLInputElement> & Frame) {
  const id = useId();
  return (
    <Labelled id={id} label={label} error={error} hint={hint}>
      <input {...controlProps(id, { label, error, hint })} {...input} />
    </Labelled>
  );
}

/** A labelled select with its error or hint under it. */
export function SelectField({ label, error, hint, children, ...select }: SelectHTMLAttributes<HTMLSelectElement> & Frame) {
  const id = useId();
  return (
    <Labelled id={id} label={label} error={error} hint={hint}>
      <select {...controlProps(id, { label, error, hint })} {...select}>
        {children}
      </select>
    </Labelled>
  );
}
