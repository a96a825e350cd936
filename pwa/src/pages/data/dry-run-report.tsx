import { formatDay } from "../../../../core/schema/day.ts";
import type { ImportDryRun } from "../../../../core/worker/data-api.ts";
import { client, download } from "../../services.ts";

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

/** The dry run: what the import would change, what it means, and every rejected row with its fix. */
export function DryRunReport({ dry }: { dry: ImportDryRun }) {
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
