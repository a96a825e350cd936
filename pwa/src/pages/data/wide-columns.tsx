import { type ColumnUse, FIELDS, metricName } from "../../import/column-uses.ts";
import { type MappingPartProps, Select } from "./mapping-form.tsx";

/**
 * A one-row-per-account file's mapping: whether it creates accounts, an account on several rows, what each column
 * becomes (a field, a custom attribute, a metric, the churn flag), and the day its values are as of.
 */
export function WideColumns(props: MappingPartProps) {
  const { peek, draft: d, set } = props;
  const header = peek.header;
  return (
    <>
      <label class="check">
        <input
          type="checkbox"
          checked={d.createAccounts}
          onChange={(e) => set({ createAccounts: (e.currentTarget as HTMLInputElement).checked })}
        />
        Create accounts that are not in Vitals yet
      </label>
      <Select
        label="Repeated accounts"
        value={d.repeated}
        options={[
          ["reject", "reject the later rows"],
          ["first", "keep the first"],
          ...header
            .filter((c) => c !== d.accountColumn)
            .map((c) => [`latest:${c}`, `keep the latest by ${c}`] as const),
          ["sum", "add numbers up"],
        ]}
        onChange={(repeated) => set({ repeated })}
      />
      <table class="data">
        <caption class="visually-hidden">What each column becomes</caption>
        <thead>
          <tr>
            <th scope="col">Column</th>
            <th scope="col">Example</th>
            <th scope="col">Becomes</th>
          </tr>
        </thead>
        <tbody>
          {header.map((column, i) => {
            const use = d.columns[column] ?? { use: "ignore" };
            const value =
              column === d.accountColumn
                ? "account"
                : use.use === "field"
                  ? `field:${use.field}`
                  : use.use === "attribute"
                    ? `attribute:${use.type}`
                    : use.use === "metric"
                      ? "metric"
                      : use.use === "churn"
                        ? "churn"
                        : "ignore";
            const change = (v: string) => {
              const next: ColumnUse = v.startsWith("field:")
                ? { use: "field", field: v.slice(6) }
                : v.startsWith("attribute:")
                  ? { use: "attribute", type: v.slice(10) as "text" }
                  : v === "metric"
                    ? { use: "metric", metric: metricName(column) }
                    : v === "churn"
                      ? { use: "churn" }
                      : { use: "ignore" };
              // One churn flag per file: choosing another column moves it there.
              const columns: Record<string, ColumnUse> = Object.fromEntries(
                Object.entries(d.columns).map(([c, u]) => [
                  c,
                  next.use === "churn" && u.use === "churn" ? { use: "ignore" } : u,
                ]),
              );
              set({ columns: { ...columns, [column]: next } });
            };
            return (
              <tr key={column}>
                <th scope="row">{column}</th>
                <td class="muted">{peek.rows[0]?.cells[i] ?? ""}</td>
                <td>
                  {column === d.accountColumn ? (
                    "names the account"
                  ) : (
                    <span class="cell">
                      <select
                        aria-label={`What ${column} becomes`}
                        value={value}
                        onChange={(e) => change((e.currentTarget as HTMLSelectElement).value)}
                      >
                        <option value="ignore">Ignore</option>
                        {FIELDS.map(([f, label]) => (
                          <option key={f} value={`field:${f}`}>
                            {label}
                          </option>
                        ))}
                        <option value="attribute:text">Custom attribute (text)</option>
                        <option value="attribute:number">Custom attribute (number)</option>
                        <option value="attribute:boolean">Custom attribute (yes/no)</option>
                        <option value="attribute:date">Custom attribute (date)</option>
                        <option value="metric">Metric value</option>
                        <option value="churn">Churn flag (yes: churned, no: stayed)</option>
                      </select>
                      {use.use === "metric" && (
                        <input
                          aria-label={`Metric name for ${column}`}
                          value={use.metric}
                          onInput={(e) =>
                            set({
                              columns: {
                                ...d.columns,
                                [column]: { use: "metric", metric: (e.currentTarget as HTMLInputElement).value },
                              },
                            })
                          }
                        />
                      )}
                    </span>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {Object.entries(d.columns).some(([c, u]) => c !== d.accountColumn && u.use === "churn") && (
        <p class="muted small">
          The churn flag records an outcome on the day below: “churned” for yes, “renewed” for no. To validate a
          scorecard on this snapshot, choose a horizon of 0 days on its Validate page.
        </p>
      )}
      {Object.entries(d.columns).some(
        ([c, u]) => c !== d.accountColumn && (u.use === "metric" || u.use === "churn"),
      ) && (
        <label>
          Metric values and outcomes are as of
          <input
            type="date"
            value={d.asOfDay}
            onInput={(e) => set({ asOfDay: (e.currentTarget as HTMLInputElement).value })}
          />
        </label>
      )}
    </>
  );
}
