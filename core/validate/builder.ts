/**
 * The scorecard builder (docs/scoring.md, "Fitted points, discovery and the reference line"): from the accounts
 * with an outcome it fits
 * - points per value for the card's own factors (categories, yes/no, monotone numeric steps) by one
 *   L2-regularised logistic regression on one-hot bins, turned into an ordinary scorecard (categorical, boolean
 *   and steps rules, weights of 100, an assumed n for missing values) whose score ranks accounts as the fit does;
 * - factor discovery: every attribute and metric not on the card, ranked by the out-of-sample AUC it adds;
 * - a reference line: a regularised regression on every column, free of the monotone constraint;
 * - a suggested card of at most `maxFactors` factors: the card's factors plus the discoveries that add most.
 * Every AUC is out-of-sample: bins are chosen and points fitted on the training folds only, and each held-out
 * fold is scored by the fold's own draft through the engine's normalize and combine.
 */
import { attributeOf, WELL_KNOWN_ATTRIBUTES } from "../schema/account.ts";
import type { Factor, Rule, Scorecard, ScorecardInput, Source } from "../schema/scorecard.ts";
import { Scorecard as ScorecardSchema } from "../schema/scorecard.ts";
import { compileScorecard } from "../scoring/compile.ts";
import { combine, evaluateFactor } from "../scoring/evaluate.ts";
import { normalizeValue, toBoolean } from "../scoring/normalize.ts";
import { accountAt, type PortfolioData } from "../scoring/series.ts";
import { type BandTarget, bandTargets } from "./band-targets.ts";
import {
  type Binning,
  binCount,
  binLabels,
  binOf,
  type ColumnKind,
  type ColumnValues,
  chooseBinning,
  mergeSteps,
} from "./binning.ts";
import { rocAuc } from "./metrics.ts";
import { fitOneHot, type OneHotDesign, type OneHotFit, predictOneHot } from "./onehot.ts";

/** A column the builder can fit: a factor's source and its raw value per case. */
export interface BuilderColumn {
  /** The factor's id (a card factor's own, or one made from the source's name). */
  id: string;
  label: string;
  source: Source;
  values: ColumnValues;
  /** The card's factor, when the column is one. */
  factor?: Factor;
}

/** One bin of a fitted factor: which values, how many accounts, and the points it gives. */
export interface FittedBin {
  label: string;
  /** Accounts with an outcome in the bin (all folds), and how many churned. */
  cases: number;
  churned: number;
  /** The bin's n (0–1) in the fitted rule. */
  n: number;
  /** Points of 100 the bin gives: the factor's points × n. */
  points: number;
}

/** A factor with points fitted per value. */
export interface FittedFactor {
  factorId: string;
  label: string;
  kind: ColumnKind;
  /** The factor's points of 100 (its weight in the draft); 0 when the fit found no effect. */
  points: number;
  bins: FittedBin[];
  /** For a number: "rises" when a higher value gives more points, "falls" when fewer. */
  direction?: "rises" | "falls";
}

/** A column not on the card, and what it adds. */
export interface DiscoveredFactor {
  factorId: string;
  label: string;
  source: Source;
  kind: ColumnKind;
  /** Share of the accounts with an outcome that have a value. */
  present: number;
  /** Out-of-sample AUC of the fitted card with this factor added, and its gain over the fitted card alone. */
  auc: number | null;
  gain: number | null;
  /** The factor with points fitted (on every account, with the card's factors), ready to add to a draft. */
  factor: Factor;
}

/** A fitted card: its out-of-sample AUC, its factors' points, and the scorecard. */
export interface FittedCard {
  /** Mean over folds of the AUC of each fold's draft on its held-out accounts. */
  auc: number | null;
  factors: FittedFactor[];
  /** The scorecard with the fitted points (new id and name, marked as a suggestion); null when nothing fits. */
  draft: Scorecard | null;
  /** Red thresholds by purpose, with their trade-offs on each account's held-out score. */
  bandTargets: BandTarget[];
}

/** What the builder found. */
export interface ScorecardBuild {
  folds: number;
  l2: number;
  /** The card's own factors with points fitted per value. */
  fitted: FittedCard;
  /** Every attribute and metric not on the card, the most useful first. */
  discovery: DiscoveredFactor[];
  /** A regularised regression on every column (card and discovered), out-of-sample. */
  reference: { auc: number | null; columns: string[] };
  /** At most `maxFactors` factors: the card's, plus the discoveries that add at least `minGain`. */
  suggested: FittedCard & { maxFactors: number; added: string[]; dropped: string[] };
}

/** Inputs: the accounts with an outcome and a score, their raw values, and the folds. */
export interface BuilderInput {
  portfolio: PortfolioData;
  card: Scorecard;
  /** Per case: its account's index in the portfolio and the day it is scored as of. */
  accounts: readonly number[];
  asOfs: readonly number[];
  churned: Uint8Array;
  /** The cases the builder fits and scores (the card's scored cases). */
  cases: Int32Array;
  /** Train/test split per fold (indices of cases). */
  folds: { train: Int32Array; test: Int32Array }[];
  l2: number;
  maxFactors: number;
}

/** A discovery must add this much out-of-sample AUC to join the suggested card. */
const MIN_GAIN = 0.001;
/** A category column with more distinct values than this (ids, names, dates) is not a candidate. */
const MAX_CATEGORIES = 40;
/** Coefficients closer than this count as equal (no violation of monotony, no effect). */
const EPS = 1e-9;
/** Monotone merges tried before giving up (each refits). */
const MAX_MERGES = 40;

// ————— Columns —————

const slug = (text: string) =>
  text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");

const words = (key: string) => {
  const spaced = key.replace(/[_-]+/g, " ").replace(/([a-z])([A-Z])/g, "$1 $2");
  return spaced.charAt(0).toUpperCase() + spaced.slice(1).toLowerCase();
};

/** A column's kind, from the rule a card factor uses. */
function kindOfRule(rule: Rule): ColumnKind {
  return rule.kind === "categorical" ? "categorical" : rule.kind === "boolean" ? "boolean" : "numeric";
}

/** A throwaway factor that makes the engine read a source's raw values. */
function probe(source: Source, kind: ColumnKind): Factor {
  const rule: Rule =
    kind === "numeric"
      ? { kind: "linear", worst: 0, best: 1 }
      : kind === "boolean"
        ? { kind: "boolean", true: 1, false: 0 }
        : { kind: "categorical", map: {} };
  return { id: "probe", label: "probe", description: "", weight: 1, source, rule, missing: { policy: "skip" } };
}

/** Reads each source's raw value for every case as of the case's own day (the engine reads nothing later). */
export function readColumns(
  portfolio: PortfolioData,
  specs: readonly { id: string; label: string; source: Source; kind: ColumnKind; factor?: Factor }[],
  accounts: readonly number[],
  asOfs: readonly number[],
): BuilderColumn[] {
  const count = accounts.length;
  const byDay = new Map<number, number[]>();
  asOfs.forEach((d, c) => {
    const list = byDay.get(d);
    if (list) list.push(c);
    else byDay.set(d, [c]);
  });
  return specs.map((spec) => {
    const numeric = new Float64Array(count).fill(Number.NaN);
    const text: (string | null)[] = new Array(count).fill(null);
    const factor = probe(spec.source, spec.kind);
    for (const [day, members] of byDay) {
      const rows = Int32Array.from(members, (c) => accounts[c] as number);
      const ev = evaluateFactor(portfolio, factor, rows, Int32Array.of(day));
      members.forEach((c, r) => {
        const raw = ev.constant ? (ev.constant[r] ?? null) : (ev.numeric?.[r] as number);
        if (spec.kind === "numeric") numeric[c] = typeof raw === "number" ? raw : Number.NaN;
        else if (spec.kind === "boolean") {
          const b = raw === null || (typeof raw === "number" && Number.isNaN(raw)) ? undefined : toBoolean(raw);
          text[c] = b === undefined ? null : String(b);
        } else {
          const key = raw === null || (typeof raw === "number" && Number.isNaN(raw)) ? "" : String(raw).trim();
          text[c] = key === "" ? null : key;
        }
      });
    }
    const values: ColumnValues =
      spec.kind === "numeric" ? { kind: "numeric", values: numeric } : { kind: spec.kind, values: text };
    return {
      id: spec.id,
      label: spec.label,
      source: spec.source,
      values,
      ...(spec.factor ? { factor: spec.factor } : {}),
    };
  });
}

/** The sources a card reads, as keys ("attribute:Contract", "metric:logins", "tenureDays"). */
function sourceKeys(source: Source): string[] {
  switch (source.kind) {
    case "attribute":
      return [`attribute:${source.key.toLowerCase()}`];
    case "metric":
      return [`metric:${source.metric}`];
    case "tenureDays":
      return ["tenureDays"];
    case "ratio":
      return [...sourceKeys(source.numerator), ...sourceKeys(source.denominator)];
  }
}

/**
 * Candidate columns: every attribute (well-known or custom) and metric the card does not read, and tenure. An
 * attribute's kind comes from its values: yes/no, numbers, or categories (at most MAX_CATEGORIES distinct; more
 * is an id, a name or a date, not a factor). A metric is read as its mean over 30 days, or as its count over
 * 90 days when an events import covers it.
 */
export function candidateSpecs(
  portfolio: PortfolioData,
  card: Scorecard,
  accounts: readonly number[],
): { id: string; label: string; source: Source; kind: ColumnKind }[] {
  const used = new Set(card.factors.flatMap((f) => sourceKeys(f.source)));
  const ids = new Set(card.factors.map((f) => f.id));
  const idFor = (text: string) => {
    const base = slug(text) || "factor";
    const start = /^[a-z0-9]/.test(base) ? base : `f-${base}`;
    let id = start;
    for (let k = 2; ids.has(id); k++) id = `${start}-${k}`;
    ids.add(id);
    return id;
  };
  const keys = new Set<string>(WELL_KNOWN_ATTRIBUTES.filter((k) => k !== "startDate" && k !== "renewalDate"));
  for (const index of accounts) for (const key of Object.keys(accountAt(portfolio, index).attributes)) keys.add(key);
  const specs: { id: string; label: string; source: Source; kind: ColumnKind }[] = [];
  for (const key of [...keys].sort()) {
    if (used.has(`attribute:${key.toLowerCase()}`)) continue;
    const distinct = new Set<string>();
    let numbers = 0;
    let booleans = 0;
    let present = 0;
    for (const index of accounts) {
      const v = attributeOf(accountAt(portfolio, index), key);
      if (v === null) continue;
      present++;
      if (distinct.size <= MAX_CATEGORIES) distinct.add(String(v).trim());
      if (typeof v === "number" || (typeof v === "string" && Number.isFinite(Number(v.trim())))) numbers++;
      if (toBoolean(v) !== undefined) booleans++;
    }
    if (present === 0 || distinct.size < 2) continue;
    const kind: ColumnKind | null =
      booleans === present && distinct.size <= 2
        ? "boolean"
        : numbers === present
          ? "numeric"
          : distinct.size <= MAX_CATEGORIES
            ? "categorical"
            : null;
    if (kind === null) continue;
    specs.push({ id: idFor(key), label: words(key), source: { kind: "attribute", key }, kind });
  }
  if (!used.has("tenureDays") && accounts.some((i) => accountAt(portfolio, i).startDate !== undefined)) {
    specs.push({ id: idFor("tenure"), label: "Tenure (days)", source: { kind: "tenureDays" }, kind: "numeric" });
  }
  for (const [metric, series] of [...portfolio.series.entries()].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
    if (used.has(`metric:${metric}`)) continue;
    const events = series.covered !== undefined;
    specs.push({
      id: idFor(metric),
      label: events ? `${words(metric)} (count, 90 days)` : `${words(metric)} (mean, 30 days)`,
      source: events
        ? { kind: "metric", metric, aggregation: "count", windowDays: 90 }
        : { kind: "metric", metric, aggregation: "mean", windowDays: 30 },
      kind: "numeric",
    });
  }
  return specs;
}

// ————— Fitting —————

/** A model: per column its binning, the one-hot design over every case, and the fit on the training cases. */
interface Model {
  columns: BuilderColumn[];
  binnings: Binning[];
  /** First design column of each input column. */
  offsets: number[];
  design: OneHotDesign;
  fit: OneHotFit;
}

function designOf(columns: readonly BuilderColumn[], binnings: readonly Binning[], count: number) {
  const offsets: number[] = [];
  let total = 0;
  for (const b of binnings) {
    offsets.push(total);
    total += binCount(b);
  }
  const width = columns.length;
  const active = new Int32Array(count * width);
  for (let i = 0; i < count; i++) {
    for (let j = 0; j < width; j++) {
      active[i * width + j] =
        (offsets[j] as number) + binOf((columns[j] as BuilderColumn).values, binnings[j] as Binning, i);
    }
  }
  return { design: { active, width, columns: total }, offsets };
}

/**
 * Fits churn on the columns' bins over the training cases. `monotone`: a numeric column whose fitted points do
 * not move one way has its most violating pair of adjacent steps merged, and the fit runs again, until they do.
 */
function fitModel(
  columns: readonly BuilderColumn[],
  churned: Uint8Array,
  train: ArrayLike<number>,
  l2: number,
  monotone: boolean,
): Model {
  const count = churned.length;
  const binnings = columns.map((c) => chooseBinning(c.values, churned, train, monotone));
  for (let round = 0; ; round++) {
    const { design, offsets } = designOf(columns, binnings, count);
    const fit = fitOneHot(design, churned, train, l2);
    if (!monotone || round >= MAX_MERGES) return { columns: [...columns], binnings, offsets, design, fit };
    let worst = { column: -1, step: -1, by: EPS };
    binnings.forEach((b, j) => {
      if (b.kind !== "numeric") return;
      const base = offsets[j] as number;
      for (let s = 0; s < b.edges.length; s++) {
        // Churn's coefficient should move with the binning's direction from step s to s + 1.
        const back =
          b.direction * ((fit.coefficients[base + s] as number) - (fit.coefficients[base + s + 1] as number));
        if (back > worst.by) worst = { column: j, step: s, by: back };
      }
    });
    if (worst.column < 0) return { columns: [...columns], binnings, offsets, design, fit };
    binnings[worst.column] = mergeSteps(binnings[worst.column] as Binning & { kind: "numeric" }, worst.step);
  }
}

/** Each column's points: for bin b, (highest churn coefficient − b's), so the riskiest bin gives 0. */
function pointsOf(model: Model, j: number): Float64Array {
  const base = model.offsets[j] as number;
  const bins = binCount(model.binnings[j] as Binning);
  const beta = model.fit.coefficients.subarray(base, base + bins);
  const top = Math.max(...beta);
  return Float64Array.from(beta, (b) => top - b);
}

const round = (x: number, digits: number) => Math.round(x * 10 ** digits) / 10 ** digits;

/** A factor's rule and missing policy from its bins' n. */
function ruleOf(binning: Binning, n: Float64Array): { rule: Rule; missing: Factor["missing"] } {
  const missing: Factor["missing"] = { policy: "assume", n: n[n.length - 1] as number };
  switch (binning.kind) {
    case "categorical":
      return {
        rule: {
          kind: "categorical",
          map: Object.fromEntries(binning.categories.map((c, b) => [c, n[b] as number])),
          default: n[binning.categories.length] as number,
        },
        missing,
      };
    case "boolean":
      return { rule: { kind: "boolean", false: n[0] as number, true: n[1] as number }, missing };
    case "numeric":
      return {
        rule: {
          kind: "steps",
          steps: [
            ...binning.edges.map((upTo, b) => ({ upTo, n: n[b] as number })),
            { n: n[binning.edges.length] as number },
          ],
        },
        missing,
      };
  }
}

/**
 * The factors of a fitted model, as a scorecard's: weight = the factor's points of 100 (its range of points over
 * the total), rule = each bin's share of that range. Factors whose points round to 0 are left out.
 */
function factorsOf(
  model: Model,
  churned: Uint8Array,
  cases: ArrayLike<number>,
): { factor: Factor; fitted: FittedFactor }[] {
  const ranges = model.columns.map((_, j) => Math.max(...pointsOf(model, j)));
  const total = ranges.reduce((a, b) => a + b, 0);
  return model.columns.map((column, j) => {
    const binning = model.binnings[j] as Binning;
    const p = pointsOf(model, j);
    const range = ranges[j] as number;
    const weight = total > EPS ? round((100 * range) / total, 1) : 0;
    const n = Float64Array.from(p, (v) => (range > EPS ? round(v / range, 4) : 1));
    const { rule, missing } = ruleOf(binning, n);
    const base = column.factor;
    const factor: Factor = {
      id: column.id,
      label: column.label,
      description: base?.description ?? "",
      weight: Math.max(weight, 0.1),
      source: column.source,
      rule,
      missing,
      ...(base?.staleAfterDays !== undefined ? { staleAfterDays: base.staleAfterDays } : {}),
    };
    const labels = binLabels(binning);
    const cnt = new Float64Array(labels.length);
    const hit = new Float64Array(labels.length);
    for (let k = 0; k < cases.length; k++) {
      const i = cases[k] as number;
      const b = binOf(column.values, binning, i);
      cnt[b] = (cnt[b] as number) + 1;
      hit[b] = (hit[b] as number) + (churned[i] as number);
    }
    const fitted: FittedFactor = {
      factorId: column.id,
      label: column.label,
      kind: column.values.kind,
      points: weight,
      bins: labels
        .map((label, b) => ({
          label,
          cases: cnt[b] as number,
          churned: hit[b] as number,
          n: n[b] as number,
          points: round(weight * (n[b] as number), 1),
        }))
        // Bins no account falls in ("other" and "missing" when nobody is) are not worth a row.
        .filter((bin) => bin.cases > 0),
      ...(binning.kind === "numeric"
        ? { direction: binning.direction > 0 ? ("falls" as const) : ("rises" as const) }
        : {}),
    };
    return { factor, fitted };
  });
}

/** A draft scorecard from fitted factors: new id and name marked as a suggestion, no groups. */
function draftOf(card: Scorecard, factors: Factor[], suffix: string, what: string): Scorecard | null {
  const kept = factors.filter((f) => f.weight >= 0.1 && f.weight > 0);
  if (kept.length === 0) return null;
  const ids = new Set(kept.map((f) => f.id));
  const { updatedAt: _updated, ...rest } = card;
  const input: ScorecardInput = {
    ...rest,
    id: `${card.id}-${suffix}`.slice(0, 64),
    name: `${card.name} (suggested: ${what})`,
    factors: kept.map(({ group: _group, ...f }) => f),
    groups: [],
    ...(card.alerts ? { alerts: card.alerts.filter((rule) => rule.kind !== "factor" || ids.has(rule.factorId)) } : {}),
  };
  return ScorecardSchema.parse(input);
}

/** Scores cases with a draft through the engine's normalize and combine, from the columns' raw values. */
export function scoreWith(draft: Scorecard, columns: readonly BuilderColumn[], count: number): Float64Array {
  const compiled = compileScorecard(draft);
  const byId = new Map(columns.map((c) => [c.id, c]));
  const factors = draft.factors.map((f) => {
    const column = byId.get(f.id);
    if (!column) throw new Error(`no column for factor "${f.id}"`);
    const n = new Float64Array(count);
    for (let i = 0; i < count; i++) {
      const v = column.values.values[i];
      n[i] = normalizeValue(f.rule, v === undefined ? null : typeof v === "number" && Number.isNaN(v) ? null : v);
    }
    return { n };
  });
  return combine(compiled, factors, count).score;
}

const mean = (values: readonly (number | null)[]): number | null => {
  const kept = values.filter((v): v is number => v !== null);
  return kept.length === 0 ? null : kept.reduce((a, b) => a + b, 0) / kept.length;
};

/** Out-of-sample AUC of a model family: per fold, fit on train, rank test by the fit's log-odds. */
function crossValidated(columns: readonly BuilderColumn[], input: BuilderInput, monotone: boolean): number | null {
  if (columns.length === 0) return null;
  const count = input.churned.length;
  return mean(
    input.folds.map(({ train, test }) => {
      const model = fitModel(columns, input.churned, train, input.l2, monotone);
      const eta = predictOneHot(model.design, model.fit, test);
      const risk = new Float64Array(count).fill(Number.NaN);
      test.forEach((i, k) => {
        risk[i] = eta[k] as number;
      });
      return rocAuc(risk, input.churned, test);
    }),
  );
}

/**
 * A fitted card on every case, with its out-of-sample AUC: per fold, the draft fitted on the training folds
 * scores the held-out fold through the engine (so rounding and the missing-data policy count too), and each
 * case's held-out score gives the band targets' trade-offs.
 */
function fittedCard(columns: readonly BuilderColumn[], input: BuilderInput, suffix: string, what: string): FittedCard {
  const count = input.churned.length;
  const heldOut = new Float64Array(count).fill(Number.NaN);
  const aucs = input.folds.map(({ train, test }) => {
    const model = fitModel(columns, input.churned, train, input.l2, true);
    const draft = draftOf(
      input.card,
      factorsOf(model, input.churned, train).map((f) => f.factor),
      "fold",
      "fold",
    );
    if (!draft) return null;
    const score = scoreWith(draft, columns, count);
    for (const i of test) heldOut[i] = score[i] as number;
    return rocAuc(
      Float64Array.from(score, (s) => 100 - s),
      input.churned,
      test,
    );
  });
  const model = fitModel(columns, input.churned, input.cases, input.l2, true);
  const fitted = factorsOf(model, input.churned, input.cases);
  return {
    auc: mean(aucs),
    factors: fitted.map((f) => f.fitted),
    draft: draftOf(
      input.card,
      fitted.map((f) => f.factor),
      suffix,
      what,
    ),
    bandTargets: bandTargets(heldOut, input.churned, input.cases),
  };
}

/**
 * Runs the builder step by step (one yield per model cross-validated) so the worker can report progress: fitted
 * points for the card's factors, discovery, the reference line and the suggested card.
 */
export function* buildSteps(input: BuilderInput): Generator<void, ScorecardBuild> {
  const { portfolio, card, accounts, asOfs } = input;
  const cardColumns = readColumns(
    portfolio,
    card.factors.map((f) => ({ id: f.id, label: f.label, source: f.source, kind: kindOfRule(f.rule), factor: f })),
    accounts,
    asOfs,
  );
  const caseAccounts = Array.from(input.cases, (c) => accounts[c] as number);
  const candidates = readColumns(portfolio, candidateSpecs(portfolio, card, caseAccounts), accounts, asOfs);
  yield;
  const fitted = fittedCard(cardColumns, input, "fitted", "fitted points");
  yield;
  // Discovery: each candidate added to the card's factors, out-of-sample, ranked by what it adds.
  const base = crossValidated(cardColumns, input, true);
  const discovery: DiscoveredFactor[] = [];
  for (const column of candidates) {
    const auc = crossValidated([...cardColumns, column], input, true);
    const model = fitModel([...cardColumns, column], input.churned, input.cases, input.l2, true);
    const { factor } = factorsOf(model, input.churned, input.cases).at(-1) as { factor: Factor };
    let present = 0;
    for (const i of input.cases) {
      const v = column.values.values[i];
      if (v !== null && v !== undefined && !(typeof v === "number" && Number.isNaN(v))) present++;
    }
    discovery.push({
      factorId: column.id,
      label: column.label,
      source: column.source,
      kind: column.values.kind,
      present: input.cases.length === 0 ? 0 : present / input.cases.length,
      auc,
      gain: auc === null || base === null ? null : auc - base,
      factor,
    });
    yield;
  }
  discovery.sort((a, b) => (b.gain ?? Number.NEGATIVE_INFINITY) - (a.gain ?? Number.NEGATIVE_INFINITY));
  const reference = {
    auc: crossValidated([...cardColumns, ...candidates], input, false),
    columns: [...cardColumns, ...candidates].map((c) => c.label),
  };
  yield;
  // The suggested card: drop the card's weakest factors down to maxFactors, then add discoveries while they help.
  let chosen = [...cardColumns];
  const dropped: string[] = [];
  while (chosen.length > input.maxFactors) {
    let best = { at: 0, auc: Number.NEGATIVE_INFINITY };
    chosen.forEach((_, at) => {
      const auc = crossValidated(
        chosen.filter((__, k) => k !== at),
        input,
        true,
      );
      if (auc !== null && auc > best.auc) best = { at, auc };
    });
    dropped.push((chosen[best.at] as BuilderColumn).id);
    chosen = chosen.filter((_, k) => k !== best.at);
    yield;
  }
  const added: string[] = [];
  let current = crossValidated(chosen, input, true) ?? 0.5;
  const byId = new Map(candidates.map((c) => [c.id, c]));
  for (const found of discovery) {
    if (chosen.length >= input.maxFactors) break;
    if (found.gain === null || found.gain < MIN_GAIN) break;
    const column = byId.get(found.factorId) as BuilderColumn;
    const auc = crossValidated([...chosen, column], input, true);
    yield;
    if (auc !== null && auc - current >= MIN_GAIN) {
      chosen.push(column);
      added.push(column.id);
      current = auc;
    }
  }
  const suggested = fittedCard(chosen, input, "suggested", `${chosen.length} factors, fitted points`);
  yield;
  return {
    folds: input.folds.length,
    l2: input.l2,
    fitted,
    discovery,
    reference,
    suggested: { ...suggested, maxFactors: input.maxFactors, added, dropped },
  };
}
