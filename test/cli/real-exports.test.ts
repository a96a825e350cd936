import Papa from "papaparse";
import { describe, expect, it } from "vitest";
import { vitals } from "./run-vitals.ts";

const R = "test/fixtures/real-exports";
/** The real-shaped exports with their saved mappings, the links file (subscriptions) before the file keyed by it. */
const data = (...names: string[]) =>
  names.flatMap((name) => ["--data", `${R}/${name}.csv`, "--mapping", `${R}/${name}.mapping.json`]);
const DATA = data("accounts", "subscriptions", "feature-usage", "support-tickets", "invoices");

interface FactorJson {
  factorId: string;
  value: number | null;
  status: string;
}
interface AccountJson {
  accountId: string;
  name: string;
  results: { scorecardId: string; score: number | null; factors: FactorJson[] }[];
}

describe("vitals score on real-shaped exports with saved mappings", () => {
  it("scores every account: usage joins through subscriptions, no ticket is 0 tickets, duplicates merge by latest", async () => {
    const run = await vitals("score", "--as-of", "2024-12-31", "--format", "json", ...DATA);
    expect(run.code).toBe(0);
    const { accounts } = JSON.parse(run.stdout) as { accounts: AccountJson[] };
    // 42 rows in the accounts export: 40 accounts, two of them exported twice (the latest row wins).
    expect(accounts).toHaveLength(40);
    for (const account of accounts) {
      expect(account.results.length, account.name).toBeGreaterThan(0);
      expect(account.results[0]?.score, account.name).not.toBeNull();
    }
    const factor = (name: string, id: string) =>
      accounts.find((a) => a.name === name)?.results[0]?.factors.find((f) => f.factorId === id);
    // Globex opened no ticket in 2024: inside the tickets export's period that is 0 tickets, not "no data".
    expect(factor("Globex", "support-load")).toMatchObject({ value: 0, status: "ok" });
    // …and it has no CSAT answer, so its CSAT stays missing.
    expect(factor("Globex", "csat")).toMatchObject({ value: null, status: "missing" });
    // Usage keyed by subscription reached the accounts: every account has license utilization.
    for (const a of accounts) {
      const card = a.results[0];
      const util = card?.factors.find((f) => f.factorId === "license-utilization");
      expect(util?.status, `${a.name} (${card?.scorecardId})`).toBe("ok");
    }
  });

  it("the CSV output lists the merged account's latest row, and no row is rejected", async () => {
    const run = await vitals("score", "--as-of", "2024-12-31", ...DATA);
    expect(run.code).toBe(0);
    expect(run.stderr).not.toMatch(/reject|skipped/i);
    // Several subscriptions' usage on one day is summed per account: each row folded in is a note naming its line,
    // never a problem.
    const lined = run.stderr.split("\n").filter((l) => /:\d+: /.test(l));
    expect(lined.length).toBeGreaterThan(0);
    for (const l of lined) {
      expect(l).toMatch(/^note: test\/fixtures\/real-exports\/feature-usage\.csv:\d+: .*\(same-day rule "sum"\)$/);
    }
    const rows = Papa.parse<Record<string, string>>(run.stdout, { header: true, skipEmptyLines: true }).data;
    expect(rows.filter((r) => r.name === "Stark Logistics")).toHaveLength(1);
    expect(rows.every((r) => r.score !== "")).toBe(true);
  });

  it("without --as-of scores as of the data's last day (2024-12-31, stale by two years), not today", async () => {
    const run = await vitals("score", "--format", "json", ...DATA);
    expect(run.code).toBe(0);
    expect(run.stderr).toContain("scoring as of 2024-12-31, the data's last day");
    const { asOf, accounts } = JSON.parse(run.stdout) as { asOf: string; accounts: AccountJson[] };
    expect(asOf).toBe("2024-12-31");
    expect(accounts.filter((a) => a.results[0]?.score === null).map((a) => a.name)).toEqual([]);
  });

  it("vitals validate on the churn events with their saved mapping: no churn event in the period is stayed, an AUC", async () => {
    const validate = (...extra: string[]) =>
      vitals("validate", "--format", "json", "--id", "enterprise-renewal", ...extra, ...DATA, ...data("churn-events"));
    type Report = { population: Record<string, unknown>; asOfTo: string; auc: number | null };
    const reportOf = (stdout: string) => (JSON.parse(stdout) as { reports: Report[] }).reports[0];
    // The export lists only churned accounts: alone, nobody stayed and there is no AUC.
    const only = await validate();
    expect(only.code).toBe(0);
    expect(reportOf(only.stdout)).toMatchObject({
      auc: null,
      population: { outcomes: 4, churned: 4, notChurned: 0, scored: 4, unknownAccounts: { count: 0 } },
    });
    // The four churn events (March 2025, after the data's end) name known accounts; the others stayed.
    const run = await validate("--unlisted", "stayed");
    expect(run.code).toBe(0);
    const report = reportOf(run.stdout);
    expect(report?.population).toMatchObject({ churned: 4, notChurned: 9, unknownAccounts: { count: 0 } });
    expect(report?.population.scored).toBe(13);
    expect(report?.asOfTo).toBe("2024-12-24");
    expect(typeof report?.auc).toBe("number");
  });

  it("without the subscriptions file first, the usage rows are rejected with the unknown subscription named", async () => {
    const run = await vitals("score", "--as-of", "2024-12-31", ...data("accounts", "feature-usage"));
    expect(run.code).not.toBe(0);
    expect(run.stderr).toMatch(/feature-usage\.csv.*no account with subscription id "SUB-10001"/);
  });
});
