// The scorecard editor's drafts: a new scorecard or factor from the data's choices, a copy under a free id, and
// the list edits the sections share. Pure: no Preact, no worker (test/pwa/scorecard-draft.test.ts).
import { DEFAULT_BANDS, type Factor, type Scorecard, type SimpleSource } from "../../../../core/schema/scorecard.ts";
import type { ScorecardChoices } from "../../../../core/worker/portfolio-api.ts";

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

export const metricSource = (choices: ScorecardChoices): SimpleSource => ({
  kind: "metric",
  metric: choices.metrics[0] ?? "logins",
  aggregation: "mean",
  windowDays: 30,
});

export function newFactor(id: string, choices: ScorecardChoices): Factor {
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
export function newScorecard(id: string, choices: ScorecardChoices): Scorecard {
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
export function duplicateOf(card: Scorecard, taken: ReadonlySet<string>): Scorecard {
  const { updatedAt: _stamp, ...rest } = card;
  return { ...rest, id: uniqueId(`${card.id}-copy`, taken), name: `${card.name} (copy)` };
}

export function move<T>(list: readonly T[], from: number, to: number): T[] {
  const out = [...list];
  const [item] = out.splice(from, 1);
  if (item !== undefined) out.splice(to, 0, item);
  return out;
}

export const replaceAt = <T>(list: readonly T[], i: number, item: T): T[] => list.map((x, j) => (j === i ? item : x));
