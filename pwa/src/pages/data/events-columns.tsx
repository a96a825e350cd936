import type { EventDraft } from "../../import/mapping-draft.ts";
import { type MappingPartProps, Select } from "./mapping-form.tsx";

/** An events file's mapping: its day column, and each metric made from its rows (a count or a column's sum, filtered). */
export function EventsColumns(props: MappingPartProps) {
  const { peek, draft: d, set } = props;
  const header = peek.header;
  return (
    <>
      <Select label="Day column" value={d.dayColumn} options={header} onChange={(dayColumn) => set({ dayColumn })} />
      <h3>Metrics made from the events</h3>
      {d.events.map((e, k) => {
        const setEvent = (patch: Partial<EventDraft>) =>
          set({ events: d.events.map((x, j) => (j === k ? { ...x, ...patch } : x)) });
        return (
          <div class="filters event" key={k}>
            <label>
              Metric name
              <input
                value={e.metric}
                onInput={(ev) => setEvent({ metric: (ev.currentTarget as HTMLInputElement).value })}
              />
            </label>
            <Select
              label="Value"
              value={e.from}
              options={[
                ["count", "1 per event (a count)"],
                ["column", "A column's number"],
              ]}
              onChange={(from) => setEvent({ from })}
            />
            {e.from === "column" && (
              <Select
                label="Column"
                value={e.column || (header[0] ?? "")}
                options={header}
                onChange={(column) => setEvent({ column })}
              />
            )}
            <Select
              label="Only rows where"
              value={e.filterColumn}
              options={[["", "(every row)"] as const, ...header.map((h) => [h, h] as const)]}
              onChange={(filterColumn) => setEvent({ filterColumn })}
            />
            {e.filterColumn && (
              <label>
                is one of (comma-separated)
                <input
                  value={e.filterValues}
                  onInput={(ev) => setEvent({ filterValues: (ev.currentTarget as HTMLInputElement).value })}
                />
              </label>
            )}
            <button
              type="button"
              class="secondary"
              disabled={d.events.length === 1}
              onClick={() => set({ events: d.events.filter((_, j) => j !== k) })}
            >
              Remove
            </button>
          </div>
        );
      })}
      <button
        type="button"
        class="secondary"
        onClick={() =>
          set({
            events: [...d.events, { metric: "", from: "count", column: "", filterColumn: "", filterValues: "" }],
          })
        }
      >
        Add a metric
      </button>
    </>
  );
}
