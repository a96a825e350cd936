// The editor's source section: where a factor's value comes from (a metric, an attribute, tenure, a ratio).
import type { SimpleSource, Source } from "../../../../core/schema/scorecard.ts";
import type { ScorecardChoices } from "../../../../core/worker/portfolio-api.ts";
import { NumberField, SelectField, TextField } from "../../components/form-fields.tsx";
import { AGGREGATIONS } from "../../components/scorecard-text.ts";
import { metricSource } from "./draft.ts";

const SOURCE_KINDS = [
  ["metric", "A metric over a window of days"],
  ["attribute", "An account attribute"],
  ["tenureDays", "Days since the account started"],
  ["ratio", "A ratio of two values"],
] as const;

function defaultSource(kind: Source["kind"], choices: ScorecardChoices): Source {
  switch (kind) {
    case "metric":
      return metricSource(choices);
    case "attribute":
      return { kind: "attribute", key: "" };
    case "tenureDays":
      return { kind: "tenureDays" };
    case "ratio":
      return { kind: "ratio", numerator: metricSource(choices), denominator: { kind: "attribute", key: "seats" } };
  }
}

/** Where a value comes from: a metric, an attribute, tenure, or (unless nested) a ratio of two. */
export function SourceEditor(props: {
  source: Source;
  path: string;
  label: string;
  choices: ScorecardChoices;
  allowRatio: boolean;
  onChange: (s: Source) => void;
}) {
  const { source: s, path, choices, onChange } = props;
  const kinds = props.allowRatio ? SOURCE_KINDS : SOURCE_KINDS.filter(([k]) => k !== "ratio");
  return (
    <div class="source-editor">
      <div class="field-row">
        <SelectField
          label={props.label}
          path={`${path}.kind`}
          value={s.kind}
          options={kinds}
          onChange={(kind) => onChange(defaultSource(kind, choices))}
        />
        {s.kind === "metric" && (
          <>
            <TextField
              label="Metric"
              path={`${path}.metric`}
              value={s.metric}
              list="scorecard-metrics"
              onInput={(metric) => onChange({ ...s, metric })}
            />
            <SelectField
              label="Aggregation"
              path={`${path}.aggregation`}
              value={s.aggregation}
              options={AGGREGATIONS}
              onChange={(aggregation) => onChange({ ...s, aggregation })}
            />
            <NumberField
              label="Window (days)"
              path={`${path}.windowDays`}
              value={s.windowDays}
              hint={s.aggregation === "daysSince" ? "not used: days since reads all history" : undefined}
              onChange={(windowDays) => onChange({ ...s, windowDays: windowDays ?? Number.NaN })}
            />
          </>
        )}
        {s.kind === "attribute" && (
          <TextField
            label="Attribute"
            path={`${path}.key`}
            value={s.key}
            list="scorecard-attributes"
            onInput={(key) => onChange({ ...s, key })}
          />
        )}
      </div>
      {s.kind === "ratio" && (
        <div class="ratio">
          <SourceEditor
            label="Numerator"
            path={`${path}.numerator`}
            source={s.numerator}
            choices={choices}
            allowRatio={false}
            onChange={(numerator) => onChange({ ...s, numerator: numerator as SimpleSource })}
          />
          <SourceEditor
            label="Divided by"
            path={`${path}.denominator`}
            source={s.denominator}
            choices={choices}
            allowRatio={false}
            onChange={(denominator) => onChange({ ...s, denominator: denominator as SimpleSource })}
          />
        </div>
      )}
    </div>
  );
}
