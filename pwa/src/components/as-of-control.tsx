import { useEffect, useState } from "preact/hooks";
import { parseIsoDay } from "../../../core/schema/day.ts";
import { issuesInWords } from "../../../core/schema/issues.ts";
import type { AsOfSetting } from "../../../core/scoring/as-of.ts";
import { count } from "../../../core/text/words.ts";
import type { PortfolioStatus } from "../../../core/worker/portfolio-api.ts";
import { client, dataChanged, useLoad } from "../services.ts";
import { focusWhenShown } from "./focus.tsx";

/** Whole days from one ISO day to another (both valid). */
const daysBetween = (from: string, to: string) => (parseIsoDay(to) ?? 0) - (parseIsoDay(from) ?? 0);

/** "today", "yesterday", "705 days ago". */
function ago(days: number): string {
  return days <= 0 ? "today" : days === 1 ? "yesterday" : `${count(days)} days ago`;
}

/** Data older than this many days is said as a warning (the default "no new data" rule's 30 days). */
const STALE_DAYS = 30;

/** What the setting says in words: "the data's last day", "today", "2024-06-30". */
export function asOfWords(setting: AsOfSetting): string {
  return setting.mode === "data" ? "the data's last day" : setting.mode === "today" ? "today" : setting.day;
}

/**
 * The portfolio's as-of day on the dashboard: the day the scores are as of, how old the data is (said once for the
 * portfolio, not as an alert per account), and a control to score as of the data's last day, today, or a day.
 */
export function AsOfPanel() {
  const loaded = useLoad(() => client.status(), []);
  const status = loaded.state === "ready" ? loaded.value : null;
  return status ? <AsOfView status={status} /> : null;
}

function AsOfView({ status }: { status: PortfolioStatus }) {
  const [mode, setMode] = useState<AsOfSetting["mode"]>(status.asOfSetting.mode);
  const [day, setDay] = useState(
    status.asOfSetting.mode === "day" ? status.asOfSetting.day : (status.asOf ?? status.today),
  );
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ error: boolean; text: string } | null>(null);
  useEffect(() => {
    setMode(status.asOfSetting.mode);
    if (status.asOfSetting.mode === "day") setDay(status.asOfSetting.day);
  }, [status]);

  const gap = status.dataEnd === null ? null : daysBetween(status.dataEnd, status.today);
  const stale = gap !== null && gap >= STALE_DAYS;
  const apply = async (e: Event) => {
    e.preventDefault();
    const setting: AsOfSetting = mode === "day" ? { mode, day } : { mode };
    setBusy(true);
    setMessage(null);
    const refused = (why: string) => {
      setMessage({ error: true, text: `The as-of day was not changed: ${why}` });
      focusWhenShown("as-of-said");
    };
    try {
      const set = await client.setAsOf(setting);
      if (!set.ok) return refused(issuesInWords(set.issues));
      const next = set.value;
      const text = `Scores are now as of ${next.asOf} (${asOfWords(next.asOfSetting)}).`;
      setMessage({ error: false, text });
      dataChanged();
      focusWhenShown("as-of-said", (el) => el.textContent === text);
    } catch (error) {
      refused((error as Error).message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <section class="card as-of" aria-labelledby="as-of-title">
      <h2 id="as-of-title">
        Scores as of {status.asOf ?? "—"} <span class="muted small">({asOfWords(status.asOfSetting)})</span>
      </h2>
      {status.dataEnd === null ? (
        <p class="muted">No data is imported yet: scores are as of today.</p>
      ) : (
        <p class={stale ? "stale" : "muted"} role={stale ? "note" : undefined}>
          Your data ends {status.dataEnd}, {ago(gap ?? 0)}.
          {stale && status.asOf === status.dataEnd
            ? " Scores and alerts are as of that day; import newer data to move it."
            : ""}
        </p>
      )}
      <form class="filters" onSubmit={(e) => void apply(e)}>
        <label>
          Score as of
          <select value={mode} onChange={(e) => setMode((e.currentTarget as HTMLSelectElement).value as typeof mode)}>
            <option value="data">the data's last day{status.dataEnd ? ` (${status.dataEnd})` : ""}</option>
            <option value="today">today ({status.today})</option>
            <option value="day">a day I pick</option>
          </select>
        </label>
        {mode === "day" && (
          <label>
            Day
            <input
              type="date"
              required
              value={day}
              onInput={(e) => setDay((e.currentTarget as HTMLInputElement).value)}
            />
          </label>
        )}
        <button type="submit" disabled={busy}>
          {busy ? "Scoring…" : "Apply"}
        </button>
      </form>
      {message && (
        <p
          role={message.error ? "alert" : "status"}
          class={message.error ? "error" : "muted"}
          id="as-of-said"
          tabIndex={-1}
        >
          {message.text}
        </p>
      )}
    </section>
  );
}
