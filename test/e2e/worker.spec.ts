import { expect, type Page, test } from "@playwright/test";
import { parseIsoDay } from "../../core/schema/day.ts";
import type { ScorecardInput } from "../../core/schema/scorecard.ts";
import { DEFAULT_SCORECARDS } from "../../core/scoring/defaults.ts";
import { HARNESS_URL } from "./chromium.ts";

// A hand-made portfolio, scored as of D = 2025-03-10 on a three-factor scorecard small enough to work out by hand
// from docs/scoring.md. Observations are [metric, account index, days before D, value].
const D = "2025-03-10";
const DAY = parseIsoDay(D) as number;
const ACCOUNTS = [
  { id: "a", name: "Alpha", seats: 10 },
  { id: "b", name: "Beta", seats: 4 },
  { id: "c", name: "Gamma" }, // no seats and no data: "not enough data"
];
const OBSERVATIONS: [string, number, number, number][] = [
  ["logins", 0, 8, 5],
  ["logins", 0, 6, 1],
  ["logins", 0, 3, 2],
  ["logins", 0, 0, 3],
  ["logins", 1, 1, 1],
  ["tickets", 0, 10, 1],
  ["tickets", 0, 40, 1],
  ["active_users", 0, 2, 4],
  ["active_users", 0, 0, 6],
  ["active_users", 1, 5, 2],
];
const CARD: ScorecardInput = {
  id: "by-hand",
  name: "By hand",
  deltaDays: 5,
  factors: [
    {
      id: "logins",
      label: "Logins (7 days)",
      weight: 2,
      source: { kind: "metric", metric: "logins", aggregation: "sum", windowDays: 7 },
      rule: { kind: "linear", worst: 0, best: 10 },
    },
    {
      id: "tickets",
      label: "Tickets (30 days)",
      weight: 1,
      source: { kind: "metric", metric: "tickets", aggregation: "count", windowDays: 30 },
      rule: { kind: "linear", worst: 4, best: 0 },
      missing: { policy: "assume", n: 1 },
    },
    {
      id: "utilization",
      label: "Active users ÷ seats",
      weight: 1,
      source: {
        kind: "ratio",
        numerator: { kind: "metric", metric: "active_users", aggregation: "mean", windowDays: 7 },
        denominator: { kind: "attribute", key: "seats" },
      },
      rule: { kind: "linear", worst: 0, best: 1 },
    },
  ],
};

/** Opens the harness and loads the hand-made portfolio through transferred columns; returns the buffers' sizes after. */
async function loadByHand(page: Page) {
  await page.goto(HARNESS_URL);
  await expect(page.locator("#status")).toHaveText("ready");
  return page.evaluate(
    async ({ accounts, observations, day }) => {
      const metrics = [...new Set(observations.map((o) => o[0]))].map((metric) => {
        const rows = observations.filter((o) => o[0] === metric);
        return {
          metric,
          account: Int32Array.from(rows, (o) => o[1]),
          day: Int32Array.from(rows, (o) => day - o[2]),
          value: Float64Array.from(rows, (o) => o[3]),
        };
      });
      const before = metrics.map((m) => m.value.buffer.byteLength);
      const counts = await window.vitals.load(accounts, metrics);
      const after = metrics.flatMap((m) => [
        m.account.buffer.byteLength,
        m.day.buffer.byteLength,
        m.value.buffer.byteLength,
      ]);
      return { counts, before, after, mode: await window.vitals.mode() };
    },
    { accounts: ACCOUNTS, observations: OBSERVATIONS, day: DAY },
  );
}

test("columns are transferred to the worker (the page's buffers are detached) and scored as worked out by hand", async ({
  page,
}) => {
  const loaded = await loadByHand(page);
  expect(loaded.mode).toBe("worker");
  expect(loaded.counts).toMatchObject({
    accounts: 3,
    observations: 10,
    metrics: ["active_users", "logins", "tickets"],
  });
  expect(loaded.before.every((n) => n > 0)).toBe(true);
  expect(loaded.after).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 0]); // transferred, not cloned

  const scores = await page.evaluate(
    async ({ card, asOf }) => {
      const r = await window.vitals.score([card], asOf);
      const cols = r.scorecards[0];
      return {
        isTyped: cols?.score instanceof Float64Array,
        accounts: Array.from(cols?.accounts ?? []),
        score: Array.from(cols?.score ?? [], (x) => (Number.isNaN(x) ? null : x)),
        previous: Array.from(cols?.previous ?? [], (x) => (Number.isNaN(x) ? null : x)),
        coverage: Array.from(cols?.coverage ?? []),
        band: Array.from(cols?.band ?? []),
        primary: Array.from(r.primary),
      };
    },
    { card: CARD, asOf: D },
  );
  expect(scores.isTyped).toBe(true);
  expect(scores.accounts).toEqual([0, 1, 2]);
  // Weights 2 : 1 : 1 (total 4). As of D:
  // a: logins in [D−6, D] = 1 + 2 + 3 = 6 → n = 6/10 = 0.6; tickets in [D−29, D] = 1 (D−10; D−40 is outside)
  //    → n = (1 − 4)/(0 − 4) = 0.75; active users mean(4, 6) = 5 ÷ 10 seats = 0.5 → n = 0.5.
  //    score = 100 × (2·0.6 + 1·0.75 + 1·0.5)/4 = 100 × 2.45/4 = 61.25; coverage 4/4 = 1 → shown 61, C (≥ 50).
  // b: logins 1 (D−1) → 0.1; no tickets → assume n = 1 (not "present"); active users 2 (D−5) ÷ 4 = 0.5.
  //    score = 100 × (0.2 + 1 + 0.5)/4 = 42.5; coverage = (2 + 1)/4 = 0.75 → shown 43, D.
  // c: only the assumed tickets factor counts; coverage 0 < 0.5 → null.
  expect(scores.score[0]).toBeCloseTo(61.25, 10);
  expect(scores.score[1]).toBeCloseTo(42.5, 10);
  expect(scores.score[2]).toBeNull();
  expect(scores.coverage).toEqual([1, 0.75, 0]);
  // Bands sorted highest first: A(80) 0, B(65) 1, C(50) 2, D(0) 3; −1 for null.
  expect(scores.band).toEqual([2, 3, -1]);
  // As of D − 5 (deltaDays 5):
  // a: logins in [D−11, D−5] = 5 + 1 = 6 → 0.6; tickets in [D−34, D−5] = 1 → 0.75; no active users in
  //    [D−11, D−5] → skipped. score = 100 × (1.2 + 0.75)/3 = 65; coverage 3/4 ≥ 0.5.
  // b: no logins; tickets assumed; active users 2 (D−5) → coverage 1/4 < 0.5 → null.
  expect(scores.previous[0]).toBeCloseTo(65, 10);
  expect(scores.previous[1]).toBeNull();
  expect(scores.previous[2]).toBeNull();
  expect(scores.primary).toEqual([0, 0, 0]);
});

test("explain gives one account's factors with shares, points earned and lost, top drags and delta", async ({
  page,
}) => {
  await loadByHand(page);
  const [result, ...others] = await page.evaluate(({ card, asOf }) => window.vitals.explain("a", [card], asOf), {
    card: CARD,
    asOf: D,
  });
  expect(others).toEqual([]);
  expect(result).toMatchObject({
    accountId: "a",
    scorecardId: "by-hand",
    asOf: D,
    points: 61,
    grade: "C",
    color: "yellow",
  });
  expect(result?.score).toBeCloseTo(61.25, 10);
  // Shares 50 / 25 / 25. Earned = share·n: 50·0.6 = 30, 25·0.75 = 18.75, 25·0.5 = 12.5 (sum 61.25);
  // lost = share·(1 − n): 20, 6.25, 12.5 → top drags logins, utilization, tickets.
  const f = result?.factors ?? [];
  expect(f.map((x) => x.share)).toEqual([50, 25, 25]);
  expect(f.map((x) => x.value)).toEqual([6, 1, 0.5]);
  f.forEach((x, i) => {
    expect(x.earned).toBeCloseTo([30, 18.75, 12.5][i] as number, 10);
    expect(x.lost).toBeCloseTo([20, 6.25, 12.5][i] as number, 10);
  });
  expect(result?.topDrags).toEqual(["logins", "utilization", "tickets"]);
  // delta = 61.25 − 65 = −3.75 over 5 days.
  expect(result?.delta).toBeCloseTo(-3.75, 10);
  expect(result?.deltaDays).toBe(5);
});

test("history over 10 days follows the windows day by day, comes back as transferred Float32 rows", async ({
  page,
}) => {
  await loadByHand(page);
  const history = await page.evaluate(
    async ({ card, from, to }) => {
      const h = await window.vitals.history(card, from, to);
      return {
        isFloat32: h.score instanceof Float32Array,
        days: h.days,
        accounts: Array.from(h.accounts),
        score: Array.from(h.score, (x) => (Number.isNaN(x) ? null : x)),
      };
    },
    { card: CARD, from: "2025-03-01", to: D },
  );
  expect(history.isFloat32).toBe(true);
  expect(history.days).toBe(10);
  expect(history.accounts).toEqual([0, 1, 2]);
  // Account a, day d from D−9 to D (tickets count is 1 → 0.75 on all these days: D−10 is in every window, D−40 in none):
  // D−9: logins in [D−15, D−9] none, active users none → coverage 1/4 → null
  // D−8, D−7: logins 5 → 0.5; no active users → 100 × (1 + 0.75)/3 = 58.333…
  // D−6 … D−4: logins 5 + 1 = 6 → 0.6 → 100 × (1.2 + 0.75)/3 = 65
  // D−3: logins 5 + 1 + 2 = 8 → 0.8 → 100 × (1.6 + 0.75)/3 = 78.333…
  // D−2: logins 8 → 0.8; active users 4 ÷ 10 = 0.4 → 100 × (1.6 + 0.75 + 0.4)/4 = 68.75
  // D−1: logins 1 + 2 = 3 (D−8 has left the window) → 0.3 → 100 × (0.6 + 0.75 + 0.4)/4 = 43.75
  // D:   61.25 (as above)
  const a = [null, 58.3333, 58.3333, 65, 65, 65, 78.3333, 68.75, 43.75, 61.25];
  // Account b: logins only on D−1, active users only on D−5 (alone: coverage 1/4 → null);
  // D−1 and D: 100 × (0.2 + 1 + 0.5)/4 = 42.5.
  const b = [null, null, null, null, null, null, null, null, 42.5, 42.5];
  const rows = [a, b, Array(10).fill(null)];
  rows.forEach((expected, r) => {
    expected.forEach((value, j) => {
      const got = history.score[r * 10 + j];
      if (value === null) expect(got, `row ${r}, day ${j}`).toBeNull();
      else expect(got, `row ${r}, day ${j}`).toBeCloseTo(value, 3);
    });
  });
});

test("an AbortSignal cancels a long tier-M job with an AbortError, the worker stops early and still answers", async ({
  page,
}) => {
  test.setTimeout(90_000);
  await page.goto(HARNESS_URL);
  await expect(page.locator("#status")).toHaveText("ready");
  const adoption = DEFAULT_SCORECARDS.find((c) => c.id === "adoption-smb") as ScorecardInput;
  const outcome = await page.evaluate(async (card) => {
    const counts = await window.vitals.generateSynthetic("M", 7);
    // Twelve copies of Adoption (SMB): 12 × 3 chunks of accounts, long enough to cancel in the middle.
    const cards = Array.from({ length: 12 }, (_, i) => ({ ...card, id: `copy-${i}` }));
    const controller = new AbortController();
    let done = 0;
    let total = 0;
    const job = window.vitals.score(cards, "2025-06-30", {
      signal: controller.signal,
      onProgress: (d, t) => {
        done = d;
        total = t;
        if (d === 2) controller.abort();
      },
    });
    const error = await job.then(
      () => null,
      (e: Error) => ({ name: e.name, message: e.message }),
    );
    const doneAtAbort = done;
    // Give a job that failed to stop time to run on; its progress would keep coming.
    await new Promise((r) => setTimeout(r, 1500));
    const after = await window.vitals.score([card], "2025-06-30");
    const explained = await window.vitals.explain("acc-000001", [card], "2025-06-30");
    return {
      counts,
      error,
      doneAtAbort,
      doneLater: done,
      total,
      scoredAfter: after.scorecards[0]?.accounts.length,
      explainedAfter: explained.length,
    };
  }, adoption);
  expect(outcome.counts.accounts).toBe(10_000);
  expect(outcome.error?.name).toBe("AbortError");
  expect(outcome.total).toBe(36);
  // The worker heard the cancel between chunks and stopped far from the end. How many chunks it finished before the
  // cancel message arrived depends on the machine's load (chunks take a few ms), so only a loose bound is asserted.
  expect(outcome.doneLater).toBeLessThanOrEqual(outcome.doneAtAbort + 10);
  expect(outcome.doneLater).toBeLessThan(outcome.total);
  expect(outcome.scoredAfter).toBe(10_000);
  expect(outcome.explainedAfter).toBe(1);
});

test("cancel(jobId) on the worker's own API rejects the running job with an error named AbortError", async ({
  page,
}) => {
  await loadByHand(page);
  const name = await page.evaluate(async (card) => {
    const api = await window.vitals.api();
    // Enough chunks (one per card here) that the cancel sent from the first progress call always arrives before the
    // job ends: with 8 a quiet machine finished all of them during the round trip and the job resolved.
    const cards = Array.from({ length: 200 }, (_, i) => ({ ...card, id: `copy-${i}` }));
    const job = api.score(
      "raw-job",
      cards,
      "2025-03-10",
      window.Comlink.proxy(() => {
        void api.cancel("raw-job");
      }),
    );
    return job.then(
      () => "resolved",
      (e: Error) => e.name,
    );
  }, CARD);
  expect(name).toBe("AbortError");
});

test("invalid scorecards are rejected with the JSON path and the problem", async ({ page }) => {
  await loadByHand(page);
  const error = await page.evaluate(async (card) => {
    const bad = { ...card, factors: [{ ...card.factors[0], weight: 0 }] } as typeof card;
    return window.vitals.score([bad], "2025-03-10").then(
      () => null,
      (e: Error) => ({ name: e.name, message: e.message }),
    );
  }, CARD);
  expect(error?.name).toBe("InputError");
  expect(error?.message).toContain("scorecards[0].factors[0].weight: weight must be greater than 0");
});

test("when the worker cannot start, the client falls back to the main thread and gives the same scores", async ({
  page,
}) => {
  await page.goto(HARNESS_URL);
  await expect(page.locator("#status")).toHaveText("ready");
  const result = await page.evaluate(
    async ({ card, asOf, day }) => {
      const client = window.brokenWorkerClient();
      const mode = await client.mode();
      await client.load(
        [{ id: "a", name: "Alpha", seats: 10 }],
        [
          {
            metric: "logins",
            account: Int32Array.of(0, 0, 0),
            day: Int32Array.of(day - 6, day - 3, day),
            value: Float64Array.of(1, 2, 3),
          },
        ],
      );
      const r = await client.score([card], asOf);
      return { mode, score: r.scorecards[0]?.score[0] };
    },
    { card: CARD, asOf: D, day: DAY },
  );
  expect(result.mode).toBe("main-thread");
  // Logins 1 + 2 + 3 = 6 → 0.6 (weight 2); tickets missing → assume 1 (weight 1); utilization missing (skipped).
  // 100 × (1.2 + 1)/3 = 73.333…; coverage 2/4 = 0.5, not below minCoverage 0.5.
  expect(result.score).toBeCloseTo(73.3333333333, 8);
});
