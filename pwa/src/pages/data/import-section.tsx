import type { SavedMapping } from "../../../../core/store/mappings.ts";
import type { FilePeek } from "../../../../core/worker/data-api.ts";
import { isEdited, type Kind } from "../../import/mapping-draft.ts";
import { DryRunReport } from "./dry-run-report.tsx";
import { MappingEditor } from "./mapping-editor.tsx";
import { useImport } from "./use-import.ts";

const KINDS: { value: Kind; label: string; hint: string }[] = [
  {
    value: "accounts",
    label: "Vitals accounts file",
    hint: "an id column, then name, domains, arr, seats, renewal_date…",
  },
  { value: "observations", label: "Vitals observations file", hint: "account_id, metric, day (YYYY-MM-DD), value" },
  {
    value: "wide",
    label: "One row per account (a CRM export)",
    hint: "columns become account fields or metric values",
  },
  { value: "long", label: "One row per value", hint: "an account, a metric name, a day and a value on each row" },
  {
    value: "events",
    label: "One row per event (tickets, invoices, logins, survey answers)",
    hint: "counted or summed per day",
  },
  {
    value: "outcomes",
    label: "Outcomes (churned, renewed, expanded, downgraded)",
    hint: "an account, a day and what happened: used only to validate scorecards",
  },
  {
    value: "links",
    label: "Ids of another kind for each account (a subscriptions export)",
    hint: "an account and a subscription, workspace… id on each row: later files can name accounts by that id",
  },
];

/** The file's first rows as a table, with their line numbers. */
function FilePreview({ peek }: { peek: FilePeek }) {
  return (
    <div class="preview">
      <table class="data">
        <thead>
          <tr>
            <th scope="col" class="num">
              Line
            </th>
            {peek.header.map((h) => (
              <th scope="col" key={h}>
                {h}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {peek.rows.slice(0, 5).map((r) => (
            <tr key={r.line}>
              <td class="num">{r.line}</td>
              {r.cells.map((c, i) => (
                <td key={i}>{c}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** What is in this file: the worker's guess and why, each kind, and each saved mapping. */
function KindChoice(props: {
  peek: FilePeek;
  kind: Kind | null;
  setKind: (kind: Kind) => void;
  saved: readonly SavedMapping[];
}) {
  const { peek, kind, setKind, saved } = props;
  return (
    <fieldset>
      <legend>What is in this file?</legend>
      <p class="muted small">
        {kind?.startsWith("saved:")
          ? "Your saved mapping reads every column it needs from this file."
          : `It looks like ${KINDS.find((k) => k.value === peek.guess.shape)?.label.toLowerCase()}: ${peek.guess.because}.`}
      </p>
      {KINDS.map((k) => (
        <label class="check" key={k.value}>
          <input
            type="radio"
            name="kind"
            value={k.value}
            checked={kind === k.value}
            onChange={() => setKind(k.value)}
          />
          {k.label} <span class="muted small">— {k.hint}</span>
        </label>
      ))}
      {saved.map((s) => (
        <label class="check" key={s.name}>
          <input
            type="radio"
            name="kind"
            value={`saved:${s.name}`}
            checked={kind === `saved:${s.name}`}
            onChange={() => setKind(`saved:${s.name}`)}
          />
          Saved mapping: {s.name} <span class="muted small">({s.mapping.shape})</span>
        </label>
      ))}
    </fieldset>
  );
}

/** The import wizard: file, what it holds, column mapping, dry run with every rejected row, import, undo. */
export function ImportSection() {
  const w = useImport();
  const { file, peek, kind, draft, dry, job } = w;
  const editing = isEdited(kind);
  return (
    <>
      <section class="card" aria-labelledby="import-title">
        <h2 id="import-title">Import a CSV file</h2>
        <p class="muted">
          Exports from your CRM, support desk or product analytics. The file is read on this device; nothing is
          uploaded.
        </p>
        <label>
          CSV file
          <input
            type="file"
            accept=".csv,.tsv,.txt,text/csv"
            onChange={(e) => {
              const input = e.currentTarget as HTMLInputElement;
              void w.choose(input.files?.[0]);
              // Emptied at once, so choosing the same file again (after an Undo, or after fixing it) is a change too.
              input.value = "";
            }}
          />
        </label>
        {peek && file && draft && (
          <>
            <h3>
              First rows of {file.name}{" "}
              <span class="muted small">(separator “{peek.delimiter === "\t" ? "tab" : peek.delimiter}”)</span>
            </h3>
            <FilePreview peek={peek} />
            <KindChoice peek={peek} kind={kind} setKind={w.setKind} saved={w.saved} />
            {editing && <MappingEditor kind={kind} peek={peek} draft={draft} setDraft={w.setDraft} />}
            <div class="filters">
              {editing && (
                <>
                  <label>
                    Save this mapping as
                    <input
                      value={w.saveName}
                      placeholder="e.g. Zendesk tickets"
                      onInput={(e) => w.setSaveName((e.currentTarget as HTMLInputElement).value)}
                    />
                  </label>
                  <button
                    type="button"
                    class="secondary"
                    disabled={w.saveName.trim() === ""}
                    onClick={() => void w.saveMapping()}
                  >
                    Save mapping
                  </button>
                  <button type="button" class="secondary" onClick={() => void w.downloadMapping()}>
                    Download mapping (for the vitals command)
                  </button>
                </>
              )}
              <button type="button" disabled={job.busy} onClick={() => void w.checkFile()}>
                Check the file
              </button>
            </div>
          </>
        )}
        {job.view}
      </section>
      {dry && (
        <>
          <DryRunReport dry={dry} />
          <div class="filters">
            <button type="button" disabled={job.busy} onClick={() => void w.runImport()}>
              Import
            </button>
            <button type="button" class="secondary" onClick={() => w.setDry(null)}>
              Back to the mapping
            </button>
          </div>
        </>
      )}
    </>
  );
}
