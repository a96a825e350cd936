import { Mapping } from "../../core/io/mapping.ts";
import { ImportPlanner } from "../../core/io/plan.ts";
import { DEFAULT_SCORECARDS } from "../../core/scoring/defaults.ts";
import type { VitalsDb } from "../../core/store/db.ts";
import { applyImport } from "../../core/store/imports.ts";
import { saveScorecard } from "../../core/store/scorecards.ts";

/**
 * Fills a store so every table a user makes has rows: the same kinds of content a real portfolio has (scorecards
 * with history, accounts, observations, a rating, an outcome, an override, a note, a snoozed alert, a play and its
 * task, a saved mapping, a link, a covered period, a setting) and one derived meta row a backup leaves out.
 */
export async function fillEverything(db: VitalsDb): Promise<VitalsDb> {
  for (const card of DEFAULT_SCORECARDS) await saveScorecard(db, card, "Default", "2025-01-01T00:00:00.000Z");
  const first = DEFAULT_SCORECARDS[0];
  if (!first) throw new Error("no default scorecard");
  // Edited twice: three versions.
  await saveScorecard(db, { ...first, name: "Edited once" }, "first edit", "2025-01-02T00:00:00.000Z");
  await saveScorecard(db, { ...first, name: "Edited twice" }, "second edit", "2025-01-03T00:00:00.000Z");
  const accounts = new ImportPlanner(
    "crm.csv",
    ["id", "name", "domains"],
    Mapping.parse({
      shape: "wide",
      account: { by: "id", column: "id" },
      attributes: [
        { column: "name", attribute: "name" },
        { column: "domains", attribute: "domains" },
      ],
    }),
    [],
  );
  accounts.addRow(2, ["a1", "Acme, Inc.", "acme.com"]);
  accounts.addRow(3, ["a2", "Globex", "globex.io"]);
  await applyImport(db, accounts.finish(), { id: "i1", at: "2025-03-01T09:00:00Z" });
  const usage = new ImportPlanner(
    "usage.csv",
    ["account", "metric", "day", "value"],
    Mapping.parse({
      shape: "long",
      account: { by: "id", column: "account" },
      metricColumn: "metric",
      dayColumn: "day",
      valueColumn: "value",
    }),
    (await db.accounts.toArray()).map((a) => a as never),
  );
  [
    ["a1", "active_users", "2024-12-31", "11"],
    ["a1", "active_users", "2025-01-31", "12.5"],
    ["a1", "active_users", "2025-02-01", "14"],
    ["a2", "tickets", "2025-02-01", "1"],
    ["a2", "tickets", "2025-02-01", "3"],
  ].forEach((r, i) => {
    usage.addRow(i + 2, r);
  });
  await applyImport(db, usage.finish(), { id: "i2", at: "2025-03-01T09:01:00Z" });
  await db.manualInputs.add({
    accountId: "a1",
    metric: "csm_sentiment",
    day: "2025-02-20",
    rating: 4,
    author: "dana",
    note: "Good QBR",
  });
  await db.outcomes.put({ accountId: "a2", day: "2025-02-28", kind: "renewed" });
  await db.overrides.put({
    id: "o1",
    accountId: "a2",
    grade: "B",
    reason: "Sponsor confirmed",
    author: "dana",
    createdOn: "2025-02-01",
    expiresOn: "2025-04-01",
  });
  await db.notes.add({ accountId: "a1", at: "2025-02-21T10:00:00.000Z", author: "dana", text: "Champion is leaving" });
  await db.alerts.put({
    id: "al1",
    scorecardId: "onboarding",
    ruleId: "drop",
    kind: "drop",
    accountId: "a1",
    status: "snoozed",
    raisedOn: "2025-02-25",
    title: "Score dropped",
    message: "Down 12 points in 30 days",
    since: "2025-02-20",
    updatedOn: "2025-02-28",
    snoozedUntil: "2025-03-10",
  });
  await db.playTemplates.put({
    id: "exec-check-in",
    name: "Executive check-in",
    description: "",
    steps: [{ title: "Call the sponsor", dueDays: 2, owner: "" }],
    rules: [],
    updatedAt: "2025-02-01T00:00:00.000Z",
  });
  await db.tasks.put({
    id: "t1",
    alertId: "al1",
    playId: "exec-check-in",
    playName: "Executive check-in",
    accountId: "a1",
    step: 0,
    title: "Call the sponsor",
    owner: "dana",
    due: "2025-02-27",
    createdOn: "2025-02-25",
  });
  await db.mappings.put({ name: "crm", mapping: { shape: "wide" }, savedAt: "2025-01-05T00:00:00.000Z" });
  await db.links.put({ kind: "subscription", key: "sub-1", accountId: "a1" });
  await db.coverage.put({ metric: "tickets", from: "2025-01-01", to: "2025-02-28" });
  await db.meta.put({ key: "settings.asOf", value: { mode: "today" } });
  // Derived: not in a backup.
  await db.meta.put({ key: "views.dashboard", value: { big: true } });
  return db;
}
