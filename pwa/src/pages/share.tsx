import { useEffect, useState } from "preact/hooks";
import { localIsoDay } from "../../../core/schema/day.ts";
import type { BundleChanges } from "../../../core/store/bundles.ts";
import {
  readPersistenceAsk,
  requestPersistence,
  type StorageHealth,
  storageHealth,
} from "../../../core/store/health.ts";
import type { BackupSummary, BundleSummary, ImportPhase, ReplacedSummary } from "../../../core/worker/data-api.ts";
import type { JobContext } from "../job/run-job.ts";
import { useJob } from "../job/use-job.tsx";
import {
  afterOwnImport,
  client,
  dataChanged,
  download,
  downloadBlob,
  persistenceRecord,
  useDataVersion,
} from "../services.ts";

const mb = (bytes: number | undefined) => (bytes === undefined ? "unknown" : `${(bytes / 1e6).toFixed(1)} MB`);

/** Bundle files: export the store (or its scorecards), and import one with a preview of what changes. */
export function BundleSection() {
  const [summary, setSummary] = useState<BundleSummary | null>(null);
  const [mode, setMode] = useState<"merge" | "replace">("merge");
  const [changes, setChanges] = useState<BundleChanges | null>(null);
  const job = useJob("bundle");
  const { busy, run: act } = job;
  const backup = useBackup(job);
  const choose = (file: File | undefined) =>
    act(async ({ track }) => {
      setSummary(null);
      setChanges(null);
      if (!file) return;
      // A backup is gzip (docs/formats.md, "Backup file"); anything else is read as a version 1 JSON bundle.
      const head = new Uint8Array(await file.slice(0, 2).arrayBuffer());
      if (head[0] === 0x1f && head[1] === 0x8b) {
        await backup.choose(file, track);
        return;
      }
      const s = await client.readBundle(file, file.name);
      setSummary(s);
      setChanges(await client.previewBundle(s.bundleId, mode));
    });
  const changeMode = (next: "merge" | "replace") => {
    setMode(next);
    if (summary) void act(async () => setChanges(await client.previewBundle(summary.bundleId, next)));
  };
  const runImport = () =>
    act(async ({ say }) => {
      if (!summary) return;
      const done = await client.importBundle(summary.bundleId, mode);
      await afterOwnImport();
      await client.rescore();
      dataChanged();
      say(
        `Imported ${summary.fileName}: ${scorecardsDone(done.scorecards, "the file's")}; ${done.data?.accountsNew ?? 0} new accounts.`,
      );
      setSummary(null);
      setChanges(null);
    });

  return (
    <section class="card" aria-labelledby="bundle-title">
      <h2 id="bundle-title">Share with a bundle file</h2>
      <p class="muted">
        A bundle moves scorecards (and, if you like, all your data) to another device or a teammate. It is a file you
        send yourself; nothing is uploaded.
      </p>
      <div class="filters">
        <button
          type="button"
          class="secondary"
          disabled={busy}
          onClick={() =>
            void act(async () => {
              const b = await client.exportBundle("scorecards");
              download(b.fileName, b.text, "application/json");
            })
          }
        >
          Export scorecards
        </button>
        <button type="button" class="secondary" disabled={busy} onClick={() => void act(backup.exportAll)}>
          Export everything
        </button>
        <button
          type="button"
          class="secondary"
          disabled={busy}
          onClick={() =>
            void act(async ({ say }) => {
              // The app's address goes with the badges, for their "Open in Vitals" links.
              const b = await client.exportBadges(`${location.origin}${location.pathname}`);
              download(b.fileName, b.text, "application/json");
              say(
                `Saved ${b.fileName} with ${b.accounts.toLocaleString("en-US")} accounts: import it in the Vitals extension's options.`,
              );
            })
          }
        >
          Export for the extension
        </button>
        <label>
          Import a bundle
          <input
            type="file"
            accept=".json,application/json,.gz,application/gzip"
            onChange={(e) => void choose((e.currentTarget as HTMLInputElement).files?.[0])}
          />
        </label>
      </div>
      {summary && changes && (
        <div class="bundle-preview">
          <p>
            <strong>{summary.fileName}</strong>: bundle version {summary.version}
            {summary.upgradedFrom !== undefined ? ` (upgraded from version ${summary.upgradedFrom})` : ""}
            {summary.exportedAt ? `, exported ${localIsoDay(summary.exportedAt)}` : ""} — {summary.scorecards.length}{" "}
            scorecards, {summary.accounts} accounts, {summary.observations.toLocaleString("en-US")} values.
          </p>
          <fieldset>
            <legend>How to import it</legend>
            <label class="check">
              <input type="radio" name="bundle-mode" checked={mode === "merge"} onChange={() => changeMode("merge")} />
              Merge: a scorecard goes live only when it is a later version of yours; one changed on both sides keeps
              yours live and joins its history; accounts and data can be undone from the import list
            </label>
            <label class="check">
              <input
                type="radio"
                name="bundle-mode"
                checked={mode === "replace"}
                onChange={() => changeMode("replace")}
              />
              Replace: what the bundle holds replaces what is stored (this cannot be undone)
            </label>
          </fieldset>
          <ul>
            {mode === "merge" ? (
              <li>
                Scorecards:
                <ScorecardOutcomes list={changes.scorecards} theirs="the file's" />
              </li>
            ) : (
              <li>Scorecards: {changes.scorecards.length} from the file replace yours and their history.</li>
            )}
            {changes.data && (
              <li>
                Accounts: {changes.data.accountsNew} new, {changes.data.accountsUpdated} updated; values:{" "}
                {changes.data.observationsNew.toLocaleString("en-US")} new,{" "}
                {changes.data.observationsUpdated.toLocaleString("en-US")} changed
              </li>
            )}
            {mode === "replace" && summary.accounts > 0 && (
              <li>Every stored account and value is replaced by the bundle's.</li>
            )}
          </ul>
          <button type="button" disabled={busy} onClick={() => void runImport()}>
            Import the bundle
          </button>
        </div>
      )}
      {backup.view}
      {job.view}
    </section>
  );
}

const BACKUP_PHASES: Record<ImportPhase, string> = {
  reading: "Reading and checking the backup",
  comparing: "Comparing with your data",
  writing: "Writing",
};

const n = (x: number) => x.toLocaleString("en-US");

/** Backups: export everything (with progress and cancel), restore one (merge or replace), the kept backup. */
function useBackup(job: ReturnType<typeof useJob>) {
  const [summary, setSummary] = useState<BackupSummary | null>(null);
  const [mode, setMode] = useState<"merge" | "replace">("merge");
  const [kept, setKept] = useState<ReplacedSummary | null>(null);
  const version = useDataVersion();
  useEffect(() => {
    void client.replacedBackup().then(setKept, () => undefined);
  }, [version]);
  const cancelled = (what: string) => `${what} was cancelled: nothing was changed.`;

  const exportAll = async ({ track, say }: JobContext) => {
    const b = await track(BACKUP_PHASES, (o) => client.exportBackup(o), cancelled("The backup"));
    downloadBlob(b.fileName, b.blob);
    say(
      `Saved ${b.fileName}: ${n(b.counts.accounts ?? 0)} accounts, ${n(b.observations)} values, ${n(b.counts.scorecards ?? 0)} scorecards with ${n(b.counts.scorecardVersions ?? 0)} versions, ${n(b.counts.notes ?? 0)} notes, ${n(b.counts.alerts ?? 0)} alerts, ${n(b.counts.tasks ?? 0)} tasks (${mb(b.blob.size)}).`,
    );
  };

  const choose = async (file: File, track: JobContext["track"]) => {
    setSummary(null);
    const s = await track(BACKUP_PHASES, (o) => client.readBackup(file, file.name, o), cancelled("Reading the backup"));
    setMode(s.storeEmpty ? "replace" : "merge");
    setSummary(s);
  };

  const restore = () =>
    job.run(async ({ track, say }) => {
      if (!summary) return;
      const done = await track(
        BACKUP_PHASES,
        (o) => client.restoreBackup(summary.backupId, mode, o),
        cancelled("The restore"),
      );
      await afterOwnImport();
      setSummary(null);
      await track(BACKUP_PHASES, () => client.rescore(), cancelled("Scoring"));
      dataChanged();
      say(
        done.mode === "replace"
          ? `Restored ${summary.fileName}: ${n(summary.counts.accounts ?? 0)} accounts and ${n(summary.observations)} values.${done.kept ? " What it replaced is kept below until you discard it." : ""}`
          : `Merged ${summary.fileName}: ${done.merge?.tables.accounts?.added ?? 0} new accounts; ${scorecardsDone(done.merge?.scorecards ?? [], "the backup's")}.`,
      );
    });

  const putBack = () =>
    job.run(async ({ track, say }) => {
      await track(BACKUP_PHASES, (o) => client.putBackReplaced(o), cancelled("Putting it back"));
      await track(BACKUP_PHASES, () => client.rescore(), cancelled("Scoring"));
      dataChanged();
      say("Put back the data the restore had replaced.");
    });

  const m = summary?.merge;
  const view = (
    <>
      {summary && (
        <section class="bundle-preview" aria-label="Backup to restore">
          <p>
            <strong>{summary.fileName}</strong>: backup version {summary.version}, exported{" "}
            {localIsoDay(summary.exportedAt)}, checked: {n(summary.counts.accounts ?? 0)} accounts,{" "}
            {n(summary.observations)} values, {n(summary.counts.scorecards ?? 0)} scorecards (
            {n(summary.counts.scorecardVersions ?? 0)} versions), {n(summary.counts.notes ?? 0)} notes,{" "}
            {n(summary.counts.alerts ?? 0)} alerts, {n(summary.counts.tasks ?? 0)} tasks.
          </p>
          {summary.storeEmpty ? (
            <p>This browser holds no data yet: restoring fills it with the backup.</p>
          ) : (
            <fieldset>
              <legend>This browser already has data</legend>
              <label class="check">
                <input type="radio" name="backup-mode" checked={mode === "merge"} onChange={() => setMode("merge")} />
                Merge: add what is new and keep what you changed (a scorecard changed only in the backup moves ahead;
                one changed on both sides keeps yours live and gains the backup's versions; accounts and values can be
                undone from the import list)
              </label>
              <label class="check">
                <input
                  type="radio"
                  name="backup-mode"
                  checked={mode === "replace"}
                  onChange={() => setMode("replace")}
                />
                Replace: the backup becomes all your data (what it replaces is kept until you discard it)
              </label>
            </fieldset>
          )}
          {!summary.storeEmpty && mode === "merge" && m && (
            <ul>
              <li>
                Scorecards:
                <ScorecardOutcomes list={m.scorecards} theirs="the backup's" />
              </li>
              <li>
                Accounts: {m.tables.accounts?.added ?? 0} new, {m.tables.accounts?.kept ?? 0} kept as you have them
              </li>
              {(["notes", "manualInputs", "overrides", "alerts", "tasks", "playTemplates", "mappings"] as const).map(
                (t) =>
                  m.tables[t] && (m.tables[t].added > 0 || m.tables[t].kept > 0 || m.tables[t].updated > 0) ? (
                    <li key={t}>
                      {TABLE_WORDS[t]}: {m.tables[t].added} new
                      {m.tables[t].updated > 0
                        ? `, ${m.tables[t].updated} snoozed, done or given a play in the backup (taken)`
                        : ""}
                      {m.tables[t].kept > 0 ? `, ${m.tables[t].kept} kept as you have them` : ""}
                    </li>
                  ) : null,
              )}
            </ul>
          )}
          <button type="button" disabled={job.busy} onClick={() => void restore()}>
            Restore the backup
          </button>
        </section>
      )}
      {kept && (
        <section class="bundle-preview" aria-label="Data the restore replaced">
          <p>
            Restoring <strong>{kept.fileName}</strong> on {localIsoDay(kept.at)} replaced your data; a backup of it (
            {mb(kept.bytes)}) is kept in this browser until you discard it.
          </p>
          <div class="filters">
            <button
              type="button"
              class="secondary"
              disabled={job.busy}
              onClick={() => void client.replacedBackupFile().then((f) => f && downloadBlob(f.fileName, f.blob))}
            >
              Download the replaced data
            </button>
            <button type="button" class="secondary" disabled={job.busy} onClick={() => void putBack()}>
              Put the replaced data back
            </button>
            <button
              type="button"
              class="secondary"
              disabled={job.busy}
              onClick={() =>
                void job.run(async ({ say }) => {
                  await client.discardReplacedBackup();
                  setKept(null);
                  say("Discarded the backup of the replaced data.");
                })
              }
            >
              Discard it: the restored data is right
            </button>
          </div>
        </section>
      )}
    </>
  );
  return { view, exportAll, choose };
}

/** A scorecard of an imported file or backup, classified against this store's by lineage. */
interface ScorecardOutcome {
  id: string;
  kind: "new" | "same" | "theirsAhead" | "mineAhead" | "diverged";
  theirsHere?: number;
}

/** What happens to one scorecard, in words ("the file's" or "the backup's" for theirs). */
function scorecardWords(c: ScorecardOutcome, theirs: string): string {
  switch (c.kind) {
    case "new":
      return "new: added";
    case "same":
      return "the same here";
    case "theirsAhead":
      return `${theirs} is a later version of yours: it goes live`;
    case "mineAhead":
      return "yours is a later version: kept";
    case "diverged":
      return `changed on both sides: yours stays live, ${theirs} is kept as version ${c.theirsHere ?? "?"} in its history (compare or revert there)`;
  }
}

/** Each scorecard and what happens to it. */
function ScorecardOutcomes({ list, theirs }: { list: readonly ScorecardOutcome[]; theirs: string }) {
  if (list.length === 0) return <> none</>;
  return (
    <ul aria-label="Scorecards">
      {list.map((c) => (
        <li key={c.id} class={c.kind === "diverged" ? "warn" : undefined}>
          <strong>{c.id}</strong>: {scorecardWords(c, theirs)}
        </li>
      ))}
    </ul>
  );
}

/** A sentence of what an import did to scorecards, naming every diverged one. */
function scorecardsDone(list: readonly ScorecardOutcome[], theirs: string): string {
  const count = (kind: ScorecardOutcome["kind"]) => list.filter((c) => c.kind === kind).length;
  const parts = [
    count("new") > 0 ? `${count("new")} new scorecards` : null,
    count("theirsAhead") > 0 ? `${count("theirsAhead")} scorecards moved ahead` : null,
    ...list
      .filter((c) => c.kind === "diverged")
      .map(
        (c) =>
          `${c.id} was changed on both sides: yours stays live, ${theirs} is version ${c.theirsHere ?? "?"} in its history`,
      ),
  ].filter((x) => x !== null);
  return parts.length > 0 ? parts.join("; ") : "no scorecard changed";
}

const TABLE_WORDS: Record<string, string> = {
  notes: "Notes",
  manualInputs: "Ratings",
  overrides: "Overrides",
  alerts: "Alerts",
  tasks: "Tasks",
  playTemplates: "Plays",
  mappings: "Saved mappings",
};

/** How safe the data is on this device: persistence, usage and quota. */
export function StorageSection() {
  const [health, setHealth] = useState<StorageHealth | null>(null);
  const [asked, setAsked] = useState<string | null>(null);
  // Read again after each import (the first one asks the browser to keep the data): the data version changes.
  const version = useDataVersion();
  const firstAsk = readPersistenceAsk(persistenceRecord);
  useEffect(() => {
    void storageHealth().then(setHealth);
  }, [version]);
  return (
    <section class="card" aria-labelledby="storage-title">
      <h2 id="storage-title">Storage on this device</h2>
      {health === null ? (
        <p aria-busy="true">Asking the browser…</p>
      ) : (
        <>
          <p>
            {health.persisted
              ? "The browser has promised to keep Vitals' data even when the disk runs low."
              : "The browser may clear Vitals' data if the disk runs low. Export a bundle now and then, or ask the browser to keep it."}
          </p>
          <p class="muted">
            Using {mb(health.usage)} of {mb(health.quota)} available to this site.
          </p>
          {firstAsk && (
            <p class="persistence-ask">
              After your first import ({localIsoDay(firstAsk.at)}) Vitals asked the browser to keep the data:{" "}
              {firstAsk.granted ? "granted." : "the browser said no (it often grants this to installed apps)."}
            </p>
          )}
          {!health.persisted && (
            <button
              type="button"
              class="secondary"
              onClick={() =>
                void requestPersistence().then(async (granted) => {
                  setAsked(
                    granted
                      ? "Granted: the data will be kept."
                      : "The browser said no (it often grants this to installed apps).",
                  );
                  setHealth(await storageHealth());
                })
              }
            >
              Ask the browser to keep the data
            </button>
          )}
          {asked && <p role="status">{asked}</p>}
        </>
      )}
    </section>
  );
}
