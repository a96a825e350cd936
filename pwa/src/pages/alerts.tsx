import { useEffect, useRef, useState } from "preact/hooks";
import { ALERT_SORTS, type AlertGroup, type AlertSort } from "../../../core/alerts/triage.ts";
import type { ScoreDigest, ScoreMove } from "../../../core/insights/score-digest.ts";
import type { AlertStatus } from "../../../core/schema/alert.ts";
import { addDays } from "../../../core/schema/day.ts";
import { issuesInWords, type SaveResult } from "../../../core/schema/issues.ts";
import type { PlayTemplate } from "../../../core/schema/play.ts";
import type { ListedAlert } from "../../../core/worker/alerts-api.ts";
import { focusById, focusWhenShown, SkipLinks } from "../components/focus.tsx";
import { client, dataChanged, money, signed, useLoad } from "../services.ts";

/** What raises an alert, for empty states: each scorecard's rules, these unless the scorecard says otherwise. */
export const WHAT_RAISES =
  "An alert is raised when an account's score falls 25 points or more within 30 days, enters the red band, a renewal is 30 days away or less while the score is not green, or no new data arrives for 30 days (the defaults; each scorecard may set its own rules).";

const SEVERITY_WORDS = { high: "High", medium: "Medium", low: "Low" } as const;

const TABS: { status: AlertStatus; label: string }[] = [
  { status: "open", label: "Open" },
  { status: "snoozed", label: "Snoozed" },
  { status: "done", label: "Done" },
];

/** One alert with its actions: snooze until a day, mark done, reopen, start a play. */
function AlertItem(props: {
  alert: ListedAlert;
  plays: PlayTemplate[];
  today: string;
  onChanged: (message: string) => void;
  /** Called before an action that takes the alert out of the list shown (focus then goes to the next one). */
  onLeaving?: () => void;
  compact?: boolean;
  /** Listed under its account's heading. */
  grouped?: boolean;
  selected?: boolean;
  onSelect?: (selected: boolean) => void;
}) {
  const { alert: a, plays, today } = props;
  const [until, setUntil] = useState(addDays(today, 7));
  const suggested = plays.filter((p) => a.suggestedPlays.includes(p.id));
  const others = plays.filter((p) => !a.suggestedPlays.includes(p.id));
  const [play, setPlay] = useState(suggested[0]?.id ?? others[0]?.id ?? "");
  const [problem, setProblem] = useState<string | null>(null);
  const id = `alert-${a.id}`;
  const act = async (work: () => Promise<SaveResult<unknown>>, done: string, leaves: boolean) => {
    setProblem(null);
    const refused = (why: string) => {
      setProblem(why);
      focusWhenShown(`${id}-problem`);
    };
    try {
      const result = await work();
      if (!result.ok) return refused(issuesInWords(result.issues));
      if (leaves) props.onLeaving?.();
      else focusWhenShown(`${id}-play`);
      props.onChanged(done);
      dataChanged();
    } catch (error) {
      refused((error as Error).message);
    }
  };
  return (
    <li class="alert-item" id={id} tabIndex={props.compact ? undefined : -1} aria-labelledby={`${id}-title`}>
      <div class="alert-head">
        {props.onSelect && (
          <label class="check">
            <input
              type="checkbox"
              class="alert-select"
              checked={props.selected ?? false}
              onChange={(e) => props.onSelect?.((e.currentTarget as HTMLInputElement).checked)}
            />
            <span class="visually-hidden">
              Select {a.accountName}: {a.title}
            </span>
          </label>
        )}
        <strong id={`${id}-title`}>
          {props.grouped ? (
            // Under its account's heading (which links to the account): the name is said, not shown twice.
            <span class="visually-hidden">{a.accountName}: </span>
          ) : (
            <>
              <a href={`#/accounts/${encodeURIComponent(a.accountId)}`}>{a.accountName}</a>:{" "}
            </>
          )}
          {a.title}
        </strong>
        <span class={`pill severity-${a.severity}`}>{SEVERITY_WORDS[a.severity]}</span>
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
        <p class="small" id={`${id}-play`} tabIndex={-1}>
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
                  min={addDays(today, 1)}
                  value={until}
                  onInput={(e) => setUntil((e.currentTarget as HTMLInputElement).value)}
                />
              </label>
              <button
                type="button"
                class="secondary"
                onClick={() => act(() => client.snoozeAlert(a.id, until), `Snoozed until ${until}.`, true)}
              >
                Snooze
              </button>
              <button type="button" onClick={() => act(() => client.closeAlert(a.id), "Marked done.", true)}>
                Mark done
              </button>
            </>
          )}
          {a.status !== "open" && (
            <button
              type="button"
              class="secondary"
              onClick={() => act(() => client.reopenAlert(a.id), "Reopened.", true)}
            >
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
                    false,
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
        <p role="alert" class="error" id={`${id}-problem`} tabIndex={-1}>
          {problem}
        </p>
      )}
    </li>
  );
}

/** Whether a key press is typed into a field (shortcuts leave those alone). */
function typing(e: KeyboardEvent): boolean {
  const t = e.target as HTMLElement | null;
  return (
    e.ctrlKey ||
    e.metaKey ||
    e.altKey ||
    (t !== null && (t.isContentEditable || /^(INPUT|SELECT|TEXTAREA)$/.test(t.tagName)) && !t.matches(".alert-select"))
  );
}

/** One account's alerts under its name, ARR and renewal, with a box to select them all. */
function AlertGroupItem(props: {
  group: AlertGroup<ListedAlert>;
  children: preact.ComponentChildren;
  selected: ReadonlySet<string>;
  onSelect: (ids: string[], on: boolean) => void;
}) {
  const g = props.group;
  const id = `group-${g.accountId.replace(/[^A-Za-z0-9_-]/g, "_")}`;
  const all = g.alerts.every((a) => props.selected.has(a.id));
  return (
    <li class="alert-group" aria-labelledby={`${id}-name`}>
      <div class="alert-group-head">
        <h2 id={`${id}-name`}>
          <a href={`#/accounts/${encodeURIComponent(g.accountId)}`}>{g.accountName}</a>
        </h2>
        <span class="muted small">
          ARR {money(g.arr)} · {g.renewalDate ? `renews ${g.renewalDate}` : "no renewal date"} · {g.alerts.length}{" "}
          {g.alerts.length === 1 ? "alert" : "alerts"}
        </span>
        {g.alerts.length > 1 && (
          <label class="check small">
            <input
              type="checkbox"
              checked={all}
              onChange={(e) =>
                props.onSelect(
                  g.alerts.map((a) => a.id),
                  (e.currentTarget as HTMLInputElement).checked,
                )
              }
            />
            Select all {g.alerts.length} of {g.accountName}
          </label>
        )}
      </div>
      <ul class="alert-list">{props.children}</ul>
    </li>
  );
}

/**
 * The alert inbox: open, snoozed and done tabs; alerts grouped by account and sorted by ARR at risk, severity,
 * renewal date or newest; filters by owner, scorecard and account; select many to snooze, close or reopen them at
 * once; keyboard shortcuts j/k (next, previous), x (select), d (mark done).
 */
export function AlertsPage() {
  const [status, setStatus] = useState<AlertStatus>("open");
  const [owner, setOwner] = useState("");
  const [scorecardId, setScorecardId] = useState("");
  const [accountId, setAccountId] = useState("");
  const [sort, setSort] = useState<AlertSort>("arr");
  const [said, setSaid] = useState("");
  const [selection, setSelection] = useState<ReadonlySet<string>>(new Set());
  const [bulkUntil, setBulkUntil] = useState("");
  const [bulkProblem, setBulkProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  /** Where focus goes once the list reloads after alerts left it: the alert now at that place, or the status line. */
  const refocus = useRef<{ index: number } | null>(null);
  const loaded = useLoad(
    () =>
      Promise.all([
        client.alerts({
          status,
          sort,
          ...(owner ? { owner } : {}),
          ...(scorecardId ? { scorecardId } : {}),
          ...(accountId ? { accountId } : {}),
        }),
        client.plays(),
        client.alertDigest(),
      ]),
    [status, owner, scorecardId, accountId, sort],
  );
  const inbox = loaded.state === "ready" ? loaded.value[0] : null;
  const shown = inbox?.alerts ?? [];
  // The selection keeps only alerts still shown (a filter, a tab or an action takes others away).
  const selected = new Set(shown.filter((a) => selection.has(a.id)).map((a) => a.id));

  useEffect(() => {
    if (!inbox || !refocus.current) return;
    const { index } = refocus.current;
    refocus.current = null;
    const next = inbox.alerts[Math.min(index, inbox.alerts.length - 1)];
    if (!next || !focusById(`alert-${next.id}`)) focusById("alerts-said");
  }, [inbox]);

  /** The index of the alert that holds focus, or −1. */
  const currentIndex = () => {
    const item = (document.activeElement as HTMLElement | null)?.closest?.(".alert-item");
    return item ? shown.findIndex((a) => `alert-${a.id}` === item.id) : -1;
  };
  const leaving = () => {
    refocus.current = { index: Math.max(0, currentIndex()) };
  };
  const select = (ids: readonly string[], on: boolean) => {
    const next = new Set(selected);
    for (const id of ids) {
      if (on) next.add(id);
      else next.delete(id);
    }
    setSelection(next);
  };

  const bulk = async (work: (ids: string[]) => Promise<SaveResult<unknown>>, words: (n: number) => string) => {
    const ids = [...selected];
    setBulkProblem(null);
    setBusy(true);
    const refused = (why: string) => {
      setBulkProblem(why);
      focusWhenShown("bulk-problem");
    };
    try {
      const result = await work(ids);
      // A refused alert is named in its issue's message (its account and title), not by its place in the selection.
      if (!result.ok) return refused(issuesInWords(result.issues, { ids: "" }));
      setSelection(new Set());
      setSaid(words(ids.length));
      dataChanged();
      // The result is the status line saying what was done; the alerts it names have left the list.
      focusWhenShown("alerts-said", (el) => el.textContent === words(ids.length));
    } catch (error) {
      refused((error as Error).message);
    } finally {
      setBusy(false);
    }
  };

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (typing(e) || !inbox || shown.length === 0) return;
      if (!["j", "k", "x", "d"].includes(e.key)) return;
      const i = currentIndex();
      if (e.key === "j" || e.key === "k") {
        e.preventDefault();
        const next = e.key === "j" ? (i < 0 ? 0 : Math.min(i + 1, shown.length - 1)) : Math.max(i - 1, 0);
        focusById(`alert-${(shown[next] as ListedAlert).id}`);
        return;
      }
      if (i < 0) return;
      const a = shown[i] as ListedAlert;
      e.preventDefault();
      if (e.key === "x") select([a.id], !selected.has(a.id));
      else if (a.status !== "done") {
        refocus.current = { index: i };
        const refused = (why: string) => {
          refocus.current = null;
          setSaid(`Could not mark it done: ${why}`);
        };
        client.closeAlert(a.id).then(
          (closed) => {
            if (!closed.ok) return refused(issuesInWords(closed.issues));
            setSaid(`Marked done: ${a.accountName}: ${a.title}.`);
            dataChanged();
          },
          (error: unknown) => refused((error as Error).message),
        );
      }
    };
    addEventListener("keydown", onKey);
    return () => removeEventListener("keydown", onKey);
  });

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
      <SkipLinks
        links={[
          { to: "alerts-digest", label: "Since yesterday" },
          { to: "alerts-filters", label: "Filters and order" },
          { to: "alerts-bulk", label: "Selected alerts" },
          { to: "alerts-panel", label: "The alerts" },
        ]}
      />
      {loaded.state === "error" && (
        <p role="alert" class="error">
          The alerts could not be loaded: {loaded.message}
        </p>
      )}
      {loaded.state === "loading" && <p aria-busy="true">Loading alerts…</p>}
      {loaded.state === "ready" &&
        inbox &&
        (() => {
          const [, plays, digest] = loaded.value;
          const canClose = status !== "done";
          const canReopen = status !== "open";
          return (
            <>
              <section class="card digest-summary" id="alerts-digest" aria-labelledby="alerts-digest-title">
                <h2 id="alerts-digest-title">Since yesterday</h2>
                <p>
                  {digest.counts.raised} raised · {digest.counts.woke} back from a snooze · {digest.counts.cleared} no
                  longer holding · {digest.counts.closed} closed (since {digest.since}).{" "}
                  <a href="#/alerts/digest">What changed since yesterday</a>
                </p>
              </section>
              <form
                class="filters"
                id="alerts-filters"
                onSubmit={(e) => e.preventDefault()}
                aria-label="Filter and order alerts"
              >
                <label>
                  Order by
                  <select
                    value={sort}
                    onChange={(e) => setSort((e.currentTarget as HTMLSelectElement).value as AlertSort)}
                  >
                    {ALERT_SORTS.map((o) => (
                      <option key={o.sort} value={o.sort}>
                        {o.label}
                      </option>
                    ))}
                  </select>
                </label>
                <label>
                  Account
                  <select
                    value={accountId}
                    onChange={(e) => setAccountId((e.currentTarget as HTMLSelectElement).value)}
                  >
                    <option value="">All</option>
                    {accountId && !inbox.accounts.some((c) => c.id === accountId) && (
                      <option value={accountId}>{accountId}</option>
                    )}
                    {inbox.accounts.map((c) => (
                      <option key={c.id} value={c.id}>
                        {c.name} ({c.alerts})
                      </option>
                    ))}
                  </select>
                </label>
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
              <p role="status" class="small" id="alerts-said" tabIndex={-1}>
                {said}
              </p>
              {shown.length > 0 && (
                <form
                  class="bulk-bar"
                  id="alerts-bulk"
                  aria-label="Selected alerts"
                  onSubmit={(e) => e.preventDefault()}
                >
                  <label class="check">
                    <input
                      type="checkbox"
                      checked={selected.size === shown.length}
                      onChange={(e) =>
                        setSelection(
                          (e.currentTarget as HTMLInputElement).checked ? new Set(shown.map((a) => a.id)) : new Set(),
                        )
                      }
                    />
                    Select all {shown.length.toLocaleString("en-US")} shown
                  </label>
                  <span aria-live="polite">{selected.size.toLocaleString("en-US")} selected</span>
                  {canClose && (
                    <>
                      <label>
                        Snooze selected until
                        <input
                          type="date"
                          min={addDays(inbox.today, 1)}
                          value={bulkUntil || addDays(inbox.today, 7)}
                          onInput={(e) => setBulkUntil((e.currentTarget as HTMLInputElement).value)}
                        />
                      </label>
                      <button
                        type="button"
                        class="secondary"
                        disabled={busy || selected.size === 0}
                        onClick={() => {
                          const until = bulkUntil || addDays(inbox.today, 7);
                          void bulk(
                            (ids) => client.snoozeAlerts(ids, until),
                            (n) => `Snoozed ${n} ${n === 1 ? "alert" : "alerts"} until ${until}.`,
                          );
                        }}
                      >
                        Snooze selected
                      </button>
                      <button
                        type="button"
                        disabled={busy || selected.size === 0}
                        onClick={() =>
                          void bulk(
                            (ids) => client.closeAlerts(ids),
                            (n) => `Marked ${n} ${n === 1 ? "alert" : "alerts"} done.`,
                          )
                        }
                      >
                        Mark selected done
                      </button>
                    </>
                  )}
                  {canReopen && (
                    <button
                      type="button"
                      class="secondary"
                      disabled={busy || selected.size === 0}
                      onClick={() =>
                        void bulk(
                          (ids) => client.reopenAlerts(ids),
                          (n) => `Reopened ${n} ${n === 1 ? "alert" : "alerts"}.`,
                        )
                      }
                    >
                      Reopen selected
                    </button>
                  )}
                  {bulkProblem && (
                    <p role="alert" class="error" id="bulk-problem" tabIndex={-1}>
                      {bulkProblem}
                    </p>
                  )}
                </form>
              )}
              <p class="muted small" id="alerts-keys">
                Keys: <kbd>j</kbd> next alert, <kbd>k</kbd> previous, <kbd>x</kbd> select it
                {canClose ? (
                  <>
                    , <kbd>d</kbd> mark it done
                  </>
                ) : (
                  ""
                )}
                .
              </p>
              <section id="alerts-panel" role="tabpanel" aria-labelledby={`tab-${status}`} tabIndex={-1}>
                {shown.length === 0 ? (
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
                  <>
                    <p class="small">
                      {inbox.summary.alerts.toLocaleString("en-US")} {inbox.summary.alerts === 1 ? "alert" : "alerts"}{" "}
                      on {inbox.summary.accounts.toLocaleString("en-US")}{" "}
                      {inbox.summary.accounts === 1 ? "account" : "accounts"}, {money(inbox.summary.arrAtRisk)} ARR
                      {status === "open" ? " at risk" : ""}.
                    </p>
                    <ul class="alert-groups" aria-describedby="alerts-keys">
                      {inbox.groups.map((g) => (
                        <AlertGroupItem key={g.accountId} group={g} selected={selected} onSelect={select}>
                          {g.alerts.map((a) => (
                            <AlertItem
                              key={a.id}
                              alert={a}
                              plays={plays}
                              today={inbox.today}
                              onChanged={setSaid}
                              onLeaving={leaving}
                              grouped
                              selected={selected.has(a.id)}
                              onSelect={(on) => select([a.id], on)}
                            />
                          ))}
                        </AlertGroupItem>
                      ))}
                    </ul>
                  </>
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
  // An account's page reads that account's alerts alone; the dashboard's panel, the inbox's open ones.
  const loaded = useLoad(
    () =>
      props.accountId
        ? client.accountAlerts({ accountId: props.accountId, status: "open" })
        : client.alerts({ status: "open" }),
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

/** The digest's alert parts, in order: their anchors, titles and empty states, written once for links and sections. */
const ALERT_PARTS = [
  { key: "raised", title: "Raised", empty: "No alert was raised since yesterday." },
  { key: "woke", title: "Back from a snooze", empty: "No snoozed alert came back since yesterday." },
  { key: "cleared", title: "No longer holding", empty: "No open alert's condition cleared since yesterday." },
  { key: "closed", title: "Closed", empty: "No alert was closed since yesterday." },
] as const;

/** One part of the digest: its accounts, each with the alerts that moved. */
function DigestPart(props: { id: string; title: string; empty: string; groups: AlertGroup<ListedAlert>[] }) {
  const n = props.groups.reduce((sum, g) => sum + g.alerts.length, 0);
  return (
    <section class="card" id={props.id} aria-labelledby={`${props.id}-title`}>
      <h2 id={`${props.id}-title`}>
        {props.title} ({n.toLocaleString("en-US")})
      </h2>
      {n === 0 ? (
        <p class="muted">{props.empty}</p>
      ) : (
        <ul class="digest-list">
          {props.groups.map((g) => (
            <li key={g.accountId}>
              <a href={`#/accounts/${encodeURIComponent(g.accountId)}`}>{g.accountName}</a>{" "}
              <span class="muted small">
                ARR {money(g.arr)}
                {g.renewalDate ? ` · renews ${g.renewalDate}` : ""}
              </span>
              <ul>
                {g.alerts.map((a) => (
                  <li key={a.id} class="digest-alert">
                    <span class={`pill severity-${a.severity}`}>{SEVERITY_WORDS[a.severity]}</span> {a.title}:{" "}
                    {a.message}
                    {a.status === "done" && (
                      <span class="muted small">
                        {" "}
                        ({a.resolution === "cleared" ? "closed on waking: the condition had cleared" : "marked done"} on{" "}
                        {a.doneOn})
                      </span>
                    )}
                  </li>
                ))}
              </ul>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

/** A score on one day in words: "85 A Healthy". */
const dayScoreText = (d: ScoreMove["from"]) => `${d.points} ${d.grade} ${d.label}`;

/** One account's move in the score digest: its link, from → to with both bands, the change, ARR and renewal. */
function MoveItem({ move }: { move: ScoreMove }) {
  return (
    <li class="score-move" data-account={move.id}>
      <a href={`#/accounts/${encodeURIComponent(move.id)}`}>{move.name}</a>{" "}
      <span class="move-text">
        {dayScoreText(move.from)} → {dayScoreText(move.to)} ({signed(move.change)}{" "}
        {Math.abs(move.change) === 1 ? "point" : "points"})
      </span>{" "}
      <span class="muted small">
        ARR {money(move.arr)}
        {move.renewalDate ? ` · renews ${move.renewalDate}` : ""}
      </span>
    </li>
  );
}

/** The digest's score parts: accounts whose band changed since the day before, and the biggest moves in points. */
function ScoreParts({ digest }: { digest: ScoreDigest }) {
  const changed = digest.bandUp.length + digest.bandDown.length;
  const plural = (n: number, one: string, many: string) => `${n.toLocaleString("en-US")} ${n === 1 ? one : many}`;
  return (
    <>
      <section class="card" id="digest-bands" aria-labelledby="digest-bands-title">
        <h2 id="digest-bands-title">Band changes ({changed.toLocaleString("en-US")})</h2>
        <p class="muted" id="digest-scores-summary">
          {digest.compared === 0
            ? `No account has a score on both ${digest.since} and ${digest.asOf} to compare.`
            : `${plural(digest.compared, "account", "accounts")} scored on both days: ${digest.rose.toLocaleString(
                "en-US",
              )} rose and ${digest.fell.toLocaleString("en-US")} fell by a point or more.`}
          {digest.scoredNow > 0 &&
            ` ${plural(digest.scoredNow, "account has", "accounts have")} a score now and had none then.`}
          {digest.unscoredNow > 0 &&
            ` ${plural(digest.unscoredNow, "account had", "accounts had")} a score then and has not enough data now.`}
        </p>
        {changed === 0 ? (
          <p class="muted">No account changed band since {digest.since}.</p>
        ) : (
          <>
            <h3>Up a band ({digest.bandUp.length.toLocaleString("en-US")})</h3>
            {digest.bandUp.length === 0 ? (
              <p class="muted">None.</p>
            ) : (
              <ul class="digest-list" aria-label="Up a band">
                {digest.bandUp.map((m) => (
                  <MoveItem key={m.id} move={m} />
                ))}
              </ul>
            )}
            <h3>Down a band ({digest.bandDown.length.toLocaleString("en-US")})</h3>
            {digest.bandDown.length === 0 ? (
              <p class="muted">None.</p>
            ) : (
              <ul class="digest-list" aria-label="Down a band">
                {digest.bandDown.map((m) => (
                  <MoveItem key={m.id} move={m} />
                ))}
              </ul>
            )}
          </>
        )}
      </section>
      <section class="card" id="digest-moves" aria-labelledby="digest-moves-title">
        <h2 id="digest-moves-title">Biggest moves ({digest.moves.length.toLocaleString("en-US")})</h2>
        {digest.moves.length === 0 ? (
          <p class="muted">No score moved a whole point since {digest.since}.</p>
        ) : (
          <ol class="digest-list" aria-label="Biggest moves">
            {digest.moves.map((m) => (
              <MoveItem key={m.id} move={m} />
            ))}
          </ol>
        )}
      </section>
    </>
  );
}

/**
 * The daily digest, what changed since yesterday: the scores (band changes, the biggest moves, from the day before
 * the as-of day to the as-of day), then the inbox (alerts raised, back from a snooze, no longer holding, closed
 * yesterday or today), the largest ARR first in each part.
 */
export function AlertDigestPage() {
  const loaded = useLoad(async () => {
    const [scores, alerts] = await Promise.all([client.scoreDigest(), client.alertDigest()]);
    return { scores, alerts };
  }, []);
  return (
    <>
      <p>
        <a href="#/alerts">← Alerts</a>
      </p>
      <h1>What changed since yesterday</h1>
      {loaded.state === "loading" && <p aria-busy="true">Loading what changed…</p>}
      {loaded.state === "error" && (
        <p role="alert" class="error">
          What changed could not be loaded: {loaded.message}
        </p>
      )}
      {loaded.state === "ready" && (
        <>
          <p class="muted">
            Scores as of {loaded.value.scores.asOf} against the day before ({loaded.value.scores.since}); alerts raised,
            back from a snooze, no longer holding, and closed on {loaded.value.alerts.since} or{" "}
            {loaded.value.alerts.today}: each account once, the largest ARR first.
          </p>
          <SkipLinks
            links={[
              {
                to: "digest-bands",
                label: `Band changes (${loaded.value.scores.bandUp.length + loaded.value.scores.bandDown.length})`,
              },
              { to: "digest-moves", label: `Biggest moves (${loaded.value.scores.moves.length})` },
              ...ALERT_PARTS.map((p) => ({
                to: `digest-${p.key}`,
                label: `${p.title} (${loaded.value.alerts.counts[p.key]})`,
              })),
            ]}
          />
          <ScoreParts digest={loaded.value.scores} />
          {ALERT_PARTS.map((p) => (
            <DigestPart
              key={p.key}
              id={`digest-${p.key}`}
              title={p.title}
              empty={p.empty}
              groups={loaded.value.alerts[p.key]}
            />
          ))}
        </>
      )}
    </>
  );
}
