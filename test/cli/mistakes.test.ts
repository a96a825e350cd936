import { spawn } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { churnSnapshot, snapshotCsv } from "../../core/demo/churn-snapshot.ts";
import type { ValidationReport } from "../../core/validate/validate.ts";
import { vitals } from "./run-vitals.ts";

/** Writes files into a fresh folder and returns their paths by name. */
function files(contents: Record<string, string>): Record<string, string> {
  const dir = mkdtempSync(join(tmpdir(), "vitals-mistakes-"));
  return Object.fromEntries(
    Object.entries(contents).map(([name, text]) => {
      const path = join(dir, name);
      writeFileSync(path, text);
      return [name, path];
    }),
  );
}

const PLAN_CARD = JSON.stringify({
  id: "plan",
  name: "Plan",
  factors: [
    {
      id: "plan-tier",
      label: "Plan tier",
      weight: 1,
      source: { kind: "attribute", key: "tier" },
      rule: { kind: "categorical", map: { Gold: 1, Bronze: 0 } },
    },
  ],
});

describe("small things a user trips over", () => {
  it("a weight error names the factor's id beside its JSON path", async () => {
    const card = JSON.parse(PLAN_CARD);
    card.factors.push({ ...card.factors[0], id: "tenure", label: "Tenure", weight: 0 });
    const f = files({ "card.json": JSON.stringify(card) });
    const run = await vitals("check", f["card.json"] as string);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(
      `${f["card.json"]}: $.factors[1].weight: factor "tenure": weight must be greater than 0`,
    );
  });

  it("names the scorecard and the factor in a bundle, and nothing for a bad id itself", async () => {
    const card = JSON.parse(PLAN_CARD);
    card.factors[0].weight = -1;
    card.factors.push({ ...card.factors[0], id: "Bad Id", weight: 1 });
    const bundle = { format: "vitals-bundle", version: 1, exportedAt: "2025-03-01T00:00:00Z", scorecards: [card] };
    const f = files({ "bundle.json": JSON.stringify(bundle) });
    const run = await vitals("check", f["bundle.json"] as string);
    expect(run.stderr).toContain(
      '$.scorecards[0].factors[0].weight: scorecard "plan", factor "plan-tier": weight must be greater than 0',
    );
    expect(run.stderr).toMatch(
      /\$\.scorecards\[0\]\.factors\[1\]\.id: scorecard "plan": an id uses lower-case letters, digits and '-'\n/,
    );
  });

  it("vitals score | head: a reader that stops early ends the command quietly, with no EPIPE stack", async () => {
    const snapshot = churnSnapshot({ count: 3000, seed: 2 });
    const f = files({ "accounts.csv": snapshotCsv(snapshot) });
    const child = spawn(process.execPath, [
      resolve("bin/vitals.mjs"),
      "score",
      "--as-of",
      snapshot.snapshotDay,
      "--accounts",
      f["accounts.csv"] as string,
    ]);
    let stderr = "";
    child.stderr.on("data", (chunk) => {
      stderr += String(chunk);
    });
    // Like `head -1`: read the first piece of output, then close the pipe. 3,000 rows do not fit a pipe's buffer.
    child.stdout.once("data", () => child.stdout.destroy());
    const code = await new Promise<number | null>((done) => child.on("close", (c) => done(c)));
    expect(stderr).not.toMatch(/EPIPE|internal error|\n\s+at /);
    expect(code).toBe(0);
  });

  it("validate: a snapshot's JSON has no horizon; an unnamed missed account shows its id once; coverage is not rounded to 100%", async () => {
    // 300 accounts: x1 churned on Gold (a miss: green); one account has no tier (no data, coverage 0), so the mean
    // coverage is 299/300 = 99.67%, which must not read as 100%.
    const rows = ["id,tier,churned", "x1,Gold,yes"];
    for (let i = 2; i <= 300; i++) {
      const tier = i === 300 ? "" : i % 2 === 0 ? "Gold" : "Bronze";
      rows.push(`x${i},${tier},${i % 2 === 1 && i < 200 ? "yes" : "no"}`);
    }
    const f = files({ "card.json": PLAN_CARD, "accounts.csv": `${rows.join("\n")}\n` });
    const args = [
      "validate",
      "--scorecard",
      f["card.json"] as string,
      "--accounts",
      f["accounts.csv"] as string,
      "--churn-column",
      "churned",
      "--snapshot-day",
      "2025-01-31",
    ];
    const json = await vitals(...args, "--format", "json");
    expect(json.code).toBe(0);
    const [report] = (JSON.parse(json.stdout) as { reports: ValidationReport[] }).reports as [ValidationReport];
    expect(report.snapshotDay).toBe("2025-01-31");
    expect(report.horizonDays).toBeNull();
    expect(report.coverage.mean).toBeCloseTo(299 / 300, 12);
    const text = await vitals(...args);
    expect(text.stdout).toContain("Every account is scored as of the snapshot day, 2025-01-31.");
    expect(text.stdout).toContain("Average coverage 99.7%.");
    const missed = text.stdout.split("\n").find((line) => /^\s+x1\s/.test(line));
    expect(missed).toMatch(/^\s+x1\s+100 A\s+churned 2025-01-31/);
  });
});

/** A snapshot like the public churn datasets: case-sensitive column names, categories with spaces. */
const TELCO_ACCOUNTS = [
  "customerID,Contract,tenure,Churn",
  "c1,Month-to-month,1,Yes",
  "c2,Month-to-month,3,Yes",
  "c3,Month-to-month,20,No",
  "c4,One year,30,No",
  "c5,One year,12,Yes",
  "c6,Two year,60,No",
  "c7,Two year,50,No",
].join("\n");

/** The example card as a user adapts it: `contract` (lower case) and `Two-year` (a hyphen), both silent before. */
const TYPO_CARD = JSON.stringify({
  id: "contract",
  name: "Contract",
  factors: [
    {
      id: "contract",
      label: "Contract length",
      weight: 1,
      source: { kind: "attribute", key: "contract" },
      rule: { kind: "categorical", map: { "Month-to-month": 0.2, "One year": 0.6, "Two-year": 1 } },
    },
    {
      id: "tenure",
      label: "Tenure",
      weight: 1,
      source: { kind: "attribute", key: "tenure" },
      rule: { kind: "linear", worst: 0, best: 60 },
    },
  ],
});

const WIDE_MAPPING = {
  shape: "wide",
  name: "Telco snapshot",
  account: { by: "id", column: "customerID" },
  attributes: [
    { column: "Contract", attribute: "Contract" },
    { column: "tenure", attribute: "tenure", type: "number" },
  ],
  churnFlag: { column: "Churn" },
};

describe("silent mistakes are named, with the nearest matches and their counts", () => {
  it("check, score and validate warn of an attribute in the wrong case; the fixed key then warns of the category typo", async () => {
    const f = files({
      "card.json": TYPO_CARD,
      "fixed.json": TYPO_CARD.replace('"key":"contract"', '"key":"Contract"'),
      "telco.csv": `${TELCO_ACCOUNTS}\n`,
      "telco.mapping.json": JSON.stringify({ ...WIDE_MAPPING, asOf: { day: "2025-01-31" } }),
    });
    const data = ["--data", f["telco.csv"] as string, "--mapping", f["telco.mapping.json"] as string];
    const caseLine =
      `warning: ${f["card.json"]}: $.factors[0].source.key: no account has the attribute "contract", so factor ` +
      '"Contract length" is missing for every account; did you mean "Contract" (7 accounts)? (attribute names are case-sensitive)';

    const check = await vitals("check", f["card.json"] as string, ...data);
    expect(check.code).toBe(0);
    expect(check.stderr).toContain(caseLine);
    expect(check.stderr).toContain(
      "vitals: 1 warning: the scorecard expects attributes or values the accounts do not have",
    );

    const score = await vitals("score", "--as-of", "2025-01-31", "--scorecards", f["card.json"] as string, ...data);
    expect(score.code).toBe(0);
    expect(score.stderr).toContain(caseLine);
    expect(score.stdout.split("\n")[0]).toMatch(/^account_id,/);

    const validate = await vitals("validate", "--scorecard", f["fixed.json"] as string, ...data);
    expect(validate.code).toBe(0);
    expect(validate.stderr).toContain(
      `warning: ${f["fixed.json"]}: $.factors[0].rule.map["Two-year"]: no account has the value "Two-year" of "Contract" ` +
        '(factor "Contract length"); nearest: "Two year" (2 accounts)',
    );
    expect(validate.stderr).toContain(
      `warning: ${f["fixed.json"]}: $.factors[0].rule.map: a value of "Contract" is not mapped, so factor "Contract length" ` +
        'is missing for 2 accounts: "Two year" (2 accounts; the card maps "Two-year")',
    );
    expect(validate.stderr).not.toContain("source.key");
  });

  it("a churn flag mapping without an as-of day fails once with the fix; --snapshot-day supplies the day", async () => {
    const f = files({
      "card.json": TYPO_CARD.replace('"key":"contract"', '"key":"Contract"'),
      "telco.csv": `${TELCO_ACCOUNTS}\n`,
      "telco.mapping.json": JSON.stringify(WIDE_MAPPING),
    });
    const args = [
      "validate",
      "--scorecard",
      f["card.json"] as string,
      "--data",
      f["telco.csv"] as string,
      "--mapping",
      f["telco.mapping.json"] as string,
    ];
    const run = await vitals(...args);
    expect(run.code).toBe(1);
    const problems = run.stderr.split("\n").filter((l) => l.startsWith(f["telco.mapping.json"] as string));
    expect(problems).toEqual([
      `${f["telco.mapping.json"]}: $.asOf: the mapping has a churn flag column ("Churn") but no as-of day, the day its ` +
        'outcomes are recorded on: add "asOf": {"day": "YYYY-MM-DD"} (or {"column": "<a date column>"}) to the mapping, ' +
        "or give --snapshot-day YYYY-MM-DD (vitals validate)",
    ]);
    expect(run.stderr).toContain("vitals: 1 problem in the input");

    const fixed = await vitals(...args, "--snapshot-day", "2025-01-31", "--format", "json");
    expect(fixed.code).toBe(0);
    const [report] = (JSON.parse(fixed.stdout) as { reports: ValidationReport[] }).reports as [ValidationReport];
    expect(report.snapshotDay).toBe("2025-01-31");
    expect(report.population).toMatchObject({ cases: 7, churned: 3 });
  });

  it("check of a mapping alone says what it cannot know without the export, and that it lacks an as-of day", async () => {
    const f = files({ "telco.mapping.json": JSON.stringify(WIDE_MAPPING) });
    const run = await vitals("check", f["telco.mapping.json"] as string);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`${f["telco.mapping.json"]}: valid wide mapping "Telco snapshot"`);
    expect(run.stdout).toContain('note: the mapping has a churn flag column ("Churn") but no as-of day');
    expect(run.stdout).toContain(
      'it reads the columns "customerID", "Contract", "tenure", "Churn". Without the export, check cannot tell whether ' +
        'the file has these columns, whether each cell reads (dates as YYYY-MM-DD, decimal mark "."), or which rows ' +
        `name a known account: give it as --data <export.csv> --mapping ${f["telco.mapping.json"]}`,
    );
  });

  it("--skip-rejected with every row rejected says so and lists the rows; a file emptied that way is named", async () => {
    const f = files({
      "accounts.csv": "id,arr\na1,lots\na2,many\n",
      "good.csv": "id,arr\na1,100\n",
      "obs.csv": "account_id,metric,day,value\na1,logins,2025-02-30,3\na9,logins,2025-02-01,4\n",
    });
    const none = await vitals(
      "score",
      "--as-of",
      "2025-03-01",
      "--accounts",
      f["accounts.csv"] as string,
      "--skip-rejected",
    );
    expect(none.code).toBe(1);
    expect(none.stderr).toContain(`${f["accounts.csv"]}:2: arr: "lots" is not a number`);
    expect(none.stderr).toContain(`${f["accounts.csv"]}:3: arr: "many" is not a number`);
    expect(none.stderr).toContain(
      "vitals: 2 problems in the input; every row was rejected, so nothing is left to score",
    );

    const part = await vitals(
      "score",
      "--as-of",
      "2025-03-01",
      "--accounts",
      f["good.csv"] as string,
      "--observations",
      f["obs.csv"] as string,
      "--skip-rejected",
    );
    expect(part.code).toBe(0);
    expect(part.stderr).toContain(`skipped: ${f["obs.csv"]}:2: day:`);
    expect(part.stderr).toContain(`skipped: ${f["obs.csv"]}:3: account_id: no account with id "a9"`);
    expect(part.stderr).toContain(`vitals: every row of ${f["obs.csv"]} was rejected (2 rows): it adds nothing`);
  });
});
