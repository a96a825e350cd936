import Papa from "papaparse";
import { expect } from "vitest";
import { CSV_COLUMNS, scoresCsv } from "../../core/cli/score-output.ts";
import type { Account } from "../../core/schema/account.ts";
import { formatDay, parseIsoDay } from "../../core/schema/day.ts";
import type { Observation } from "../../core/schema/observation.ts";
import type { Override } from "../../core/schema/override.ts";
import type { Scorecard } from "../../core/schema/scorecard.ts";
import { appliesTo } from "../../core/scoring/applies.ts";
import { compileScorecard } from "../../core/scoring/compile.ts";
import { scoreHistory, scorePortfolio } from "../../core/scoring/engine.ts";
import { evaluate } from "../../core/scoring/evaluate.ts";
import { buildPortfolio, type CoveredDays, coverSeries, type MetricSeries } from "../../core/scoring/series.ts";
import { compileSql } from "../../core/sql/compile.ts";
import { type Cell, type Engine, numberOf, type Table } from "./engines.ts";

/** A portfolio as the tests give it to both the engine and SQL. */
export interface Case {
  accounts: Account[];
  observations: Observation[];
  scorecards: Scorecard[];
  asOf: string;
  covered?: { metric: string; from: string; to: string }[];
  overrides?: Override[];
}

const WELL_KNOWN_TEXT = ["plan", "segment", "stage", "owner", "industry", "region"] as const;

/** The input tables of a case (docs/formats.md, "Warehouse tables"). */
export function tablesOf(c: Case): Table[] {
  const read = c.scorecards.flatMap((card) => [
    ...card.factors.flatMap((f) =>
      f.source.kind === "attribute"
        ? [f.source.key]
        : f.source.kind === "ratio"
          ? [f.source.numerator, f.source.denominator].flatMap((s) => (s.kind === "attribute" ? [s.key] : []))
          : [],
    ),
    ...card.appliesTo.flatMap((k) => ("attribute" in k ? [k.attribute] : [])),
  ]);
  const known = new Set<string>(["arr", "seats", "startDate", "renewalDate", ...WELL_KNOWN_TEXT]);
  const custom = [...new Set([...c.accounts.flatMap((a) => Object.keys(a.attributes)), ...read])].filter(
    (k) => !known.has(k),
  );
  const attrCell = (v: unknown): Cell =>
    v === undefined || v === null ? null : typeof v === "boolean" ? String(v) : (v as Cell);
  const accounts: Table = {
    name: "accounts",
    columns: [
      { name: "id", type: "text" },
      { name: "name", type: "text" },
      { name: "parent_id", type: "text" },
      { name: "arr", type: "double" },
      { name: "seats", type: "double" },
      { name: "start_date", type: "date" },
      { name: "renewal_date", type: "date" },
      ...WELL_KNOWN_TEXT.map((name) => ({ name, type: "text" as const })),
      ...custom.map((name) => ({ name, type: "text" as const })),
    ],
    rows: c.accounts.map((a) => [
      a.id,
      a.name,
      a.parentId ?? null,
      a.arr ?? null,
      a.seats ?? null,
      a.startDate ?? null,
      a.renewalDate ?? null,
      ...WELL_KNOWN_TEXT.map((k) => a[k] ?? null),
      ...custom.map((k) => attrCell(a.attributes[k])),
    ]),
  };
  const observations: Table = {
    name: "observations",
    columns: [
      { name: "account_id", type: "text" },
      { name: "metric", type: "text" },
      { name: "day", type: "date" },
      { name: "value", type: "double" },
    ],
    rows: c.observations.map((o) => [o.accountId, o.metric, o.day, o.value]),
  };
  const covered: Table = {
    name: "covered",
    columns: [
      { name: "metric", type: "text" },
      { name: "day_from", type: "date" },
      { name: "day_to", type: "date" },
    ],
    rows: (c.covered ?? []).map((r) => [r.metric, r.from, r.to]),
  };
  const overrides: Table = {
    name: "overrides",
    columns: [
      { name: "account_id", type: "text" },
      { name: "scorecard_id", type: "text" },
      { name: "score", type: "double" },
      { name: "grade", type: "text" },
      { name: "created_on", type: "date" },
      { name: "expires_on", type: "date" },
      { name: "seq", type: "int" },
    ],
    rows: (c.overrides ?? []).map((o, i) => [
      o.accountId,
      o.scorecardId ?? null,
      o.score ?? null,
      o.grade ?? null,
      o.createdOn,
      o.expiresOn,
      i,
    ]),
  };
  return [accounts, observations, covered, overrides];
}

function portfolioOf(c: Case) {
  const portfolio = buildPortfolio(c.accounts, c.observations);
  if (c.covered && c.covered.length > 0) {
    const ranges: CoveredDays[] = c.covered.map((r) => ({
      metric: r.metric,
      from: parseIsoDay(r.from) as number,
      to: parseIsoDay(r.to) as number,
    }));
    coverSeries(portfolio.series as Map<string, MetricSeries>, c.accounts.length, ranges);
  }
  return portfolio;
}

/** How many non-null scores the comparisons have checked (a property test that only ever met nulls proves little). */
export const compared = { scores: 0 };

const close = (actual: number | null, expected: number | null, what: string) => {
  if (expected === null || Number.isNaN(expected)) {
    expect(actual, what).toBeNull();
    return;
  }
  expect(actual, what).not.toBeNull();
  expect(Math.abs((actual as number) - expected), `${what}: ${actual} vs ${expected}`).toBeLessThanOrEqual(
    1e-9 * Math.max(1, Math.abs(expected)),
  );
};

/**
 * How the query is compiled: `lean` leaves the as-of day to the query (the data's last day, which the engine is
 * then given too) and reads the covered table only when the case has covered periods.
 */
export interface Variant {
  lean?: boolean | undefined;
}

/** The as-of day the engine scores at, and the SqlOptions that make the query score at the same day. */
function asOfOf(c: Case, variant: Variant): { asOf: number; options: { asOf?: number; covered: boolean } } {
  const lean = variant.lean === true;
  const last = Math.max(...c.observations.map((o) => parseIsoDay(o.day) as number));
  const fromData = lean && c.observations.length > 0;
  const asOf = fromData ? last : (parseIsoDay(c.asOf) as number);
  const covered = !lean || (c.covered ?? []).length > 0;
  return { asOf, options: fromData ? { covered } : { asOf, covered } };
}

/** Runs the compiled query on an engine and checks every row against the engine's `vitals score` results. */
export async function expectSameLatest(engine: Engine, c: Case, variant: Variant = {}): Promise<void> {
  const portfolio = portfolioOf(c);
  const { asOf, options } = asOfOf(c, variant);
  const scores = scorePortfolio(portfolio, c.scorecards, { asOf });
  const csv = scoresCsv(portfolio, c.scorecards, scores, c.overrides ?? [], false);
  const parsed: string[][] = [];
  Papa.parse<string[]>(csv, { skipEmptyLines: true, step: (r) => void parsed.push(r.data) });
  parsed.shift();
  const expectedRows = parsed.map((r) => Object.fromEntries(CSV_COLUMNS.map((k, i) => [k, r[i] ?? ""])));
  await engine.load(tablesOf(c));
  const sql = compileSql(c.scorecards, { dialect: engine.dialect, ...options, overrides: true });
  const rows = await engine.query(sql);
  expect(rows.length).toBe(c.accounts.length);
  const byId = new Map(rows.map((r) => [String(r.account_id), r]));
  c.accounts.forEach((account, a) => {
    const got = byId.get(account.id);
    const want = expectedRows[a] as Record<string, string>;
    const at = `${engine.dialect}, account ${account.id}`;
    expect(got, at).toBeDefined();
    if (!got) return;
    for (const k of ["scorecard", "grade", "label", "color", "top_drags", "override_grade", "override_until"]) {
      expect(String(got[k] ?? ""), `${at}: ${k}`).toBe(want[k]);
    }
    for (const k of ["score", "rollup", "override_score"]) {
      expect(numberOf(got[k]), `${at}: ${k}`).toBe(want[k] === "" ? null : Number(want[k]));
    }
    const p = scores.primary[a] as number;
    const cols = scores.scorecards[p];
    const row = cols ? Array.from(cols.accounts).indexOf(a) : -1;
    if (!cols || row < 0) {
      expect(numberOf(got.score_exact), at).toBeNull();
      return;
    }
    const score = cols.score[row] as number;
    if (!Number.isNaN(score)) compared.scores++;
    close(numberOf(got.score_exact), score, `${at}: score`);
    close(numberOf(got.coverage), cols.coverage[row] as number, `${at}: coverage`);
    close(numberOf(got.delta), score - (cols.previous[row] as number), `${at}: delta`);
  });
}

/** Runs the compiled history query and checks every day against the engine's scoreHistory. */
export async function expectSameHistory(engine: Engine, c: Case, days: number, variant: Variant = {}): Promise<void> {
  const portfolio = portfolioOf(c);
  const { asOf, options } = asOfOf(c, variant);
  await engine.load(tablesOf(c));
  const sql = compileSql(c.scorecards, { dialect: engine.dialect, ...options, history: days });
  const rows = await engine.query(sql);
  const got = new Map(rows.map((r) => [`${r.account_id}|${r.scorecard}|${r.day}`, r]));
  let expectedCount = 0;
  for (const card of c.scorecards) {
    const h = scoreHistory(portfolio, card, asOf - days + 1, asOf);
    // scoreHistory keeps Float32 scores: the doubles come from evaluate over the same days, tenure day by day.
    const dayList = Int32Array.from({ length: days }, (_, j) => asOf - days + 1 + j);
    const exact = evaluate(portfolio, compileScorecard(card), h.accounts, dayList).score;
    h.accounts.forEach((a, r) => {
      const account = c.accounts[a] as Account;
      for (let j = 0; j < days; j++) {
        expectedCount++;
        const key = `${c.accounts[a]?.id}|${card.id}|${formatDay(asOf - days + 1 + j)}`;
        const row = got.get(key);
        expect(row, `${engine.dialect}: ${key}`).toBeDefined();
        const want = appliesTo(card, account, dayList[j] as number) ? (exact[r * days + j] as number) : Number.NaN;
        expect(Number.isNaN(h.score[r * days + j] as number), key).toBe(Number.isNaN(want));
        close(numberOf(row?.score_exact), want, key);
        if (!Number.isNaN(want)) compared.scores++;
      }
    });
  }
  expect(rows.length).toBe(expectedCount);
}
