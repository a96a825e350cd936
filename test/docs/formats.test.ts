import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Papa from "papaparse";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import type { AccountsTableRow } from "../../core/insights/portfolio-view.ts";
import { changeSentence, scoreChangeOf } from "../../core/insights/score-change.ts";
import { accountsCsv } from "../../core/io/accounts-export.ts";
import { planCsv } from "../../core/io/csv.ts";
import { writeCsv } from "../../core/io/csv-write.ts";
import { Mapping } from "../../core/io/mapping.ts";
import { rejectsTable } from "../../core/io/rejects.ts";
import {
  standardAccountsMapping,
  standardObservationsMapping,
  standardOutcomesMapping,
} from "../../core/io/standard.ts";
import { type ExportTask, tasksCsv, tasksIcs } from "../../core/io/tasks-export.ts";
import type { Account } from "../../core/schema/account.ts";
import { BackupHeader, BackupManifest } from "../../core/schema/backup.ts";
import { BadgeSet } from "../../core/schema/badge.ts";
import { Bundle, restoreBundle } from "../../core/schema/bundle.ts";
import { ScoreResult } from "../../core/schema/result.ts";
import { Scorecard } from "../../core/schema/scorecard.ts";
import { ScorecardFile } from "../../core/scorecard/file.ts";
import { vitals } from "../cli/run-vitals.ts";

// The examples in docs/ are checked against the code: each fenced block after a `<!-- checked: kind [name] -->`
// line is parsed with the schema of its kind or run through the real importer or command. A doc whose example no
// longer parses, or whose printed output is no longer what the engine prints, fails here.

/** The field names a table documents: the backticked names in its first column, after a `checked: fields` marker. */
function tableFields(path: string, name: string): string[] {
  const lines = readFileSync(path, "utf8").split("\n");
  const at = lines.indexOf(`<!-- checked: fields ${name} -->`);
  expect(at, `${path}: a "fields ${name}" table`).toBeGreaterThanOrEqual(0);
  const fields: string[] = [];
  for (let i = at + 3; i < lines.length && (lines[i] as string).startsWith("|"); i++) {
    const first = (lines[i] as string).split("|")[1] ?? "";
    for (const [, field] of first.matchAll(/`([A-Za-z]+)[^`]*`/g)) fields.push(field as string);
  }
  return fields.sort();
}

interface Example {
  kind: string;
  name: string | undefined;
  lang: string;
  text: string;
  line: number;
}

/** Every fenced block of a markdown file, with the `checked` marker on the line before it (if any). */
function blocksOf(path: string): Example[] {
  const lines = readFileSync(path, "utf8").split("\n");
  const out: Example[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^```(\S*)\s*$/.exec(lines[i] as string);
    if (!open) continue;
    const start = i;
    const body: string[] = [];
    for (i++; i < lines.length && lines[i] !== "```"; i++) body.push(lines[i] as string);
    const marker = /^<!-- checked: (\S+)(?: (\S+))? -->$/.exec(lines[start - 1] ?? "");
    out.push({
      kind: marker?.[1] ?? "",
      name: marker?.[2],
      lang: open[1] ?? "",
      text: `${body.join("\n")}\n`,
      line: start + 1,
    });
  }
  return out;
}

const FORMATS = "docs/formats.md";
const SCORING = "docs/scoring.md";
const formats = blocksOf(FORMATS);
const scoring = blocksOf(SCORING);

const all = (blocks: Example[], kind: string, name?: string) =>
  blocks.filter((b) => b.kind === kind && (name === undefined || b.name === name));
function one(blocks: Example[], kind: string, name?: string): Example {
  const found = all(blocks, kind, name);
  expect(found, `exactly one "${kind}${name ? ` ${name}` : ""}" example`).toHaveLength(1);
  return found[0] as Example;
}

/**
 * Keys of `input` that the parsed value lacks: zod drops keys it does not know, so a misspelt field in an example
 * would parse and mislead a reader. Records (maps, attributes) keep their keys and pass.
 */
function droppedKeys(input: unknown, parsed: unknown, path = "$"): string[] {
  if (Array.isArray(input)) {
    return input.flatMap((item, i) => droppedKeys(item, (parsed as unknown[] | undefined)?.[i], `${path}[${i}]`));
  }
  if (typeof input !== "object" || input === null) return [];
  const target = (parsed ?? {}) as Record<string, unknown>;
  // A file's `$schema` (its JSON Schema's address, for editors) is read and ignored by design.
  return Object.entries(input).flatMap(([key, value]) =>
    key in target || (path === "$" && key === "$schema")
      ? droppedKeys(value, target[key], `${path}.${key}`)
      : [`${path}.${key}`],
  );
}

function expectParses(
  example: Example,
  parse: (json: unknown) => { ok: true; value: unknown } | { ok: false; why: unknown },
) {
  const json: unknown = JSON.parse(example.text);
  const result = parse(json);
  expect(result, `${FORMATS}:${example.line}`).toMatchObject({ ok: true });
  if (result.ok) expect(droppedKeys(json, result.value), `${FORMATS}:${example.line}: unknown fields`).toEqual([]);
}

const zodParse =
  (schema: z.ZodType) =>
  (json: unknown): { ok: true; value: unknown } | { ok: false; why: unknown } => {
    const parsed = schema.safeParse(json);
    return parsed.success ? { ok: true, value: parsed.data } : { ok: false, why: parsed.error.issues };
  };

/** The accounts of the accounts CSV example, as the importer reads them. */
async function exampleAccounts(): Promise<Account[]> {
  const plan = await planCsv(
    "accounts.csv",
    one(formats, "accounts-csv").text,
    (h) => standardAccountsMapping("accounts.csv", h),
    [],
  );
  expect(plan.rejects).toEqual([]);
  return plan.accounts;
}

describe("docs/formats.md: every example parses with the real schemas", () => {
  it("every JSON example is checked", () => {
    const unchecked = formats.filter((b) => b.lang === "json" && b.kind === "").map((b) => `${FORMATS}:${b.line}`);
    expect(unchecked).toEqual([]);
    expect(formats.filter((b) => b.lang === "json").length).toBeGreaterThanOrEqual(8);
  });

  it("scorecard, mapping, bundle, badge set and score JSON examples parse with nothing dropped", () => {
    for (const e of all(formats, "scorecard")) expectParses(e, zodParse(Scorecard));
    const mappings = all(formats, "mapping");
    expect(mappings.map((m) => JSON.parse(m.text).shape).sort()).toEqual([
      "events",
      "links",
      "long",
      "outcomes",
      "wide",
      "wide",
    ]);
    for (const e of mappings) expectParses(e, zodParse(Mapping));
    expectParses(one(formats, "bundle"), (json) => {
      const read = restoreBundle(json);
      return read.ok ? { ok: true, value: read.value } : { ok: false, why: read.issues };
    });
    expectParses(one(formats, "badge-set"), zodParse(BadgeSet));
    expectParses(one(formats, "backup-header"), zodParse(BackupHeader));
    expectParses(one(formats, "backup-manifest"), zodParse(BackupManifest));
    const ScoreJson = z.object({
      asOf: z.string(),
      accounts: z.array(
        z.object({
          accountId: z.string(),
          name: z.string(),
          rollup: z.number().nullable(),
          results: z.array(ScoreResult),
        }),
      ),
    });
    expectParses(one(formats, "score-json"), zodParse(ScoreJson));
  });

  it("the field tables list exactly the schemas' fields", async () => {
    expect(tableFields(FORMATS, "scorecard")).toEqual(Object.keys(ScorecardFile.shape).sort());
    expect(tableFields(FORMATS, "bundle")).toEqual(Object.keys(Bundle.shape).sort());
    const common = Mapping.options.map((o) => Object.keys(o.shape)).reduce((a, b) => a.filter((k) => b.includes(k)));
    expect(tableFields(FORMATS, "mapping")).toEqual(common.sort());
    const run = await vitals(
      "validate",
      "--scorecard",
      "test/fixtures/validate/scorecard.json",
      "--accounts",
      "test/fixtures/validate/accounts.csv",
      "--observations",
      "test/fixtures/validate/observations.csv",
      "--outcomes",
      "test/fixtures/validate/outcomes.csv",
      "--format",
      "json",
    );
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout).reports[0] as Record<string, unknown>;
    expect(tableFields(FORMATS, "validate-report")).toEqual(Object.keys(report).sort());
  });

  it("vitals check accepts every scorecard, mapping and bundle example", async () => {
    const dir = mkdtempSync(join(tmpdir(), "vitals-docs-"));
    const files = ["scorecard", "mapping", "bundle"].flatMap((kind) =>
      all(formats, kind).map((e) => {
        const file = join(dir, `${kind}-${e.line}.json`);
        writeFileSync(file, e.text);
        return file;
      }),
    );
    const run = await vitals("check", ...files);
    expect(run.stdout + run.stderr).not.toMatch(/problem/);
    expect(run.code).toBe(0);
  });

  it("the Vitals accounts, observations and outcomes CSV examples import with no rejected row", async () => {
    const accounts = await exampleAccounts();
    expect(accounts.map((a) => a.id)).toEqual(["a1", "a2", "a3"]);
    const acme = accounts[0] as Account;
    expect(acme).toMatchObject({
      name: "Acme, Inc.",
      domains: ["acme.com", "acme.io"],
      arr: 120000,
      externalIds: { salesforce: "0015g00000AcmeAAA" },
      attributes: { contract: "Annual" },
    });
    expect(accounts[2]?.parentId).toBe("a2");
    const observations = await planCsv(
      "observations.csv",
      one(formats, "observations-csv").text,
      (h) => standardObservationsMapping("observations.csv", h),
      accounts,
    );
    expect(observations.rejects).toEqual([]);
    expect(observations.observations.length).toBe(4);
    const outcomes = await planCsv(
      "outcomes.csv",
      one(formats, "outcomes-csv").text,
      (h) => standardOutcomesMapping("outcomes.csv", h),
      accounts,
    );
    expect(outcomes.rejects).toEqual([]);
    expect(outcomes.outcomes.map((o) => o.kind)).toEqual(["renewed", "churned", "expanded"]);
  });

  it("the events mapping reads its example export as the text says", async () => {
    const mapping = Mapping.parse(JSON.parse(one(formats, "mapping", "events").text));
    const plan = await planCsv(
      "tickets.csv",
      one(formats, "mapped-csv", "events").text,
      mapping,
      await exampleAccounts(),
    );
    expect(plan.rejects).toEqual([]);
    const { account, metric, day, value } = plan.observations.columns();
    const rows = Array.from(
      account,
      (a, k) =>
        `${plan.observations.accountIds[a]} ${plan.observations.metrics[metric[k] as number]} ${day[k]} ${value[k]}`,
    );
    const feb3 = 20122; // 2025-02-03
    expect(rows.sort()).toEqual(
      [
        `a1 tickets ${feb3} 1`,
        `a1 tickets ${feb3} 1`,
        `a1 urgent_tickets ${feb3} 1`,
        `a1 csat ${feb3} 1`,
        `a2 tickets ${feb3 + 7} 1`,
        `a2 csat ${feb3 + 7} 5`,
      ].sort(),
    );
  });

  it("the rejected-rows example lists what the importer rejects in the bad file", async () => {
    const plan = await planCsv(
      "observations.csv",
      one(formats, "bad-observations-csv").text,
      (h) => standardObservationsMapping("observations.csv", h),
      (await exampleAccounts()).filter((a) => a.id !== "a3"),
    );
    const documented = Papa.parse<Record<string, string>>(one(formats, "rejects-csv").text, {
      header: true,
      skipEmptyLines: true,
    }).data;
    expect(documented.map(({ line, column, reason }) => ({ line, column, reason }))).toEqual(
      plan.rejects.map((r) => ({ line: String(r.line), column: r.column ?? "", reason: r.reason })),
    );
    // Written as the Data page's download writes it (core/worker/data-api.ts rejectsCsv): the row beside the reason.
    const table = rejectsTable(plan.header ?? [], plan.rejects, plan.rejectedCells);
    const written = writeCsv(table.fields, table.rows);
    expect(written.replace(/\r\n/g, "\n")).toBe(one(formats, "rejects-csv").text);
  });

  it("the accounts export example is what the Accounts page's export writes", () => {
    const example = one(formats, "accounts-export-csv").text;
    // Read the example back (dropping the formula guard's leading ') and write it again with the real writer.
    const text = (cell: string | undefined) => (cell ?? "").replace(/^'(?=[=+\-@\t\r])/, "");
    const number = (cell: string | undefined) => (cell ? Number(cell) : null);
    const rows: AccountsTableRow[] = Papa.parse<Record<string, string>>(example, {
      header: true,
      skipEmptyLines: true,
    }).data.map((r) => ({
      id: text(r.account_id),
      name: text(r.name),
      shown: {
        scorecardId: "example",
        scorecardName: "Example",
        score: number(r.score),
        points: number(r.score),
        grade: text(r.grade),
        color: "green",
        label: text(r.label),
        coverage: 1,
        delta: number(r.delta),
        deltaDays: 30,
        drags: [],
      },
      spark: [],
      arr: number(r.arr),
      renewalDate: r.renewal_date || null,
      segment: text(r.segment),
      stage: text(r.stage),
      owner: text(r.owner),
      utilization: null,
      dayBefore: null,
    }));
    expect(rows[1]?.name).toBe("@Home Networks");
    expect(accountsCsv(rows).replace(/\r\n/g, "\n")).toBe(example);
  });

  it("the tasks CSV and .ics examples are what the exporters write", () => {
    const [row] = Papa.parse<Record<string, string>>(one(formats, "tasks-csv").text, {
      header: true,
      skipEmptyLines: true,
    }).data;
    const r = row as Record<string, string>;
    const task: ExportTask = {
      id: "task-1",
      title: r.task as string,
      accountId: r.account_id as string,
      accountName: r.account as string,
      owner: r.owner as string,
      due: r.due as string,
      playName: r.play as string,
      alertTitle: r.alert as string,
    };
    const lf = (text: string) => text.replace(/\r\n/g, "\n");
    expect(lf(tasksCsv([task]))).toBe(one(formats, "tasks-csv").text);
    expect(lf(tasksIcs([task], new Date("2025-03-01T09:30:00Z")))).toBe(one(formats, "tasks-ics").text);
  });
});

describe("docs/scoring.md: the worked example is what vitals score prints", () => {
  it("scores the example files to the documented CSV and JSON", async () => {
    const dir = mkdtempSync(join(tmpdir(), "vitals-docs-"));
    const card = join(dir, "example.json");
    const accounts = join(dir, "accounts.csv");
    const observations = join(dir, "observations.csv");
    writeFileSync(card, (all(formats, "scorecard").find((b) => b.name === undefined) as Example).text);
    writeFileSync(accounts, one(scoring, "example-accounts").text);
    writeFileSync(observations, one(scoring, "example-observations").text);
    const args = [
      "--as-of",
      "2025-03-01",
      "--scorecards",
      card,
      "--accounts",
      accounts,
      "--observations",
      observations,
    ];
    const csv = await vitals("score", ...args);
    expect(csv.stderr).toBe("");
    expect(csv.stdout).toBe(one(scoring, "score-csv").text);
    expect(csv.stdout).toBe(one(formats, "score-csv").text);

    const json = await vitals("score", ...args, "--format", "json");
    expect(json.code).toBe(0);
    const documented = JSON.parse(one(formats, "score-json").text);
    const real = JSON.parse(json.stdout);
    // The doc shows the first account with the first of its factors.
    const first = real.accounts[0];
    // The badge set example is the same account: its `why` is what the app writes for it.
    const change = scoreChangeOf(ScoreResult.parse(first.results[0]));
    expect(change && changeSentence(change, 400)).toBe(JSON.parse(one(formats, "badge-set").text).accounts[0].why);
    first.results[0].factors = first.results[0].factors.slice(0, documented.accounts[0].results[0].factors.length);
    expect(documented).toEqual({ asOf: real.asOf, accounts: [first] });
  });
});

describe("docs/formats.md: the churn snapshot example runs as written", () => {
  it("vitals validate on the documented files prints the documented report, and stops once without asOf", async () => {
    const dir = mkdtempSync(join(tmpdir(), "vitals-docs-"));
    const command = one(formats, "command", "snapshot").text.trim().split(/\s+/);
    expect(command[0]).toBe("vitals");
    // The command names its files; each is the example of its kind.
    const named: Record<string, Example> = {
      "telco.csv": one(formats, "mapped-csv", "snapshot"),
      "telco.mapping.json": one(formats, "mapping", "snapshot"),
      "contract.json": one(formats, "scorecard", "snapshot"),
    };
    for (const [name, example] of Object.entries(named)) writeFileSync(join(dir, name), example.text);
    const args = command.slice(1).map((a) => (a in named ? join(dir, a) : a));
    const run = await vitals(...args);
    expect(run.code).toBe(0);
    expect(run.stdout.startsWith(one(formats, "output", "snapshot").text)).toBe(true);
    expect(run.stderr).not.toMatch(/warning/);

    const noAsOf = JSON.parse(named["telco.mapping.json"]?.text ?? "");
    delete noAsOf.asOf;
    writeFileSync(join(dir, "telco.mapping.json"), JSON.stringify(noAsOf));
    const stopped = await vitals(...args);
    expect(stopped.code).toBe(1);
    expect(stopped.stderr).toContain(
      `${join(dir, "telco.mapping.json")}: $.asOf: the mapping has a churn flag column ("Churn") but no as-of day`,
    );
    const fixed = await vitals(...args, "--snapshot-day", "2025-01-31");
    expect(fixed.stdout).toBe(run.stdout);
  });
});
