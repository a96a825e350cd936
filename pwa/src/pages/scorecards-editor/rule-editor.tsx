// The editor's rule section: how a factor's value turns into n (0 to 1), with sample values and their points.
import type { Rule } from "../../../../core/schema/scorecard.ts";
import { NumberField, SelectField, TextField } from "../../components/form-fields.tsx";
import { num, pts, ruleSamples } from "../../components/scorecard-text.ts";
import { replaceAt } from "./draft.ts";

const RULE_KINDS = [
  ["linear", "Linear from worst to best"],
  ["steps", "Steps (ranges)"],
  ["categorical", "Categories (a value per category)"],
  ["boolean", "Yes / no"],
] as const;

function defaultRule(kind: Rule["kind"]): Rule {
  switch (kind) {
    case "linear":
      return { kind: "linear", worst: 0, best: 10 };
    case "steps":
      return { kind: "steps", steps: [{ upTo: 0, n: 0 }, { n: 1 }] };
    case "categorical":
      return { kind: "categorical", map: { "value 1": 1 } };
    case "boolean":
      return { kind: "boolean", true: 1, false: 0 };
  }
}

export const N_HINT = "0 = no points, 1 = all";

/** How a value turns into n (0 to 1), with a small table of sample values and the points they earn. */
export function RuleEditor(props: { rule: Rule; path: string; share: number; onChange: (r: Rule) => void }) {
  const { rule: r, path, onChange } = props;
  const samples = ruleSamples(r, Number.isFinite(props.share) ? props.share : 0);
  return (
    <div class="rule-editor">
      <div class="field-row">
        <SelectField
          label="Rule"
          path={`${path}.kind`}
          value={r.kind}
          options={RULE_KINDS}
          onChange={(kind) => onChange(defaultRule(kind))}
        />
        {r.kind === "linear" && (
          <>
            <NumberField
              label="Worst (no points)"
              path={`${path}.worst`}
              value={r.worst}
              onChange={(worst) => onChange({ ...r, worst: worst ?? Number.NaN })}
            />
            <NumberField
              label="Best (all points)"
              path={`${path}.best`}
              value={r.best}
              hint="worst above best: lower is better"
              onChange={(best) => onChange({ ...r, best: best ?? Number.NaN })}
            />
          </>
        )}
        {r.kind === "boolean" && (
          <>
            <NumberField
              label="n for yes"
              path={`${path}.true`}
              value={r.true}
              hint={N_HINT}
              onChange={(v) => onChange({ ...r, true: v ?? Number.NaN })}
            />
            <NumberField
              label="n for no"
              path={`${path}.false`}
              value={r.false}
              hint={N_HINT}
              onChange={(v) => onChange({ ...r, false: v ?? Number.NaN })}
            />
          </>
        )}
      </div>
      {r.kind === "steps" && (
        <div class="rows">
          {r.steps.map((s, i) => {
            const last = i === r.steps.length - 1;
            const set = (patch: Partial<typeof s>) =>
              onChange({ ...r, steps: replaceAt(r.steps, i, { ...s, ...patch }) });
            return (
              <div class="field-row" key={i}>
                {last ? (
                  <span class="step-rest">
                    {r.steps.length === 1 ? "Any value" : `Above ${num(r.steps[i - 1]?.upTo)}`}
                  </span>
                ) : (
                  <NumberField
                    label={`Step ${i + 1}: up to`}
                    path={`${path}.steps[${i}].upTo`}
                    value={s.upTo}
                    onChange={(upTo) => set({ upTo: upTo ?? Number.NaN })}
                  />
                )}
                <NumberField
                  label={last ? "n for the rest" : `Step ${i + 1}: n`}
                  path={`${path}.steps[${i}].n`}
                  value={s.n}
                  hint={N_HINT}
                  onChange={(n) => set({ n: n ?? Number.NaN })}
                />
                {!last && (
                  <button
                    type="button"
                    class="secondary"
                    onClick={() => onChange({ ...r, steps: r.steps.filter((_, j) => j !== i) })}
                  >
                    Remove step {i + 1}
                  </button>
                )}
              </div>
            );
          })}
          <button
            type="button"
            class="secondary"
            onClick={() => {
              const prev = r.steps.at(-2)?.upTo;
              const upTo = prev === undefined || !Number.isFinite(prev) ? 0 : prev + 10;
              onChange({ ...r, steps: [...r.steps.slice(0, -1), { upTo, n: 0.5 }, ...r.steps.slice(-1)] });
            }}
          >
            Add a step
          </button>
        </div>
      )}
      {r.kind === "categorical" && (
        <div class="rows">
          {Object.entries(r.map).map(([key, n], i) => {
            const entries = Object.entries(r.map);
            const setEntry = (k: string, v: number) =>
              onChange({ ...r, map: Object.fromEntries(replaceAt(entries, i, [k, v] as [string, number])) });
            return (
              <div class="field-row" key={i}>
                <TextField
                  label={`Category ${i + 1}`}
                  path={`${path}.map[${JSON.stringify(key)}]#key`}
                  value={key}
                  onInput={(k) => setEntry(k, n)}
                />
                <NumberField
                  label={`n for category ${i + 1}`}
                  path={`${path}.map${/^[A-Za-z_$][\w$]*$/.test(key) ? `.${key}` : `[${JSON.stringify(key)}]`}`}
                  value={n}
                  hint={N_HINT}
                  onChange={(v) => setEntry(key, v ?? Number.NaN)}
                />
                <button
                  type="button"
                  class="secondary"
                  onClick={() => onChange({ ...r, map: Object.fromEntries(entries.filter((_, j) => j !== i)) })}
                >
                  Remove category {i + 1}
                </button>
              </div>
            );
          })}
          <div class="field-row">
            <button
              type="button"
              class="secondary"
              onClick={() => {
                let k = Object.keys(r.map).length + 1;
                while (Object.hasOwn(r.map, `value ${k}`)) k++;
                onChange({ ...r, map: { ...r.map, [`value ${k}`]: 1 } });
              }}
            >
              Add a category
            </button>
            <NumberField
              label="n for any other value"
              path={`${path}.default`}
              value={r.default}
              optional
              hint="empty: any other value counts as no data"
              onChange={(v) => {
                const { default: _d, ...rest } = r;
                onChange(v === undefined ? rest : { ...rest, default: v });
              }}
            />
          </div>
        </div>
      )}
      {samples.length > 0 && (
        <table class="data samples">
          <caption>Value → points</caption>
          <thead>
            <tr>
              <th scope="col">Value</th>
              <th scope="col" class="num">
                n
              </th>
              <th scope="col" class="num">
                Points
              </th>
            </tr>
          </thead>
          <tbody>
            {samples.map((s, i) => (
              <tr key={i}>
                <td>{s.value}</td>
                <td class="num">{Number.isNaN(s.n) ? "no data" : num(s.n)}</td>
                <td class="num">{Number.isNaN(s.points) ? "—" : pts(s.points)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
