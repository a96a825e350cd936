import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Papa from "papaparse";
import { describe, expect, it } from "vitest";
import { vitals } from "./run-vitals.ts";

const CLI = "test/fixtures/cli";
const CSV = "test/fixtures/csv";

const rowsOf = (csv: string) => Papa.parse<Record<string, string>>(csv, { header: true, skipEmptyLines: true }).data;

const SCORE = [
  "score",
  "--as-of",
  "2025-03-01",
  "--scorecards",
  `${CLI}/scorecard.json`,
  "--accounts",
  `${CLI}/accounts.csv`,
  "--observations",
  `${CLI}/observations.csv`,
];

describe("vitals score", () => {
  it("scores every account by hand-worked arithmetic (CSV out)", async () => {
    const run = await vitals(...SCORE);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    const rows = rowsOf(run.stdout);
    expect(rows.map((r) => r.account_id)).toEqual(["a1", "a2", "a3"]);
    const [a1, a2, a3] = rows as [Record<string, string>, Record<string, string>, Record<string, string>];
    // a1: logins summed over the 30 days ending 2025-03-01 (2025-01-31 … 03-01): 40 + 35 = 75 (the 99 on 01-15 is
    // before the window, the 500 on 03-02 after the as-of day) → n = 75/100 = 0.75, weight 3 of 4 → 56.25 points;
    // NPS last in 90 days = 40 → n = (40 + 100)/200 = 0.7 → 0.7 × 25 = 17.5. Score 73.75 → shown 74, band B (65–79).
    expect(a1).toMatchObject({ score: "74", grade: "B", label: "Good", color: "green", coverage: "1.000" });
    // 30 days earlier (2025-01-30): logins 99 (01-15) → 0.99 × 75 = 74.25; NPS 40 (01-20) → 17.5; 91.75.
    // Delta 73.75 − 91.75 = −18.0. Both factors lost points: logins 18.75, NPS 7.5.
    expect(a1.delta).toBe("-18.0");
    expect(a1.top_drags).toBe("Logins (30 days); NPS");
    // a2: logins 100 → 75 points; NPS −20 → n = 0.4 → 10 points. 85 → A. On 01-30 it had no data: no delta.
    expect(a2).toMatchObject({ score: "85", grade: "A", delta: "" });
    // a3: no observations, coverage 0 < minCoverage 0.5 → no score, never NaN.
    expect(a3).toMatchObject({ score: "", grade: "—", label: "Not enough data", coverage: "0.000" });
    expect(run.stdout).not.toContain("NaN");
  });

  it("escapes text that a spreadsheet would run as a formula, and keeps negative numbers numeric", async () => {
    const dir = mkdtempSync(join(tmpdir(), "vitals-cli-"));
    const accounts = join(dir, "accounts.csv");
    writeFileSync(
      accounts,
      'id,name\na1,"=HYPERLINK(""http://evil.example"",""Open"")"\na2,@SUM(1)\n-5,+cmd|\' /C calc\'!A0\n',
    );
    const run = await vitals(...SCORE.map((a) => (a.endsWith("accounts.csv") ? accounts : a)));
    expect(run.stderr).toBe("");
    const lines = run.stdout.split("\n");
    // Accounts come out sorted by id: "-5" first.
    expect(lines[1]).toMatch(/^"'-5","'\+cmd\|' \/C calc'!A0",/);
    expect(lines[2]).toMatch(
      /^a1,"'=HYPERLINK\(""http:\/\/evil\.example"",""Open""\)",usage-and-nps,74,B,Good,green,1\.000,-18\.0,/,
    );
    expect(lines[3]).toMatch(/^a2,"'@SUM\(1\)",/);
    expect(rowsOf(run.stdout).map((r) => [r.account_id, r.name, r.delta])).toEqual([
      ["'-5", "'+cmd|' /C calc'!A0", ""],
      ["a1", `'=HYPERLINK("http://evil.example","Open")`, "-18.0"],
      ["a2", "'@SUM(1)", ""],
    ]);
  });

  it("writes JSON with each factor's explanation", async () => {
    const run = await vitals(...SCORE, "--format", "json");
    expect(run.code).toBe(0);
    const json = JSON.parse(run.stdout) as {
      asOf: string;
      accounts: {
        accountId: string;
        results: { score: number | null; coverage: number; factors: { factorId: string; earned: number }[] }[];
      }[];
    };
    expect(json.asOf).toBe("2025-03-01");
    const a1 = json.accounts.find((a) => a.accountId === "a1");
    expect(a1?.results[0]?.score).toBeCloseTo(73.75, 10);
    expect(a1?.results[0]?.factors.map((f) => f.factorId)).toEqual(["logins", "nps"]);
    expect(a1?.results[0]?.factors.map((f) => f.earned)).toEqual([56.25, 17.5]);
    expect(json.accounts.find((a) => a.accountId === "a3")?.results[0]?.score).toBeNull();
  });

  it("writes to --out and says so on stderr", async () => {
    const dir = mkdtempSync(join(tmpdir(), "vitals-cli-"));
    const out = join(dir, "scores.csv");
    const run = await vitals(...SCORE, "--out", out);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe("");
    expect(run.stderr).toContain(`scored 3 accounts as of 2025-03-01; wrote ${out}`);
    expect(rowsOf(readFileSync(out, "utf8"))).toHaveLength(3);
  });

  it("lists every bad row with file, line and column, and scores nothing", async () => {
    const args = SCORE.map((a) => (a.endsWith("observations.csv") ? `${CLI}/observations-bad.csv` : a));
    const run = await vitals(...args);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe("");
    const file = `${CLI}/observations-bad.csv`;
    expect(run.stderr).toContain(`${file}:3: day: "02/20/2025" is not a date in the format YYYY-MM-DD`);
    expect(run.stderr).toContain(`${file}:4: account_id: no account with id "a9"`);
    expect(run.stderr).toContain(`${file}:5: value: "lots" is not a number`);
    expect(run.stderr).toContain("nothing was scored");
  });

  it("with --skip-rejected scores without the bad rows and lists them", async () => {
    const args = SCORE.map((a) => (a.endsWith("observations.csv") ? `${CLI}/observations-bad.csv` : a));
    const run = await vitals(...args, "--skip-rejected", "--allow-missing-metrics");
    expect(run.code).toBe(0);
    expect(run.stderr).toContain("3 rows skipped");
    // a1 keeps only logins 40 on 02-10 (n 0.4); NPS is missing → skip: score = 0.4 × 100 = 40 on coverage 0.75.
    const a1 = rowsOf(run.stdout).find((r) => r.account_id === "a1");
    expect(a1).toMatchObject({ score: "40", coverage: "0.750", grade: "D" });
  });

  it("lists each row a same-day rule folded into another's, with file, line and why, and still scores", async () => {
    const dir = mkdtempSync(join(tmpdir(), "vitals-same-day-"));
    const file = join(dir, "logins.csv");
    // a1's logins on 2025-02-10 twice (lines 2 and 3): the mapping keeps the last; line 4 is NPS, a value of its own.
    writeFileSync(
      file,
      "account,metric,day,value\na1,logins,2025-02-10,40\na1,logins,2025-02-10,45\na1,nps,2025-02-10,9\n",
    );
    const mapping = join(dir, "logins.mapping.json");
    writeFileSync(
      mapping,
      JSON.stringify({
        shape: "long",
        account: { by: "id", column: "account" },
        metricColumn: "metric",
        dayColumn: "day",
        valueColumn: "value",
        sameDay: { logins: "last" },
      }),
    );
    const args = SCORE.map((a) => (a.endsWith("observations.csv") ? `${CLI}/observations.csv` : a));
    const run = await vitals(...args, "--data", file, "--mapping", mapping);
    expect(run.code).toBe(0);
    expect(run.stderr).toContain(
      `note: ${file}:2: logins on 2025-02-10 for account "a1": line 3 has the day's last value, 45, which is kept ` +
        '(same-day rule "last")\n',
    );
    expect(run.stderr).toContain(
      `note: ${file}: 1 row combined with another of the same day by the same-day rules (not values of their own)\n`,
    );
    expect(run.stderr).not.toContain(`${file}:4`);
    expect(rowsOf(run.stdout)).toHaveLength(3);
  });

  it("refuses a metric the scorecard names that the data lacks, naming the JSON path", async () => {
    const args = SCORE.map((a) => (a.endsWith("scorecard.json") ? `${CLI}/scorecard-typo.json` : a));
    const run = await vitals(...args);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(
      `${CLI}/scorecard-typo.json: $.factors[0].source.metric: unknown metric "login" (the data has: logins, nps)`,
    );
  });

  it("reads real exports with their mapping files, as the app's import does", async () => {
    const run = await vitals(
      "score",
      "--as-of",
      "2025-03-01",
      "--data",
      `${CSV}/salesforce-accounts.csv`,
      "--mapping",
      `${CSV}/salesforce-accounts.mapping.json`,
      "--data",
      `${CSV}/zendesk-tickets.csv`,
      "--mapping",
      `${CSV}/zendesk-tickets.mapping.json`,
      "--skip-rejected",
    );
    expect(run.code).toBe(0);
    // Umbrella's row (line 5) has a bad revenue and date, so it is left out whole; Hooli's name spans two lines.
    expect(run.stderr).toContain('skipped: test/fixtures/csv/salesforce-accounts.csv:5: Annual Revenue: "about 50k"');
    expect(run.stderr).toContain("is a personal email address, which never identifies an account");
    expect(run.stderr).toContain('note: default scorecard "onboarding"');
    const rows = rowsOf(run.stdout);
    expect(rows.map((r) => r.name)).toEqual(["Acme, Inc.", "Globex Corporation", "Hooli\n(EMEA)", "Initech"]);
  });

  it("scores as of the data's last day without --as-of, and says so", async () => {
    const run = await vitals(...SCORE.filter((a, i) => a !== "--as-of" && SCORE[i - 1] !== "--as-of"));
    expect(run.code).toBe(0);
    // The observations end on 2025-03-02 (a1's 500 logins).
    expect(run.stderr).toBe("vitals: scoring as of 2025-03-02, the data's last day (--as-of to choose)\n");
    const explicit = await vitals(...SCORE.map((a) => (a === "2025-03-01" ? "2025-03-02" : a)));
    expect(run.stdout).toBe(explicit.stdout);
    expect(run.stdout).not.toBe((await vitals(...SCORE)).stdout);
  });

  it("a bundle's rating made after the data's last day neither moves the as-of day nor blanks the others", async () => {
    const dir = mkdtempSync(join(tmpdir(), "vitals-asof-"));
    const card = JSON.parse(readFileSync(`${CLI}/scorecard.json`, "utf8"));
    card.factors.push({
      id: "sentiment",
      label: "CSM sentiment",
      weight: 1,
      source: { kind: "metric", metric: "csm_sentiment", aggregation: "last", windowDays: 90 },
      rule: { kind: "linear", worst: 1, best: 5 },
    });
    const bundle = {
      format: "vitals-bundle",
      version: 1,
      exportedAt: "2026-12-06T09:00:00Z",
      scorecards: [card],
      accounts: [
        { id: "a1", name: "One" },
        { id: "a2", name: "Two" },
      ],
      observations: [
        { accountId: "a1", metric: "logins", day: "2024-12-20", value: 50 },
        { accountId: "a2", metric: "logins", day: "2024-12-31", value: 80 },
      ],
      manualInputs: [{ accountId: "a1", metric: "csm_sentiment", day: "2026-12-06", rating: 5, author: "Ana" }],
    };
    const path = join(dir, "bundle.json");
    writeFileSync(path, JSON.stringify(bundle));
    const run = await vitals("score", "--scorecards", path, "--format", "json", "--allow-missing-metrics");
    expect(run.code).toBe(0);
    expect(run.stderr).toContain("scoring as of 2024-12-31, the data's last day");
    const out = JSON.parse(run.stdout);
    expect(out.asOf).toBe("2024-12-31");
    const [one, two] = out.accounts;
    // a1: logins 50 of 100 (weight 3) and sentiment 5 → n 1 (weight 1): (1.5 + 1) / 4 = 62.5; NPS is missing.
    expect(one.results[0].score).toBe(62.5);
    // a2: its 80 logins are inside the window of the data's last day: 80.
    expect(two.results[0].score).toBeCloseTo(80, 9);
  });

  it("refuses bad calls with one line and exit code 2", async () => {
    expect(await vitals("score", "--accounts", `${CLI}/accounts.csv`)).toMatchObject({
      code: 2,
      stderr: expect.stringContaining("vitals: no observations to take the as-of day from: give --as-of YYYY-MM-DD\n"),
    });
    const badDay = await vitals(...SCORE.map((a) => (a === "2025-03-01" ? "2025-02-30" : a)));
    expect(badDay).toMatchObject({ code: 2 });
    expect(badDay.stderr).toContain('--as-of "2025-02-30" is not a real date');
    const missing = await vitals(...SCORE.map((a) => (a.endsWith("accounts.csv") ? "nowhere.csv" : a)));
    expect(missing).toMatchObject({ code: 2, stderr: "vitals: cannot read accounts file nowhere.csv: no such file\n" });
    expect((await vitals("score", ...SCORE.slice(1), "--bogus")).stderr).toContain("unknown option --bogus");
    expect((await vitals("frobnicate")).code).toBe(2);
    const unpaired = await vitals(...SCORE, "--data", `${CSV}/zendesk-tickets.csv`);
    expect(unpaired.stderr).toContain("each --data file needs its --mapping file");
  }, 60_000); // eight runs of the CLI, each a Node start: slow on a busy machine
});

describe("vitals check", () => {
  it("prints every problem of a scorecard with its JSON path", async () => {
    const run = await vitals("check", `${CLI}/scorecard-bad.json`);
    expect(run.code).toBe(1);
    const f = `${CLI}/scorecard-bad.json`;
    expect(run.stderr.split("\n").filter((l) => l.startsWith(f))).toEqual([
      `${f}: $.factors[0].weight: factor "logins": weight must be greater than 0`,
      `${f}: $.factors[0].rule.best: factor "logins": worst and best must differ (every value would score the same)`,
      `${f}: $.factors[1].weight: factor "nps": weight must be greater than 0`,
      expect.stringMatching(/^.*: \$\.factors\[1\]\.source\.aggregation: .*"daysSince"/),
      `${f}: $.bands: bands must start at 0 (one band needs min 0, so every score has a band)`,
    ]);
  });

  it('refuses a weight of 1e308 with the range (it passed and scored everyone "Not enough data")', async () => {
    const dir = mkdtempSync(join(tmpdir(), "vitals-cli-"));
    const file = join(dir, "card.json");
    const card = JSON.parse(readFileSync(`${CLI}/scorecard.json`, "utf8")) as { factors: { weight: number }[] };
    (card.factors[0] as { weight: number }).weight = 1e308;
    writeFileSync(file, JSON.stringify(card));
    const check = await vitals("check", file);
    expect(check.code).toBe(1);
    expect(check.stderr).toContain(
      `${file}: $.factors[0].weight: factor "logins": weight must be at most 1000 (weights are relative: only their ratios matter)`,
    );
  });

  it("refuses a bundle with an account id twice, naming both JSON paths (check and score)", async () => {
    const dir = mkdtempSync(join(tmpdir(), "vitals-cli-"));
    const file = join(dir, "bundle.json");
    const card = JSON.parse(readFileSync(`${CLI}/scorecard.json`, "utf8")) as unknown;
    writeFileSync(
      file,
      JSON.stringify({
        format: "vitals-bundle",
        version: 1,
        exportedAt: "2025-03-01T00:00:00Z",
        scorecards: [card],
        accounts: [
          { id: "a1", name: "Acme" },
          { id: "a1", name: "Acme, again" },
        ],
      }),
    );
    const problem = `${file}: $.accounts[1].id: account id "a1" is used twice: $.accounts[0].id and $.accounts[1].id`;
    const check = await vitals("check", file);
    expect(check.code).toBe(1);
    expect(check.stderr).toContain(problem);
    const score = await vitals("score", "--as-of", "2025-03-01", "--scorecards", file);
    expect(score.code).not.toBe(0);
    expect(score.stdout).toBe("");
    expect(score.stderr).toContain(problem);
  });

  it("accepts good scorecards and mappings, and checks metrics against data files", async () => {
    const ok = await vitals("check", `${CLI}/scorecard.json`, `${CSV}/zendesk-tickets.mapping.json`);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain('valid scorecard "Usage and NPS" (2 factors)');
    expect(ok.stdout).toContain('valid events mapping "Zendesk tickets export"');
    const data = await vitals(
      "check",
      `${CLI}/scorecard-typo.json`,
      "--accounts",
      `${CLI}/accounts.csv`,
      "--observations",
      `${CLI}/observations.csv`,
    );
    expect(data.code).toBe(1);
    expect(data.stdout).toContain("data: 3 accounts, metrics logins, nps");
    expect(data.stderr).toContain('$.factors[0].source.metric: unknown metric "login"');
  });

  it("reports a mapping file's mistakes and a file that is not JSON", async () => {
    const dir = mkdtempSync(join(tmpdir(), "vitals-cli-"));
    writeFileSync(join(dir, "m.json"), JSON.stringify({ shape: "long", account: { by: "id" }, dayColumn: "d" }));
    writeFileSync(join(dir, "broken.json"), "{ not json");
    const run = await vitals("check", join(dir, "m.json"), join(dir, "broken.json"));
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`${join(dir, "m.json")}: $.account.column:`);
    expect(run.stderr).toContain(`${join(dir, "m.json")}: $.metricColumn:`);
    expect(run.stderr).toContain(`${join(dir, "broken.json")}: not valid JSON`);
  });

  it("explains itself", async () => {
    const help = await vitals("--help");
    expect(help.code).toBe(0);
    expect(help.stdout).toContain("vitals score");
    expect((await vitals("score", "--help")).stdout).toContain("--skip-rejected");
    expect((await vitals("help", "check")).stdout).toContain("vitals check: validate");
  });
});
