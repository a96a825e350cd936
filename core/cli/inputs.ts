import { metricColumnsOf, ObservationColumns } from "../io/columns.ts";
import { planCsv } from "../io/csv.ts";
import { Mapping } from "../io/mapping.ts";
import type { AccountLink } from "../io/plan.ts";
import { standardAccountsMapping, standardObservationsMapping, standardOutcomesMapping } from "../io/standard.ts";
import type { Account } from "../schema/account.ts";
import type { Bundle } from "../schema/bundle.ts";
import { parseIsoDay } from "../schema/day.ts";
import { issuesOf } from "../schema/issues.ts";
import type { Outcome } from "../schema/observation.ts";
import type { Override } from "../schema/override.ts";
import type { Scorecard } from "../schema/scorecard.ts";
import { type Rating, withRatings } from "../scoring/as-of.ts";
import { DEFAULT_SCORECARDS } from "../scoring/defaults.ts";
import {
  type CoveredDays,
  coverSeries,
  type MetricSeries,
  type PortfolioData,
  seriesFromColumns,
} from "../scoring/series.ts";
import { listOption, type ParsedOptions, stringOption } from "./args.ts";
import { dataWarningProblems, printDataWarnings, type ScorecardOrigin, unknownMetricProblems } from "./data-checks.ts";
import { readTextFile } from "./files.ts";
import { type Output, type Problem, problemReport, UsageError } from "./problems.ts";
import { problemsOf, readScorecardsFile } from "./scorecards-file.ts";

/** The files a command reads its data from. */
export interface InputPaths {
  /** A bundle or a single scorecard; the default scorecards when absent. */
  scorecards?: string | undefined;
  /** A Vitals accounts file (id, name, domains, … columns). */
  accounts?: string | undefined;
  /** Vitals observations files (account_id, metric, day, value). */
  observations: readonly string[];
  /** Any other CSV export, each read with the mapping file at the same position. */
  data: readonly { file: string; mapping: string }[];
  /** Vitals outcomes files (account_id, day, kind), read after every other file. */
  outcomes?: readonly string[] | undefined;
  /**
   * A yes/no column of the accounts file saying whether each account churned (a snapshot): yes is a `churned`
   * outcome on `day`, no a `renewed` one. The column is not kept as an attribute.
   */
  churnColumn?: { column: string; day: string } | undefined;
  /** The day a snapshot describes (--snapshot-day): the as-of day of a wide mapping that names none. */
  snapshotDay?: string | undefined;
}

/** Everything scoring needs, read from the files. */
export interface Inputs {
  scorecards: readonly Scorecard[];
  origins: ScorecardOrigin[];
  /** The accounts, observations and a bundle's ratings (each on its own day). */
  portfolio: PortfolioData;
  /** The accounts and imported observations alone: the data's last day is theirs (ratings never move it). */
  imported: PortfolioData;
  /** A bundle's manual inputs, in the bundle's order. */
  ratings: Rating[];
  overrides: Override[];
  /** Rows left out because they could not be read (only when the caller accepts them). */
  rejected: Problem[];
  /** Files every row of which was rejected (only when the caller accepts rejected rows), with their row counts. */
  emptied: { file: string; rows: number }[];
  /** Metrics present in the data. */
  metrics: ReadonlySet<string>;
  /** Outcomes from a bundle, outcomes files, and churn flags of snapshot files. */
  outcomes: Outcome[];
  /** Days of the outcomes read from churn flag columns (a snapshot's day), when there are any. */
  snapshotDays: ReadonlySet<string>;
}

/** Reads the scorecards option: a bundle, a single scorecard, or (when absent) the default scorecards. */
export function loadScorecards(
  path: string | undefined,
  problems: Problem[],
  out: Output,
): { scorecards: readonly Scorecard[]; origins: ScorecardOrigin[]; bundle?: Bundle } | undefined {
  const defaults = () => ({
    scorecards: DEFAULT_SCORECARDS,
    origins: DEFAULT_SCORECARDS.map((card) => ({ file: `default scorecard "${card.id}"`, base: "$" })),
  });
  if (path === undefined) return defaults();
  const file = readScorecardsFile(path);
  if (!file.ok) {
    problems.push(...file.problems);
    return undefined;
  }
  if (file.kind === "scorecard") return { scorecards: [file.scorecard], origins: [{ file: path, base: "$" }] };
  const { bundle } = file;
  if (file.upgradedFrom !== undefined) {
    out.err(`note: ${path} is bundle version ${file.upgradedFrom}; read as version ${bundle.version}\n`);
  }
  if (bundle.scorecards.length === 0) {
    out.err(`note: ${path} holds no scorecards; scoring with the ${DEFAULT_SCORECARDS.length} default scorecards\n`);
    return { ...defaults(), bundle };
  }
  return {
    scorecards: bundle.scorecards,
    origins: bundle.scorecards.map((_, i) => ({ file: path, base: `$.scorecards[${i}]` })),
    bundle,
  };
}

/** Why a wide mapping needs an as-of day it does not have, and the two ways to give it one. */
export function missingAsOf(m: Extract<Mapping, { shape: "wide" }>): string {
  const what =
    m.churnFlag !== undefined
      ? `a churn flag column ("${m.churnFlag.column}") but no as-of day, the day its outcomes are recorded on`
      : "metric columns but no as-of day, the day their values are as of";
  return (
    `the mapping has ${what}: add "asOf": {"day": "YYYY-MM-DD"} (or {"column": "<a date column>"}) to the ` +
    "mapping, or give --snapshot-day YYYY-MM-DD (vitals validate)"
  );
}

/** Reads a mapping file (the JSON the PWA's import wizard saves), or the problems with it by JSON path. */
export function readMappingFile(path: string): { ok: true; mapping: Mapping } | { ok: false; problems: Problem[] } {
  const text = readTextFile(path, "mapping file");
  let json: unknown;
  try {
    json = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (error) {
    return { ok: false, problems: [{ file: path, message: `not valid JSON: ${(error as Error).message}` }] };
  }
  const parsed = Mapping.safeParse(json);
  return parsed.success
    ? { ok: true, mapping: parsed.data }
    : { ok: false, problems: problemsOf(path, issuesOf(parsed.error)) };
}

/**
 * Reads every input: scorecards, then accounts (a bundle's, then the accounts file's), then each data file in the
 * order given, then the observations files, so each file can name accounts the ones before it created. Every
 * problem in every file is collected before giving up; rows that could not be read are problems unless
 * `acceptRejected`, when they are left out and returned as `rejected`. Scorecards reading metrics the data lacks
 * are problems (notes for the default scorecards, or with `allowMissingMetrics`) unless `checkMetrics` is false.
 */
export async function readInputs(
  paths: InputPaths,
  out: Output,
  {
    acceptRejected = false,
    checkMetrics = true,
    allowMissingMetrics = false,
    warnScorecards = true,
  }: {
    acceptRejected?: boolean;
    checkMetrics?: boolean;
    allowMissingMetrics?: boolean;
    /** Print what the scorecards expect of the accounts that they do not give (printDataWarnings). */
    warnScorecards?: boolean;
  } = {},
): Promise<
  { ok: true; inputs: Inputs } | { ok: false; problems: Problem[]; emptied?: { file: string; rows: number }[] }
> {
  const problems: Problem[] = [];
  const rejected: Problem[] = [];
  // Read every file first, so a missing one is reported (exit 2) before any data problem.
  const texts = new Map<string, string>();
  const read = (path: string, what: string) => {
    if (!texts.has(path)) texts.set(path, readTextFile(path, what));
  };
  if (paths.accounts !== undefined) read(paths.accounts, "accounts file");
  for (const { file } of paths.data) read(file, "data file");
  for (const file of paths.observations) read(file, "observations file");
  for (const file of paths.outcomes ?? []) read(file, "outcomes file");

  const loaded = loadScorecards(paths.scorecards, problems, out);
  const mappings = paths.data.map(({ mapping }) => {
    const result = readMappingFile(mapping);
    if (!result.ok) {
      problems.push(...result.problems);
      return undefined;
    }
    // A wide file's metric values and churn flag are recorded on its as-of day. Without one, every row would be
    // rejected for the same reason: say it once, with the fix.
    const m = result.mapping;
    if (m.shape !== "wide" || m.asOf !== undefined || (m.metrics.length === 0 && m.churnFlag === undefined)) return m;
    if (paths.snapshotDay !== undefined) return { ...m, asOf: { day: paths.snapshotDay } };
    problems.push({ file: mapping, at: "$.asOf", message: missingAsOf(m) });
    return undefined;
  });
  const bundle = loaded?.bundle;

  const accounts = new Map<string, Account>();
  for (const account of bundle?.accounts ?? []) accounts.set(account.id, account);
  const sources: ObservationColumns[] = [];
  const bundleRatings: { accountId: string; metric: string; day: number; value: number }[] = [];
  if (bundle) {
    const fromBundle = new ObservationColumns();
    const known = (id: string) => accounts.has(id);
    const push = (accountId: string, metric: string, day: string, value: number, at: string) => {
      const d = parseIsoDay(day);
      if (!known(accountId)) {
        problems.push({ file: paths.scorecards ?? "", at, message: `no account with id "${accountId}" in the bundle` });
      } else if (d !== undefined) fromBundle.push(accountId, metric, d, value);
    };
    (bundle.observations ?? []).forEach((o, i) => {
      push(o.accountId, o.metric, o.day, o.value, `$.observations[${i}].accountId`);
    });
    // Ratings are kept apart: they never move the data's last day, and may count on the as-of day (withRatings).
    (bundle.manualInputs ?? []).forEach((input, i) => {
      const d = parseIsoDay(input.day);
      if (!known(input.accountId)) {
        problems.push({
          file: paths.scorecards ?? "",
          at: `$.manualInputs[${i}].accountId`,
          message: `no account with id "${input.accountId}" in the bundle`,
        });
      } else if (d !== undefined) {
        bundleRatings.push({ accountId: input.accountId, metric: input.metric, day: d, value: input.rating });
      }
    });
    sources.push(fromBundle);
  }

  const files: { file: string; mapping: Mapping | ((header: readonly string[]) => Mapping) | undefined }[] = [];
  if (paths.accounts !== undefined) {
    const file = paths.accounts;
    const churn = paths.churnColumn;
    files.push({
      file,
      mapping: (header) => {
        const mapping = standardAccountsMapping(file, header);
        if (!churn || mapping.shape !== "wide") return mapping;
        if (!header.includes(churn.column)) {
          throw new Error(
            `${file}: no churn column "${churn.column}" (its columns: ${header.map((h) => `"${h}"`).join(", ")})`,
          );
        }
        return {
          ...mapping,
          attributes: mapping.attributes.filter((a) => a.column !== churn.column),
          churnFlag: { column: churn.column },
          asOf: { day: churn.day },
        };
      },
    });
  }
  paths.data.forEach(({ file }, i) => {
    files.push({ file, mapping: mappings[i] });
  });
  for (const file of paths.observations) {
    files.push({ file, mapping: (header) => standardObservationsMapping(file, header) });
  }
  for (const file of paths.outcomes ?? []) {
    files.push({ file, mapping: (header) => standardOutcomesMapping(file, header) });
  }
  const outcomes: Outcome[] = [...(bundle?.outcomes ?? [])];
  const snapshotDays = new Set<string>();
  // Ids of other kinds a links file paired with accounts, for the files after it; and events files' periods.
  const links: AccountLink[] = [];
  const coverage: CoveredDays[] = [];
  const emptied: { file: string; rows: number }[] = [];
  for (const { file, mapping } of files) {
    if (mapping === undefined) continue; // its mapping file has problems, reported above
    let plan: Awaited<ReturnType<typeof planCsv>>;
    try {
      plan = await planCsv(file, texts.get(file) ?? "", mapping, [...accounts.values()], { links });
    } catch (error) {
      const message = (error as Error).message;
      const prefix = `${file}: `;
      problems.push({ file, line: 1, message: message.startsWith(prefix) ? message.slice(prefix.length) : message });
      continue;
    }
    for (const reject of plan.rejects) {
      const problem: Problem = { file, line: reject.line, message: reject.reason };
      if (reject.column !== undefined) problem.at = reject.column;
      (acceptRejected ? rejected : problems).push(problem);
    }
    if (plan.combined.length > 0) {
      // Not problems (the rows are read), but no value of their own either: each is named, so none goes unsaid.
      const notes = plan.combined.map((r): Problem => ({ file, line: r.line, message: r.reason }));
      for (const line of problemReport(notes, "row")) out.err(`note: ${line}\n`);
      const rows = new Set(plan.combined.map((r) => r.line)).size;
      out.err(
        `note: ${file}: ${rows} ${rows === 1 ? "row" : "rows"} combined with another of the same day by the same-day ` +
          "rules (not values of their own)\n",
      );
    }
    const rows = plan.rowsRead - plan.rowsSkipped;
    if (acceptRejected && rows > 0 && new Set(plan.rejects.map((r) => r.line)).size >= rows)
      emptied.push({ file, rows });
    for (const account of plan.accounts) accounts.set(account.id, account);
    links.push(...plan.links);
    coverage.push(...plan.coverage);
    sources.push(plan.observations);
    outcomes.push(...plan.outcomes);
    // A wide file's outcomes come from its churn flag column: a snapshot, recorded on its as-of day.
    if (plan.shape === "wide") for (const o of plan.outcomes) snapshotDays.add(o.day);
  }

  const metrics = new Set([...sources.flatMap((s) => s.metrics), ...coverage.map((c) => c.metric)]);
  for (const r of bundleRatings) metrics.add(r.metric);
  if (checkMetrics && loaded !== undefined && (accounts.size > 0 || metrics.size > 0)) {
    // A metric the user's own scorecard names but the data lacks is most often a typo: refuse. The default
    // scorecards name metrics a portfolio may not have yet: say so, and score with those factors missing.
    const unknown = unknownMetricProblems(loaded.scorecards, loaded.origins, metrics);
    if (paths.scorecards === undefined || allowMissingMetrics) {
      for (const line of problemReport(unknown)) out.err(`note: ${line}\n`);
      if (unknown.length > 0) {
        out.err("note: factors on metrics the data lacks count as missing (the scorecard's missing-data policy)\n");
      }
    } else problems.push(...unknown);
  }
  if (problems.length > 0 || loaded === undefined) return { ok: false, problems };
  if (accounts.size === 0 && rejected.length > 0) {
    // --skip-rejected, and every row was rejected: nothing is left, so list the rows and say so.
    return { ok: false, problems: rejected, emptied };
  }
  if (accounts.size === 0) {
    throw new UsageError(
      "no accounts to score: give --accounts <accounts.csv>, a --data file whose mapping creates accounts, or a bundle with accounts",
    );
  }
  const list = [...accounts.values()];
  if (warnScorecards) printDataWarnings(dataWarningProblems(loaded.scorecards, loaded.origins, list), out);
  const accountIndex = new Map(list.map((a, i) => [a.id, i]));
  const series = new Map<string, MetricSeries>(
    metricColumnsOf(sources, accountIndex).map((columns) => [columns.metric, seriesFromColumns(list.length, columns)]),
  );
  // Inside an events file's period an account with no event counts 0 (every account the inputs know).
  coverSeries(series, list.length, coverage);
  const imported: PortfolioData = { accounts: list, accountIndex, series };
  const ratings: Rating[] = bundleRatings.map((r) => ({
    account: accountIndex.get(r.accountId) as number,
    metric: r.metric,
    day: r.day,
    value: r.value,
  }));
  return {
    ok: true,
    inputs: {
      scorecards: loaded.scorecards,
      origins: loaded.origins,
      portfolio: withRatings(imported, ratings, Number.MAX_SAFE_INTEGER, null),
      imported,
      ratings,
      overrides: bundle?.overrides ?? [],
      rejected,
      emptied,
      metrics,
      outcomes,
      snapshotDays,
    },
  };
}

/** The input files named by the options; each --data goes with the --mapping at the same position. */
export function inputPaths(options: ParsedOptions): InputPaths {
  const data = listOption(options, "data");
  const mappings = listOption(options, "mapping");
  if (data.length !== mappings.length) {
    throw new UsageError(
      `each --data file needs its --mapping file (given ${data.length} --data and ${mappings.length} --mapping)`,
    );
  }
  return {
    scorecards: stringOption(options, "scorecards"),
    accounts: stringOption(options, "accounts"),
    observations: listOption(options, "observations"),
    data: data.map((file, i) => ({ file, mapping: mappings[i] as string })),
  };
}

/** The as-of day of --as-of, or undefined (the query then takes the data's last day). */
export function asOfOption(options: ParsedOptions): number | undefined {
  const text = stringOption(options, "as-of");
  if (text === undefined) return undefined;
  const day = parseIsoDay(text);
  if (day === undefined)
    throw new UsageError(`--as-of "${text}" is not a real date; expected YYYY-MM-DD, e.g. 2025-03-01`);
  return day;
}
