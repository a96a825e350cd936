import { useEffect, useMemo, useRef, useState } from "preact/hooks";
import type { FileIssue } from "../../../core/schema/issues.ts";
import {
  type Band,
  type Condition,
  DEFAULT_BANDS,
  type Factor,
  type Group,
  type MissingPolicy,
  type Rule,
  type Scorecard,
  type SimpleSource,
  type Source,
} from "../../../core/schema/scorecard.ts";
import type { ScorecardVersionRow } from "../../../core/store/db.ts";
import type { LiveScorecard } from "../../../core/store/scorecards.ts";
import type { ScorecardChoices, ScorecardPreview } from "../../../core/worker/portfolio-api.ts";
import { takeDraft } from "../components/draft-handoff.ts";
import {
  focusPath,
  IssuesContext,
  issuesByPath,
  ListField,
  NumberField,
  plainMessage,
  SelectField,
  TextField,
} from "../components/form-fields.tsx";
import { AGGREGATIONS, num, pts, ruleSamples, sharesOf } from "../components/scorecard-text.ts";
import { ScoredElsewhereBanner } from "../components/scored-elsewhere.tsx";
import { WideTable } from "../components/wide-table.tsx";
import { releaseLeaveGuard, useLeaveGuard } from "../leave-guard.tsx";
import { client, dataChanged, useDataVersion } from "../services.ts";
import { PreviewPanel } from "./scorecards-preview.tsx";

/** Milliseconds the editor waits after the last change before it asks for a new preview. */
const PREVIEW_DEBOUNCE_MS = 250;

/** A message to show on the next editor that opens (a new scorecard's editor after its first save). */
let flash: string | null = null;

/** An id not yet taken, from a base: "adoption-smb-copy", "adoption-smb-copy-2", … */
export function uniqueId(base: string, taken: ReadonlySet<string>): string {
  const clean =
    base
      .toLowerCase()
      .replace(/[^a-z0-9-]+/g, "-")
      .replace(/^-+|-+$/g, "") || "scorecard";
  if (!taken.has(clean) && clean !== "new") return clean;
  for (let i = 2; ; i++) if (!taken.has(`${clean}-${i}`)) return `${clean}-${i}`;
}

const metricSource = (choices: ScorecardChoices): SimpleSource => ({
  kind: "metric",
  metric: choices.metrics[0] ?? "logins",
  aggregation: "mean",
  windowDays: 30,
});

function newFactor(id: string, choices: ScorecardChoices): Factor {
  return {
    id,
    label: "New factor",
    description: "",
    weight: 10,
    source: metricSource(choices),
    rule: { kind: "linear", worst: 0, best: 10 },
    missing: { policy: "skip" },
  };
}

/** A new scorecard: one factor and the default bands, for every account. */
function newScorecard(id: string, choices: ScorecardChoices): Scorecard {
  return {
    id,
    name: "New scorecard",
    description: "",
    factors: [newFactor("factor-1", choices)],
    groups: [],
    bands: DEFAULT_BANDS.map((b) => ({ ...b })),
    appliesTo: [],
    priority: 0,
    minCoverage: 0.5,
    deltaDays: 30,
    badgeForm: "points",
  };
}

/** A copy of a scorecard to make a variant of it (for another segment or stage): a new id, "(copy)" in the name. */
function duplicateOf(card: Scorecard, taken: ReadonlySet<string>): Scorecard {
  const { updatedAt: _stamp, ...rest } = card;
  return { ...rest, id: uniqueId(`${card.id}-copy`, taken), name: `${card.name} (copy)` };
}

function move<T>(list: readonly T[], from: number, to: number): T[] {
  const out = [...list];
  const [item] = out.splice(from, 1);
  if (item !== undefined) out.splice(to, 0, item);
  return out;
}

const replaceAt = <T,>(list: readonly T[], i: number, item: T): T[] => list.map((x, j) => (j === i ? item : x));

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
function SourceEditor(props: {
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

const N_HINT = "0 = no points, 1 = all";

/** How a value turns into n (0 to 1), with a small table of sample values and the points they earn. */
function RuleEditor(props: { rule: Rule; path: string; share: number; onChange: (r: Rule) => void }) {
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

function FactorEditor(props: {
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

const CONDITION_KINDS = [
  ["equals", "An attribute equals"],
  ["in", "An attribute is one of"],
  ["range", "An attribute is in a range"],
  ["stage", "Lifecycle stage is"],
  ["tenure", "Days as a customer"],
] as const;

function defaultCondition(kind: Condition["kind"]): Condition {
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

function ConditionEditor(props: {
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

const COLORS = [
  ["green", "Green"],
  ["yellow", "Yellow"],
  ["red", "Red"],
] as const;

function BandsEditor(props: { bands: Band[]; onChange: (b: Band[]) => void }) {
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

function GroupsEditor(props: { card: Scorecard; onChange: (card: Scorecard) => void }) {
  const { card, onChange } = props;
  return (
    <fieldset>
      <legend>Groups (optional)</legend>
      <p class="muted small">
        A group's weight is shared by its factors in proportion to theirs (Usage, Support, Sentiment…). Choose each
        factor's group in the factor.
      </p>
      {card.groups.map((g, i) => {
        const path = `$.groups[${i}]`;
        return (
          <div class="field-row" key={g.id}>
            <TextField
              label={`Group ${i + 1}: label`}
              path={`${path}.label`}
              value={g.label}
              onInput={(label) => onChange({ ...card, groups: replaceAt(card.groups, i, { ...g, label }) })}
            />
            <NumberField
              label={`Group ${i + 1}: weight`}
              path={`${path}.weight`}
              value={g.weight}
              onChange={(w) =>
                onChange({ ...card, groups: replaceAt(card.groups, i, { ...g, weight: w ?? Number.NaN }) })
              }
            />
            <span class="muted small" id={`${path}-id`}>
              {card.factors.filter((f) => f.group === g.id).length} factors
            </span>
            <button
              type="button"
              class="secondary"
              onClick={() =>
                onChange({
                  ...card,
                  groups: card.groups.filter((_, j) => j !== i),
                  factors: card.factors.map((f) => {
                    if (f.group !== g.id) return f;
                    const { group: _g, ...rest } = f;
                    return rest;
                  }),
                })
              }
            >
              Remove group {i + 1}
            </button>
          </div>
        );
      })}
      <button
        type="button"
        class="secondary"
        onClick={() =>
          onChange({
            ...card,
            groups: [
              ...card.groups,
              {
                id: uniqueId(`group-${card.groups.length + 1}`, new Set(card.groups.map((g) => g.id))),
                label: `Group ${card.groups.length + 1}`,
                weight: 10,
              },
            ],
          })
        }
      >
        Add a group
      </button>
    </fieldset>
  );
}

function VersionsPanel(props: { id: string; live: number; onRevert: (version: number) => void; busy: boolean }) {
  const [versions, setVersions] = useState<ScorecardVersionRow[] | null>(null);
  useEffect(() => {
    let live = true;
    void client.scorecardVersions(props.id).then((v) => live && setVersions(v));
    return () => {
      live = false;
    };
  }, [props.id, props.live]);
  return (
    <section class="card" aria-labelledby="versions-title">
      <h2 id="versions-title">Versions</h2>
      {versions === null ? (
        <p aria-busy="true">Loading versions…</p>
      ) : (
        <WideTable label="Versions">
          <table class="data versions">
            <thead>
              <tr>
                <th scope="col" class="num">
                  Version
                </th>
                <th scope="col">Saved</th>
                <th scope="col">Message</th>
                <th scope="col">
                  <span class="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {[...versions].reverse().map((v) => (
                <tr key={v.version}>
                  <td class="num">{v.version}</td>
                  <td>{new Date(v.savedAt).toLocaleString()}</td>
                  <td class="wrap">{v.message}</td>
                  <td>
                    {v.version === props.live ? (
                      <span class="pill">live</span>
                    ) : (
                      <button
                        type="button"
                        class="secondary"
                        disabled={props.busy}
                        onClick={() => props.onRevert(v.version)}
                      >
                        Revert to version {v.version}
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </WideTable>
      )}
    </section>
  );
}

/** Asks the worker for a preview of the draft, at most once per pause in typing, and keeps only the latest answer. */
function usePreview(draft: Scorecard | null) {
  const version = useDataVersion();
  const [preview, setPreview] = useState<ScorecardPreview | null>(null);
  const [lastOk, setLastOk] = useState<Extract<ScorecardPreview, { ok: true }> | null>(null);
  const [pending, setPending] = useState(true);
  const [failed, setFailed] = useState<string | null>(null);
  const latest = useRef(0);
  useEffect(() => {
    if (!draft) return;
    const ask = ++latest.current;
    setPending(true);
    const timer = setTimeout(() => {
      client.previewScorecard(draft).then(
        (p) => {
          if (ask !== latest.current) return;
          setPreview(p);
          if (p.ok) setLastOk(p);
          setFailed(null);
          setPending(false);
        },
        (error: unknown) => {
          if (ask !== latest.current) return;
          setFailed((error as Error).message);
          setPending(false);
        },
      );
    }, PREVIEW_DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [draft, version]);
  return { preview, lastOk, pending, failed };
}

type Loaded = { cards: LiveScorecard[]; choices: ScorecardChoices };

/**
 * The scorecard editor (`#/scorecards/<id>`, or a new one at `#/scorecards/new`, a copy with `?from=<id>`): every
 * part of the scorecard in a form, a live preview of what the draft does to the portfolio beside it, save with a
 * message, and the versions with revert.
 */
export function ScorecardEditorPage(props: { id: string | null; from?: string }) {
  const [loaded, setLoaded] = useState<Loaded | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [draft, setDraft] = useState<Scorecard | null>(null);
  const [message, setMessage] = useState("");
  const [saveIssues, setSaveIssues] = useState<FileIssue[]>([]);
  const [notice, setNotice] = useState<string | null>(() => {
    const f = flash;
    flash = null;
    return f;
  });
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  /** Where a draft handed to this editor came from (the Validate page's suggestion), until it is saved. */
  const [handedFrom, setHandedFrom] = useState<string | null>(null);
  /** The draft as it was opened: a new scorecard counts as changed only once edited. */
  const [opened, setOpened] = useState<Scorecard | null>(null);
  const isNew = props.id === null;

  const load = async (): Promise<Loaded> => {
    const [cards, choices] = await Promise.all([client.scorecards(), client.scorecardChoices()]);
    const next = { cards, choices };
    setLoaded(next);
    return next;
  };
  // The draft starts once per scorecard opened; saves and reverts set it themselves.
  useEffect(() => {
    load().then(
      ({ cards, choices }) => {
        const taken = new Set(cards.map((c) => c.scorecard.id));
        if (props.id !== null) {
          const live = cards.find((c) => c.scorecard.id === props.id);
          if (!live) setLoadError(`there is no scorecard "${props.id}"`);
          else {
            const handed = takeDraft(props.id);
            setDraft(handed?.scorecard ?? live.scorecard);
            setHandedFrom(handed?.source ?? null);
            setOpened(live.scorecard);
          }
        } else {
          const source = cards.find((c) => c.scorecard.id === props.from)?.scorecard;
          // A new scorecard handed over by the Validate page's builder (a suggestion under its own id and name).
          const handed = source ? null : takeDraft("new");
          const start = source
            ? duplicateOf(source, taken)
            : handed
              ? { ...handed.scorecard, id: uniqueId(handed.scorecard.id, taken) }
              : newScorecard(uniqueId("new-scorecard", taken), choices);
          setDraft(start);
          setOpened(start);
          setHandedFrom(handed?.source ?? null);
        }
      },
      (e: unknown) => setLoadError((e as Error).message),
    );
  }, [props.id, props.from]);

  const { preview, lastOk, pending, failed } = usePreview(draft);
  const base = loaded?.cards.find((c) => c.scorecard.id === props.id) ?? null;
  const shares = useMemo(() => (draft ? sharesOf(draft) : []), [draft]);
  const previewIssues = preview && !preview.ok ? preview.issues : [];
  const takenId =
    isNew && draft && loaded?.cards.some((c) => c.scorecard.id === draft.id)
      ? [{ path: "$.id", message: `a scorecard with id "${draft.id}" already exists` }]
      : [];
  const issues = [...takenId, ...saveIssues, ...previewIssues]
    .map((issue) => ({ path: issue.path, message: plainMessage(issue.message) }))
    .filter((issue, k, all) => all.findIndex((o) => o.path === issue.path && o.message === issue.message) === k);
  const byPath = issuesByPath(issues);
  // Unsaved edits: against the live version (so a draft opened from elsewhere counts), or the new draft as opened.
  const changed = draft !== null && JSON.stringify(draft) !== JSON.stringify(base?.scorecard ?? opened);
  useLeaveGuard(changed, `changes to the scorecard ${draft?.name || "you are editing"}`);

  if (loadError) {
    return (
      <>
        <h1>Scorecard not found</h1>
        <p role="alert" class="error">
          {loadError}
        </p>
        <a href="#/scorecards">Back to scorecards</a>
      </>
    );
  }
  if (!loaded || !draft) return <p aria-busy="true">Loading the scorecard…</p>;
  const { choices } = loaded;
  const dirty = isNew || JSON.stringify(draft) !== JSON.stringify(base?.scorecard);
  const update = (next: Scorecard) => {
    setDraft(next);
    setSaveIssues([]);
    setNotice(null);
  };

  const save = async () => {
    setBusy(true);
    setError(null);
    setNotice(null);
    setSaveIssues([]);
    try {
      const saved = await client.saveScorecard(draft, message, { create: isNew });
      if (!saved.ok) {
        setSaveIssues(saved.issues);
        return;
      }
      const version = saved.value;
      setMessage("");
      dataChanged();
      const text = `Saved as version ${version}; every score was recomputed.`;
      if (isNew) {
        flash = text;
        releaseLeaveGuard();
        location.hash = `#/scorecards/${encodeURIComponent(draft.id)}`;
        return;
      }
      const { cards } = await load();
      const live = cards.find((c) => c.scorecard.id === draft.id);
      if (live) setDraft(live.scorecard);
      setNotice(text);
    } catch (e) {
      setError(`The scorecard was not saved: ${(e as Error).message}`);
    } finally {
      setBusy(false);
    }
  };

  const revert = async (version: number) => {
    if (!base) return;
    const lose = dirty ? " Your unsaved changes will be lost." : "";
    if (!confirm(`Make version ${version} of ${base.scorecard.name} live again (as a new version)?${lose}`)) return;
    setBusy(true);
    setError(null);
    try {
      const next = await client.revertScorecard(base.scorecard.id, version);
      dataChanged();
      const { cards } = await load();
      const live = cards.find((c) => c.scorecard.id === base.scorecard.id);
      if (live) setDraft(live.scorecard);
      setSaveIssues([]);
      setNotice(`Version ${version} is live again, as version ${next}; every score was recomputed.`);
    } catch (e) {
      setError(`The revert failed: ${(e as Error).message}`);
    } finally {
      setBusy(false);
    }
  };

  const discard = () => {
    if (!base) {
      releaseLeaveGuard();
      location.hash = "#/scorecards";
      return;
    }
    setDraft(base.scorecard);
    setSaveIssues([]);
    setError(null);
    setNotice("Your changes were discarded.");
  };

  const setFactor = (i: number, f: Factor) => update({ ...draft, factors: replaceAt(draft.factors, i, f) });
  return (
    <IssuesContext.Provider value={byPath}>
      <p>
        <a href="#/scorecards">← Scorecards</a>
      </p>
      <h1>
        {isNew ? "New scorecard" : `Edit ${base?.scorecard.name ?? draft.name}`}{" "}
        {base && <span class="muted small">version {base.version}</span>}{" "}
        {dirty && !isNew && <span class="pill">unsaved changes</span>}
      </h1>
      <ScoredElsewhereBanner />
      {handedFrom && dirty && (
        <p class="handoff-note" role="status">
          <strong>{handedFrom}, not saved.</strong> The live preview shows what it would change.{" "}
          {isNew ? "Save the new scorecard to keep it" : "Save it as a new version to keep it"}, or leave this page to
          discard it.
        </p>
      )}
      <datalist id="scorecard-metrics">
        {choices.metrics.map((m) => (
          <option key={m} value={m} />
        ))}
      </datalist>
      <datalist id="scorecard-attributes">
        {choices.attributes.map((a) => (
          <option key={a} value={a} />
        ))}
      </datalist>
      <datalist id="scorecard-segments">
        {choices.segments.map((s) => (
          <option key={s} value={s} />
        ))}
      </datalist>
      <div class="editor-layout">
        <form class="editor-form" aria-label="Scorecard" onSubmit={(e) => e.preventDefault()}>
          <fieldset>
            <legend>Scorecard</legend>
            <div class="field-row">
              <TextField label="Name" path="$.name" value={draft.name} onInput={(name) => update({ ...draft, name })} />
              {isNew ? (
                <TextField
                  label="Id"
                  path="$.id"
                  value={draft.id}
                  hint="lower-case letters, digits and '-'; fixed once saved"
                  onInput={(id) => update({ ...draft, id })}
                />
              ) : (
                <div class="field">
                  <span>Id</span>
                  <code>{draft.id}</code>
                </div>
              )}
            </div>
            <TextField
              label="Description"
              path="$.description"
              value={draft.description}
              rows={2}
              onInput={(description) => update({ ...draft, description })}
            />
            <div class="field-row">
              <NumberField
                label="Priority"
                path="$.priority"
                value={draft.priority}
                hint="the highest-priority scorecard that applies gives the badge's score"
                onChange={(priority) => update({ ...draft, priority: priority ?? Number.NaN })}
              />
              <NumberField
                label="Minimum coverage (%)"
                path="$.minCoverage"
                value={draft.minCoverage}
                scale={100}
                hint="below it the score is “not enough data”"
                onChange={(minCoverage) => update({ ...draft, minCoverage: minCoverage ?? Number.NaN })}
              />
              <NumberField
                label="Change over (days)"
                path="$.deltaDays"
                value={draft.deltaDays}
                hint="the period of the score's change"
                onChange={(deltaDays) => update({ ...draft, deltaDays: deltaDays ?? Number.NaN })}
              />
              <SelectField
                label="Badge shows first"
                path="$.badgeForm"
                value={draft.badgeForm}
                options={[
                  ["points", "Points"],
                  ["grade", "Grade"],
                  ["label", "Label"],
                ]}
                onChange={(badgeForm) => update({ ...draft, badgeForm })}
              />
            </div>
          </fieldset>

          <fieldset>
            <legend>Applies to</legend>
            <p class="muted small">
              {draft.appliesTo.length === 0
                ? "Every account (no condition)."
                : "Accounts that meet every condition below."}
            </p>
            {draft.appliesTo.map((c, i) => (
              <ConditionEditor
                key={i}
                condition={c}
                index={i}
                choices={choices}
                onChange={(next) => update({ ...draft, appliesTo: replaceAt(draft.appliesTo, i, next) })}
                onRemove={() => update({ ...draft, appliesTo: draft.appliesTo.filter((_, j) => j !== i) })}
              />
            ))}
            <button
              type="button"
              class="secondary"
              onClick={() => update({ ...draft, appliesTo: [...draft.appliesTo, defaultCondition("in")] })}
            >
              Add a condition
            </button>
          </fieldset>

          <fieldset>
            <legend>Factors</legend>
            <p class="muted small">
              Each factor's weight gives it a share of the 100 points; the shares update as you type.
            </p>
            {draft.factors.map((f, i) => (
              <FactorEditor
                key={f.id}
                factor={f}
                index={i}
                count={draft.factors.length}
                share={shares[i] ?? Number.NaN}
                groups={draft.groups}
                choices={choices}
                onChange={(next) => setFactor(i, next)}
                onMove={(to) => update({ ...draft, factors: move(draft.factors, i, to) })}
                onRemove={() => update({ ...draft, factors: draft.factors.filter((_, j) => j !== i) })}
              />
            ))}
            <button
              type="button"
              class="secondary"
              onClick={() =>
                update({
                  ...draft,
                  factors: [
                    ...draft.factors,
                    newFactor(
                      uniqueId(`factor-${draft.factors.length + 1}`, new Set(draft.factors.map((f) => f.id))),
                      choices,
                    ),
                  ],
                })
              }
            >
              Add a factor
            </button>
          </fieldset>

          <GroupsEditor card={draft} onChange={update} />
          <BandsEditor bands={draft.bands} onChange={(bands) => update({ ...draft, bands })} />

          <fieldset>
            <legend>Save</legend>
            <div class="field-row">
              <TextField
                label="What changed (kept with the version)"
                path="$message"
                value={message}
                onInput={setMessage}
              />
              <button type="button" disabled={busy || !dirty} onClick={() => void save()}>
                {busy ? "Saving…" : isNew ? "Save the new scorecard" : "Save as a new version"}
              </button>
              <button type="button" class="secondary" disabled={busy || !changed} onClick={discard}>
                Discard changes
              </button>
              {!isNew && (
                <a class="button secondary" href={`#/scorecards/${encodeURIComponent(draft.id)}/print`}>
                  Printable explanation
                </a>
              )}
              {!isNew && (
                <a class="button secondary" href={`#/scorecards/${encodeURIComponent(draft.id)}/validate`}>
                  Validate against outcomes
                </a>
              )}
            </div>
            {notice && <p role="status">{notice}</p>}
            {error && (
              <p role="alert" class="error wrap">
                {error}
              </p>
            )}
          </fieldset>
        </form>
        <aside
          class="editor-side"
          aria-label="Problems and live preview"
          // biome-ignore lint/a11y/noNoninteractiveTabindex: it scrolls on its own, so it must be focusable to scroll by keyboard.
          tabIndex={0}
        >
          {issues.length > 0 && (
            <section class="card issues" aria-labelledby="issues-title">
              <h2 id="issues-title">
                {issues.length} {issues.length === 1 ? "problem" : "problems"} to fix before saving
              </h2>
              <ul role={saveIssues.length > 0 ? "alert" : undefined}>
                {issues.map((i) => (
                  <li key={`${i.path}:${i.message}`}>
                    <button type="button" class="link" onClick={() => focusPath(i.path)}>
                      <code>{i.path}</code>
                    </button>{" "}
                    {i.message}
                  </li>
                ))}
              </ul>
            </section>
          )}
          <PreviewPanel preview={lastOk} stale={preview !== null && !preview.ok} pending={pending} failed={failed} />
        </aside>
      </div>
      {base && (
        <VersionsPanel id={base.scorecard.id} live={base.version} busy={busy} onRevert={(v) => void revert(v)} />
      )}
    </IssuesContext.Provider>
  );
}
