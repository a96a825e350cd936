import { useState } from "preact/hooks";
import type { ScoredElsewhereInfo } from "../../../core/store/scored-elsewhere-info.ts";
import { count } from "../../../core/text/words.ts";
import type { ElsewhereAccount } from "../../../core/worker/elsewhere-api.ts";
import type { JobContext } from "../job/run-job.ts";
import { useJob } from "../job/use-job.tsx";
import { client, dataChanged, signed, useLoad } from "../services.ts";
import { ScoreBadge } from "./score-badge.tsx";

/** Says that the scores shown came from a results file, scored elsewhere, and what that means here. */
export function ScoredElsewhereNote({ info }: { info: ScoredElsewhereInfo }) {
  return (
    <p class="notice" role="note" data-testid="scored-elsewhere">
      Scored elsewhere: these are the results in <strong>{info.file}</strong>, as of <strong>{info.asOf}</strong> (
      {count(info.accounts)} accounts), shown as the file gives them. Editing scorecards or recording ratings here does
      not rescore them; run the scorecards where the data lives and import the new results, or{" "}
      <a href="#/data">go back to the app's own scores</a>.
    </p>
  );
}

/** The note, on pages that show the portfolio, while a portfolio scored elsewhere is imported. */
export function ScoredElsewhereBanner() {
  const loaded = useLoad(() => client.scoredElsewhere(), []);
  return loaded.state === "ready" && loaded.value ? <ScoredElsewhereNote info={loaded.value} /> : null;
}

/** One account of a portfolio scored elsewhere: its result as the file gives it. */
export function ElsewhereAccountView({ detail }: { detail: ElsewhereAccount }) {
  const { info, account } = detail;
  return (
    <>
      <p>
        <a href="#/accounts">← Accounts</a>
      </p>
      <h1>{account.name}</h1>
      <ScoredElsewhereNote info={info} />
      <section class="card" aria-labelledby="elsewhere-result">
        <h2 id="elsewhere-result">{account.scorecard === "" ? "No scorecard applies" : account.scorecard}</h2>
        <p>
          <ScoreBadge points={account.shown} grade={account.grade} color={account.color} label={account.label} />{" "}
          {account.label}
        </p>
        <dl class="facts">
          <div>
            <dt>Account id</dt>
            <dd>{account.id}</dd>
          </div>
          <div>
            <dt>Coverage</dt>
            <dd>{Math.round(account.coverage * 100)}%</dd>
          </div>
          <div>
            <dt>Change</dt>
            <dd>{account.delta === null ? "—" : `${signed(account.delta, 0)} points`}</dd>
          </div>
          {account.override && (
            <div>
              <dt>Override</dt>
              <dd>
                {account.override.text} (until {account.override.until})
              </dd>
            </div>
          )}
        </dl>
        {account.drags.length > 0 && (
          <>
            <h3>Dragging the score down</h3>
            <ul>
              {account.drags.map((d) => (
                <li key={d.text}>{d.text}</li>
              ))}
            </ul>
          </>
        )}
        <p class="muted">
          The file has no explanation, history or ratings: those need the data, which stays where it was scored.
        </p>
      </section>
    </>
  );
}

/** The Data page's part: import a results file as a read-only portfolio scored elsewhere, or clear it. */
export function ScoredElsewhereSection() {
  const loaded = useLoad(() => client.scoredElsewhere(), []);
  const [file, setFile] = useState<File | null>(null);
  const [asOf, setAsOf] = useState("");
  const [problems, setProblems] = useState<{ lines: string[]; more: number } | null>(null);
  const job = useJob("elsewhere");
  const busy = job.busy;
  const act = (work: (job: JobContext) => Promise<void>) => {
    setProblems(null);
    return job.run(work);
  };
  const runImport = () =>
    act(async ({ say }) => {
      if (!file) return;
      const done = await client.importResults(file, file.name, asOf);
      if (!done.ok) {
        setProblems({ lines: done.problems, more: done.more });
        return;
      }
      say(
        `Showing ${count(done.info.accounts)} accounts scored elsewhere (${done.info.file}, as of ${done.info.asOf}).`,
      );
      dataChanged();
    });
  const active = loaded.state === "ready" ? loaded.value : null;
  return (
    <section class="card" aria-labelledby="elsewhere-title">
      <h2 id="elsewhere-title">Results scored elsewhere</h2>
      <p class="muted">
        Scored your scorecards in a warehouse (<code>vitals sql</code>) or with <code>vitals score --format csv</code>?
        Import the results file to see them here, read-only: the dashboard and accounts show them as the file gives
        them, until you go back to the app's own scores. Your accounts and data are not changed.
      </p>
      {active && (
        <div class="filters">
          <span>
            Now showing <strong>{active.file}</strong>, as of {active.asOf} ({count(active.accounts)} accounts).
          </span>
          <button
            type="button"
            class="secondary"
            disabled={busy}
            onClick={() =>
              void act(async ({ say }) => {
                await client.clearScoredElsewhere();
                say("Showing the app's own scores again.");
                dataChanged();
              })
            }
          >
            Show the app's own scores
          </button>
        </div>
      )}
      <div class="filters">
        <label>
          Results file
          <input
            type="file"
            accept=".csv,text/csv"
            onChange={(e) => setFile((e.currentTarget as HTMLInputElement).files?.[0] ?? null)}
          />
        </label>
        <label>
          Scored as of
          <input type="date" value={asOf} onInput={(e) => setAsOf((e.currentTarget as HTMLInputElement).value)} />
        </label>
        <button type="button" disabled={busy || !file || asOf === ""} onClick={() => void runImport()}>
          Import results
        </button>
      </div>
      {problems && (
        <div role="alert" class="error wrap">
          <p>Nothing was imported: the file has problems.</p>
          <ul>
            {problems.lines.map((line) => (
              <li key={line}>{line}</li>
            ))}
          </ul>
          {problems.more > 0 && <p>…and {count(problems.more)} more.</p>}
        </div>
      )}
      {job.view}
    </section>
  );
}
