import { describe, expect, it } from "vitest";
import { type DayScore, type ScoreDigestRow, scoreDigest } from "../../../core/insights/score-digest.ts";

/** Default bands: A ≥ 80 green Healthy, B ≥ 65 green Good, C ≥ 50 yellow Watch, D red At risk. */
const band = (score: number): DayScore => {
  const points = Math.floor(score + 0.5);
  const [grade, color, label] =
    points >= 80
      ? (["A", "green", "Healthy"] as const)
      : points >= 65
        ? (["B", "green", "Good"] as const)
        : points >= 50
          ? (["C", "yellow", "Watch"] as const)
          : (["D", "red", "At risk"] as const);
  return { score, points, grade, color, label };
};

/** An account scored `now` on the as-of day and `then` the day before (null: not enough data). */
const row = (id: string, arr: number | null, then: number | null, now: number | null): ScoreDigestRow => ({
  id,
  name: `${id.toUpperCase()} Co`,
  arr,
  renewalDate: null,
  shown:
    now === null
      ? { score: null, points: null, grade: "—", color: "grey", label: "Not enough data" }
      : { ...band(now), points: Math.floor(now + 0.5) },
  dayBefore: then === null ? null : band(then),
});

describe("scores since the day before the as-of day", () => {
  const rows = [
    // 60 → 85: C → A, up a band, +25.
    row("up", 20_000, 60, 85),
    // 82 → 40: A → D, down, −42.
    row("down", 5_000, 82, 40),
    // 70 → 72: B both days, +2.
    row("flat", 90_000, 70, 72),
    // 66.4 → 64.6: shown 66 → 65, both B: −1 point, no band change.
    row("edge", 1_000, 66.4, 64.6),
    // 65.4 → 64.4: shown 65 (B) → 64 (C): down a band by one point; ARR 50,000.
    row("slip", 50_000, 65.4, 64.4),
    // 49.6 → 50.2: shown 50 → 50 (C both days): no move at all.
    row("same", 8_000, 49.6, 50.2),
    // 55 → 30: C → D, −25 (ties "up"'s +25 in size; larger ARR first among equal moves).
    row("fall", 30_000, 55, 30),
    // Scored today, not the day before; and the other way round.
    row("new", 1_000, null, 90),
    row("gone", 1_000, 75, null),
    // Never scored.
    { ...row("none", null, null, null), shown: null },
  ];

  it("counts what was compared, what rose and fell, and what has a score on one day only", () => {
    const d = scoreDigest(rows, "2025-03-01");
    expect(d.asOf).toBe("2025-03-01");
    expect(d.since).toBe("2025-02-28");
    // up, down, flat, edge, slip, same, fall have both days.
    expect(d.compared).toBe(7);
    // up +25, flat +2 rose; down −42, edge −1, slip −1, fall −25 fell; same 0.
    expect([d.rose, d.fell]).toEqual([2, 4]);
    expect([d.scoredNow, d.unscoredNow]).toEqual([1, 1]);
  });

  it("lists band changes up and down, the largest ARR first, with both days' points and bands", () => {
    const d = scoreDigest(rows, "2025-03-01");
    expect(d.bandUp.map((m) => [m.id, m.from.grade, m.to.grade, m.change])).toEqual([["up", "C", "A", 25]]);
    // slip (50,000), fall (30,000), down (5,000).
    expect(d.bandDown.map((m) => [m.id, `${m.from.points} ${m.from.label}`, `${m.to.points} ${m.to.label}`])).toEqual([
      ["slip", "65 Good", "64 Watch"],
      ["fall", "55 Watch", "30 At risk"],
      ["down", "82 Healthy", "40 At risk"],
    ]);
  });

  it("lists the biggest moves either way in whole points as shown, the largest first, then by ARR", () => {
    const d = scoreDigest(rows, "2025-03-01");
    expect(d.moves.map((m) => [m.id, m.change])).toEqual([
      ["down", -42],
      // +25 and −25: fall's ARR (30,000) is larger than up's (20,000).
      ["fall", -25],
      ["up", 25],
      ["flat", 2],
      // −1 each: slip's 50,000 before edge's 1,000. "same" moved no whole point, so it is not a move.
      ["slip", -1],
      ["edge", -1],
    ]);
    for (const m of d.moves) expect(m.change).toBe(m.to.points - m.from.points);
    expect(scoreDigest(rows, "2025-03-01", 2).moves.map((m) => m.id)).toEqual(["down", "fall"]);
  });

  it("orders ties by name whatever the input's order, and says nothing moved when nothing did", () => {
    const tied = [row("b", 100, 50, 60), row("a", 100, 50, 60), row("c", null, 50, 60)];
    expect(scoreDigest(tied, "2025-01-01").moves.map((m) => m.id)).toEqual(["a", "b", "c"]);
    expect(scoreDigest([...tied].reverse(), "2025-01-01").moves.map((m) => m.id)).toEqual(["a", "b", "c"]);
    // The first of a month and of a year: the day before is the last of the one before.
    expect(scoreDigest([], "2025-01-01")).toEqual({
      asOf: "2025-01-01",
      since: "2024-12-31",
      compared: 0,
      rose: 0,
      fell: 0,
      scoredNow: 0,
      unscoredNow: 0,
      bandUp: [],
      bandDown: [],
      moves: [],
    });
  });

  it("refuses an as-of day that is not a day", () => {
    expect(() => scoreDigest(rows, "2025-02-30")).toThrow('asOf: "2025-02-30" is not a day (YYYY-MM-DD)');
  });
});
