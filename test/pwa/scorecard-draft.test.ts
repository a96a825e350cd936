import { describe, expect, it } from "vitest";
import { Scorecard } from "../../core/schema/scorecard.ts";
import { DEFAULT_SCORECARDS } from "../../core/scoring/defaults.ts";
import { duplicateOf, move, newScorecard, replaceAt, uniqueId } from "../../pwa/src/pages/scorecards-editor/draft.ts";

const choices = { metrics: ["weekly_logins", "tickets"], attributes: ["seats"], segments: ["smb"], stages: ["live"] };

describe("the scorecard editor's drafts", () => {
  it("a new scorecard is valid as it stands, on the data's first metric", () => {
    const card = newScorecard("new-scorecard", choices);
    expect(Scorecard.safeParse(card).success).toBe(true);
    expect(card.factors[0]?.source).toMatchObject({ kind: "metric", metric: "weekly_logins" });
    // With no metric in the data yet, a placeholder metric keeps it valid.
    expect(Scorecard.safeParse(newScorecard("x", { ...choices, metrics: [] })).success).toBe(true);
  });

  it("ids are cleaned and never taken: a copy of a copy counts on", () => {
    expect(uniqueId("Adoption SMB!", new Set())).toBe("adoption-smb");
    expect(uniqueId("new", new Set())).toBe("new-2");
    expect(uniqueId("---", new Set())).toBe("scorecard");
    const taken = new Set(["adoption-smb", "adoption-smb-copy", "adoption-smb-copy-2"]);
    expect(uniqueId("adoption-smb-copy", taken)).toBe("adoption-smb-copy-3");
  });

  it("a duplicate is the same scorecard under a free id and a '(copy)' name, without the saved stamp", () => {
    const source = { ...(DEFAULT_SCORECARDS[0] as Scorecard), updatedAt: "2025-01-01T00:00:00.000Z" };
    const copy = duplicateOf(source, new Set([source.id]));
    expect(copy.id).toBe(`${source.id}-copy`);
    expect(copy.name).toBe(`${source.name} (copy)`);
    expect(copy).not.toHaveProperty("updatedAt");
    expect(copy.factors).toEqual(source.factors);
    expect(Scorecard.safeParse(copy).success).toBe(true);
  });

  it("moves and replaces list items without touching the list it was given", () => {
    const list = ["a", "b", "c"] as const;
    expect(move(list, 0, 2)).toEqual(["b", "c", "a"]);
    expect(move(list, 2, 0)).toEqual(["c", "a", "b"]);
    expect(replaceAt(list, 1, "x")).toEqual(["a", "x", "c"]);
    expect(list).toEqual(["a", "b", "c"]);
  });
});
