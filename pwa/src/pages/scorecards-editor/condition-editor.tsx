// A group's condition in the editor: which accounts a scorecard or group applies to.
import type { Condition } from "../../../../core/schema/scorecard.ts";
import type { ScorecardChoices } from "../../../../core/worker/portfolio-api.ts";
import { ListField, NumberField, SelectField, TextField } from "../../components/form-fields.tsx";

const CONDITION_KINDS = [
  ["equals", "An attribute equals"],
  ["in", "An attribute is one of"],
  ["range", "An attribute is in a range"],
  ["stage", "Lifecycle stage is"],
  ["tenure", "Days as a customer"],
] as const;

export function defaultCondition(kind: Condition["kind"]): Condition {
  switch (kind) {
    case "equals":
      return { kind, attribute: "segment", value: "" };
    case "in":
      return { kind, attribute: "segment", values: [] };
    case "range":
      return { kind, attribute: "arr" };
    case "stage":
      return { kind, stages: [] };
    case "tenure":
      return { kind, maxDays: 90 };
  }
}

export function ConditionEditor(props: {
  condition: Condition;
  index: number;
  choices: ScorecardChoices;
  onChange: (c: Condition) => void;
  onRemove: () => void;
}) {
  const { condition: c, index: i, onChange } = props;
  const path = `$.appliesTo[${i}]`;
  const attribute = (c.kind === "equals" || c.kind === "in" || c.kind === "range") && (
    <TextField
      label="Attribute"
      path={`${path}.attribute`}
      value={c.attribute}
      list="scorecard-attributes"
      onInput={(attr) => onChange({ ...c, attribute: attr })}
    />
  );
  return (
    <div class="field-row condition">
      <SelectField
        label={`Condition ${i + 1}`}
        path={`${path}.kind`}
        value={c.kind}
        options={CONDITION_KINDS}
        onChange={(kind) => onChange(defaultCondition(kind))}
      />
      {attribute}
      {c.kind === "equals" && (
        <TextField
          label="Value"
          path={`${path}.value`}
          value={String(c.value)}
          list={c.attribute === "segment" ? "scorecard-segments" : undefined}
          onInput={(value) => onChange({ ...c, value })}
        />
      )}
      {c.kind === "in" && (
        <ListField
          label="Values (comma-separated)"
          path={`${path}.values`}
          value={c.values.map(String)}
          onChange={(values) => onChange({ ...c, values })}
        />
      )}
      {c.kind === "range" && (
        <>
          <NumberField
            label="From"
            path={`${path}.min`}
            value={c.min}
            optional
            onChange={(min) => onChange({ ...c, min })}
          />
          <NumberField
            label="To"
            path={`${path}.max`}
            value={c.max}
            optional
            onChange={(max) => onChange({ ...c, max })}
          />
        </>
      )}
      {c.kind === "stage" && (
        <ListField
          label="Stages (comma-separated)"
          path={`${path}.stages`}
          value={c.stages}
          hint={props.choices.stages.length ? `in the data: ${props.choices.stages.join(", ")}` : undefined}
          onChange={(stages) => onChange({ ...c, stages })}
        />
      )}
      {c.kind === "tenure" && (
        <>
          <NumberField
            label="From day"
            path={`${path}.minDays`}
            value={c.minDays}
            optional
            onChange={(minDays) => onChange({ ...c, minDays })}
          />
          <NumberField
            label="To day"
            path={`${path}.maxDays`}
            value={c.maxDays}
            optional
            onChange={(maxDays) => onChange({ ...c, maxDays })}
          />
        </>
      )}
      <button type="button" class="secondary" onClick={props.onRemove}>
        Remove condition {i + 1}
      </button>
    </div>
  );
}
