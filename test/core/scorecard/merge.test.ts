import { describe, expect, it } from "vitest";
import { Scorecard, type ScorecardInput } from "../../../core/schema/scorecard.ts";
import { classifyScorecards } from "../../../core/scorecard/classify.ts";
import { diffScorecards } from "../../../core/scorecard/diff.ts";
import {
  canonicalJson,
  type LineageVersion,
  mergeBase,
  type ScorecardLineage,
  versionHash,
} from "../../../core/scorecard/lineage.ts";
import { applyChoices, mergeChanges, mergeScorecards } from "../../../core/scorecard/merge.ts";

const BASE: ScorecardInput = {
  id: "renewal",
  name: "Renewal",
  groups: [{ id: "usage", label: "Usage", weight: 60 }],
  factors: [
    {
      id: "logins",
      label: "Logins",
      group: "usage",
      weight: 20,
      source: { kind: "metric", metric: "logins", aggregation: "sum", windowDays: 30 },
      rule: { kind: "linear", worst: 0, best: 100 },
    },
    {
      id: "nps",
      label: "NPS",
      weight: 30,
      source: { kind: "metric", metric: "nps", aggregation: "nps", windowDays: 180 },
      rule: { kind: "steps", steps: [{ upTo: 0, n: 0 }, { upTo: 30, n: 0.5 }, { n: 1 }] },
    },
  ],
};

const card = (edit: (c: ScorecardInput) => void = () => {}): Scorecard => {
  const copy = structuredClone(BASE);
  edit(copy);
  return Scorecard.parse(copy);
};
const factor = (c: ScorecardInput, id: string) => c.factors.find((f) => f.id === id) as ScorecardInput["factors"][0];
const bandB = (c: ScorecardInput) => {
  c.bands = [
    { min: 80, grade: "A", color: "green", label: "Healthy" },
    { min: 70, grade: "B", color: "green", label: "Good" },
    { min: 50, grade: "C", color: "yellow", label: "Watch" },
    { min: 0, grade: "D", color: "red", label: "At risk" },
  ];
};

describe("versionHash", () => {
  it("names content, not key order, defaults written out or updatedAt; parents in any order", () => {
    const written = card((c) => {
      c.minCoverage = 0.5;
      c.updatedAt = "2025-01-01T00:00:00.000Z";
    });
    const reordered = JSON.parse(canonicalJson(card())) as ScorecardInput;
    expect(versionHash(written, [])).toBe(versionHash(reordered, []));
    expect(versionHash(card(), ["b", "a"])).toBe(versionHash(card(), ["a", "b"]));
    // Same content on another parent is another version (a revert is not its ancestor).
    expect(versionHash(card(), ["a"])).not.toBe(versionHash(card(), []));
    expect(versionHash(card(), [])).toMatch(/^[0-9a-f]{64}$/);
  });

  it("canonical JSON sorts keys at every level", () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { z: 0, y: null }], c: "x" }, e: undefined })).toBe(
      '{"a":{"c":"x","d":[1,{"y":null,"z":0}]},"b":1}',
    );
  });
});

describe("diffScorecards", () => {
  it("says each change in plain words with its JSON path", () => {
    const a = card();
    const b = card((c) => {
      factor(c, "logins").weight = 25;
      bandB(c);
      factor(c, "nps").rule = { kind: "steps", steps: [{ upTo: 10, n: 0 }, { upTo: 30, n: 0.5 }, { n: 1 }] };
      c.factors.push({
        id: "tickets",
        label: "Tickets",
        weight: 10,
        source: { kind: "metric", metric: "tickets", aggregation: "count", windowDays: 90 },
        rule: { kind: "linear", worst: 10, best: 0 },
      });
    });
    expect(diffScorecards(a, b).map((d) => `${d.path}: ${d.words}`)).toEqual([
      '$.factors[0].weight: factor "Logins": weight 20 → 25',
      '$.factors[1].rule: factor "NPS": rule steps changed: ≤ 0 → 0, ≤ 30 → 0.5, above → 1 → ≤ 10 → 0, ≤ 30 → 0.5, above → 1',
      '$.factors[2]: factor "Tickets" (weight 10, count of tickets over 90 days) added',
      "$.bands[1].min: band B from 65 to 70",
    ]);
    // The other way round: the factor is removed, the path is in the file that has it.
    const back = diffScorecards(b, a);
    expect(back.find((d) => d.key === "factors/tickets")).toMatchObject({
      path: "$.factors[2]",
      paths: { a: "$.factors[2]" },
      words: 'factor "Tickets" (weight 10, count of tickets over 90 days) removed',
    });
  });

  it("finds nothing between versions that say the same in another order", () => {
    const a = card();
    const b = card((c) => {
      c.factors.reverse();
      c.bands = [
        { min: 0, grade: "D", color: "red", label: "At risk" },
        { min: 50, grade: "C", color: "yellow", label: "Watch" },
        { min: 65, grade: "B", color: "green", label: "Good" },
        { min: 80, grade: "A", color: "green", label: "Healthy" },
      ];
    });
    expect(diffScorecards(a, b)).toEqual([]);
  });

  it("names top-level fields, groups, missing policies and alert rules", () => {
    const b = card((c) => {
      c.name = "Renewal 2";
      c.minCoverage = 0.6;
      c.groups = [{ id: "usage", label: "Product usage", weight: 50 }];
      factor(c, "nps").missing = { policy: "assume", n: 0.5 };
      c.alerts = [{ id: "drop", kind: "drop", points: 10, withinDays: 30 }];
    });
    expect(diffScorecards(card(), b).map((d) => d.words)).toEqual([
      'name "Renewal" → "Renewal 2"',
      "minimum coverage 50% → 60%",
      'factor "NPS": when missing skipped → counts 0.5',
      'group "Product usage": label "Usage" → "Product usage"',
      'group "Product usage": weight 60 → 50',
      "alert rules: the default rules → its own list",
    ]);
  });
});

describe("mergeScorecards (three-way)", () => {
  it("takes each side's own changes when they touch different things", () => {
    const base = card();
    const mine = card((c) => {
      factor(c, "logins").weight = 25;
    });
    const theirs = card((c) => {
      bandB(c);
      factor(c, "nps").label = "Net promoter score";
    });
    const merged = mergeScorecards(base, mine, theirs);
    expect(merged.ok).toBe(true);
    if (!merged.ok) return;
    expect(merged.scorecard.factors.map((f) => [f.id, f.label, f.weight])).toEqual([
      ["logins", "Logins", 25],
      ["nps", "Net promoter score", 30],
    ]);
    expect(merged.scorecard.bands.map((b) => [b.grade, b.min])).toEqual([
      ["A", 80],
      ["B", 70],
      ["C", 50],
      ["D", 0],
    ]);
  });

  it("fails with the conflict named when both change one weight differently, and merges once chosen", () => {
    const base = card();
    const mine = card((c) => {
      factor(c, "logins").weight = 25;
    });
    const theirs = card((c) => {
      factor(c, "logins").weight = 30;
      bandB(c);
    });
    const merged = mergeScorecards(base, mine, theirs);
    expect(merged.ok).toBe(false);
    if (merged.ok) return;
    expect(merged.conflicts.map((c) => `${c.path}: ${c.words}`)).toEqual([
      '$.factors[0].weight: factor "Logins": weight 25 → 30',
    ]);
    // The draft keeps mine where it conflicts and takes theirs where only they changed.
    expect(Scorecard.parse(merged.draft).bands[1]?.min).toBe(70);
    expect(Scorecard.parse(merged.draft).factors[0]?.weight).toBe(25);
    const changes = mergeChanges(base, mine, theirs);
    expect(changes.map((c) => c.changedBy)).toEqual(["both", "b"]);
    const chosen = applyChoices(
      mine,
      theirs,
      changes,
      new Map([
        ["factors/logins/weight", "b"],
        ["bands/B/min", "b"],
      ]),
    );
    expect(chosen.ok && chosen.scorecard.factors[0]?.weight).toBe(30);
  });

  it("a factor removed on one side and changed on the other is a conflict; removed on one side only goes", () => {
    const base = card();
    const removed = card((c) => {
      c.factors = c.factors.filter((f) => f.id !== "nps");
    });
    const changed = card((c) => {
      factor(c, "nps").weight = 40;
    });
    const both = mergeScorecards(base, removed, changed);
    expect(!both.ok && both.conflicts.map((c) => c.words)).toEqual([
      'factor "NPS" (weight 40, nps of nps over 180 days) added',
    ]);
    const clean = mergeScorecards(base, removed, base);
    expect(clean.ok && clean.scorecard.factors.map((f) => f.id)).toEqual(["logins"]);
  });

  it("a merged card that breaks the schema is refused with the problem's path", () => {
    const base = card();
    // Mine moves logins out of the group and drops the group; theirs adds a factor to the group.
    const mine = card((c) => {
      delete factor(c, "logins").group;
      c.groups = [];
    });
    const theirs = card((c) => {
      c.factors.push({
        id: "seats",
        label: "Seats used",
        group: "usage",
        weight: 5,
        source: { kind: "attribute", key: "seats" },
        rule: { kind: "linear", worst: 0, best: 100 },
      });
    });
    const merged = mergeScorecards(base, mine, theirs);
    expect(merged.ok).toBe(false);
    if (merged.ok) return;
    expect(merged.conflicts).toEqual([]);
    expect(merged.issues).toEqual([
      { path: "$.factors[2].group", message: 'factor "seats": group "usage" is not defined in groups' },
    ]);
  });

  it("without a common ancestor every difference is a conflict", () => {
    const merged = mergeScorecards(
      undefined,
      card(),
      card((c) => {
        factor(c, "logins").weight = 21;
      }),
    );
    expect(!merged.ok && merged.conflicts.length).toBe(1);
  });
});

const version = (scorecard: Scorecard, parents: string[], savedAt = "2025-01-01T00:00:00.000Z"): LineageVersion => ({
  hash: versionHash(scorecard, parents),
  parents: [...parents].sort(),
  scorecard,
  savedAt,
  message: "",
});
const lineage = (versions: LineageVersion[]): ScorecardLineage => ({
  id: "renewal",
  head: (versions.at(-1) as LineageVersion).hash,
  versions,
});

describe("classifyScorecards", () => {
  const v1 = version(card(), []);
  const mine2 = version(
    card((c) => {
      factor(c, "logins").weight = 25;
    }),
    [v1.hash],
  );
  const theirs2 = version(card(bandB), [v1.hash]);
  const merged = version(
    card((c) => {
      factor(c, "logins").weight = 25;
      bandB(c);
    }),
    [mine2.hash, theirs2.hash],
  );

  it("tells new, same, theirs ahead, mine ahead and diverged apart", () => {
    const mine = lineage([v1, mine2]);
    const kinds = classifyScorecards(
      [mine],
      [lineage([v1, mine2]), lineage([v1]), lineage([v1, mine2, theirs2, merged]), lineage([v1, theirs2])],
    ).map((c) => c.kind);
    expect(kinds).toEqual(["same", "mineAhead", "theirsAhead", "diverged"]);
    expect(classifyScorecards([], [lineage([v1])])[0]?.kind).toBe("new");
  });

  it("a diverged scorecard names the common ancestor and the versions to add, parents first", () => {
    // Their versions in any order: the missing ones come parents first.
    const [c] = classifyScorecards(
      [lineage([v1, mine2])],
      [{ id: "renewal", head: theirs2.hash, versions: [theirs2, v1] }],
    );
    expect(c).toMatchObject({ kind: "diverged", base: v1.hash, mine: mine2.hash, theirs: theirs2.hash });
    expect(c?.missing.map((v) => v.hash)).toEqual([theirs2.hash]);
    const [ff] = classifyScorecards(
      [lineage([v1, mine2])],
      [lineage([merged, theirs2, mine2, v1])].map((l) => ({ ...l, head: merged.hash })),
    );
    expect(ff?.kind).toBe("theirsAhead");
    expect(ff?.missing.map((v) => v.hash)).toEqual([theirs2.hash, merged.hash]);
  });

  it("two teammates who merge the same way name the merge alike (parents sorted), so they end the same", () => {
    const aliceMerge = version(merged.scorecard, [mine2.hash, theirs2.hash]);
    const bobMerge = version(merged.scorecard, [theirs2.hash, mine2.hash]);
    expect(aliceMerge.hash).toBe(bobMerge.hash);
    const [c] = classifyScorecards(
      [lineage([v1, mine2, theirs2, aliceMerge])],
      [lineage([v1, theirs2, mine2, bobMerge])],
    );
    expect(c?.kind).toBe("same");
  });

  it("mergeBase picks the nearest common ancestor, not an older one", () => {
    const v3 = version(
      card((c) => {
        c.name = "R3";
      }),
      [mine2.hash],
    );
    const a4 = version(
      card((c) => {
        c.name = "A4";
      }),
      [v3.hash],
    );
    const b4 = version(
      card((c) => {
        c.name = "B4";
      }),
      [v3.hash],
    );
    const graph = new Map([v1, mine2, v3, a4, b4].map((v) => [v.hash, v]));
    expect(mergeBase(a4.hash, b4.hash, graph)).toBe(v3.hash);
    expect(mergeBase(a4.hash, version(card(), ["unrelated"]).hash, graph)).toBeUndefined();
  });
});
