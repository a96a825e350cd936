import type { AttributeValue } from "../schema/account.ts";
import type { ScoreResult } from "../schema/result.ts";
import { roundHalfUp } from "../scoring/bands.ts";
import { valueText } from "./explain-text.ts";

// "Why did the score move?": the change from the score `deltaDays` ago to today, split factor by factor into points
// that add up exactly to the change (docs/scoring.md, "Why the score moved").

/** One factor as the split needs it: its weight and the n the score counted on each day (null: skipped). */
export interface ChangeFactor {
  factorId: string;
  label: string;
  /** The factor's static share (any positive weight works: only ratios matter). */
  weight: number;
  countedThen: number | null;
  countedNow: number | null;
  valueThen: AttributeValue;
  valueNow: AttributeValue;
}

/**
 * How a factor moved the score: `value` (counted on both days, its n changed), `added` (counted today, not then)
 * or `dropped` (counted then, not today). Added and dropped factors also carry the reweighting of the others.
 */
export type ChangeKind = "value" | "added" | "dropped";

/** One factor's part in the change. */
export interface ChangePart {
  factorId: string;
  label: string;
  kind: ChangeKind;
  /** Unrounded points; all parts add up to scoreNow − scoreThen. */
  points: number;
  /** Whole points as shown; all shown parts add up to the shown change (shown now − shown then). */
  shown: number;
  valueThen: AttributeValue;
  valueNow: AttributeValue;
}

/** The change from one score to another, split by factor. */
export interface ScoreChange {
  scoreThen: number;
  scoreNow: number;
  /** scoreNow − scoreThen, unrounded. */
  change: number;
  /** Shown score now − shown score then (each rounded half up, as badges show them). */
  shownChange: number;
  deltaDays: number;
  /** Every factor counted on either day, in the scorecard's order. */
  parts: ChangePart[];
}

/**
 * Splits the change between two weighted averages S = 100·Σ wᵢcᵢ ÷ Σ wᵢ (over the factors each day counted) into
 * one exact part per factor. With B the factors counted on both days and S_B the average over B alone:
 *
 *   S_now − S_then = (S_B,now − S_B,then)  + (S_now − S_B,now)                  + (S_B,then − S_then)
 *                  = Σ_B 100·wᵢ·Δcᵢ ÷ W_B  + Σ_added wⱼ(100cⱼ − S_B,now) ÷ W_now  − Σ_dropped wₖ(100cₖ − S_B,then) ÷ W_then
 *
 * so a value change is weighed among the factors counted on both days, and a factor that gained or lost data moves
 * the score by how far it sits above or below the others (the reweighting). When no factor is counted on both days,
 * an added factor brings its earned points and a dropped one takes its earned points away. Returns null when either
 * day counts no factor.
 */
export function splitScoreChange(factors: readonly ChangeFactor[], deltaDays: number): ScoreChange | null {
  let wNow = 0;
  let wThen = 0;
  let wBoth = 0;
  let sumNow = 0;
  let sumThen = 0;
  let bothNow = 0;
  let bothThen = 0;
  for (const f of factors) {
    if (f.countedNow !== null) {
      wNow += f.weight;
      sumNow += f.weight * f.countedNow;
    }
    if (f.countedThen !== null) {
      wThen += f.weight;
      sumThen += f.weight * f.countedThen;
    }
    if (f.countedNow !== null && f.countedThen !== null) {
      wBoth += f.weight;
      bothNow += f.weight * f.countedNow;
      bothThen += f.weight * f.countedThen;
    }
  }
  if (wNow <= 0 || wThen <= 0) return null;
  const scoreNow = (100 * sumNow) / wNow;
  const scoreThen = (100 * sumThen) / wThen;
  const bNow = wBoth > 0 ? (100 * bothNow) / wBoth : 0;
  const bThen = wBoth > 0 ? (100 * bothThen) / wBoth : 0;
  const parts: Omit<ChangePart, "shown">[] = [];
  for (const f of factors) {
    const base = { factorId: f.factorId, label: f.label, valueThen: f.valueThen, valueNow: f.valueNow };
    if (f.countedNow !== null && f.countedThen !== null) {
      parts.push({ ...base, kind: "value", points: (100 * f.weight * (f.countedNow - f.countedThen)) / wBoth });
    } else if (f.countedNow !== null) {
      parts.push({ ...base, kind: "added", points: (f.weight * (100 * f.countedNow - bNow)) / wNow });
    } else if (f.countedThen !== null) {
      parts.push({ ...base, kind: "dropped", points: (-f.weight * (100 * f.countedThen - bThen)) / wThen });
    }
  }
  const shownChange = roundHalfUp(scoreNow) - roundHalfUp(scoreThen);
  const shown = largestRemainder(
    parts.map((p) => p.points),
    shownChange,
  );
  return {
    scoreThen,
    scoreNow,
    change: scoreNow - scoreThen,
    shownChange,
    deltaDays,
    parts: parts.map((p, i) => ({ ...p, shown: shown[i] as number })),
  };
}

/**
 * Whole numbers, one per value, that add up to `total` and each differ from their value by less than 1 when
 * `total` is within 1 of the values' sum: every value is rounded down, then the units still missing go to the
 * largest remainders (ties to the earlier value). Should `total` be further off, the extra units go round again
 * (or come off the smallest remainders first), so the sum is always `total`.
 */
export function largestRemainder(values: readonly number[], total: number): number[] {
  const out = values.map((v) => Math.floor(v + 1e-9));
  if (out.length === 0) return out;
  let missing = total - out.reduce((a, b) => a + b, 0);
  const remainder = values.map((v, i) => v - (out[i] as number));
  const byLargest = values
    .map((_, i) => i)
    .sort((a, b) => (remainder[b] as number) - (remainder[a] as number) || a - b);
  const step = (order: readonly number[], j: number, by: number) => {
    const i = order[j % order.length] as number;
    out[i] = (out[i] as number) + by;
  };
  for (let j = 0; missing > 0; j++, missing--) step(byLargest, j, 1);
  const bySmallest = [...byLargest].reverse();
  for (let j = 0; missing < 0; j++, missing++) step(bySmallest, j, -1);
  return out;
}

/** The split of a scored result's change over its delta period, or null when either score is null. */
export function scoreChangeOf(result: ScoreResult): ScoreChange | null {
  if (result.score === null || result.previousScore === null) return null;
  const total = result.factors.reduce((sum, f) => sum + f.share, 0);
  return splitScoreChange(
    result.factors.map((f) => ({
      factorId: f.factorId,
      label: f.label,
      weight: total > 0 ? f.share / total : 0,
      countedNow: f.countedN,
      countedThen: f.previousCountedN !== undefined ? f.previousCountedN : f.previousN,
      valueThen: f.previousValue,
      valueNow: f.value,
    })),
    result.deltaDays,
  );
}

const minus = (x: number) => (x < 0 ? `−${-x}` : x > 0 ? `+${x}` : "±0");
const num = (v: AttributeValue) => (typeof v === "number" ? v : null);
/** A value in words, negative numbers with a real minus sign. */
const said = (v: AttributeValue) => (typeof v === "number" && v < 0 ? `−${valueText(-v)}` : valueText(v));

/** What happened to a factor's value, in words: "NPS fell from 40 to −10", "Logins fell 40% (from 120 to 72)". */
export function partWords(p: ChangePart): string {
  if (p.kind === "added") return `${p.label} counted again (${said(p.valueNow)}; the others reweighted)`;
  if (p.kind === "dropped") return `${p.label} no longer counted (no data; the others reweighted)`;
  const then = num(p.valueThen);
  const now = num(p.valueNow);
  if (then !== null && now !== null && then !== now) {
    const verb = now < then ? "fell" : "rose";
    if (then > 0 && now >= 0) {
      const pct = Math.round((Math.abs(now - then) / then) * 100);
      return `${p.label} ${verb} ${pct}% (from ${said(then)} to ${said(now)})`;
    }
    return `${p.label} ${verb} from ${said(then)} to ${said(now)}`;
  }
  if (p.valueThen === p.valueNow) return `${p.label} moved while at ${said(p.valueNow)}`;
  // Not "changed from 1 to no data": the value did not become "no data", its data stopped (or began).
  if (p.valueNow === null) return `${p.label} has no data now (it was ${said(p.valueThen)})`;
  if (p.valueThen === null) return `${p.label} is ${said(p.valueNow)} (no data before)`;
  return `${p.label} changed from ${said(p.valueThen)} to ${said(p.valueNow)}`;
}

/** The parts that moved the shown score, biggest first (a tie keeps the scorecard's order). */
export function movingParts(change: ScoreChange): ChangePart[] {
  return change.parts
    .map((p, i) => ({ p, i }))
    .filter(({ p }) => p.shown !== 0)
    .sort((a, b) => Math.abs(b.p.shown) - Math.abs(a.p.shown) || a.i - b.i)
    .map(({ p }) => p);
}

/**
 * The change in one sentence, e.g. "Down 14 points in 30 days (72 → 58): −8 NPS fell from 40 to −10; −6 Logins
 * fell 40% (from 120 to 72)." At most `maxLength` characters: parts that do not fit are summed as "others".
 */
export function changeSentence(change: ScoreChange, maxLength = 300): string {
  const from = roundHalfUp(change.scoreThen);
  const to = roundHalfUp(change.scoreNow);
  const d = change.shownChange;
  const head =
    d === 0
      ? `No change in ${change.deltaDays} days (${to})`
      : `${d < 0 ? "Down" : "Up"} ${Math.abs(d)} point${Math.abs(d) === 1 ? "" : "s"} in ${change.deltaDays} days (${from} → ${to})`;
  const moving = movingParts(change);
  if (moving.length === 0) return `${head}.`;
  const items = moving.map((p) => `${minus(p.shown)} ${partWords(p)}`);
  for (let keep = items.length; keep >= 0; keep--) {
    const rest = moving.slice(keep).reduce((sum, p) => sum + p.shown, 0);
    const shown = items.slice(0, keep);
    if (keep < items.length)
      shown.push(`${minus(rest)} ${items.length - keep} other factor${items.length - keep === 1 ? "" : "s"}`);
    const text = `${head}: ${shown.join("; ")}.`;
    if (text.length <= maxLength) return text;
  }
  return `${head}.`.slice(0, maxLength);
}
