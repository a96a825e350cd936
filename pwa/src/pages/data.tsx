import { useEffect, useState } from "preact/hooks";
import type { MappingInput } from "../../../core/io/mapping.ts";
import { DATE_FORMATS } from "../../../core/io/values.ts";
import { formatDay } from "../../../core/schema/day.ts";
import { withSchema } from "../../../core/schema/json-schemas.ts";
import type { ImportRow } from "../../../core/store/db.ts";
import type { SavedMapping } from "../../../core/store/mappings.ts";
import type { FilePeek, ImportDryRun, ImportPhase } from "../../../core/worker/data-api.ts";
import { DataSourcesPanel } from "../components/data-sources.tsx";
import { focusWhenShown, SkipLinks } from "../components/focus.tsx";
import { ScoredElsewhereSection } from "../components/scored-elsewhere.tsx";
import { type ColumnUse, FIELDS, metricName, OUTCOME_KINDS } from "../import/column-uses.ts";
import {
  type MappingDraft as Draft,
  type EditedKind,
  initialDraft,
  isEdited,
  type Kind,
  mappingOf,
} from "../import/mapping-draft.ts";
import { useJob } from "../job/use-job.tsx";
import { afterOwnImport, client, dataChanged, download, useLoad } from "../services.ts";
import { BundleSection, StorageSection } from "./share.tsx";

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

const PHASE_WORDS: Record<ImportPhase, string> = {
  reading: "Reading and checking the file",
  comparing: "Comparing with your data",
  writing: "Saving",
};

function Select<T extends string>(props: {
  label: string;
  value: T;
  options: readonly (readonly [T, string])[] | readonly T[];
  onChange: (v: T) => void;
}) {
  const opts = props.options.map((o) => (Array.isArray(o) ? o : [o, o])) as [T, string][];
  // A guess that found nothing leaves the value empty: say so instead of showing the first option as chosen.
  if (!opts.some(([v]) => v === props.value)) opts.unshift([props.value, "Choose…"]);
  return (
    <label>
      {props.label}
      <select value={props.value} onChange={(e) => props.onChange((e.currentTarget as HTMLSelectElement).value as T)}>
        {opts.map(([v, l]) => (
          <option key={v} value={v}>
            {l}
          </option>
        ))}
      </select>
    </label>
  );
}

/** Where the date format came from: the file's dates, or a question when they fit more than one format. */
function DateHint({ peek, dateFormat }: { peek: FilePeek; dateFormat: Draft["dateFormat"] }) {
  const g = peek.guess;
  if (g.dates.kind === "none") return null;
  const examples = g.dates.examples.join(", ");
  const columns = g.dateColumns.join(", ");
  if (g.dates.kind === "ambiguous" && dateFormat === "") {
    return (
      <p class="ask small" role="note">
        The dates in {columns} ({examples}) read as {g.dates.formats.join(" or ")}: choose the one your file uses.
      </p>
    );
  }
  return (
    <p class="muted small">
      {g.dates.kind === "sure" && dateFormat === g.dates.format
        ? `Detected from ${columns} (${examples})${g.dates.withTime ? "; times are ignored" : ""}.`
        : `The file's dates look like ${examples}.`}
    </p>
  );
}

function MappingEditor(props: { kind: EditedKind; peek: FilePeek; draft: Draft; setDraft: (d: Draft) => void }) {
  const { kind, peek, draft: d, setDraft } = props;
  const set = (patch: Partial<Draft>) => setDraft({ ...d, ...patch });
  const header = peek.header;
  return (
    <fieldset class="mapping">
      <legend>How to read the columns</legend>
      <div class="filters">
        <Select
          label="Accounts are named by"
          value={d.accountBy}
          options={[
            ["id", "Account id"],
            ["externalId", "Id in another system"],
            ["domain", "Email domain or website"],
            ["email", "A person's email address"],
            ["name", "Account name"],
          ]}
          onChange={(accountBy) => set({ accountBy })}
        />
        <Select
          label="in the column"
          value={d.accountColumn}
          options={header}
          onChange={(accountColumn) => set({ accountColumn })}
        />
        {d.accountBy === "externalId" && (
          <label>
            System or id kind (any: salesforce, subscription, workspace…)
            <input
              value={d.system}
              list="id-kinds"
              onInput={(e) => set({ system: (e.currentTarget as HTMLInputElement).value.trim() })}
            />
            <datalist id="id-kinds">
              {["salesforce", "hubspot", "zendesk", "intercom", "freshdesk", "subscription", "workspace"].map((k) => (
                <option key={k} value={k} />
              ))}
            </datalist>
          </label>
        )}
        <Select
          label="Dates look like"
          value={d.dateFormat}
          options={DATE_FORMATS}
          onChange={(dateFormat) => set({ dateFormat })}
        />
        <DateHint peek={peek} dateFormat={d.dateFormat} />
        <Select
          label="Decimal mark"
          value={d.decimal}
          options={[
            [".", "1,234.5"],
            [",", "1.234,5"],
          ]}
          onChange={(decimal) => set({ decimal })}
        />
      </div>
      {kind === "wide" && (
        <>
          <label class="check">
            <input
              type="checkbox"
              checked={d.createAccounts}
              onChange={(e) => set({ createAccounts: (e.currentTarget as HTMLInputElement).checked })}
            />
            Create accounts that are not in Vitals yet
          </label>
          <Select
            label="Repeated accounts"
            value={d.repeated}
            options={[
              ["reject", "reject the later rows"],
              ["first", "keep the first"],
              ...header
                .filter((c) => c !== d.accountColumn)
                .map((c) => [`latest:${c}`, `keep the latest by ${c}`] as const),
              ["sum", "add numbers up"],
            ]}
            onChange={(repeated) => set({ repeated })}
          />
          <table class="data">
            <caption class="visually-hidden">What each column becomes</caption>
            <thead>
              <tr>
                <th scope="col">Column</th>
                <th scope="col">Example</th>
                <th scope="col">Becomes</th>
              </tr>
            </thead>
            <tbody>
              {header.map((column, i) => {
                const use = d.columns[column] ?? { use: "ignore" };
                const value =
                  column === d.accountColumn
                    ? "account"
                    : use.use === "field"
                      ? `field:${use.field}`
                      : use.use === "attribute"
                        ? `attribute:${use.type}`
                        : use.use === "metric"
                          ? "metric"
                          : use.use === "churn"
                            ? "churn"
                            : "ignore";
                const change = (v: string) => {
                  const next: ColumnUse = v.startsWith("field:")
                    ? { use: "field", field: v.slice(6) }
                    : v.startsWith("attribute:")
                      ? { use: "attribute", type: v.slice(10) as "text" }
                      : v === "metric"
                        ? { use: "metric", metric: metricName(column) }
                        : v === "churn"
                          ? { use: "churn" }
                          : { use: "ignore" };
                  // One churn flag per file: choosing another column moves it there.
                  const columns: Record<string, ColumnUse> = Object.fromEntries(
                    Object.entries(d.columns).map(([c, u]) => [
                      c,
                      next.use === "churn" && u.use === "churn" ? { use: "ignore" } : u,
                    ]),
                  );
                  set({ columns: { ...columns, [column]: next } });
                };
                return (
                  <tr key={column}>
                    <th scope="row">{column}</th>
                    <td class="muted">{peek.rows[0]?.cells[i] ?? ""}</td>
                    <td>
                      {column === d.accountColumn ? (
                        "names the account"
                      ) : (
                        <span class="cell">
                          <select
                            aria-label={`What ${column} becomes`}
                            value={value}
                            onChange={(e) => change((e.currentTarget as HTMLSelectElement).value)}
                          >
                            <option value="ignore">Ignore</option>
                            {FIELDS.map(([f, label]) => (
                              <option key={f} value={`field:${f}`}>
                                {label}
                              </option>
                            ))}
                            <option value="attribute:text">Custom attribute (text)</option>
                            <option value="attribute:number">Custom attribute (number)</option>
                            <option value="attribute:boolean">Custom attribute (yes/no)</option>
                            <option value="attribute:date">Custom attribute (date)</option>
                            <option value="metric">Metric value</option>
                            <option value="churn">Churn flag (yes: churned, no: stayed)</option>
                          </select>
                          {use.use === "metric" && (
                            <input
                              aria-label={`Metric name for ${column}`}
                              value={use.metric}
                              onInput={(e) =>
                                set({
                                  columns: {
                                    ...d.columns,
                                    [column]: { use: "metric", metric: (e.currentTarget as HTMLInputElement).value },
                                  },
                                })
                              }
                            />
                          )}
                        </span>
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
          {Object.entries(d.columns).some(([c, u]) => c !== d.accountColumn && u.use === "churn") && (
            <p class="muted small">
              The churn flag records an outcome on the day below: “churned” for yes, “renewed” for no. To validate a
              scorecard on this snapshot, choose a horizon of 0 days on its Validate page.
            </p>
          )}
          {Object.entries(d.columns).some(
            ([c, u]) => c !== d.accountColumn && (u.use === "metric" || u.use === "churn"),
          ) && (
            <label>
              Metric values and outcomes are as of
              <input
                type="date"
                value={d.asOfDay}
                onInput={(e) => set({ asOfDay: (e.currentTarget as HTMLInputElement).value })}
              />
            </label>
          )}
        </>
      )}
      {kind === "links" && (
        <div class="filters">
          <Select
            label="Ids of another kind in the column"
            value={d.linkColumn}
            options={header}
            onChange={(linkColumn) => set({ linkColumn })}
          />
          <label>
            Kind of id
            <input
              value={d.linkKind}
              placeholder="subscription"
              onInput={(e) => set({ linkKind: (e.currentTarget as HTMLInputElement).value })}
            />
          </label>
          <p class="muted small">
            Later files can name accounts by these ids: choose “Id in another system” and this kind of id.
          </p>
        </div>
      )}
      {kind === "long" && (
        <div class="filters">
          <Select
            label="Metric name column"
            value={d.metricColumn}
            options={header}
            onChange={(metricColumn) => set({ metricColumn })}
          />
          <Select
            label="Day column"
            value={d.dayColumn}
            options={header}
            onChange={(dayColumn) => set({ dayColumn })}
          />
          <Select
            label="Value column"
            value={d.valueColumn}
            options={header}
            onChange={(valueColumn) => set({ valueColumn })}
          />
        </div>
      )}
      {kind === "outcomes" && (
        <>
          <div class="filters">
            <Select
              label="Day column"
              value={d.dayColumn}
              options={header}
              onChange={(dayColumn) => set({ dayColumn })}
            />
            <Select
              label="Outcome column"
              value={d.kindColumn}
              options={header}
              onChange={(kindColumn) => set({ kindColumn })}
            />
          </div>
          <p class="muted small">
            The outcome column may say churned, renewed, expanded or downgraded (or churn, lost, cancelled, renewal,
            expansion, upsell, downgrade). Rows with an empty outcome are skipped. If your file uses other words, list
            them here:
          </p>
          <div class="filters">
            {OUTCOME_KINDS.map((k) => (
              <label key={k}>
                Also means {k} (comma-separated)
                <input
                  value={d.kindWords[k]}
                  placeholder={k === "churned" ? "e.g. Closed Lost" : k === "renewed" ? "e.g. Closed Won" : ""}
                  onInput={(e) =>
                    set({ kindWords: { ...d.kindWords, [k]: (e.currentTarget as HTMLInputElement).value } })
                  }
                />
              </label>
            ))}
          </div>
        </>
      )}
      {kind === "events" && (
        <>
          <Select
            label="Day column"
            value={d.dayColumn}
            options={header}
            onChange={(dayColumn) => set({ dayColumn })}
          />
          <h3>Metrics made from the events</h3>
          {d.events.map((e, k) => {
            const setEvent = (patch: Partial<Draft["events"][number]>) =>
              set({ events: d.events.map((x, j) => (j === k ? { ...x, ...patch } : x)) });
            return (
              <div class="filters event" key={k}>
                <label>
                  Metric name
                  <input
                    value={e.metric}
                    onInput={(ev) => setEvent({ metric: (ev.currentTarget as HTMLInputElement).value })}
                  />
                </label>
                <Select
                  label="Value"
                  value={e.from}
                  options={[
                    ["count", "1 per event (a count)"],
                    ["column", "A column's number"],
                  ]}
                  onChange={(from) => setEvent({ from })}
                />
                {e.from === "column" && (
                  <Select
                    label="Column"
                    value={e.column || (header[0] ?? "")}
                    options={header}
                    onChange={(column) => setEvent({ column })}
                  />
                )}
                <Select
                  label="Only rows where"
                  value={e.filterColumn}
                  options={[["", "(every row)"] as const, ...header.map((h) => [h, h] as const)]}
                  onChange={(filterColumn) => setEvent({ filterColumn })}
                />
                {e.filterColumn && (
                  <label>
                    is one of (comma-separated)
                    <input
                      value={e.filterValues}
                      onInput={(ev) => setEvent({ filterValues: (ev.currentTarget as HTMLInputElement).value })}
                    />
                  </label>
                )}
                <button
                  type="button"
                  class="secondary"
                  disabled={d.events.length === 1}
                  onClick={() => set({ events: d.events.filter((_, j) => j !== k) })}
                >
                  Remove
                </button>
              </div>
            );
          })}
          <button
            type="button"
            class="secondary"
            onClick={() =>
              set({
                events: [...d.events, { metric: "", from: "count", column: "", filterColumn: "", filterValues: "" }],
              })
            }
          >
            Add a metric
          </button>
        </>
      )}
    </fieldset>
  );
}

/** Kinds of problem listed; the rest are in the rejects file. */
const GROUPS_SHOWN = 20;
/** Rejected rows listed open under the groups; more stay folded (the groups say it all). */
const ROWS_OPEN = 20;

const SAME_DAY_WORDS: Record<string, string> = {
  each: "each value kept (a window counts and sums them)",
  sum: "same-day values summed",
  mean: "same-day values averaged",
  last: "the day's last value kept",
  min: "the day's lowest value kept",
  max: "the day's highest value kept",
  nps: "the day's answers as an NPS (promoters − detractors)",
};

/** What the file means beyond counts: its period (zeros), same-day rules, merged accounts and links. */
function ImportMeaning({ dry }: { dry: ImportDryRun }) {
  const n = (x: number) => x.toLocaleString("en-US");
  return (
    <div class="import-meaning">
      {dry.zeroFill.map((z) => (
        <p key={`zero-${z.metric}`}>
          <strong>{z.metric}</strong>: covers {formatDay(z.from)} to {formatDay(z.to)}; {n(z.accountsWithEvents)}{" "}
          accounts have events, {n(z.accountsZeroFilled)} accounts of the portfolio have none and count 0 there (not
          missing).
          {z.stillMissing.map((m) => (
            <span key={`${m.scorecard}-${m.factor}`}>
              {" "}
              “{m.factor}” ({m.scorecard}, a {m.aggregation}) stays missing for {n(m.accounts)} accounts.
            </span>
          ))}
        </p>
      ))}
      {dry.sameDay.length > 0 && (
        <p>
          Same-day values:{" "}
          {dry.sameDay
            .map(
              (s) =>
                `${s.metric}: ${SAME_DAY_WORDS[s.rule] ?? s.rule}` +
                (s.combinedDays > 0 ? ` (${n(s.combinedValues)} values on ${n(s.combinedDays)} account-days)` : ""),
            )
            .join("; ")}
          .
        </p>
      )}
      {dry.repeated && dry.repeated.accounts > 0 && (
        <p>
          {n(dry.repeated.accounts)} accounts were on several rows: {n(dry.repeated.rows)} rows merged by the rule “
          {dry.repeated.rule}”.
        </p>
      )}
      {dry.extras.linksNew + dry.extras.linksUnchanged > 0 && (
        <p>
          Links to accounts: {n(dry.extras.linksNew)} new, {n(dry.extras.linksUnchanged)} unchanged. Later files can
          name accounts by these ids.
        </p>
      )}
    </div>
  );
}

/**
 * Rows the same-day rules folded into another row's value (or left out), each by line with what became of it: the
 * counts alone ("14 rows combined") left a user wondering which rows the import dropped.
 */
function CombinedRows({ dry }: { dry: ImportDryRun }) {
  const rows = dry.counts.rowsCombined;
  if (dry.combinedTotal === 0) return null;
  return (
    <>
      <h3>
        Rows combined with another of the same day ({rows.toLocaleString("en-US")} {rows === 1 ? "row" : "rows"}): not
        imported as values of their own
      </h3>
      <details open={dry.combinedTotal <= ROWS_OPEN}>
        <summary>Every combined row, by line</summary>
        <table class="data" aria-label="Combined rows">
          <thead>
            <tr>
              <th scope="col" class="num">
                Line
              </th>
              <th scope="col">What became of it</th>
            </tr>
          </thead>
          <tbody>
            {dry.combined.map((r, i) => (
              <tr key={i}>
                <td class="num">{r.line}</td>
                <td class="wrap">{r.reason}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
      {dry.combinedTotal > dry.combined.length && (
        <p class="muted">
          The first {dry.combined.length.toLocaleString("en-US")} of {dry.combinedTotal.toLocaleString("en-US")} are
          shown.
        </p>
      )}
    </>
  );
}

function DryRunReport({ dry }: { dry: ImportDryRun }) {
  const c = dry.counts;
  const rows: [string, number][] = [
    ["Accounts new", c.accountsNew],
    ["Accounts updated", c.accountsUpdated],
    ["Accounts unchanged", c.accountsUnchanged],
    ["Values new", c.observationsNew],
    ["Values changed", c.observationsUpdated],
    ["Values unchanged", c.observationsUnchanged],
    ...(dry.shape === "outcomes" || c.outcomesNew + c.outcomesUpdated + c.outcomesUnchanged > 0
      ? ([
          ["Outcomes new", c.outcomesNew],
          ["Outcomes replaced (another outcome that day)", c.outcomesUpdated],
          ["Outcomes unchanged", c.outcomesUnchanged],
        ] as [string, number][])
      : []),
    ["Rows read", c.rowsRead],
    ["Rows rejected", c.rowsRejected],
    ["Rows with nothing to import", c.rowsSkipped],
    ["Rows combined with another of the same day", c.rowsCombined],
  ];
  return (
    <section class="card" aria-labelledby="dry-title">
      <h2 id="dry-title">What the import will change</h2>
      <table class="data counts">
        <tbody>
          {rows.map(([label, n]) => (
            <tr key={label}>
              <th scope="row">{label}</th>
              <td class="num">{n.toLocaleString("en-US")}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <ImportMeaning dry={dry} />
      <CombinedRows dry={dry} />
      {c.rowsRejected > 0 && c.rowsRejected + c.rowsSkipped >= c.rowsRead && (
        <p class="error">
          Every row would be rejected ({c.rowsRejected.toLocaleString("en-US")}): importing this file now changes
          nothing.
        </p>
      )}
      {dry.rejectsTotal > 0 && (
        <>
          <h3>
            Rejected rows ({dry.rejectsTotal.toLocaleString("en-US")} {dry.rejectsTotal === 1 ? "problem" : "problems"}
            ): these rows will not be imported
          </h3>
          <ul class="reject-groups">
            {dry.rejectGroups.slice(0, GROUPS_SHOWN).map((g, i) => (
              <li key={i}>
                <strong>
                  {g.column ? `${g.column}: ` : ""}
                  {g.problem}
                </strong>
                {` — ${g.rows.toLocaleString("en-US")} ${g.rows === 1 ? "row" : "rows"} (${g.where})`}
                {g.examples.length > 0 ? `, e.g. ${g.examples.map((e) => `“${e}”`).join(", ")}.` : "."}
                {g.fix && ` ${g.fix}`}
              </li>
            ))}
          </ul>
          {dry.rejectGroups.length > GROUPS_SHOWN && (
            <p class="muted">
              And {(dry.rejectGroups.length - GROUPS_SHOWN).toLocaleString("en-US")} more kinds of problem: download the
              rejected rows to see them all.
            </p>
          )}
          <details open={dry.rejectsTotal <= ROWS_OPEN}>
            <summary>Every rejected row, by line</summary>
            <table class="data rejects">
              <thead>
                <tr>
                  <th scope="col" class="num">
                    Line
                  </th>
                  <th scope="col">Column</th>
                  <th scope="col">Problem</th>
                </tr>
              </thead>
              <tbody>
                {dry.rejects.map((r, i) => (
                  <tr key={i}>
                    <td class="num">{r.line}</td>
                    <td>{r.column ?? ""}</td>
                    <td class="wrap">{r.reason}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </details>
          {dry.rejectsTotal > dry.rejects.length && (
            <p class="muted">
              The first {dry.rejects.length.toLocaleString("en-US")} are shown; download them all to fix the file.
            </p>
          )}
          <button
            type="button"
            class="secondary"
            onClick={() =>
              void client
                .rejectsCsv(dry.planId)
                .then((csv) => download(`${dry.fileName}.rejected.csv`, csv, "text/csv"))
            }
          >
            Download rejected rows with their cells (CSV)
          </button>
        </>
      )}
    </section>
  );
}

function ImportLog() {
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

/** What an import did, honestly: "Nothing imported: all 247 rows were rejected" rather than "Imported". */
function importSummary(row: ImportRow, extras?: ImportDryRun["extras"]): string {
  const c = row.counts;
  const n = (v: number | undefined) => (v ?? 0).toLocaleString("en-US");
  const rows = (v: number | undefined) => `${n(v)} ${v === 1 ? "row" : "rows"}`;
  const rejected = c.rowsRejected ?? 0;
  const read = c.rowsRead ?? 0;
  const outcomes = (c.outcomesNew ?? 0) + (c.outcomesUpdated ?? 0);
  const written =
    (c.accountsNew ?? 0) +
    (c.accountsUpdated ?? 0) +
    (c.observationsNew ?? 0) +
    (c.observationsUpdated ?? 0) +
    outcomes +
    (extras?.linksNew ?? 0);
  if (written === 0) {
    if (rejected > 0 && rejected + (c.rowsSkipped ?? 0) >= read)
      return `Nothing imported from ${row.fileName}: all ${rows(rejected)} were rejected.`;
    if (rejected > 0)
      return `Nothing imported from ${row.fileName}: ${n(rejected)} of ${rows(read)} were rejected and the rest hold what is already stored.`;
    return `Nothing changed: ${row.fileName} holds what is already stored.`;
  }
  const parts = [
    `${n(c.accountsNew)} new accounts`,
    ...(c.accountsUpdated ? [`${n(c.accountsUpdated)} accounts updated`] : []),
    `${n(c.observationsNew)} new values`,
    ...(c.observationsUpdated ? [`${n(c.observationsUpdated)} values changed`] : []),
    ...(outcomes > 0 ? [`${n(outcomes)} outcomes`] : []),
    ...(extras?.linksNew ? [`${n(extras.linksNew)} new links to accounts`] : []),
  ];
  const skipped = rejected > 0 ? ` ${n(rejected)} of ${rows(read)} were rejected and not imported.` : "";
  return `Imported ${row.fileName}: ${parts.join(", ")}.${skipped} Scores are up to date.`;
}

/** The import wizard: file, what it holds, column mapping, dry run with every rejected row, import, undo. */
export function DataPage() {
  const [file, setFile] = useState<File | null>(null);
  const [peek, setPeek] = useState<FilePeek | null>(null);
  /** What the file holds: guessed from it when it is chosen (a saved mapping that reads it first). */
  const [kind, setKind] = useState<Kind | null>(null);
  const [draft, setDraft] = useState<Draft | null>(null);
  const [dry, setDry] = useState<ImportDryRun | null>(null);
  const job = useJob("import");
  const [saved, setSaved] = useState<SavedMapping[]>([]);
  const [saveName, setSaveName] = useState("");

  const refreshSaved = () =>
    client.listMappings().then(
      (m) => setSaved(m.mappings),
      () => undefined,
    );
  useEffect(() => {
    void refreshSaved();
  }, []);

  const choose = async (f: File | undefined) => {
    job.show({});
    setDry(null);
    setPeek(null);
    setFile(f ?? null);
    if (!f) return;
    try {
      const p = await client.peek(f, f.name);
      if (p.header.length === 0) throw new Error(`${f.name} is empty: there is no header row`);
      setPeek(p);
      setDraft(initialDraft(p));
      setKind(p.savedMapping !== undefined ? `saved:${p.savedMapping}` : p.guess.shape);
    } catch (e) {
      job.show({ error: (e as Error).message });
    }
  };

  /** The mapping the user chose, as the worker will read it. */
  const currentMapping = async (): Promise<MappingInput> => {
    if (!peek || !file || !draft) throw new Error("choose a file first");
    if (kind === null) throw new Error("choose what is in this file first");
    if (kind === "accounts" || kind === "observations") return client.standardMapping(kind, file.name, peek.header);
    if (kind.startsWith("saved:")) {
      const m = saved.find((s) => `saved:${s.name}` === kind);
      if (!m) throw new Error("that saved mapping is gone");
      return m.mapping;
    }
    if (!isEdited(kind)) throw new Error("choose what is in this file first");
    const dates = peek.guess.dates;
    return mappingOf(kind, draft, dates.kind === "ambiguous" ? dates.examples.join(", ") : undefined);
  };

  const checkFile = () =>
    job.run(
      async ({ track }) => {
        setDry(null);
        const mapping = await currentMapping();
        setDry(await track(PHASE_WORDS, (o) => client.planImport(file as File, (file as File).name, mapping, o)));
        // The result of the check: the dry run's report.
        focusWhenShown("dry-title");
      },
      { cancelled: "The check was cancelled." },
    );

  const runImport = () =>
    job.run(
      async ({ track, say }) => {
        if (!dry) return;
        const row = await track(PHASE_WORDS, (o) => client.applyImport(dry.planId, o));
        await afterOwnImport();
        await track(PHASE_WORDS, () => client.rescore());
        say(importSummary(row, dry.extras));
        setDry(null);
        setFile(null);
        setPeek(null);
        dataChanged();
      },
      { cancelled: "The import was cancelled: nothing was saved." },
    );

  const saveMapping = () =>
    job.run(async ({ say }) => {
      const s = await client.saveMapping(saveName, await currentMapping());
      await refreshSaved();
      setKind(`saved:${s.name}`);
      say(`Saved the mapping "${s.name}".`);
    });

  const editing = isEdited(kind);
  return (
    <>
      <h1>Data</h1>
      <SkipLinks
        links={[
          { to: "import-title", label: "Import a CSV file" },
          { to: "elsewhere-title", label: "Results scored elsewhere" },
          { to: "log-title", label: "Import log" },
          { to: "sources-title", label: "Metrics" },
          { to: "bundle-title", label: "Bundles" },
          { to: "storage-title", label: "Storage" },
        ]}
      />
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
              void choose(input.files?.[0]);
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
            {editing && <MappingEditor kind={kind} peek={peek} draft={draft} setDraft={setDraft} />}
            <div class="filters">
              {editing && (
                <>
                  <label>
                    Save this mapping as
                    <input
                      value={saveName}
                      placeholder="e.g. Zendesk tickets"
                      onInput={(e) => setSaveName((e.currentTarget as HTMLInputElement).value)}
                    />
                  </label>
                  <button
                    type="button"
                    class="secondary"
                    disabled={saveName.trim() === ""}
                    onClick={() => void saveMapping()}
                  >
                    Save mapping
                  </button>
                  <button
                    type="button"
                    class="secondary"
                    onClick={() =>
                      void job.run(async () =>
                        download(
                          `${saveName.trim() || "mapping"}.mapping.json`,
                          `${JSON.stringify(withSchema("mapping", await currentMapping()), null, 2)}\n`,
                          "application/json",
                        ),
                      )
                    }
                  >
                    Download mapping (for the vitals command)
                  </button>
                </>
              )}
              <button type="button" disabled={job.busy} onClick={() => void checkFile()}>
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
            <button type="button" disabled={job.busy} onClick={() => void runImport()}>
              Import
            </button>
            <button type="button" class="secondary" onClick={() => setDry(null)}>
              Back to the mapping
            </button>
          </div>
        </>
      )}
      <ScoredElsewhereSection />
      <ImportLog />
      <DataSourcesPanel />
      <BundleSection />
      <StorageSection />
    </>
  );
}
