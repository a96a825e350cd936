import { readFileSync } from "node:fs";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Account } from "../../core/schema/account.ts";
import { formatDay, parseIsoDay } from "../../core/schema/day.ts";
import type { Observation } from "../../core/schema/observation.ts";
import { Override } from "../../core/schema/override.ts";
import { Scorecard } from "../../core/schema/scorecard.ts";
import { DEFAULT_SCORECARDS } from "../../core/scoring/defaults.ts";
import { compileSql } from "../../core/sql/compile.ts";
import { type Case, compared, expectSameHistory, expectSameLatest, tablesOf } from "./compare.ts";
import { clickhouseEngine, duckdbEngine, type Engine, postgresEngine } from "./engines.ts";

/** The worked example of docs/scoring.md: its scorecard (from docs/formats.md), accounts and observations. */
function docsExample(): Case {
  const formats = readFileSync("docs/formats.md", "utf8");
  const card = /<!-- checked: scorecard -->\s*```json\n([\s\S]*?)```/.exec(formats)?.[1] as string;
  const scoring = readFileSync("docs/scoring.md", "utf8");
  const block = (name: string) =>
    (new RegExp(`<!-- checked: ${name} -->\\s*\`\`\`csv\\n([\\s\\S]*?)\`\`\``).exec(scoring)?.[1] ?? "")
      .trim()
      .split("\n")
      .slice(1)
      .map((line) => line.split(","));
  return {
    accounts: block("example-accounts").map(([id, name, seats, contract]) =>
      Account.parse({ id, name, seats: Number(seats), attributes: contract ? { contract } : {} }),
    ),
    observations: block("example-observations").map(([accountId, metric, day, value]) => ({
      accountId: accountId as string,
      metric: metric as string,
      day: day as string,
      value: Number(value),
    })),
    scorecards: [Scorecard.parse(JSON.parse(card))],
    asOf: "2025-03-01",
  };
}

// ── Random portfolios and scorecards ─────────────────────────────────────────────────────────────────────────

const BASE = parseIsoDay("2025-01-01") as number;
/** Metric names (the schema allows letters, digits, ".", "_" and "-"; labels and attribute keys take anything). */
const METRICS = ["logins", "nps", "Usage.v2-x_1", "tickets"];
/** Custom attribute keys: a plain one, one with a space and unicode, one with quotes. */
const KEYS = ["tier", "Kundenstufe ü 1", `say "hi"; DROP TABLE accounts; -- \\ \``];
const TEXT_VALUES = ["Gold", "gold ", "Silver", "12", " 3.5", "yes", "No", "0", "x'y", "", "1e1"];
const LABELS = ["Usage", "Lab'el; --", 'Q"uote', "Tickets", "NPS", "Ünï"];

const day = (offset: number) => formatDay(BASE + offset);
const small = fc.oneof(
  fc.integer({ min: -3, max: 14 }),
  fc.integer({ min: -6, max: 28 }).map((x) => x / 2),
);

const accountsArb = fc.integer({ min: 1, max: 6 }).chain((count) =>
  fc.tuple(
    ...Array.from({ length: count }, (_, i) =>
      fc
        .record({
          seats: fc.option(fc.integer({ min: 0, max: 40 }), { nil: undefined }),
          arr: fc.option(fc.constantFrom(0, 1000, 2500.5), { nil: undefined }),
          segment: fc.option(fc.constantFrom("SMB", "Enterprise", " smb", "Mid-market"), { nil: undefined }),
          stage: fc.option(fc.constantFrom("onboarding", "Renewal"), { nil: undefined }),
          start: fc.option(fc.integer({ min: -200, max: 130 }), { nil: undefined }),
          parent: fc.option(fc.integer({ min: 0, max: count - 1 }), { nil: undefined }),
          attrs: fc.dictionary(fc.constantFrom(...KEYS), fc.constantFrom(...TEXT_VALUES), { maxKeys: 3 }),
        })
        .map((r) =>
          Account.parse({
            id: `acc-${i}`,
            name: `Account ${i}`,
            ...(r.seats !== undefined ? { seats: r.seats } : {}),
            ...(r.arr !== undefined ? { arr: r.arr } : {}),
            ...(r.segment !== undefined ? { segment: r.segment } : {}),
            ...(r.stage !== undefined ? { stage: r.stage } : {}),
            ...(r.start !== undefined ? { startDate: day(r.start) } : {}),
            ...(r.parent !== undefined && r.parent !== i ? { parentId: `acc-${r.parent}` } : {}),
            attributes: r.attrs,
          }),
        ),
    ),
  ),
);

/** Dense cases read two metrics over longer windows, so most scores have values (and their history moves). */
const metricSource = (dense: boolean) =>
  fc.record({
    kind: fc.constant("metric" as const),
    metric: dense ? fc.constantFrom(...METRICS.slice(1, 3)) : fc.constantFrom(...METRICS),
    aggregation: fc.constantFrom("last", "sum", "mean", "min", "max", "count", "daysSince", "change", "nps"),
    windowDays: dense ? fc.constantFrom(7, 30, 45) : fc.constantFrom(1, 7, 30, 45),
  });
const simpleSource = (dense: boolean) =>
  fc.oneof(
    { weight: dense ? 12 : 4, arbitrary: metricSource(dense) },
    {
      weight: 2,
      arbitrary: fc.record({
        kind: fc.constant("attribute" as const),
        key: fc.constantFrom(...KEYS, "seats", "arr", "segment"),
      }),
    },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant("tenureDays" as const) }) },
  );
const source = (dense: boolean) =>
  fc.oneof(
    { weight: 4, arbitrary: simpleSource(dense) },
    {
      weight: 1,
      arbitrary: fc.record({
        kind: fc.constant("ratio" as const),
        numerator: simpleSource(dense),
        denominator: simpleSource(dense),
      }),
    },
  );
const unit = fc.constantFrom(0, 0.25, 0.5, 0.8, 1);
const rule = fc.oneof(
  fc
    .tuple(fc.integer({ min: -10, max: 60 }), fc.integer({ min: -10, max: 60 }))
    .filter(([a, b]) => a !== b)
    .map(([worst, best]) => ({ kind: "linear" as const, worst, best })),
  fc
    .uniqueArray(fc.integer({ min: -5, max: 40 }), { minLength: 0, maxLength: 3 })
    .chain((ups) =>
      fc.tuple(
        ...[...ups.sort((a, b) => a - b), undefined].map((upTo) =>
          unit.map((n) => (upTo === undefined ? { n } : { upTo, n })),
        ),
      ),
    )
    .map((steps) => ({ kind: "steps" as const, steps })),
  fc.record({
    kind: fc.constant("categorical" as const),
    map: fc.dictionary(fc.constantFrom("Gold", "gold", "SILVER", "12", "3.5", "10", "x'y", "smb"), unit, {
      maxKeys: 4,
    }),
    default: fc.option(unit, { nil: undefined }),
  }),
  fc.record({ kind: fc.constant("boolean" as const), true: unit, false: unit }),
);
const missing = fc.oneof(
  fc.constant({ policy: "skip" as const }),
  fc.constant({ policy: "zero" as const }),
  unit.map((n) => ({ policy: "assume" as const, n })),
);
const condition = fc.oneof(
  fc.record({
    kind: fc.constant("equals" as const),
    attribute: fc.constantFrom(...KEYS, "segment", "seats"),
    value: fc.oneof(fc.constantFrom("gold", "SMB", "12"), fc.constant(12)),
  }),
  fc.record({
    kind: fc.constant("in" as const),
    attribute: fc.constantFrom("segment", KEYS[0] as string),
    values: fc.constantFrom(["smb", "Mid-market"], ["Silver", 3.5]),
  }),
  fc.record({
    kind: fc.constant("range" as const),
    attribute: fc.constantFrom("seats", KEYS[1] as string),
    min: fc.option(fc.constant(5), { nil: undefined }),
    max: fc.option(fc.constant(30), { nil: undefined }),
  }),
  fc.record({ kind: fc.constant("stage" as const), stages: fc.constant(["onboarding"]) }),
  fc.record({
    kind: fc.constant("tenure" as const),
    minDays: fc.option(fc.constant(10), { nil: undefined }),
    maxDays: fc.option(fc.constant(90), { nil: undefined }),
  }),
);

const scorecardArb = (id: string, maxFactors: number, dense: boolean) =>
  fc
    .record({
      factors: fc.array(
        fc.record({
          weight: fc.constantFrom(1, 2, 3.5, 10),
          source: source(dense),
          rule,
          missing,
          label: fc.constantFrom(...LABELS),
          grouped: fc.boolean(),
        }),
        { minLength: 1, maxLength: maxFactors },
      ),
      groupWeight: fc.constantFrom(5, 60),
      minCoverage: dense ? fc.constantFrom(0, 0.3) : fc.constantFrom(0, 0.3, 0.5, 1),
      deltaDays: fc.constantFrom(1, 7, 30),
      priority: fc.integer({ min: 0, max: 2 }),
      appliesTo: fc.array(condition, { maxLength: dense ? 1 : 2 }),
      bands: fc.constantFrom(undefined, [
        { min: 0, grade: "Z", color: "red", label: "Low" },
        { min: 40.5, grade: "Y", color: "yellow", label: "Mid's" },
        { min: 70, grade: "X", color: "green", label: "High" },
      ]),
    })
    .map((r) =>
      Scorecard.parse({
        id,
        name: id,
        factors: r.factors.map((f, i) => ({
          id: `f${i}`,
          label: f.label,
          weight: f.weight,
          source: f.source,
          rule: f.rule,
          missing: f.missing,
          ...(f.grouped ? { group: "g" } : {}),
        })),
        groups: r.factors.some((f) => f.grouped) ? [{ id: "g", label: "G", weight: r.groupWeight }] : [],
        minCoverage: r.minCoverage,
        deltaDays: r.deltaDays,
        priority: r.priority,
        appliesTo: r.appliesTo,
        ...(r.bands ? { bands: r.bands } : {}),
      }),
    );

const caseArb = (maxCards: number, maxFactors: number, dense = false) =>
  accountsArb.chain((accounts) =>
    fc
      .record({
        observations: fc.array(
          fc.record({
            a: fc.integer({ min: 0, max: accounts.length - 1 }),
            metric: dense ? fc.constantFrom(...METRICS.slice(1, 3)) : fc.constantFrom(...METRICS),
            day: fc.integer({ min: 0, max: 130 }),
            value: small,
          }),
          { maxLength: dense ? 250 : 80 },
        ),
        cards: fc
          .integer({ min: 1, max: maxCards })
          .chain((n) => fc.tuple(...Array.from({ length: n }, (_, i) => scorecardArb(`card-${i}`, maxFactors, dense)))),
        asOf: fc.integer({ min: 40, max: 140 }),
        covered: fc.array(
          fc.record({
            metric: fc.constantFrom(...METRICS),
            from: fc.integer({ min: 0, max: 130 }),
            len: fc.integer({ min: 0, max: 40 }),
          }),
          { maxLength: 2 },
        ),
        overrides: fc.array(
          fc.record({
            a: fc.integer({ min: 0, max: accounts.length - 1 }),
            card: fc.option(fc.constantFrom("card-0", "card-1"), { nil: undefined }),
            score: fc.option(fc.constantFrom(10, 77.5), { nil: undefined }),
            grade: fc.constantFrom("A", "B'"),
            from: fc.integer({ min: 0, max: 140 }),
            len: fc.integer({ min: 0, max: 60 }),
          }),
          { maxLength: 3 },
        ),
      })
      .map(
        (r): Case => ({
          accounts,
          observations: r.observations.map(
            (o): Observation => ({
              accountId: (accounts[o.a] as Account).id,
              metric: o.metric,
              day: day(o.day),
              value: o.value,
            }),
          ),
          scorecards: r.cards,
          asOf: day(r.asOf),
          covered: r.covered.map((c) => ({ metric: c.metric, from: day(c.from), to: day(c.from + c.len) })),
          overrides: r.overrides.map((o, i) =>
            Override.parse({
              id: `o${i}`,
              accountId: (accounts[o.a] as Account).id,
              ...(o.card ? { scorecardId: o.card } : {}),
              ...(o.score !== undefined ? { score: o.score } : {}),
              grade: o.grade,
              reason: "r",
              author: "me",
              createdOn: day(o.from),
              expiresOn: day(o.from + o.len),
            }),
          ),
        }),
      ),
  );

/** Runs per engine: DuckDB and PostgreSQL answer in milliseconds; chdb spends a second or more analysing each query. */
const ENGINES: {
  name: string;
  make: () => Promise<Engine>;
  runs: number;
  cards: number;
  factors: number;
  dense: boolean;
}[] = [
  { name: "DuckDB", make: duckdbEngine, runs: 60, cards: 3, factors: 6, dense: false },
  { name: "PostgreSQL", make: postgresEngine, runs: 40, cards: 3, factors: 6, dense: false },
  { name: "ClickHouse (chdb)", make: async () => clickhouseEngine(), runs: 8, cards: 2, factors: 3, dense: true },
];

for (const spec of ENGINES) {
  describe(`vitals sql on ${spec.name} gives the engine's results`, () => {
    let engine: Engine;
    beforeAll(async () => {
      engine = await spec.make();
    }, 120_000);
    afterAll(async () => engine?.close());

    it("the worked example of docs/scoring.md", async () => {
      await expectSameLatest(engine, docsExample());
    }, 120_000);

    it("the default scorecards, latest and a 40-day history", async () => {
      const c = { ...docsExample(), scorecards: [...DEFAULT_SCORECARDS] };
      await expectSameLatest(engine, c);
      await expectSameHistory(engine, c, 40);
    }, 180_000);

    it("random scorecards × random data (latest, delta, drags, bands, overrides, roll-up)", async () => {
      const before = compared.scores;
      await fc.assert(
        fc.asyncProperty(caseArb(spec.cards, spec.factors, spec.dense), fc.boolean(), async (c, lean) => {
          await expectSameLatest(engine, c, { lean });
        }),
        { numRuns: spec.runs, seed: 20 },
      );
      expect(compared.scores - before, "non-null scores compared").toBeGreaterThanOrEqual(spec.runs / 2);
    }, 600_000);

    it("a table missing a column the query reads fails naming the column", async () => {
      const c = docsExample();
      const sql = compileSql(c.scorecards, { dialect: engine.dialect, asOf: parseIsoDay(c.asOf) as number });
      for (const [table, column] of [
        ["accounts", "contract"],
        ["observations", "value"],
      ] as const) {
        const tables = tablesOf(c).map((t) => {
          if (t.name !== table) return t;
          const at = t.columns.findIndex((col) => col.name === column);
          expect(at, `${table}.${column}`).toBeGreaterThanOrEqual(0);
          return {
            ...t,
            columns: t.columns.filter((_, i) => i !== at),
            rows: t.rows.map((r) => r.filter((_, i) => i !== at)),
          };
        });
        await engine.load(tables);
        await expect(engine.query(sql), `${table} without ${column}`).rejects.toThrow(column);
      }
    }, 120_000);

    it("random scorecards × random data: daily history", async () => {
      const before = compared.scores;
      await fc.assert(
        fc.asyncProperty(
          caseArb(2, spec.factors, true),
          fc.integer({ min: 1, max: 50 }),
          fc.boolean(),
          async (c, days, lean) => {
            await expectSameHistory(engine, c, days, { lean });
          },
        ),
        { numRuns: Math.max(3, Math.round(spec.runs / 3)), seed: 21 },
      );
      expect(compared.scores - before, "non-null daily scores compared").toBeGreaterThanOrEqual(5 * spec.runs);
    }, 600_000);
  });
}
