import { useState } from "preact/hooks";
import { issuesInWords } from "../../../core/schema/issues.ts";
import { focusWhenShown } from "../components/focus.tsx";
import { client, dataChanged, download, useLoad } from "../services.ts";

/** When a task is due, in words (never colour alone): "overdue by 3 days", "due today", "in 5 days". */
function dueWords(daysLeft: number): string {
  if (daysLeft < 0) return `overdue by ${-daysLeft} ${daysLeft === -1 ? "day" : "days"}`;
  if (daysLeft === 0) return "due today";
  return `in ${daysLeft} ${daysLeft === 1 ? "day" : "days"}`;
}

/** The task list per CSM: the plays' open tasks, overdue first, to complete, uncomplete and export. */
export function TasksPage() {
  const [owner, setOwner] = useState("");
  const [includeDone, setIncludeDone] = useState(false);
  const [said, setSaid] = useState("");
  const [problem, setProblem] = useState<string | null>(null);
  // What the CSM just ticked, shown at once while the worker saves it and the list reloads.
  const [ticked, setTicked] = useState<Record<string, boolean>>({});
  const loaded = useLoad(() => client.tasks({ ...(owner ? { owner } : {}), includeDone }), [owner, includeDone]);
  const toggle = async (id: string, title: string, done: boolean) => {
    setProblem(null);
    setTicked((t) => ({ ...t, [id]: done }));
    const refused = (why: string) => {
      setProblem(why);
      focusWhenShown("tasks-problem");
      setTicked(({ [id]: _done, ...rest }) => rest);
    };
    try {
      const set = await client.setTaskDone(id, done);
      if (!set.ok) return refused(issuesInWords(set.issues));
      const words = done ? `Completed "${title}".` : `Opened "${title}" again.`;
      setSaid(words);
      dataChanged();
      // A completed task leaves the list of open tasks: focus goes to the line that says it was completed.
      if (done && !includeDone) focusWhenShown("tasks-said", (el) => el.textContent === words);
    } catch (error) {
      refused((error as Error).message);
    }
  };
  const exportAs = async (format: "csv" | "ics") => {
    setProblem(null);
    try {
      const file = await client.exportTasks(format, owner ? { owner } : {});
      download(file.fileName, file.text, format === "ics" ? "text/calendar" : "text/csv");
      setSaid(`Saved ${file.fileName}.`);
    } catch (error) {
      setProblem((error as Error).message);
    }
  };
  return (
    <>
      <h1>Tasks</h1>
      <p class="muted">
        Tasks come from plays started on <a href="#/alerts">alerts</a>; each step of a play is due a number of days
        after it started. <a href="#/plays">Edit the plays</a>.
      </p>
      {loaded.state === "loading" && <p aria-busy="true">Loading tasks…</p>}
      {loaded.state === "error" && (
        <p role="alert" class="error">
          The tasks could not be loaded: {loaded.message}
        </p>
      )}
      {loaded.state === "ready" && (
        <>
          <form class="filters" onSubmit={(e) => e.preventDefault()} aria-label="Filter tasks">
            <label>
              Owner
              <select value={owner} onChange={(e) => setOwner((e.currentTarget as HTMLSelectElement).value)}>
                <option value="">Everyone</option>
                {loaded.value.owners.map((o) => (
                  <option key={o} value={o}>
                    {o}
                  </option>
                ))}
              </select>
            </label>
            <label class="check">
              <input
                type="checkbox"
                checked={includeDone}
                onChange={(e) => setIncludeDone((e.currentTarget as HTMLInputElement).checked)}
              />
              Show completed tasks
            </label>
            <button type="button" class="secondary" onClick={() => void exportAs("csv")}>
              Export open tasks (CSV)
            </button>
            <button type="button" class="secondary" onClick={() => void exportAs("ics")}>
              Export open tasks to a calendar (.ics)
            </button>
          </form>
          <p role="status" class="small" id="tasks-said" tabIndex={-1}>
            {said}
          </p>
          {problem && (
            <p role="alert" class="error" id="tasks-problem" tabIndex={-1}>
              {problem}
            </p>
          )}
          {loaded.value.tasks.length === 0 ? (
            <div class="empty-state">
              <p>{owner ? `${owner} has no open tasks.` : "No open tasks."}</p>
              <p class="muted">
                Start a play on an open alert (for example "Executive check-in" on a score drop) and its steps appear
                here with their due days.
              </p>
            </div>
          ) : (
            <div class="table-scroll">
              <table class="data">
                <caption class="visually-hidden">Tasks, overdue first, then by due day</caption>
                <thead>
                  <tr>
                    <th scope="col">Done</th>
                    <th scope="col">Task</th>
                    <th scope="col">Account</th>
                    <th scope="col">Due</th>
                    <th scope="col">Owner</th>
                    <th scope="col">Play</th>
                  </tr>
                </thead>
                <tbody>
                  {loaded.value.tasks.map((t) => (
                    <tr key={t.id} class={t.overdue ? "task-overdue" : t.doneOn ? "task-done" : undefined}>
                      <td>
                        <input
                          type="checkbox"
                          checked={ticked[t.id] ?? t.doneOn !== undefined}
                          aria-label={`Done: ${t.title} (${t.accountName})`}
                          onChange={(e) => void toggle(t.id, t.title, (e.currentTarget as HTMLInputElement).checked)}
                        />
                      </td>
                      <td>{t.title}</td>
                      <td>
                        <a href={`#/accounts/${encodeURIComponent(t.accountId)}`}>{t.accountName}</a>
                      </td>
                      <td>
                        {t.due}{" "}
                        <span class={t.overdue ? "pill pill-overdue" : "muted small"}>
                          {t.doneOn ? `done ${t.doneOn}` : dueWords(t.daysLeft)}
                        </span>
                      </td>
                      <td>{t.owner || "—"}</td>
                      <td>
                        {t.playName}
                        <span class="muted small"> · {t.alertTitle}</span>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </>
      )}
    </>
  );
}
