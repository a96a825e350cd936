import { domainOf, isPersonalDomain, nameKey } from "../match/identifiers.ts";
import { Account, type AttributeValue } from "../schema/account.ts";
import { type Day, formatDay, parseIsoDay } from "../schema/day.ts";
import { MetricName, type Outcome, OutcomeKind } from "../schema/observation.ts";
import { ObservationColumns } from "./columns.ts";
import { type AccountKey, columnsOf, type Mapping } from "./mapping.ts";
import { type Cell, headerKey, isEmptyCell, parseBooleanCell, parseDateCell, parseNumberCell } from "./values.ts";

/** A row the import could not use: its physical line in the file, the column at fault, and why. */
export interface RowReject {
  line: number;
  column?: string;
  reason: string;
}

/** Rejected rows whose cells are kept for the rejects file: a wholly wrong 1 GB file must not be held twice. */
export const REJECTED_ROWS_KEPT = 50_000;

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
}

/** Looks up existing accounts by the keys an import can name them by. */
export interface AccountDirectory {
  find(key: AccountKey["by"], value: string, system?: string): Account | undefined;
}

/** Indexes accounts by id, external ids, domains and names. Ambiguous names (two accounts) match neither. */
export function directoryOf(accounts: readonly Account[]): AccountDirectory & { add(account: Account): void } {
  const byId = new Map<string, Account>();
  const byExternal = new Map<string, Account>();
  const byDomain = new Map<string, Account>();
  const byName = new Map<string, Account | null>();
  const add = (a: Account) => {
    byId.set(a.id, a);
    for (const [system, value] of Object.entries(a.externalIds))
      byExternal.set(`${system.toLowerCase()}\u0000${value}`, a);
    for (const d of a.domains) byDomain.set(d.toLowerCase(), a);
    for (const n of [a.name, ...a.aliases]) {
      const k = nameKey(n);
      const seen = byName.get(k);
      byName.set(k, seen === undefined || seen?.id === a.id ? a : null);
    }
  };
  accounts.forEach(add);
  return {
    add,
    find(by, value, system) {
      switch (by) {
        case "id":
          return byId.get(value.trim());
        case "externalId":
          return byExternal.get(`${(system ?? "").toLowerCase()}\u0000${value.trim()}`);
        case "domain":
        case "email": {
          const d = domainOf(value);
          return d === undefined || isPersonalDomain(d) ? undefined : byDomain.get(d);
        }
        case "name":
          return byName.get(nameKey(value)) ?? undefined;
      }
    },
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
  /** Outcomes by account and day, with the line that gave each (a second one of that day is rejected). */
  readonly #outcomes = new Map<string, { outcome: Outcome; line: number }>();
  /** The outcome mapping's words, lower-cased: its own, then the usual ones, then the kinds' names. */
  readonly #outcomeWords = new Map<string, Outcome["kind"]>();
  readonly #rejects: RowReject[] = [];
  readonly #header: readonly string[];
  readonly #rejectedCells = new Map<number, readonly string[]>();
  #rowsRead = 0;
  #rowsSkipped = 0;

  /**
   * Checks the header against the mapping. Throws an error naming every mapped column the file lacks (and the
   * columns it has), since no row could be read without them.
   */
  constructor(fileName: string, header: readonly string[], mapping: Mapping, existing: readonly Account[]) {
    this.#fileName = fileName;
    this.#header = [...header];
    this.#mapping = mapping;
    this.#directory = directoryOf(existing);
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
    const m = this.#mapping;

    if (m.shape === "wide") this.#wideRow(line, cells, reject, read, () => problems.length > 0);
    else if (m.shape === "outcomes" && isEmptyCell(this.#cell(cells, m.kindColumn))) {
      this.#rowsSkipped++; // no outcome on this row (a CRM export lists every account, most with none)
      return;
    } else {
      const accountId = this.#resolve(cells, reject);
      const day = read(m.dayColumn, parseDateCell(this.#cell(cells, m.dayColumn), m.dateFormat));
      if (day === null) reject(m.dayColumn, "the day is empty");
      if (m.shape === "outcomes") this.#outcomeRow(line, cells, accountId, day, reject, () => problems.length > 0);
      else if (m.shape === "long") {
        const metricText = this.#cell(cells, m.metricColumn).trim();
        const metric = this.#metricName(metricText);
        if (!metric.ok) reject(m.metricColumn, metric.reason);
        const value = read(m.valueColumn, parseNumberCell(this.#cell(cells, m.valueColumn), m.decimal));
        if (problems.length === 0 && accountId && typeof day === "number" && metric.ok) {
          if (value === null) this.#rowsSkipped++;
          else if (value !== undefined) this.#push(accountId, metricText, day, value);
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
          for (const [metric, value] of outputs) this.#push(accountId, metric, day, value);
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

  #push(accountId: string, metric: string, day: Day, value: number): void {
    this.#observations.push(accountId, metric, day, value);
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
      reject(m.account.column, `account "${keyText}" is already on line ${earlier}`);
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
      if (day !== undefined) for (const [metric, v] of values) this.#push(parsed.data.id, metric, day, v);
      if (day !== undefined && typeof churned === "boolean" && m.churnFlag) {
        this.#outcome(line, parsed.data.id, day, churned ? "churned" : "renewed", m.churnFlag.column, reject);
      }
    }
  }

  /** The plan: accounts in id order, the observations, and every rejected row. */
  finish(): ImportPlan {
    return {
      fileName: this.#fileName,
      header: this.#header,
      rejectedCells: this.#rejectedCells,
      shape: this.#mapping.shape,
      rowsRead: this.#rowsRead,
      rowsSkipped: this.#rowsSkipped,
      accounts: [...this.#accounts.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)),
      observations: this.#observations,
      outcomes: [...this.#outcomes.values()].map((o) => o.outcome),
      rejects: this.#rejects,
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
