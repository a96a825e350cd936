import { useState } from "preact/hooks";
import { type FileIssue, issueInWords } from "../../../core/schema/issues.ts";
import type { PlayAttachment, PlayTemplate } from "../../../core/schema/play.ts";
import type { RuleChoice } from "../../../core/worker/alerts-api.ts";
import { focusWhenShown } from "../components/focus.tsx";
import { client, dataChanged, useLoad } from "../services.ts";

/** A play as the form edits it (numbers as typed). */
interface Draft {
  id: string;
  name: string;
  description: string;
  steps: { title: string; dueDays: string; owner: string }[];
  rules: PlayAttachment[];
  isNew: boolean;
}

const draftOf = (p: PlayTemplate): Draft => ({
  id: p.id,
  name: p.name,
  description: p.description,
  steps: p.steps.map((s) => ({ title: s.title, dueDays: String(s.dueDays), owner: s.owner })),
  rules: p.rules,
  isNew: false,
});

const newDraft = (): Draft => ({
  id: `play-${Date.now().toString(36)}`,
  name: "",
  description: "",
  steps: [{ title: "", dueDays: "1", owner: "" }],
  rules: [],
  isNew: true,
});

/** The rules to attach to, one per rule id (on every scorecard that has it), in words. */
function ruleOptions(rules: readonly RuleChoice[]): { ruleId: string; title: string; scorecards: string[] }[] {
  const byId = new Map<string, { ruleId: string; title: string; scorecards: string[] }>();
  for (const r of rules) {
    const entry = byId.get(r.ruleId) ?? { ruleId: r.ruleId, title: r.title, scorecards: [] };
    entry.scorecards.push(r.scorecardName);
    byId.set(r.ruleId, entry);
  }
  return [...byId.values()];
}

/** The play editor: a play's name, its steps (title, due days, owner) and the rules it is suggested for. */
function PlayForm(props: {
  draft: Draft;
  rules: RuleChoice[];
  onDone: (message: string) => void;
  onCancel: () => void;
}) {
  const [d, setD] = useState(props.draft);
  const [problems, setProblems] = useState<FileIssue[]>([]);
  const step = (i: number, patch: Partial<Draft["steps"][number]>) =>
    setD({ ...d, steps: d.steps.map((s, j) => (j === i ? { ...s, ...patch } : s)) });
  const attached = (ruleId: string) => d.rules.some((r) => r.ruleId === ruleId);
  const options = ruleOptions(props.rules);
  const save = async (e: Event) => {
    e.preventDefault();
    setProblems([]);
    try {
      const saved = await client.savePlay({
        id: d.id,
        name: d.name,
        description: d.description,
        steps: d.steps.map((s) => ({
          title: s.title,
          dueDays: s.dueDays.trim() === "" ? Number.NaN : Number(s.dueDays),
          owner: s.owner,
        })),
        rules: d.rules,
      });
      if (!saved.ok) {
        setProblems(saved.issues);
        focusWhenShown(`${prefix}-problems`);
        return;
      }
      dataChanged();
      props.onDone(`Saved the play "${d.name.trim()}".`);
    } catch (error) {
      setProblems([{ path: "$", message: (error as Error).message }]);
      focusWhenShown(`${prefix}-problems`);
    }
  };
  const prefix = `play-${d.id}`;
  return (
    <form class="card play-form" onSubmit={save} aria-labelledby={`${prefix}-heading`}>
      <h2 id={`${prefix}-heading`}>{d.isNew ? "New play" : `Edit "${props.draft.name}"`}</h2>
      <label class="field">
        Name
        <input
          value={d.name}
          required
          onInput={(e) => setD({ ...d, name: (e.currentTarget as HTMLInputElement).value })}
        />
      </label>
      <label class="field">
        Description
        <textarea
          rows={2}
          value={d.description}
          onInput={(e) => setD({ ...d, description: (e.currentTarget as HTMLTextAreaElement).value })}
        />
      </label>
      <fieldset>
        <legend>Steps</legend>
        <ol class="play-steps">
          {d.steps.map((s, i) => (
            <li key={i} class="field-row">
              <label>
                Step {i + 1}
                <input
                  value={s.title}
                  onInput={(e) => step(i, { title: (e.currentTarget as HTMLInputElement).value })}
                />
              </label>
              <label>
                Due after (days)
                <input
                  type="number"
                  min={0}
                  max={365}
                  step={1}
                  value={s.dueDays}
                  onInput={(e) => step(i, { dueDays: (e.currentTarget as HTMLInputElement).value })}
                />
              </label>
              <label>
                Owner
                <input
                  value={s.owner}
                  placeholder="Account owner"
                  onInput={(e) => step(i, { owner: (e.currentTarget as HTMLInputElement).value })}
                />
              </label>
              <button
                type="button"
                class="secondary"
                aria-label={`Remove step ${i + 1}`}
                disabled={d.steps.length === 1}
                onClick={() => setD({ ...d, steps: d.steps.filter((_, j) => j !== i) })}
              >
                Remove
              </button>
            </li>
          ))}
        </ol>
        <button
          type="button"
          class="secondary"
          onClick={() => setD({ ...d, steps: [...d.steps, { title: "", dueDays: "7", owner: "" }] })}
        >
          Add a step
        </button>
      </fieldset>
      <fieldset>
        <legend>Suggest this play for alerts of</legend>
        {options.length === 0 && <p class="muted">No scorecard has alert rules.</p>}
        {options.map((o) => (
          <label key={o.ruleId} class="check">
            <input
              type="checkbox"
              checked={attached(o.ruleId)}
              onChange={(e) =>
                setD({
                  ...d,
                  rules: (e.currentTarget as HTMLInputElement).checked
                    ? [...d.rules, { ruleId: o.ruleId }]
                    : d.rules.filter((r) => r.ruleId !== o.ruleId),
                })
              }
            />
            {o.title} <span class="muted small">({o.scorecards.join(", ")})</span>
          </label>
        ))}
      </fieldset>
      {problems.length > 0 && (
        <div role="alert" class="issues" id={`${prefix}-problems`} tabIndex={-1}>
          <p>The play was not saved:</p>
          <ul>
            {problems.map((p) => (
              <li key={`${p.path}: ${p.message}`}>{issueInWords(p, { steps: "step" })}</li>
            ))}
          </ul>
        </div>
      )}
      <div class="row-actions">
        <button type="submit">Save play</button>
        <button type="button" class="secondary" onClick={props.onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}

/** Play templates: checklists a CSM starts on an alert, each step becoming a task with a due day. */
export function PlaysPage() {
  const loaded = useLoad(() => Promise.all([client.plays(), client.alertRules()]), []);
  const [editing, setEditing] = useState<Draft | null>(null);
  const [said, setSaid] = useState("");
  const remove = async (p: PlayTemplate) => {
    if (!confirm(`Delete the play "${p.name}"? Tasks already started from it stay.`)) return;
    await client.deletePlay(p.id);
    const words = `Deleted the play "${p.name}".`;
    setSaid(words);
    dataChanged();
    focusWhenShown("plays-said", (el) => el.textContent === words);
  };
  return (
    <>
      <h1>Plays</h1>
      <p class="muted">
        A play is a checklist for an alert: start it from the <a href="#/alerts">alert inbox</a> and its steps become
        tasks on the <a href="#/tasks">task list</a>, due the given number of days later.
      </p>
      <p role="status" class="small" id="plays-said" tabIndex={-1}>
        {said}
      </p>
      {loaded.state === "loading" && <p aria-busy="true">Loading plays…</p>}
      {loaded.state === "error" && (
        <p role="alert" class="error">
          The plays could not be loaded: {loaded.message}
        </p>
      )}
      {loaded.state === "ready" && (
        <>
          {editing ? (
            <PlayForm
              key={editing.id}
              draft={editing}
              rules={loaded.value[1]}
              onDone={(m) => {
                setSaid(m);
                setEditing(null);
                // The result: the line saying it was saved (the form is gone, the list shows the play).
                focusWhenShown("plays-said", (el) => el.textContent === m);
              }}
              onCancel={() => {
                setEditing(null);
                focusWhenShown("new-play");
              }}
            />
          ) : (
            <button type="button" id="new-play" onClick={() => setEditing(newDraft())}>
              New play
            </button>
          )}
          {loaded.value[0].length === 0 ? (
            <p class="empty-state">
              No plays yet. Add one, for example a check-in with the sponsor after a score drop.
            </p>
          ) : (
            <ul class="play-list">
              {loaded.value[0].map((p) => {
                const titles = ruleOptions(loaded.value[1])
                  .filter((o) => p.rules.some((r) => r.ruleId === o.ruleId))
                  .map((o) => o.title);
                return (
                  <li key={p.id} class="card" aria-labelledby={`play-${p.id}-name`}>
                    <h2 id={`play-${p.id}-name`}>{p.name}</h2>
                    {p.description && <p class="muted">{p.description}</p>}
                    <ol>
                      {p.steps.map((s, i) => (
                        <li key={i}>
                          {s.title}{" "}
                          <span class="muted small">
                            (day {s.dueDays}, {s.owner || "account owner"})
                          </span>
                        </li>
                      ))}
                    </ol>
                    <p class="small">Suggested for: {titles.length > 0 ? titles.join("; ") : "no rule"}</p>
                    <div class="row-actions">
                      <button type="button" class="secondary" onClick={() => setEditing(draftOf(p))}>
                        Edit {p.name}
                      </button>
                      <button type="button" class="secondary" onClick={() => void remove(p)}>
                        Delete {p.name}
                      </button>
                    </div>
                  </li>
                );
              })}
            </ul>
          )}
        </>
      )}
    </>
  );
}
