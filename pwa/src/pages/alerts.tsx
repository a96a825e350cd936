import { useState } from "preact/hooks";
import type { AlertStatus } from "../../../core/schema/alert.ts";
import type { PlayTemplate } from "../../../core/schema/play.ts";
import type { ListedAlert } from "../../../core/worker/alerts-api.ts";
import { client, dataChanged, useLoad } from "../services.ts";

/** What raises an alert, for empty states: each scorecard's rules, these unless the scorecard says otherwise. */
export const WHAT_RAISES =
  "An alert is raised when an account's score falls 10 points or more within 30 days, enters the red band, a renewal is 90 days away or less while the score is not green, or no new data arrives for 30 days (the defaults; each scorecard may set its own rules).";

const TABS: { status: AlertStatus; label: string }[] = [
  { status: "open", label: "Open" },
  { status: "snoozed", label: "Snoozed" },
  { status: "done", label: "Done" },
];

/** The day after an ISO day, as a snooze's earliest choice. */
function dayAfter(iso: string, days = 1): string {
  const d = new Date(`${iso}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** One alert with its actions: snooze until a day, mark done, reopen, start a play. */
function AlertItem(props: {
  alert: ListedAlert;
  plays: PlayTemplate[];
  today: string;
  onChanged: (message: string) => void;
  compact?: boolean;
}) {
  const { alert: a, plays, today } = props;
  const [until, setUntil] = useState(dayAfter(today, 7));
  const suggested = plays.filter((p) => a.suggestedPlays.includes(p.id));
  const others = plays.filter((p) => !a.suggestedPlays.includes(p.id));
  const [play, setPlay] = useState(suggested[0]?.id ?? others[0]?.id ?? "");
  const [problem, setProblem] = useState<string | null>(null);
  const act = async (work: () => Promise<unknown>, done: string) => {
    setProblem(null);
    try {
      await work();
      props.onChanged(done);
      dataChanged();
    } catch (error) {
      setProblem((error as Error).message);
    }
  };
  const id = `alert-${a.id}`;
  return (
    <li class="alert-item" aria-labelledby={`${id}-title`}>
      <div class="alert-head">
        <strong id={`${id}-title`}>
          <a href={`#/accounts/${encodeURIComponent(a.accountId)}`}>{a.accountName}</a>: {a.title}
        </strong>
        <span class="muted small">
          {a.scorecardName} · raised {a.raisedOn}
          {a.owner ? ` · owner ${a.owner}` : ""}
        </span>
      </div>
      <p class="alert-why">{a.message}</p>
      {a.clearedOn && a.status !== "done" && (
        <p class="pill pill-ok">Condition no longer holds (since {a.clearedOn})</p>
      )}
      {a.status === "snoozed" && <p class="muted small">Snoozed until {a.snoozedUntil}</p>}
      {a.status === "done" && (
        <p class="muted small">
          {a.resolution === "cleared" ? "Closed on waking: the condition had cleared" : "Marked done"} on {a.doneOn}
        </p>
      )}
      {a.playName && (
        <p class="small">
          Play: <strong>{a.playName}</strong> ({a.tasks.done} of {a.tasks.total} tasks done) ·{" "}
          <a href="#/tasks">Tasks</a>
        </p>
      )}
      {!props.compact && (
        <div class="row-actions">
          {a.status !== "done" && (
            <>
              <label>
                Snooze until
                <input
                  type="date"
                  min={dayAfter(today)}
                  value={until}
                  onInput={(e) => setUntil((e.currentTarget as HTMLInputElement).value)}
                />
              </label>
              <button
                type="button"
                class="secondary"
                onClick={() => act(() => client.snoozeAlert(a.id, until), `Snoozed until ${until}.`)}
              >
                Snooze
              </button>
              <button type="button" onClick={() => act(() => client.closeAlert(a.id), "Marked done.")}>
                Mark done
              </button>
            </>
          )}
          {a.status !== "open" && (
            <button type="button" class="secondary" onClick={() => act(() => client.reopenAlert(a.id), "Reopened.")}>
              Reopen
            </button>
          )}
          {a.status !== "done" && !a.playId && plays.length > 0 && (
            <>
              <label>
                Play
                <select value={play} onChange={(e) => setPlay((e.currentTarget as HTMLSelectElement).value)}>
                  {suggested.length > 0 && (
                    <optgroup label="Suggested for this rule">
                      {suggested.map((p) => (
                        <option key={p.id} value={p.id}>
                          {p.name}
                        </option>
                      ))}
                    </optgroup>
                  )}
                  {others.length > 0 && (
                    <optgroup label="Other plays">
                      {others.map((p) => (
                        <option key={p.id} value={p.id}>
                          {p.name}
                        </option>
                      ))}
                    </optgroup>
                  )}
                </select>
              </label>
              <button
                type="button"
                onClick={() =>
                  act(
                    () => client.startPlay(a.id, play),
                    `Started the play "${plays.find((p) => p.id === play)?.name ?? play}": its tasks are on the Tasks page.`,
                  )
                }
              >
                Start play
              </button>
            </>
          )}
        </div>
      )}
      {problem && (
        <p role="alert" class="error">
          {problem}
        </p>
      )}
    </li>
  );
}

/** The alert inbox: open, snoozed and done tabs, filters by owner and scorecard, each alert with its actions. */
export function AlertsPage() {
  const [status, setStatus] = useState<AlertStatus>("open");
  const [owner, setOwner] = useState("");
  const [scorecardId, setScorecardId] = useState("");
  const [said, setSaid] = useState("");
  const loaded = useLoad(
    () =>
      Promise.all([
        client.alerts({
          status,
          ...(owner ? { owner } : {}),
          ...(scorecardId ? { scorecardId } : {}),
        }),
        client.plays(),
      ]),
    [status, owner, scorecardId],
  );
  const onTabKey = (e: KeyboardEvent) => {
    const i = TABS.findIndex((t) => t.status === status);
    const next = e.key === "ArrowRight" ? i + 1 : e.key === "ArrowLeft" ? i - 1 : null;
    if (next === null) return;
    e.preventDefault();
    const tab = TABS[(next + TABS.length) % TABS.length] as (typeof TABS)[number];
    setStatus(tab.status);
    document.getElementById(`tab-${tab.status}`)?.focus();
  };
  return (
    <>
      <h1>Alerts</h1>
      <p class="muted">
        Raised each time scores are recomputed (an import, a rating, a scorecard saved). <a href="#/tasks">Tasks</a> ·{" "}
        <a href="#/plays">Plays</a> · <a href="#/alerts/rules">Alert rules</a>
      </p>
      {loaded.state === "error" && (
        <p role="alert" class="error">
          The alerts could not be loaded: {loaded.message}
        </p>
      )}
      {loaded.state === "loading" && <p aria-busy="true">Loading alerts…</p>}
      {loaded.state === "ready" &&
        (() => {
          const [inbox, plays] = loaded.value;
          return (
            <>
              <form class="filters" onSubmit={(e) => e.preventDefault()} aria-label="Filter alerts">
                <label>
                  Owner
                  <select value={owner} onChange={(e) => setOwner((e.currentTarget as HTMLSelectElement).value)}>
                    <option value="">All</option>
                    {inbox.owners.map((o) => (
                      <option key={o} value={o}>
                        {o}
                      </option>
                    ))}
                  </select>
                </label>
                <label>
                  Scorecard
                  <select
                    value={scorecardId}
                    onChange={(e) => setScorecardId((e.currentTarget as HTMLSelectElement).value)}
                  >
                    <option value="">All</option>
                    {inbox.scorecards.map((c) => (
                      <option key={c.id} value={c.id}>
                        {c.name}
                      </option>
                    ))}
                  </select>
                </label>
              </form>
              <div role="tablist" aria-label="Alerts by status" class="tabs" onKeyDown={onTabKey}>
                {TABS.map((t) => (
                  <button
                    key={t.status}
                    id={`tab-${t.status}`}
                    type="button"
                    role="tab"
                    aria-selected={status === t.status}
                    aria-controls="alerts-panel"
                    tabIndex={status === t.status ? 0 : -1}
                    onClick={() => setStatus(t.status)}
                  >
                    {t.label} ({inbox.counts[t.status].toLocaleString("en-US")})
                  </button>
                ))}
              </div>
              <p role="status" class="small">
                {said}
              </p>
              <section id="alerts-panel" role="tabpanel" aria-labelledby={`tab-${status}`}>
                {inbox.alerts.length === 0 ? (
                  <div class="empty-state">
                    <p>
                      {status === "open"
                        ? "No open alerts."
                        : status === "snoozed"
                          ? "No snoozed alerts. Snooze an open alert to have it come back on a day you choose."
                          : "No alerts are done yet."}
                    </p>
                    {status === "open" && <p class="muted">{WHAT_RAISES}</p>}
                  </div>
                ) : (
                  <ul class="alert-list">
                    {inbox.alerts.map((a) => (
                      <AlertItem key={a.id} alert={a} plays={plays} today={inbox.today} onChanged={setSaid} />
                    ))}
                  </ul>
                )}
              </section>
            </>
          );
        })()}
    </>
  );
}

/** Open alerts in a card (the dashboard's, or one account's), each linking to its account and the inbox. */
export function OpenAlertsPanel(props: { accountId?: string; limit?: number }) {
  const loaded = useLoad(
    () => client.alerts({ status: "open", ...(props.accountId ? { accountId: props.accountId } : {}) }),
    [props.accountId],
  );
  const limit = props.limit ?? 8;
  return (
    <section class="card" aria-labelledby="open-alerts-title">
      <h2 id="open-alerts-title">
        Open alerts
        {loaded.state === "ready" && ` (${loaded.value.counts.open.toLocaleString("en-US")})`}
      </h2>
      {loaded.state === "loading" && <p aria-busy="true">Loading alerts…</p>}
      {loaded.state === "error" && (
        <p role="alert" class="error">
          The alerts could not be loaded: {loaded.message}
        </p>
      )}
      {loaded.state === "ready" &&
        (loaded.value.alerts.length === 0 ? (
          <p class="muted">
            {props.accountId ? "This account has no open alert. " : "No open alerts. "}
            {WHAT_RAISES}
          </p>
        ) : (
          <>
            <ul class="alert-list">
              {loaded.value.alerts.slice(0, limit).map((a) => (
                <AlertItem key={a.id} alert={a} plays={[]} today={loaded.value.today} onChanged={() => {}} compact />
              ))}
            </ul>
            <p>
              <a href="#/alerts">
                {loaded.value.alerts.length > limit
                  ? `All ${loaded.value.alerts.length.toLocaleString("en-US")} open alerts`
                  : "Open the alert inbox"}
              </a>
            </p>
          </>
        ))}
    </section>
  );
}
