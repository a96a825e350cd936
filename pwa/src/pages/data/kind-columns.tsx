import { OUTCOME_KINDS } from "../../import/column-uses.ts";
import { type MappingPartProps, Select } from "./mapping-form.tsx";

/** A links file's mapping: the column of ids of another kind, and that kind. */
export function LinksColumns(props: MappingPartProps) {
  const { peek, draft: d, set } = props;
  const header = peek.header;
  return (
    <div class="filters">
      <Select
        label="Ids of another kind in the column"
        value={d.linkColumn}
        options={header}
        onChange={(linkColumn) => set({ linkColumn })}
      />
      <label>
        Kind of id
        <input
          value={d.linkKind}
          placeholder="subscription"
          onInput={(e) => set({ linkKind: (e.currentTarget as HTMLInputElement).value })}
        />
      </label>
      <p class="muted small">
        Later files can name accounts by these ids: choose “Id in another system” and this kind of id.
      </p>
    </div>
  );
}

/** A one-row-per-value file's mapping: its metric name, day and value columns. */
export function LongColumns(props: MappingPartProps) {
  const { peek, draft: d, set } = props;
  const header = peek.header;
  return (
    <div class="filters">
      <Select
        label="Metric name column"
        value={d.metricColumn}
        options={header}
        onChange={(metricColumn) => set({ metricColumn })}
      />
      <Select label="Day column" value={d.dayColumn} options={header} onChange={(dayColumn) => set({ dayColumn })} />
      <Select
        label="Value column"
        value={d.valueColumn}
        options={header}
        onChange={(valueColumn) => set({ valueColumn })}
      />
    </div>
  );
}

/** An outcomes file's mapping: its day and outcome columns, and the file's own words for each outcome. */
export function OutcomesColumns(props: MappingPartProps) {
  const { peek, draft: d, set } = props;
  const header = peek.header;
  return (
    <>
      <div class="filters">
        <Select label="Day column" value={d.dayColumn} options={header} onChange={(dayColumn) => set({ dayColumn })} />
        <Select
          label="Outcome column"
          value={d.kindColumn}
          options={header}
          onChange={(kindColumn) => set({ kindColumn })}
        />
      </div>
      <p class="muted small">
        The outcome column may say churned, renewed, expanded or downgraded (or churn, lost, cancelled, renewal,
        expansion, upsell, downgrade). Rows with an empty outcome are skipped. If your file uses other words, list them
        here:
      </p>
      <div class="filters">
        {OUTCOME_KINDS.map((k) => (
          <label key={k}>
            Also means {k} (comma-separated)
            <input
              value={d.kindWords[k]}
              placeholder={k === "churned" ? "e.g. Closed Lost" : k === "renewed" ? "e.g. Closed Won" : ""}
              onInput={(e) => set({ kindWords: { ...d.kindWords, [k]: (e.currentTarget as HTMLInputElement).value } })}
            />
          </label>
        ))}
      </div>
    </>
  );
}
