import { useState } from "preact/hooks";
import type { ImportRow } from "../../../../core/store/db.ts";
import { focusWhenShown } from "../../components/focus.tsx";
import { client, dataChanged, useLoad } from "../../services.ts";

/** Every import with its counts, and Undo for the latest. */
export function ImportLog() {
  const loaded = useLoad(() => client.listImports(), []);
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<string | null>(null);
  if (loaded.state !== "ready") return null;
  const imports = loaded.value.filter((i) => i.shape !== "demo");
  const latest = imports.find((i) => i.status === "applied");
  const undo = async (row: ImportRow) => {
    if (!confirm(`Undo the import of ${row.fileName}? The data will be exactly as before it.`)) return;
    setBusy(true);
    setMessage(null);
    try {
      await client.undoImport(row.id);
      await client.rescore();
      const words = `The import of ${row.fileName} was undone.`;
      setMessage(words);
      dataChanged();
      focusWhenShown("imports-said", (el) => el.textContent === words);
    } catch (error) {
      setMessage(`Undo failed: ${(error as Error).message}`);
      focusWhenShown("imports-said");
    } finally {
      setBusy(false);
    }
  };
  return (
    <section class="card" aria-labelledby="log-title">
      <h2 id="log-title">Imports</h2>
      {message && (
        <p role="status" id="imports-said" tabIndex={-1}>
          {message}
        </p>
      )}
      {imports.length === 0 ? (
        <p class="muted">Nothing imported yet.</p>
      ) : (
        <table class="data">
          <thead>
            <tr>
              <th scope="col">When</th>
              <th scope="col">File</th>
              <th scope="col" class="num">
                Accounts new / updated
              </th>
              <th scope="col" class="num">
                Values new / changed
              </th>
              <th scope="col" class="num">
                Outcomes
              </th>
              <th scope="col">Status</th>
              <th scope="col">
                <span class="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {imports.map((row) => (
              <tr key={row.id}>
                <td>{new Date(row.at).toLocaleString()}</td>
                <td>{row.fileName}</td>
                <td class="num">
                  {row.counts.accountsNew ?? 0} / {row.counts.accountsUpdated ?? 0}
                </td>
                <td class="num">
                  {(row.counts.observationsNew ?? 0).toLocaleString("en-US")} /{" "}
                  {(row.counts.observationsUpdated ?? 0).toLocaleString("en-US")}
                </td>
                <td class="num">
                  {((row.counts.outcomesNew ?? 0) + (row.counts.outcomesUpdated ?? 0)).toLocaleString("en-US")}
                </td>
                <td>{row.status === "applied" ? "imported" : "undone"}</td>
                <td>
                  {row === latest && (
                    <button type="button" class="secondary" disabled={busy} onClick={() => void undo(row)}>
                      Undo import
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
