import { useState } from "preact/hooks";
import { alertRulesOf, describeRule } from "../../../core/alerts/rules.ts";
import { type AlertRule, DEFAULT_ALERT_RULES } from "../../../core/schema/alert-rule.ts";
import { type FileIssue, issueInWords } from "../../../core/schema/issues.ts";
import type { Scorecard } from "../../../core/schema/scorecard.ts";
import { focusWhenShown, SkipLinks } from "../components/focus.tsx";
import { client, dataChanged, useLoad } from "../services.ts";

const KINDS: { kind: AlertRule["kind"]; label: string; make: (id: string, card: Scorecard) => AlertRule }[] = [
  { kind: "drop", label: "Score drop", make: (id) => ({ id, kind: "drop", points: 25, withinDays: 30 }) },
  { kind: "band", label: "Entering a band", make: (id) => ({ id, kind: "band", color: "red" }) },
  {
    kind: "factor",
    label: "A factor below a threshold",
    make: (id, card) => ({ id, kind: "factor", factorId: card.factors[0]?.id ?? "", below: 0.3 }),
  },
  { kind: "renewal", label: "Renewal while not green", make: (id) => ({ id, kind: "renewal", withinDays: 30 }) },
  { kind: "noData", label: "No new data", make: (id) => ({ id, kind: "noData", days: 30 }) },
];

/** An id for a new rule of a kind that no rule of the list has yet ("drop-2"). */
function freshId(kind: AlertRule["kind"], rules: readonly AlertRule[]): string {
  const base = kind === "noData" ? "no-data" : kind;
  for (let n = 1; ; n++) {
    const id = n === 1 ? base : `${base}-${n}`;
    if (!rules.some((r) => r.id === id)) return id;
  }
}

/** A number field of a rule: whole days or points, or a percent shown for an n in [0, 1]. */
function NumberField(props: { label: string; value: number; min: number; max: number; onChange: (v: number) => void }) {
  return (
    <label>
      {props.label}
      <input
        type="number"
        min={props.min}
        max={props.max}
        step={1}
        value={Number.isNaN(props.value) ? "" : props.value}
        onInput={(e) => props.onChange((e.currentTarget as HTMLInputElement).valueAsNumber)}
      />
    </label>
  );
}

/** One rule's settings, by kind. */
function RuleFields(props: { rule: AlertRule; card: Scorecard; onChange: (rule: AlertRule) => void }) {
  const { rule, card, onChange } = props;
  switch (rule.kind) {
    case "drop":
      return (
        <>
          <NumberField
            label="Points"
            value={rule.points}
            min={1}
            max={100}
            onChange={(points) => onChange({ ...rule, points })}
          />
          <NumberField
            label="Within days"
            value={rule.withinDays}
            min={1}
            max={365}
            onChange={(withinDays) => onChange({ ...rule, withinDays })}
          />
        </>
      );
    case "band": {
      const value = rule.grade !== undefined ? `grade:${rule.grade}` : `color:${rule.color}`;
      return (
        <label>
          Band
          <select
            value={value}
            onChange={(e) => {
              const [how, what] = (e.currentTarget as HTMLSelectElement).value.split(":") as [string, string];
              onChange(
                how === "grade"
                  ? { id: rule.id, kind: "band", grade: what }
                  : { id: rule.id, kind: "band", color: what as "green" | "yellow" | "red" },
              );
            }}
          >
            <option value="color:red">Any red band</option>
            <option value="color:yellow">Any yellow band</option>
            {card.bands.map((b) => (
              <option key={b.grade} value={`grade:${b.grade}`}>
                Grade {b.grade} ({b.label})
              </option>
            ))}
          </select>
        </label>
      );
    }
    case "factor":
      return (
        <>
          <label>
            Factor
            <select
              value={rule.factorId}
              onChange={(e) => onChange({ ...rule, factorId: (e.currentTarget as HTMLSelectElement).value })}
            >
              {card.factors.map((f) => (
                <option key={f.id} value={f.id}>
                  {f.label}
                </option>
              ))}
            </select>
          </label>
          <NumberField
            label="Below (% of its points)"
            value={Math.round(rule.below * 100)}
            min={1}
            max={100}
            onChange={(p) => onChange({ ...rule, below: p / 100 })}
          />
        </>
      );
    case "renewal":
      return (
        <NumberField
          label="Within days"
          value={rule.withinDays}
          min={1}
          max={730}
          onChange={(withinDays) => onChange({ ...rule, withinDays })}
        />
      );
    case "noData":
      return (
        <NumberField
          label="Days"
          value={rule.days}
          min={1}
          max={3650}
          onChange={(days) => onChange({ ...rule, days })}
        />
      );
  }
}

/** One scorecard's alert rules: edit, add, remove, back to the defaults; saved as a new version of the scorecard. */
function ScorecardRules({ card }: { card: Scorecard }) {
  const [rules, setRules] = useState<AlertRule[]>([...alertRulesOf(card)]);
  const [kind, setKind] = useState<AlertRule["kind"]>("drop");
  const [said, setSaid] = useState("");
  const [problems, setProblems] = useState<FileIssue[]>([]);
  const save = async (alerts: AlertRule[] | undefined, message: string) => {
    setProblems([]);
    setSaid("");
    try {
      const { updatedAt: _at, alerts: _old, ...rest } = card;
      const saved = await client.saveScorecard(alerts ? { ...rest, alerts } : rest, message);
      if (!saved.ok) {
        setProblems(saved.issues);
        focusWhenShown(`${heading}-problems`);
        return;
      }
      const version = saved.value;
      setRules(alerts ?? [...DEFAULT_ALERT_RULES]);
      const words = `Saved as version ${version}; the alerts were checked again.`;
      setSaid(words);
      dataChanged();
      focusWhenShown(`${heading}-said`, (el) => el.textContent === words);
    } catch (error) {
      setProblems([{ path: "$", message: (error as Error).message }]);
      setSaid("");
      focusWhenShown(`${heading}-problems`);
    }
  };
  const heading = `rules-${card.id}`;
  return (
    <section class="card" aria-labelledby={heading} id={`${heading}-card`}>
      <h2 id={heading}>{card.name}</h2>
      {card.alerts === undefined && <p class="muted small">The default rules (this scorecard has none of its own).</p>}
      {rules.length === 0 && <p class="muted">No rules: this scorecard raises no alerts.</p>}
      <ol class="play-steps">
        {rules.map((rule, i) => (
          <li key={rule.id} class="field-row">
            <strong>{describeRule(rule, card)}</strong>
            <RuleFields
              rule={rule}
              card={card}
              onChange={(next) => setRules(rules.map((r, j) => (j === i ? next : r)))}
            />
            <button
              type="button"
              class="secondary"
              aria-label={`Remove the rule "${describeRule(rule, card)}"`}
              onClick={() => setRules(rules.filter((_, j) => j !== i))}
            >
              Remove
            </button>
          </li>
        ))}
      </ol>
      <div class="row-actions">
        <label>
          New rule
          <select
            value={kind}
            onChange={(e) => setKind((e.currentTarget as HTMLSelectElement).value as AlertRule["kind"])}
          >
            {KINDS.map((k) => (
              <option key={k.kind} value={k.kind}>
                {k.label}
              </option>
            ))}
          </select>
        </label>
        <button
          type="button"
          class="secondary"
          onClick={() => {
            const make = KINDS.find((k) => k.kind === kind)?.make;
            if (make) setRules([...rules, make(freshId(kind, rules), card)]);
          }}
        >
          Add rule
        </button>
        <button type="button" onClick={() => void save(rules, "Alert rules changed")}>
          Save rules
        </button>
        {card.alerts !== undefined && (
          <button
            type="button"
            class="secondary"
            onClick={() => void save(undefined, "Alert rules back to the defaults")}
          >
            Use the default rules
          </button>
        )}
      </div>
      <p role="status" class="small" id={`${heading}-said`} tabIndex={-1}>
        {said}
      </p>
      {problems.length > 0 && (
        <div role="alert" class="issues" id={`${heading}-problems`} tabIndex={-1}>
          <p>The rules were not saved:</p>
          <ul>
            {problems.map((p) => (
              <li key={`${p.path}: ${p.message}`}>{issueInWords(p, { alerts: "rule" })}</li>
            ))}
          </ul>
        </div>
      )}
    </section>
  );
}

/** Each scorecard's alert rules, editable; a save is a new version of the scorecard and rescores. */
export function AlertRulesPage() {
  const loaded = useLoad(() => client.scorecards(), []);
  return (
    <>
      <p>
        <a href="#/alerts">← Alerts</a>
      </p>
      <h1>Alert rules</h1>
      <p class="muted">
        Each scorecard's rules judge the accounts whose primary score it gives. Saving keeps a new version of the
        scorecard and checks every account again.
      </p>
      {loaded.state === "loading" && <p aria-busy="true">Loading scorecards…</p>}
      {loaded.state === "error" && (
        <p role="alert" class="error">
          The scorecards could not be loaded: {loaded.message}
        </p>
      )}
      {loaded.state === "ready" && loaded.value.length > 1 && (
        <SkipLinks links={loaded.value.map((l) => ({ to: `rules-${l.scorecard.id}-card`, label: l.scorecard.name }))} />
      )}
      {loaded.state === "ready" &&
        loaded.value.map((live) => (
          // Keyed by id only: the saved version reloads under the same form, which keeps its message.
          <ScorecardRules key={live.scorecard.id} card={live.scorecard} />
        ))}
    </>
  );
}
