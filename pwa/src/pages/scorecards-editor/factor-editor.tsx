// One factor in the editor: its name, weight, window, source, rule and what a missing value counts as.
import { useRef } from "preact/hooks";
import type { Factor, Group, MissingPolicy } from "../../../../core/schema/scorecard.ts";
import type { ScorecardChoices } from "../../../../core/worker/portfolio-api.ts";
import { NumberField, SelectField, TextField } from "../../components/form-fields.tsx";
import { pts } from "../../components/scorecard-text.ts";
import { N_HINT, RuleEditor } from "./rule-editor.tsx";
import { SourceEditor } from "./source-editor.tsx";

const MISSING = [
  ["skip", "Leave it out (the others count more)"],
  ["zero", "Count it as no points"],
  ["assume", "Assume an n"],
] as const;

function MissingEditor(props: { missing: MissingPolicy; path: string; onChange: (m: MissingPolicy) => void }) {
  const { missing: m, path, onChange } = props;
  return (
    <div class="field-row">
      <SelectField
        label="When there is no data"
        path={`${path}.policy`}
        value={m.policy}
        options={MISSING}
        onChange={(policy) => onChange(policy === "assume" ? { policy, n: 0.5 } : { policy })}
      />
      {m.policy === "assume" && (
        <NumberField
          label="Assumed n"
          path={`${path}.n`}
          value={m.n}
          hint={N_HINT}
          onChange={(n) => onChange({ policy: "assume", n: n ?? Number.NaN })}
        />
      )}
    </div>
  );
}

export function FactorEditor(props: {
  factor: Factor;
  index: number;
  count: number;
  share: number;
  groups: readonly Group[];
  choices: ScorecardChoices;
  onChange: (f: Factor) => void;
  onMove: (to: number) => void;
  onRemove: () => void;
}) {
  const { factor: f, index: i, share } = props;
  const path = `$.factors[${i}]`;
  const set = (patch: Partial<Factor>) => props.onChange({ ...f, ...patch });
  const name = f.label || `factor ${i + 1}`;
  const actions = useRef<HTMLDivElement>(null);
  // Moving a factor moves its fieldset in the page, which drops the focus: put it back on the button pressed (or on
  // the other one, when the factor reached the top or the bottom and that button is disabled).
  const moveTo = (to: number, button: 0 | 1) => {
    props.onMove(to);
    requestAnimationFrame(() => {
      const buttons = actions.current?.querySelectorAll("button");
      const pressed = buttons?.[button];
      (pressed && !pressed.disabled ? pressed : buttons?.[1 - button])?.focus();
    });
  };
  return (
    <fieldset class="factor">
      <legend>
        Factor {i + 1}: {f.label || "(no label)"} —{" "}
        {Number.isFinite(share) ? `${pts(share)} of 100 points` : "points unknown"}
      </legend>
      <div class="field-row">
        <TextField label="Label" path={`${path}.label`} value={f.label} onInput={(label) => set({ label })} />
        <NumberField
          label="Weight"
          path={`${path}.weight`}
          value={f.weight}
          hint={Number.isFinite(share) ? `= ${pts(share)} of 100 points` : undefined}
          onChange={(weight) => set({ weight: weight ?? Number.NaN })}
        />
        {props.groups.length > 0 && (
          <SelectField
            label="Group"
            path={`${path}.group`}
            value={f.group ?? ""}
            options={[["", "(none)"], ...props.groups.map((g) => [g.id, g.label || g.id] as const)]}
            onChange={(group) => {
              const { group: _g, ...rest } = f;
              props.onChange(group === "" ? rest : { ...rest, group });
            }}
          />
        )}
      </div>
      <TextField
        label="Description"
        path={`${path}.description`}
        value={f.description}
        rows={2}
        hint="One sentence a CSM understands: what it measures and why it matters."
        onInput={(description) => set({ description })}
      />
      <SourceEditor
        label="Value from"
        path={`${path}.source`}
        source={f.source}
        choices={props.choices}
        allowRatio
        onChange={(source) => set({ source })}
      />
      <RuleEditor rule={f.rule} path={`${path}.rule`} share={share} onChange={(rule) => set({ rule })} />
      <MissingEditor missing={f.missing} path={`${path}.missing`} onChange={(missing) => set({ missing })} />
      <div class="field-row actions" ref={actions}>
        <button type="button" class="secondary" disabled={i === 0} onClick={() => moveTo(i - 1, 0)}>
          Move {name} up
        </button>
        <button type="button" class="secondary" disabled={i === props.count - 1} onClick={() => moveTo(i + 1, 1)}>
          Move {name} down
        </button>
        <button type="button" class="secondary" disabled={props.count === 1} onClick={props.onRemove}>
          Remove {name}
        </button>
      </div>
    </fieldset>
  );
}
