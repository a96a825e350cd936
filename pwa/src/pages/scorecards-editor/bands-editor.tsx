// The editor's bands section: each grade's lowest score, label and colour.
import type { Band } from "../../../../core/schema/scorecard.ts";
import { NumberField, SelectField, TextField } from "../../components/form-fields.tsx";
import { replaceAt } from "./draft.ts";

const COLORS = [
  ["green", "Green"],
  ["yellow", "Yellow"],
  ["red", "Red"],
] as const;

export function BandsEditor(props: { bands: Band[]; onChange: (b: Band[]) => void }) {
  const { bands, onChange } = props;
  return (
    <fieldset>
      <legend>Bands</legend>
      <p class="muted small">A score falls in the highest band whose minimum it reaches. One band must start at 0.</p>
      {bands.map((b, i) => {
        const path = `$.bands[${i}]`;
        const set = (patch: Partial<Band>) => onChange(replaceAt(bands, i, { ...b, ...patch }));
        return (
          <div class="field-row band-row" key={i}>
            <span class={`chip chip-${b.color}`} aria-hidden="true" />
            <NumberField
              label={`Band ${i + 1}: from (points)`}
              path={`${path}.min`}
              value={b.min}
              onChange={(min) => set({ min: min ?? Number.NaN })}
            />
            <TextField
              label={`Band ${i + 1}: grade`}
              path={`${path}.grade`}
              value={b.grade}
              onInput={(grade) => set({ grade })}
            />
            <SelectField
              label={`Band ${i + 1}: colour`}
              path={`${path}.color`}
              value={b.color}
              options={COLORS}
              onChange={(color) => set({ color })}
            />
            <TextField
              label={`Band ${i + 1}: label`}
              path={`${path}.label`}
              value={b.label}
              onInput={(label) => set({ label })}
            />
            <button
              type="button"
              class="secondary"
              disabled={bands.length === 1}
              onClick={() => onChange(bands.filter((_, j) => j !== i))}
            >
              Remove band {i + 1}
            </button>
          </div>
        );
      })}
      <button
        type="button"
        class="secondary"
        onClick={() => onChange([...bands, { min: Number.NaN, grade: "", color: "yellow", label: "" }])}
      >
        Add a band
      </button>
    </fieldset>
  );
}
