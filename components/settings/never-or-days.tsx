import { Field } from "@/components/ui/field";
import { Choice } from "./choice";

/**
 * A setting that is either off (`null`: never) or a number of days: two radio
 * choices, with the number field under the second while it is chosen.
 */
export function NeverOrDays({
  name,
  legend,
  neverLabel,
  daysChoiceLabel,
  daysChoiceHint,
  daysLabel,
  days,
  defaultDays,
  maxDays,
  error,
  onChange,
}: {
  name: string;
  legend: string;
  neverLabel: string;
  daysChoiceLabel: string;
  daysChoiceHint?: string;
  daysLabel: string;
  days: number | null;
  /** What choosing the second option starts from. */
  defaultDays: number;
  maxDays: number;
  error?: string;
  onChange: (days: number | null) => void;
}) {
  return (
    <fieldset className="flex flex-col gap-3">
      <legend className="sr-only">{legend}</legend>
      <Choice name={name} checked={days === null} onChange={() => onChange(null)} label={neverLabel} />
      <Choice name={name} checked={days !== null} onChange={() => onChange(days ?? defaultDays)} label={daysChoiceLabel} hint={daysChoiceHint}>
        {days !== null ? (
          <div className="max-w-40">
            <Field
              label={daysLabel}
              type="number"
              min={1}
              max={maxDays}
              value={Number.isNaN(days) ? "" : days}
              onChange={(event) => onChange(event.target.valueAsNumber)}
              error={error}
            />
          </div>
        ) : null}
      </Choice>
    </fieldset>
  );
}
