import { type FileIssue, issuesOf } from "../schema/issues.ts";
import { Scorecard, type ScorecardInput } from "../schema/scorecard.ts";
import { diffScorecards, orderedIds, type ScorecardChange, type Side, unitsOf } from "./diff.ts";

/**
 * Who changed what, against the common ancestor: `a` (only mine changed it: keep mine), `b` (only theirs changed it:
 * take theirs) or `both` (a conflict: a person decides). Without an ancestor every difference is `both`.
 */
export type ChangedBy = Side | "both";

/** A difference between mine and theirs, with who made it. */
export interface MergeChange extends ScorecardChange {
  readonly changedBy: ChangedBy;
}

/** The differences between mine (a) and theirs (b), each with who changed it since `base` (the common ancestor). */
export function mergeChanges(base: Scorecard | undefined, a: Scorecard, b: Scorecard): MergeChange[] {
  const ub = base && unitsOf(base);
  const ua = unitsOf(a);
  const ut = unitsOf(b);
  return diffScorecards(a, b).map((change) => {
    if (!ub) return { ...change, changedBy: "both" };
    const same = (side: Map<string, string>) => change.units.every((u) => ub.get(u) === side.get(u));
    return { ...change, changedBy: same(ua) ? "b" : same(ut) ? "a" : "both" };
  });
}

/** The side each change takes when nobody chooses: the side that changed it; a conflict has none. */
export function defaultChoices(changes: readonly MergeChange[]): Map<string, Side> {
  const choices = new Map<string, Side>();
  for (const c of changes) if (c.changedBy !== "both") choices.set(c.key, c.changedBy);
  return choices;
}

/** A merged scorecard, or why it is not one. */
export type MergeResult =
  | { ok: true; scorecard: Scorecard }
  | {
      ok: false;
      /** Changes both sides made differently, with no choice given. */
      conflicts: MergeChange[];
      /** Problems of the merged scorecard (a factor kept in a group the other side removed…), by JSON path. */
      issues: FileIssue[];
      /** The merged draft as far as it goes (conflicts left as in `a`), for a preview. */
      draft: ScorecardInput;
    };

/**
 * Builds the merged scorecard: `a` with, for each change, the side chosen (a change with no choice is a conflict,
 * and stays as in `a` in the draft). Lists keep a's order, with items only b has after, in b's order; bands are
 * ordered from the highest `min` down.
 */
export function applyChoices(
  a: Scorecard,
  b: Scorecard,
  changes: readonly MergeChange[],
  choices: ReadonlyMap<string, Side>,
): MergeResult {
  const units = unitsOf(a);
  const fromB = unitsOf(b);
  const conflicts: MergeChange[] = [];
  for (const c of changes) {
    const side = choices.get(c.key);
    if (side === undefined) conflicts.push(c);
    if (side !== "b") continue;
    for (const u of c.units) {
      const v = fromB.get(u);
      if (v === undefined) units.delete(u);
      else units.set(u, v);
    }
  }
  const draft = fromUnits(a.id, units, [a, b]);
  const parsed = Scorecard.safeParse(draft);
  if (conflicts.length === 0 && parsed.success) return { ok: true, scorecard: parsed.data };
  return { ok: false, conflicts, issues: parsed.success ? [] : issuesOf(parsed.error, [], draft), draft };
}

/**
 * A three-way merge: each change takes the side that made it since the common ancestor; fails with the conflicts
 * (both sides changed one thing differently) and any problem of the result. Without an ancestor, every difference
 * is a conflict.
 */
export function mergeScorecards(base: Scorecard | undefined, a: Scorecard, b: Scorecard): MergeResult {
  const changes = mergeChanges(base, a, b);
  return applyChoices(a, b, changes, defaultChoices(changes));
}

function fromUnits(id: string, units: ReadonlyMap<string, string>, order: readonly Scorecard[]): ScorecardInput {
  const get = (key: string): unknown => {
    const text = units.get(key);
    return text === undefined ? undefined : JSON.parse(text);
  };
  const ids = (lists: (readonly string[])[]) => lists.reduce<string[]>((acc, list) => orderedIds(acc, list), []);
  const items = (list: string, all: string[], fields: readonly string[], idField: string) =>
    all
      .filter((x) => units.has(`${list}/${x}`))
      .map((x) => {
        const item: Record<string, unknown> = { [idField]: x };
        for (const f of fields) {
          const v = get(`${list}/${x}/${f}`);
          if (v !== undefined) item[f] = v;
        }
        return item;
      });
  const card: Record<string, unknown> = { id };
  for (const key of ["name", "description", "priority", "minCoverage", "deltaDays", "badgeForm", "appliesTo"]) {
    const v = get(key);
    if (v !== undefined) card[key] = v;
  }
  card.factors = items(
    "factors",
    ids(order.map((c) => c.factors.map((f) => f.id))),
    ["label", "description", "group", "weight", "source", "rule", "missing", "staleAfterDays"],
    "id",
  );
  card.groups = items("groups", ids(order.map((c) => c.groups.map((g) => g.id))), ["label", "weight"], "id");
  card.bands = items("bands", ids(order.map((c) => c.bands.map((x) => x.grade))), ["min", "color", "label"], "grade")
    // Keys first as the schema has them: min, grade, color, label.
    .map(({ grade, min, ...rest }) => ({ min, grade, ...rest }))
    .sort((x, y) => (y.min as number) - (x.min as number));
  if (units.has("alerts")) {
    const all = ids(order.map((c) => (c.alerts ?? []).map((r) => r.id)));
    card.alerts = all.filter((r) => units.has(`alerts/${r}`)).map((r) => get(`alerts/${r}`));
  }
  return card as ScorecardInput;
}
