import { domainOf, isPersonalDomain } from "../match/identifiers.ts";
import { Account, type AttributeValue } from "../schema/account.ts";
import { type Day, formatDay, parseIsoDay } from "../schema/day.ts";
import { MetricName, type Outcome, OutcomeKind } from "../schema/observation.ts";
import { type AccountLink, directoryOf } from "./account-directory.ts";
import { ObservationColumns } from "./columns.ts";
import type { CsvFields } from "./csv-scan.ts";
import { columnsOf, type Mapping, type SameDayRule, sameDayRuleOf } from "./mapping.ts";
import { type CombinedRow, combine, combinedRows } from "./same-day.ts";
import { type Cell, headerKey, isEmptyCell, parseBooleanCell, parseDateCell, parseNumberCell } from "./values.ts";

export type { AccountLink } from "./account-directory.ts";
export type { CombinedRow } from "./same-day.ts";

/** A row the import could not use: its physical line in the file, the column at fault, and why. */
export interface RowReject {
  line: number;
  column?: string;
  reason: string;
}

/** Rejected rows whose cells are kept for the rejects file: a wholly wrong 1 GB file must not be held twice. */
export const REJECTED_ROWS_KEPT = 50_000;
/** A metric's days an events file covers: inside them an account with no event counts 0, not missing. */
export interface MetricCoverage {
  metric: string;
  from: Day;
  to: Day;
}

/** How a file's same-day values of a metric were combined: its rule, and how many days had several values. */
export interface SameDaySummary {
  metric: string;
  rule: SameDayRule;
  /** (account, day) cells with more than one value, and the values they held. */
  combinedDays: number;
  combinedValues: number;
}

/** What a file will change, worked out before anything is stored (the dry run's input). */
export interface ImportPlan {
  fileName: string;
  /** The file's header, for the rejects file (absent for plans not read from a CSV). */
  header?: readonly string[];
  /** The cells of the rejected rows by line, as read, for the rejects file (the first REJECTED_ROWS_KEPT). */
  rejectedCells?: ReadonlyMap<number, readonly string[]>;
  shape: Mapping["shape"] | "bundle" | "demo";
  rowsRead: number;
  /** Rows with nothing to import (blank lines, empty values). */
  rowsSkipped: number;
  /** Accounts as they will be after the import (existing fields kept, the file's fields on top). */
  accounts: Account[];
  /** Observations; the stored values of each (account, metric, day) present are replaced by the file's. */
  observations: ObservationColumns;
  /** Outcomes (churned, renewed, …); one per account and day, the file's replacing a stored one of that day. */
  outcomes: Outcome[];
  rejects: RowReject[];
  /** Ids of other kinds paired with accounts (a links file). */
  links: AccountLink[];
  /** The days each of an events file's metrics covers (none when the mapping turns zero-filling off). */
  coverage: MetricCoverage[];
  /** Each metric's same-day rule and what it combined (files with metric values). */
  sameDay: SameDaySummary[];
  /** Every row whose value the same-day rules folded into another row's or left out, by line (see CombinedRow). */
  combined: CombinedRow[];
  /** Accounts on several rows of a one-row-per-account file, merged by the mapping's rule. */
  repeated?: { rule: "first" | "latest" | "sum"; accounts: number; rows: number };
}

/**
 * The plan of data not read from a CSV file (the demo portfolio, a bundle, a backup merged in): accounts,
 * observations and outcomes as they are, with nothing rejected, linked, covered or combined.
 */
export function dataPlan(
  data: Pick<ImportPlan, "fileName" | "shape" | "accounts" | "observations"> &
    Partial<Pick<ImportPlan, "rowsRead" | "outcomes">>,
): ImportPlan {
  return {
    rowsRead: 0,
    rowsSkipped: 0,
    outcomes: [],
    rejects: [],
    links: [],
    coverage: [],
    sameDay: [],
    combined: [],
    ...data,
  };
}

const TEXT_FIELDS = new Set(["name", "parentId", "plan", "segment", "stage", "owner", "industry", "region"]);
const NUMBER_FIELDS = new Set(["arr", "seats"]);
const DATE_FIELDS = new Set(["startDate", "renewalDate"]);
const LIST_FIELDS = new Set(["domains", "aliases"]);

/** Words exports use for each outcome, besides the kinds' own names (matched ignoring case and spaces). */
const OUTCOME_WORDS: Readonly<Record<string, Outcome["kind"]>> = {
  churn: "churned",
  lost: "churned",
  cancelled: "churned",
  canceled: "churned",
  renewal: "renewed",
  renew: "renewed",
  retained: "renewed",
  expansion: "expanded",
  upsell: "expanded",
  downgrade: "downgraded",
  contraction: "downgraded",
};

/** One row's problems, and the two ways a row's reader records one: `reject` a column, or `read` a parsed cell. */
function rowProblems(line: number) {
  const problems: RowReject[] = [];
  const reject = (column: string | undefined, reason: string) =>
    problems.push(column === undefined ? { line, reason } : { line, column, reason });
  const read = <T>(column: string, cell: Cell<T>): T | null | undefined => {
    if (!cell.ok) {
      reject(column, cell.reason);
      return undefined;
    }
    return cell.value;
  };
  return { problems, reject, read };
}

const outcomeKey = (text: string) => text.trim().toLowerCase().replace(/\s+/g, " ");

/** Splits a list cell: `acme.com; acme.io` or `acme.com, acme.io`. */
const splitList = (text: string) =>
  text
    .split(/[;,|\n]/)
    .map((s) => s.trim())
    .filter((s) => s !== "");

/** Turns a file's rows into an ImportPlan under a mapping. Feed rows in order with `addRow`, then `finish`. */
export class ImportPlanner {
  readonly #mapping: Mapping;
  readonly #fileName: string;
  readonly #directory: ReturnType<typeof directoryOf>;
  /** Header position of every column the mapping reads, by the name the mapping uses. */
  readonly #columns = new Map<string, number>();
  readonly #metricNames = new Map<string, { ok: true } | { ok: false; reason: string }>();
  readonly #accounts = new Map<string, Account>();
  readonly #accountLine = new Map<string, number>();
  readonly #observations = new ObservationColumns();
  /** The file line of each observation (parallel to #observations), to name the rows a same-day rule combines. */
  #lines = new Int32Array(1024);
  /** Outcomes by account and day, with the line that gave each (a second one of that day is rejected). */
  readonly #outcomes = new Map<string, { outcome: Outcome; line: number }>();
  /** The outcome mapping's words, lower-cased: its own, then the usual ones, then the kinds' names. */
  readonly #outcomeWords = new Map<string, Outcome["kind"]>();
  readonly #rejects: RowReject[] = [];
  readonly #header: readonly string[];
  readonly #rejectedCells = new Map<number, readonly string[]>();
  /** Links paired in this file, with the line that paired each (a links file). */
  readonly #links = new Map<string, { link: AccountLink; line: number }>();
  /** Rows of a one-row-per-account file by account, kept until `finish` when repeated accounts are merged. */
  readonly #groups = new Map<string, { line: number; cells: readonly string[] }[]>();
  /** First and last day of an events file's rows. */
  #firstDay = Number.POSITIVE_INFINITY;
  #lastDay = Number.NEGATIVE_INFINITY;
  #rowsRead = 0;
  #rowsSkipped = 0;
  /** A long file's columns (account, metric, day, value) when its rows can take the fast path, else undefined. */
  readonly #long: { account: number; metric: number; day: number; value: number } | undefined;
  /** The last account and metric the fast path read, as written, with what they resolved to (files repeat them). */
  #lastAccount = { text: "\u0000", id: "", index: -1 };
  #lastMetric = { text: "\u0000", name: "", index: -1 };

  /**
   * Checks the header against the mapping. Throws an error naming every mapped column the file lacks (and the
   * columns it has), since no row could be read without them.
   */
  constructor(
    fileName: string,
    header: readonly string[],
    mapping: Mapping,
    existing: readonly Account[],
    links: readonly AccountLink[] = [],
  ) {
    this.#fileName = fileName;
    this.#header = [...header];
    this.#mapping = mapping;
    this.#directory = directoryOf(existing, links);
    const index = new Map<string, number>();
    header.forEach((h, i) => {
      const key = headerKey(h);
      if (!index.has(key)) index.set(key, i);
    });
    for (const column of columnsOf(mapping)) {
      const at = index.get(headerKey(column));
      if (at !== undefined) this.#columns.set(column, at);
    }
    if (mapping.shape === "outcomes") {
      for (const kind of OutcomeKind.options) this.#outcomeWords.set(kind, kind);
      for (const [word, kind] of Object.entries(OUTCOME_WORDS)) this.#outcomeWords.set(word, kind);
      for (const [word, kind] of Object.entries(mapping.kinds)) this.#outcomeWords.set(outcomeKey(word), kind);
    }
    const missing = columnsOf(mapping).filter((c) => !this.#columns.has(c));
    if (missing.length > 0) {
      throw new Error(
        `${fileName}: the mapping reads ${missing.map((c) => `"${c}"`).join(", ")}, which the file does not have ` +
          `(its columns: ${header.map((h) => `"${h.replace(/^\uFEFF/, "")}"`).join(", ")})`,
      );
    }
    this.#long =
      mapping.shape === "long" && mapping.dateFormat === "YYYY-MM-DD"
        ? {
            account: this.#columns.get(mapping.account.column) ?? -1,
            metric: this.#columns.get(mapping.metricColumn) ?? -1,
            day: this.#columns.get(mapping.dayColumn) ?? -1,
            value: this.#columns.get(mapping.valueColumn) ?? -1,
          }
        : undefined;
  }

  /**
   * Adds one row read as field ranges (see CsvFields). A long file's row of an ISO day, a plain number, a known
   * account and a valid metric is planned from the text in place, with no string per cell (an account or metric
   * written as on the row before is not even compared by string); any other row goes through `addRow`, which
   * reads and rejects it as always.
   */
  addFields(line: number, fields: CsvFields): void {
    if (this.#long === undefined || !this.#fastLong(line, this.#long, fields)) this.addRow(line, fields.cells());
  }

  #fastLong(
    line: number,
    at: { account: number; metric: number; day: number; value: number },
    fields: CsvFields,
  ): boolean {
    const m = this.#mapping;
    if (m.shape !== "long") return false;
    const day = fields.isoDay(at.day);
    if (Number.isNaN(day)) return false;
    const value = fields.plainNumber(at.value, m.decimal);
    if (Number.isNaN(value)) return false;
    const account = this.#lastAccount;
    if (!fields.equals(at.account, account.text)) {
      const text = fields.cell(at.account);
      const key = text.trim();
      if (key === "") return false;
      const found = this.#directory.find(
        m.account.by,
        key,
        m.account.by === "externalId" ? m.account.system : undefined,
      );
      if (!found) return false;
      account.text = text;
      account.id = found.id;
      account.index = -1;
    }
    const metric = this.#lastMetric;
    if (!fields.equals(at.metric, metric.text)) {
      const text = fields.cell(at.metric);
      const name = text.trim();
      if (!this.#metricName(name).ok) return false;
      metric.text = text;
      metric.name = name;
      metric.index = -1;
    }
    // Indices are taken only now, so an account or metric is listed only once it has an observation.
    if (account.index < 0) account.index = this.#observations.accountIndex(account.id);
    if (metric.index < 0) metric.index = this.#observations.metricIndex(metric.name);
    this.#rowsRead++;
    this.#observations.pushIndexed(account.index, metric.index, day, value);
    this.#lineOfLast(line);
    return true;
  }

  #cell(cells: readonly string[], column: string): string {
    return cells[this.#columns.get(column) ?? -1] ?? "";
  }

  /** Validates a metric name once per distinct name, not once per row (files repeat a handful of names). */
  #metricName(text: string): { ok: true } | { ok: false; reason: string } {
    let checked = this.#metricNames.get(text);
    if (!checked) {
      const parsed = MetricName.safeParse(text);
      checked = parsed.success ? { ok: true } : { ok: false, reason: `"${text}": ${parsed.error.issues[0]?.message}` };
      this.#metricNames.set(text, checked);
    }
    return checked;
  }

  /** Adds one row; `line` is its physical line in the file (the header is line 1). */
  addRow(line: number, cells: readonly string[]): void {
    this.#rowsRead++;
    if (cells.every((c) => c.trim() === "")) {
      this.#rowsSkipped++;
      return;
    }
    const m = this.#mapping;
    if (m.shape === "wide" && m.repeated.rule !== "reject") {
      // Kept until finish: an account's rows are merged by the mapping's rule before any is planned.
      // A row without a key is its own group (and rejected as such).
      const id = this.#wideId(cells) ?? `\u0000${line}`;
      const group = this.#groups.get(id);
      if (group) group.push({ line, cells });
      else this.#groups.set(id, [{ line, cells }]);
      return;
    }
    const { problems, reject, read } = rowProblems(line);

    if (m.shape === "wide") this.#wideRow(line, cells, reject, read, () => problems.length > 0);
    else if (m.shape === "links") this.#linksRow(line, cells, reject, () => problems.length > 0);
    else if (m.shape === "outcomes" && isEmptyCell(this.#cell(cells, m.kindColumn))) {
      this.#rowsSkipped++; // no outcome on this row (a CRM export lists every account, most with none)
      return;
    } else {
      const accountId = this.#resolve(cells, reject);
      const day = read(m.dayColumn, parseDateCell(this.#cell(cells, m.dayColumn), m.dateFormat));
      if (day === null) reject(m.dayColumn, "the day is empty");
      if (m.shape === "events" && typeof day === "number") {
        // The file's days, whoever they name: the period it covers by default.
        if (day < this.#firstDay) this.#firstDay = day;
        if (day > this.#lastDay) this.#lastDay = day;
      }
      if (m.shape === "outcomes") this.#outcomeRow(line, cells, accountId, day, reject, () => problems.length > 0);
      else if (m.shape === "long") {
        const metricText = this.#cell(cells, m.metricColumn).trim();
        const metric = this.#metricName(metricText);
        if (!metric.ok) reject(m.metricColumn, metric.reason);
        const value = read(m.valueColumn, parseNumberCell(this.#cell(cells, m.valueColumn), m.decimal));
        if (problems.length === 0 && accountId && typeof day === "number" && metric.ok) {
          if (value === null) this.#rowsSkipped++;
          else if (value !== undefined) this.#push(line, accountId, metricText, day, value);
        }
      } else {
        const outputs: [string, number][] = [];
        for (const event of m.events) {
          if (event.filter) {
            const text = this.#cell(cells, event.filter.column).trim().toLowerCase();
            if (!event.filter.values.some((v) => v.trim().toLowerCase() === text)) continue;
          }
          if (event.value.from === "count") {
            outputs.push([event.metric, 1]);
            continue;
          }
          const text = this.#cell(cells, event.value.column);
          if (isEmptyCell(text)) continue;
          if (event.value.map) {
            const key = Object.keys(event.value.map).find((k) => k.trim().toLowerCase() === text.trim().toLowerCase());
            if (key === undefined) {
              reject(
                event.value.column,
                `"${text}" is not one of ${Object.keys(event.value.map)
                  .map((k) => `"${k}"`)
                  .join(", ")}`,
              );
            } else outputs.push([event.metric, event.value.map[key] as number]);
            continue;
          }
          const value = read(event.value.column, parseNumberCell(text, m.decimal));
          if (typeof value === "number") outputs.push([event.metric, value]);
        }
        if (problems.length === 0 && accountId && typeof day === "number") {
          if (outputs.length === 0) this.#rowsSkipped++;
          for (const [metric, value] of outputs) this.#push(line, accountId, metric, day, value);
        }
      }
    }
    if (problems.length > 0) this.keepRejected(line, cells);
    this.#rejects.push(...problems);
  }

  /** Keeps a rejected row's cells for the rejects file (up to REJECTED_ROWS_KEPT rows). */
  keepRejected(line: number, cells: readonly string[]): void {
    if (this.#rejectedCells.size < REJECTED_ROWS_KEPT) this.#rejectedCells.set(line, cells);
  }

  #push(line: number, accountId: string, metric: string, day: Day, value: number): void {
    this.#observations.push(accountId, metric, day, value);
    this.#lineOfLast(line);
  }

  /** Records the file line of the observation just pushed. */
  #lineOfLast(line: number): void {
    const i = this.#observations.length - 1;
    if (i >= this.#lines.length) {
      const grown = new Int32Array(this.#lines.length * 2);
      grown.set(this.#lines);
      this.#lines = grown;
    }
    this.#lines[i] = line;
  }

  /** A links row: each link column's id names the row's account; one id names one account, here and in the store. */
  #linksRow(
    line: number,
    cells: readonly string[],
    reject: (column: string, reason: string) => void,
    hasProblems: () => boolean,
  ): void {
    const m = this.#mapping;
    if (m.shape !== "links") return;
    const accountId = this.#resolve(cells, reject);
    const found: AccountLink[] = [];
    for (const { kind, column } of m.links) {
      const key = this.#cell(cells, column).trim();
      if (isEmptyCell(key)) continue;
      const stored = this.#directory.link(kind, key);
      const earlier = this.#links.get(`${kind}\u0000${key}`);
      if (accountId && stored !== undefined && stored !== accountId && earlier === undefined) {
        reject(column, `${kind} "${key}" already names account "${stored}", not "${accountId}"`);
      } else if (accountId && earlier !== undefined && earlier.link.accountId !== accountId) {
        reject(
          column,
          `${kind} "${key}" names two accounts: "${earlier.link.accountId}" (line ${earlier.line}) and "${accountId}"`,
        );
      } else if (accountId && earlier === undefined) found.push({ kind, key, accountId });
    }
    if (hasProblems() || !accountId) return;
    if (found.length === 0) this.#rowsSkipped++;
    for (const link of found) this.#links.set(`${link.kind}\u0000${link.key}`, { link, line });
  }

  /** The id a wide row's account has or will have (an existing account's, or one made from the key). */
  #wideId(cells: readonly string[]): string | undefined {
    const m = this.#mapping;
    if (m.shape !== "wide") return undefined;
    const keyText = this.#cell(cells, m.account.column).trim();
    if (keyText === "") return undefined;
    const system = m.account.by === "externalId" ? m.account.system : undefined;
    const existing = this.#directory.find(m.account.by, keyText, system);
    return existing?.id ?? (m.account.by === "id" ? keyText : `${system ?? m.account.by}:${keyText.toLowerCase()}`);
  }

  /** Merges each account's rows of a one-row-per-account file by the mapping's rule, then plans the merged rows. */
  #mergeRepeated(): void {
    const m = this.#mapping;
    if (m.shape !== "wide" || m.repeated.rule === "reject") return;
    const rule = m.repeated.rule;
    let accounts = 0;
    let rows = 0;
    const numberColumns = new Set([
      ...m.metrics.map((x) => x.column),
      ...m.attributes
        .filter((a) => NUMBER_FIELDS.has(a.attribute) || (a.type === "number" && !TEXT_FIELDS.has(a.attribute)))
        .map((a) => a.column),
    ]);
    const plan = (line: number, cells: readonly string[]) => {
      const { problems, reject, read } = rowProblems(line);
      this.#wideRow(line, cells, reject, read, () => problems.length > 0);
      if (problems.length > 0) this.keepRejected(line, cells);
      this.#rejects.push(...problems);
    };
    for (const group of this.#groups.values()) {
      const first = group[0];
      if (!first) continue;
      if (group.length === 1) {
        plan(first.line, first.cells);
        continue;
      }
      let chosen: { line: number; cells: readonly string[] } | undefined;
      let used = group.length;
      if (rule === "first") chosen = first;
      else if (rule === "latest") {
        const column = m.repeated.column as string;
        let best = Number.NEGATIVE_INFINITY;
        for (const row of group) {
          const day = parseDateCell(this.#cell(row.cells, column), m.dateFormat);
          if (!day.ok) {
            this.#rejects.push({ line: row.line, column, reason: day.reason });
            this.keepRejected(row.line, row.cells);
            used--;
          } else if (day.value === null) {
            this.#rejects.push({ line: row.line, column, reason: "the day is empty, so it cannot be the latest" });
            this.keepRejected(row.line, row.cells);
            used--;
          } else if (day.value >= best) {
            best = day.value;
            chosen = row;
          }
        }
      } else {
        const cells = [...first.cells];
        const sums = new Map<number, number>();
        const bad = new Set<number>();
        group.forEach((row, k) => {
          const problems: RowReject[] = [];
          const values = new Map<number, number>();
          for (const column of numberColumns) {
            const at = this.#columns.get(column) ?? -1;
            const cell = parseNumberCell(row.cells[at] ?? "", m.decimal);
            if (!cell.ok) problems.push({ line: row.line, column, reason: cell.reason });
            else if (cell.value !== null) values.set(at, cell.value);
          }
          if (problems.length > 0) {
            this.#rejects.push(...problems);
            this.keepRejected(row.line, row.cells);
            bad.add(k);
            return;
          }
          for (const [at, v] of values) sums.set(at, (sums.get(at) ?? 0) + v);
        });
        const good = group.filter((_, k) => !bad.has(k));
        used = good.length;
        if (good.length > 0) {
          // Other columns: the first row that has a value.
          for (let at = 0; at < cells.length; at++) {
            if (!isEmptyCell(cells[at] ?? "")) continue;
            const filled = good.find((row) => !isEmptyCell(row.cells[at] ?? ""));
            if (filled) cells[at] = filled.cells[at] ?? "";
          }
          for (const [at, v] of sums) cells[at] = m.decimal === "," ? String(v).replace(".", ",") : String(v);
          chosen = { line: (good[0] as { line: number }).line, cells };
        }
      }
      if (chosen) {
        accounts++;
        rows += used - 1;
        this.#rowsSkipped += used - 1;
        plan(chosen.line, chosen.cells);
      }
    }
    this.#repeated = { rule, accounts, rows };
  }

  #repeated: ImportPlan["repeated"];

  /**
   * Combines same-day values of each metric by its rule (metrics kept "each" are left as they are). Columnar, with no
   * object per observation: one pass finds whether any (account, metric) has a day twice (each one's days ascending
   * in the file, as exports write them, means none); only then are the observations ordered by (account, metric,
   * day) to count and combine the repeated days.
   */
  #combineSameDay(): { observations: ObservationColumns; summary: SameDaySummary[]; combined: CombinedRow[] } {
    const m = this.#mapping;
    const source = this.#observations;
    const rules = source.metrics.map((metric) => sameDayRuleOf(m, metric));
    const summary: SameDaySummary[] = source.metrics.map((name, k) => ({
      metric: name,
      rule: rules[k] as SameDayRule,
      combinedDays: 0,
      combinedValues: 0,
    }));
    const { account, metric, day, value } = source.columns();
    const n = source.length;
    const metricCount = source.metrics.length;
    const pairs = source.accountIds.length * metricCount;
    const pairOf = (i: number) => (account[i] as number) * metricCount + (metric[i] as number);
    // The "nps" rule turns even a lone answer into a score; the other rules keep a lone value as it is.
    const npsUsed = rules.includes("nps");
    let ascending = true;
    {
      const lastDay = new Float64Array(pairs).fill(Number.NEGATIVE_INFINITY);
      for (let i = 0; i < n && ascending; i++) {
        const p = pairOf(i);
        const d = day[i] as number;
        if (d <= (lastDay[p] as number)) ascending = false;
        else lastDay[p] = d;
      }
    }
    const combined: CombinedRow[] = [];
    if (ascending && !npsUsed) return { observations: source, summary, combined };
    // Observations ordered by pair (a counting sort, stable), then by day within each pair (stable).
    const start = new Int32Array(pairs + 1);
    for (let i = 0; i < n; i++) start[pairOf(i) + 1] = (start[pairOf(i) + 1] as number) + 1;
    for (let p = 0; p < pairs; p++) start[p + 1] = (start[p + 1] as number) + (start[p] as number);
    const order = new Int32Array(n);
    {
      const next = start.slice(0, pairs);
      for (let i = 0; i < n; i++) {
        const p = pairOf(i);
        order[next[p] as number] = i;
        next[p] = (next[p] as number) + 1;
      }
    }
    for (let p = 0; p < pairs; p++) {
      const from = start[p] as number;
      const to = start[p + 1] as number;
      let sorted = true;
      for (let k = from + 1; k < to && sorted; k++)
        sorted = (day[order[k] as number] as number) > (day[order[k - 1] as number] as number);
      // By day, then file order (an observation's index) within a day.
      if (!sorted) order.subarray(from, to).sort((x, y) => (day[x] as number) - (day[y] as number) || x - y);
    }
    // Runs of one day within a pair: counted for the preview (every rule), combined unless the rule is "each".
    let combines = npsUsed;
    for (let k = 0; k < n; ) {
      let e = k + 1;
      const i = order[k] as number;
      while (e < n && pairOf(order[e] as number) === pairOf(i) && day[order[e] as number] === day[i]) e++;
      if (e - k > 1) {
        const s = summary[metric[i] as number] as SameDaySummary;
        s.combinedDays++;
        s.combinedValues += e - k;
        if (rules[metric[i] as number] !== "each") combines = true;
      }
      k = e;
    }
    if (!combines) return { observations: source, summary, combined };
    const out = new ObservationColumns();
    for (let k = 0; k < n; ) {
      let e = k + 1;
      const i = order[k] as number;
      while (e < n && pairOf(order[e] as number) === pairOf(i) && day[order[e] as number] === day[i]) e++;
      const a = source.accountIds[account[i] as number] as string;
      const mi = metric[i] as number;
      const name = source.metrics[mi] as string;
      const rule = rules[mi] as SameDayRule;
      if (rule === "each" || (e - k === 1 && rule !== "nps")) {
        for (let j = k; j < e; j++) out.push(a, name, day[i] as number, value[order[j] as number] as number);
      } else {
        const values: number[] = [];
        const lines: number[] = [];
        for (let j = k; j < e; j++) {
          values.push(value[order[j] as number] as number);
          lines.push(this.#lines[order[j] as number] as number);
        }
        const kept = combine(rule, values);
        if (kept !== undefined) out.push(a, name, day[i] as number, kept);
        combined.push(
          ...combinedRows(rule, `${name} on ${formatDay(day[i] as number)} for account "${a}"`, lines, values, kept),
        );
      }
      k = e;
    }
    combined.sort((x, y) => x.line - y.line);
    return { observations: out, summary, combined };
  }

  /** An outcome row: its kind in the file's words (a row with an empty kind never gets here). */
  #outcomeRow(
    line: number,
    cells: readonly string[],
    accountId: string | undefined,
    day: Day | null | undefined,
    reject: (column: string, reason: string) => void,
    hasProblems: () => boolean,
  ): void {
    const m = this.#mapping;
    if (m.shape !== "outcomes") return;
    const text = this.#cell(cells, m.kindColumn);
    const kind = this.#outcomeWords.get(outcomeKey(text));
    if (kind === undefined) {
      const own = Object.keys(m.kinds).map((k) => `"${k}"`);
      reject(
        m.kindColumn,
        `"${text.trim()}" is not an outcome: use churned, renewed, expanded or downgraded` +
          (own.length > 0 ? ` (or ${own.join(", ")})` : ""),
      );
    }
    if (hasProblems() || !accountId || typeof day !== "number" || kind === undefined) return;
    this.#outcome(line, accountId, day, kind, m.kindColumn, reject);
  }

  /** Records an outcome, refusing a second, different one for the same account and day (naming the first line). */
  #outcome(
    line: number,
    accountId: string,
    day: Day,
    kind: Outcome["kind"],
    column: string,
    reject: (column: string, reason: string) => void,
  ): void {
    const key = `${accountId}\u0000${day}`;
    const earlier = this.#outcomes.get(key);
    if (earlier === undefined) {
      this.#outcomes.set(key, { outcome: { accountId, day: formatDay(day), kind }, line });
    } else if (earlier.outcome.kind === kind) {
      this.#rowsSkipped++; // the same outcome twice: nothing more to import
    } else {
      reject(
        column,
        `account "${accountId}" already has the outcome "${earlier.outcome.kind}" on ${formatDay(day)} (line ${earlier.line})`,
      );
    }
  }

  /** The id of the account a row names, or undefined (with a reject) when it names none. */
  #resolve(cells: readonly string[], reject: (column: string, reason: string) => void): string | undefined {
    const key = this.#mapping.account;
    const value = this.#cell(cells, key.column).trim();
    if (value === "") {
      reject(key.column, "no account: the cell is empty");
      return undefined;
    }
    const system = key.by === "externalId" ? key.system : undefined;
    const found = this.#directory.find(key.by, value, system);
    if (found) return found.id;
    if ((key.by === "email" || key.by === "domain") && isPersonalDomain(domainOf(value) ?? "")) {
      reject(key.column, `"${value}" is a personal email address, which never identifies an account`);
    } else {
      const how = key.by === "externalId" ? `${key.system} id` : key.by;
      reject(key.column, `no account with ${how} "${value}"`);
    }
    return undefined;
  }

  #wideRow(
    line: number,
    cells: readonly string[],
    reject: (column: string | undefined, reason: string) => void,
    read: <T>(column: string, cell: Cell<T>) => T | null | undefined,
    hasProblems: () => boolean,
  ): void {
    const m = this.#mapping;
    if (m.shape !== "wide") return;
    const keyText = this.#cell(cells, m.account.column).trim();
    if (keyText === "") {
      reject(m.account.column, "no account: the cell is empty");
      return;
    }
    const system = m.account.by === "externalId" ? m.account.system : undefined;
    const existing = this.#directory.find(m.account.by, keyText, system);
    const id = existing?.id ?? (m.account.by === "id" ? keyText : `${system ?? m.account.by}:${keyText.toLowerCase()}`);
    const earlier = this.#accountLine.get(id);
    if (earlier !== undefined) {
      reject(
        m.account.column,
        `account "${keyText}" is already on line ${earlier} (or merge repeated accounts: first, latest or sum)`,
      );
      return;
    }
    if (!existing && !m.createAccounts) {
      reject(m.account.column, `no account with ${m.account.by} "${keyText}" (this mapping does not create accounts)`);
      return;
    }
    const draft: Record<string, unknown> = existing
      ? structuredCloneAccount(existing)
      : { id, name: keyText, domains: [], externalIds: {}, aliases: [], attributes: {} };
    if (!existing && m.account.by === "externalId" && system)
      (draft.externalIds as Record<string, string>)[system] = keyText;
    if (!existing && (m.account.by === "domain" || m.account.by === "email")) {
      const d = domainOf(keyText);
      if (d) draft.domains = [d];
    }
    for (const a of m.attributes) {
      const text = this.#cell(cells, a.column);
      const field = a.attribute;
      let value: AttributeValue | string[] | undefined;
      if (field.startsWith("externalIds.")) value = isEmptyCell(text) ? null : text.trim();
      else if (NUMBER_FIELDS.has(field) || (a.type === "number" && !TEXT_FIELDS.has(field)))
        value = read(a.column, parseNumberCell(text, m.decimal));
      else if (DATE_FIELDS.has(field) || a.type === "date") {
        const day = read(a.column, parseDateCell(text, m.dateFormat));
        value = typeof day === "number" ? formatDay(day) : day;
      } else if (LIST_FIELDS.has(field) || a.type === "list") {
        value = isEmptyCell(text) ? null : splitList(text);
        if (field === "domains" && Array.isArray(value)) {
          const domains = value.map((v) => domainOf(v));
          const bad = value.find((_, i) => domains[i] === undefined);
          if (bad !== undefined) reject(a.column, `"${bad}" is not an email domain`);
          value = domains.filter((d): d is string => d !== undefined);
        }
      } else if (a.type === "boolean") value = read(a.column, parseBooleanCell(text));
      else value = isEmptyCell(text) ? null : text.trim();
      if (value === undefined || value === null) continue; // bad (rejected) or empty: keep what is stored
      if (field.startsWith("externalIds."))
        (draft.externalIds as Record<string, string>)[field.slice(12)] = String(value);
      else if (TEXT_FIELDS.has(field) || NUMBER_FIELDS.has(field) || DATE_FIELDS.has(field) || LIST_FIELDS.has(field))
        draft[field] = value;
      else (draft.attributes as Record<string, AttributeValue>)[field] = value as AttributeValue;
    }
    let day: Day | undefined;
    let churned: boolean | null | undefined = null;
    if (m.churnFlag) churned = read(m.churnFlag.column, parseBooleanCell(this.#cell(cells, m.churnFlag.column)));
    if (m.metrics.length > 0 || typeof churned === "boolean") {
      if (!m.asOf)
        reject(
          undefined,
          m.metrics.length > 0
            ? "the mapping has metric columns but no as-of day"
            : "the mapping has a churn flag column but no as-of day (the day its outcome is recorded on)",
        );
      else if ("day" in m.asOf) day = parseIsoDay(m.asOf.day);
      else {
        const d = read(m.asOf.column, parseDateCell(this.#cell(cells, m.asOf.column), m.dateFormat));
        if (d === null) reject(m.asOf.column, "the as-of day is empty");
        else if (typeof d === "number") day = d;
      }
    }
    const values: [string, number][] = [];
    for (const metric of m.metrics) {
      const v = read(metric.column, parseNumberCell(this.#cell(cells, metric.column), m.decimal));
      if (typeof v === "number") values.push([metric.metric, v]);
    }
    const parsed = Account.safeParse(draft);
    if (!parsed.success) {
      for (const issue of parsed.error.issues)
        reject(undefined, `${issue.path.join(".") || "account"}: ${issue.message}`);
    }
    // Only a row without a single problem changes anything: a row is imported whole or not at all.
    if (parsed.success && !hasProblems()) {
      this.#accounts.set(parsed.data.id, parsed.data);
      this.#accountLine.set(parsed.data.id, line);
      this.#directory.add(parsed.data);
      if (day !== undefined) for (const [metric, v] of values) this.#push(line, parsed.data.id, metric, day, v);
      if (day !== undefined && typeof churned === "boolean" && m.churnFlag) {
        this.#outcome(line, parsed.data.id, day, churned ? "churned" : "renewed", m.churnFlag.column, reject);
      }
    }
  }

  /** The plan: accounts in id order, the observations, and every rejected row. */
  finish(): ImportPlan {
    this.#mergeRepeated();
    const m = this.#mapping;
    const { observations, summary, combined } = this.#combineSameDay();
    const coverage: MetricCoverage[] = [];
    if (m.shape === "events" && m.zeroFill) {
      const from = m.period.from !== undefined ? parseIsoDay(m.period.from) : this.#firstDay;
      const to = m.period.to !== undefined ? parseIsoDay(m.period.to) : this.#lastDay;
      if (from !== undefined && to !== undefined && Number.isFinite(from) && Number.isFinite(to) && from <= to) {
        for (const metric of new Set(m.events.map((e) => e.metric))) coverage.push({ metric, from, to });
      }
    }
    return {
      fileName: this.#fileName,
      header: this.#header,
      rejectedCells: this.#rejectedCells,
      shape: this.#mapping.shape,
      rowsRead: this.#rowsRead,
      rowsSkipped: this.#rowsSkipped,
      accounts: [...this.#accounts.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)),
      observations,
      outcomes: [...this.#outcomes.values()].map((o) => o.outcome),
      rejects: this.#rejects.sort((a, b) => a.line - b.line),
      links: [...this.#links.values()].map((l) => l.link),
      coverage,
      sameDay: summary,
      combined,
      ...(this.#repeated ? { repeated: this.#repeated } : {}),
    };
  }
}

function structuredCloneAccount(a: Account): Record<string, unknown> {
  return {
    ...a,
    domains: [...a.domains],
    aliases: [...a.aliases],
    externalIds: { ...a.externalIds },
    attributes: { ...a.attributes },
  };
}
