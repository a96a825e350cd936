import { z } from "zod";
import { AttributeValue } from "./account.ts";
import { bounded, wholeDays } from "./bounds.ts";
import { IsoDay } from "./iso-day.ts";
import { SCORE_COLORS } from "./score-color.ts";

/** Colour of a score; grey is "not enough data". */
export const ScoreColor = z.enum(SCORE_COLORS);
/** Colour of a score. */
export type ScoreColor = z.infer<typeof ScoreColor>;

/** Whether a factor's value was there, missing, or a manual input gone stale. */
export const FactorStatus = z.enum(["ok", "missing", "stale"]);

/** One factor's part in a score (docs/scoring.md, "Explanation and top drags"). */
export const FactorExplanation = z.object({
  factorId: z.string(),
  label: z.string(),
  group: z.string().optional(),
  /** The raw value (a number, a category, yes/no) or null when missing. */
  value: AttributeValue,
  /** Normalized value in [0, 1], or null when missing. */
  n: bounded("n", 0, 1).nullable(),
  /** The n the score used: n, or what the missing-data policy put in its place; null when skipped. */
  countedN: bounded("countedN", 0, 1).nullable(),
  status: FactorStatus,
  /** The factor's static share of the scorecard, in points out of 100 (what the editor shows). */
  share: bounded("share", 0, 100),
  /** Points earned and lost in this score: 100·share·n over the factors counted (so earned points sum to the score). */
  earned: bounded("earned", 0, 100),
  lost: bounded("lost", 0, 100),
  /** The raw value and n at the start of the delta period. */
  previousValue: AttributeValue,
  previousN: bounded("previousN", 0, 1).nullable(),
  /** The n the score counted at the start of the period (null when skipped); absent in results stored before it. */
  previousCountedN: bounded("previousCountedN", 0, 1).nullable().optional(),
  /** Change in points earned over the delta period; null when either side was not counted. */
  deltaPoints: bounded("deltaPoints", -100, 100).nullable(),
});
/** One factor's part in a score. */
export type FactorExplanation = z.infer<typeof FactorExplanation>;

/** An active override, shown beside the computed score. */
export const ActiveOverride = z.object({
  score: bounded("score", 0, 100).optional(),
  grade: z.string().optional(),
  reason: z.string(),
  author: z.string(),
  expiresOn: IsoDay,
});

/** An account's score on one scorecard as of a day, with everything needed to show and explain it. */
export const ScoreResult = z.object({
  accountId: z.string(),
  scorecardId: z.string(),
  asOf: IsoDay,
  /** Unrounded score in [0, 100], or null: not enough data. */
  score: bounded("score", 0, 100).nullable(),
  /** The score as shown: rounded half up, or null. */
  points: bounded("points", 0, 100).int("points must be a whole number").nullable(),
  grade: z.string(),
  color: ScoreColor,
  label: z.string(),
  coverage: bounded("coverage", 0, 1),
  factors: z.array(FactorExplanation),
  /** Ids of the factors losing the most points, worst first (at most three, only those losing points). */
  topDrags: z.array(z.string()),
  previousScore: bounded("previousScore", 0, 100).nullable(),
  /** Score now minus score `deltaDays` ago; null when either is null. */
  delta: bounded("delta", -100, 100).nullable(),
  deltaDays: wholeDays("deltaDays", 1, 3660),
  primary: z.boolean(),
  override: ActiveOverride.optional(),
});
/** An account's score on one scorecard as of a day. */
export type ScoreResult = z.infer<typeof ScoreResult>;
