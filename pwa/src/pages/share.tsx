import { useEffect, useState } from "preact/hooks";
import type { BundleChanges } from "../../../core/store/bundles.ts";
import {
  readPersistenceAsk,
  requestPersistence,
  type StorageHealth,
  storageHealth,
} from "../../../core/store/health.ts";
import type { BundleSummary } from "../../../core/worker/data-api.ts";
import { afterOwnImport, client, dataChanged, download, persistenceRecord, useDataVersion } from "../services.ts";

const mb = (bytes: number | undefined) => (bytes === undefined ? "unknown" : `${(bytes / 1e6).toFixed(1)} MB`);

/** Bundle files: export the store (or its scorecards), and import one with a preview of what changes. */
export function BundleSection() {
  const [summary, setSummary] = useState<BundleSummary | null>(null);
  const [mode, setMode] = useState<"merge" | "replace">("merge");
  const [changes, setChanges] = useState<BundleChanges | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const act = async (work: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    setNotice(null);
    try {
      await work();
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };
  const choose = (file: File | undefined) =>
    act(async () => {
      setSummary(null);
      setChanges(null);
      if (!file) return;
      const s = await client.readBundle(file, file.name);
      setSummary(s);
      setChanges(await client.previewBundle(s.bundleId, mode));
    });
  const changeMode = (next: "merge" | "replace") => {
    setMode(next);
    if (summary) void act(async () => setChanges(await client.previewBundle(summary.bundleId, next)));
  };
  const runImport = () =>
    act(async () => {
      if (!summary) return;
      const done = await client.importBundle(summary.bundleId, mode);
      await afterOwnImport();
      await client.rescore();
      dataChanged();
      setNotice(
        `Imported ${summary.fileName}: ${done.scorecards.new.length + done.scorecards.updated.length} scorecards changed, ${done.data?.accountsNew ?? 0} new accounts.`,
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
        <button
          type="button"
          class="secondary"
          disabled={busy}
          onClick={() =>
            void act(async () => {
              const b = await client.exportBundle("everything");
              download(b.fileName, b.text, "application/json");
            })
          }
        >
          Export everything
        </button>
        <button
          type="button"
          class="secondary"
          disabled={busy}
          onClick={() =>
            void act(async () => {
              // The app's address goes with the badges, for their "Open in Vitals" links.
              const b = await client.exportBadges(`${location.origin}${location.pathname}`);
              download(b.fileName, b.text, "application/json");
              setNotice(
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
            accept=".json,application/json"
            onChange={(e) => void choose((e.currentTarget as HTMLInputElement).files?.[0])}
          />
        </label>
      </div>
      {summary && changes && (
        <div class="bundle-preview">
          <p>
            <strong>{summary.fileName}</strong>: bundle version {summary.version}
            {summary.upgradedFrom !== undefined ? ` (upgraded from version ${summary.upgradedFrom})` : ""}
            {summary.exportedAt ? `, exported ${summary.exportedAt.slice(0, 10)}` : ""} — {summary.scorecards.length}{" "}
            scorecards, {summary.accounts} accounts, {summary.observations.toLocaleString("en-US")} values.
          </p>
          <fieldset>
            <legend>How to import it</legend>
            <label class="check">
              <input type="radio" name="bundle-mode" checked={mode === "merge"} onChange={() => changeMode("merge")} />
              Merge by id: a scorecard replaces yours only if it is newer; accounts and data can be undone from the
              import list
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
            <li>
              Scorecards: {changes.scorecards.new.length} new, {changes.scorecards.updated.length} updated,{" "}
              {changes.scorecards.unchanged.length} unchanged
              {changes.scorecards.keptNewer.length > 0
                ? `, ${changes.scorecards.keptNewer.length} kept (yours are newer)`
                : ""}
            </li>
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
      {error && (
        <p role="alert" class="error wrap">
          {error}
        </p>
      )}
      {notice && <p role="status">{notice}</p>}
    </section>
  );
}

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
              After your first import ({firstAsk.at.slice(0, 10)}) Vitals asked the browser to keep the data:{" "}
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
