import { DEFAULT_SCORECARDS } from "../../core/scoring/defaults.ts";
import type { VitalsDb } from "../../core/store/db.ts";
import { saveScorecard } from "../../core/store/scorecards.ts";
import { addCsmRows, importAccounts, importUsage, saveDefaultScorecards } from "./stores.ts";

/**
 * Fills a store so every table a user makes has rows: the same kinds of content a real portfolio has (scorecards
 * with history, accounts, observations, a rating, an outcome, an override, a note, a snoozed alert, a play and its
 * task, a saved mapping, a link, a covered period, a setting) and one derived meta row a backup leaves out.
 */
export async function fillEverything(db: VitalsDb): Promise<VitalsDb> {
  await saveDefaultScorecards(db);
  const first = DEFAULT_SCORECARDS[0];
  if (!first) throw new Error("no default scorecard");
  // Edited twice: three versions.
  await saveScorecard(db, { ...first, name: "Edited once" }, "first edit", "2025-01-02T00:00:00.000Z");
  await saveScorecard(db, { ...first, name: "Edited twice" }, "second edit", "2025-01-03T00:00:00.000Z");
  await importAccounts(db, [
    ["id", "name", "domains"],
    ["a1", "Acme, Inc.", "acme.com"],
    ["a2", "Globex", "globex.io"],
  ]);
  await importUsage(db, [
    ["a1", "active_users", "2024-12-31", "11"],
    ["a1", "active_users", "2025-01-31", "12.5"],
    ["a1", "active_users", "2025-02-01", "14"],
    ["a2", "tickets", "2025-02-01", "1"],
    ["a2", "tickets", "2025-02-01", "3"],
  ]);
  await addCsmRows(db);
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
