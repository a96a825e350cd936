import type { JSX } from "preact";
import { useState } from "preact/hooks";
import { formatDay, localDay } from "../../../core/schema/day.ts";
import { issuesByField, type SaveResult } from "../../../core/schema/issues.ts";
import { MANUAL_FACTORS } from "../../../core/schema/manual-factors.ts";
import { localMinute } from "../../../core/text/words.ts";
import type { AccountDetail } from "../../../core/worker/portfolio-api.ts";
import { client, dataChanged } from "../services.ts";
import { focusWhenShown } from "./focus.tsx";

const AUTHOR_KEY = "vitals.author";
const readAuthor = (): string => {
  try {
    return localStorage.getItem(AUTHOR_KEY) ?? "";
  } catch {
    return "";
  }
};
const saveAuthor = (name: string): void => {
  try {
    localStorage.setItem(AUTHOR_KEY, name);
  } catch {
    // Private mode: the name is asked again next time.
  }
};

/** The ISO day `days` after today (local calendar). */
const dayAhead = (days: number): string => formatDay(localDay(new Date()) + days);

type Problems = Map<string, string>;

/** The fields' names as the forms label them. */
const FIELD_NAMES: Record<string, string> = {
  rating: "Rating",
  note: "Note",
  author: "Your name",
  score: "Score",
  grade: "Grade",
  reason: "Reason",
  expiresOn: "Expires on",
  text: "Note",
  accountId: "Account",
  scorecardId: "Scorecard",
};

/**
 * A form's state: busy while the worker answers, problems by field, and the last success message. A success tells the
 * pages the data changed, for this account only (the bridge posts only its badge). After a submit, focus goes to its
 * result (issue 18): the success message (`<name>-status`), or the problems (`<name>-problems`), not the page's body
 * (the submit button is disabled while the worker answers, which takes focus from it).
 */
function useAction(accountId: string, name: string) {
  const [busy, setBusy] = useState(false);
  const [problems, setProblems] = useState<Problems>(new Map());
  const [done, setDone] = useState("");
  async function run(work: () => Promise<SaveResult<string>>): Promise<boolean> {
    setBusy(true);
    setDone("");
    try {
      const result = await work();
      if (!result.ok) {
        setProblems(issuesByField(result.issues));
        focusWhenShown(`${name}-problems`);
        return false;
      }
      const message = result.value;
      setProblems(new Map());
      setDone(message);
      dataChanged({ accounts: [accountId] });
      focusWhenShown(`${name}-status`, (el) => el.textContent === message);
      return true;
    } catch (error) {
      // Not a refusal but a failure (the store refused the write): said whole, as one problem of the form.
      setProblems(new Map([["form", (error as Error)?.message ?? String(error)]]));
      focusWhenShown(`${name}-problems`);
      return false;
    } finally {
      setBusy(false);
    }
  }
  return { name, busy, problems, setProblems, done, run };
}

/** A problem beside its control, and the attributes that tie the control to it. */
function problemOf(problems: Problems, prefix: string, field: string) {
  const text = problems.get(field);
  const id = `${prefix}-${field}-problem`;
  return {
    attrs: { "aria-invalid": text ? ("true" as const) : undefined, "aria-describedby": text ? id : undefined },
    node: text ? (
      <span class="field-error" id={id}>
        {text}
      </span>
    ) : null,
  };
}

/** Every problem in words, next to the form (the ones not tied to a field, and a summary of the others). */
function ProblemSummary({ problems, what, id }: { problems: Problems; what: string; id: string }): JSX.Element | null {
  if (problems.size === 0) return null;
  return (
    <div role="alert" class="error" id={id} tabIndex={-1}>
      <p>{what} was not saved:</p>
      <ul>
        {[...problems].map(([field, text]) => (
          <li key={field}>{field === "form" ? text : `${FIELD_NAMES[field] ?? field}: ${text}`}</li>
        ))}
      </ul>
    </div>
  );
}

function RatingForm({ detail, author }: { detail: AccountDetail; author: string }) {
  const factors = detail.manualFactors;
  const [metric, setMetric] = useState(() => factors[0]?.metric ?? "csm_sentiment");
  const [rating, setRating] = useState<number | null>(null);
  const [note, setNote] = useState("");
  const action = useAction(detail.account.id, "rating");
  const factor = factors.find((f) => f.metric === metric) ?? factors[0];
  const words: readonly string[] = factor?.words ?? MANUAL_FACTORS[0]?.words ?? [];
  const latest = detail.manualInputs.find((m) => m.metric === metric);
  const ratingProblem = problemOf(action.problems, "rating", "rating");
  const submit = async (event: Event) => {
    event.preventDefault();
    if (rating === null) {
      action.setProblems(new Map([["rating", "pick a rating from 1 to 5"]]));
      focusWhenShown("rating-problems");
      return;
    }
    const ok = await action.run(async () => {
      const saved = await client.addManualInput({ accountId: detail.account.id, metric, rating, note, author });
      if (!saved.ok) return saved;
      const said = `${factor?.label ?? "Rating"} ${rating} (${words[rating - 1]}) recorded for today; the scores were updated.`;
      return { ok: true, value: said };
    });
    if (ok) {
      setRating(null);
      setNote("");
    }
  };
  return (
    <section class="card near-screen" aria-labelledby="rating-heading">
      <h2 id="rating-heading">CSM rating</h2>
      <form onSubmit={submit} noValidate>
        <div class="field">
          <label for="rating-factor">Factor</label>
          <select
            id="rating-factor"
            value={metric}
            onChange={(e) => {
              setMetric(e.currentTarget.value);
              setRating(null);
            }}
            aria-describedby="rating-factor-hint"
          >
            {factors.map((f) => (
              <option key={f.metric} value={f.metric}>
                {f.label}
              </option>
            ))}
          </select>
          <span class="field-hint" id="rating-factor-hint">
            {factor && factor.usedBy.length > 0
              ? `Counts in ${factor.usedBy.join(", ")}.`
              : "No scorecard of this account uses it yet: the rating is kept, but does not change a score."}
          </span>
        </div>
        {latest && (
          <p class="muted small">
            Latest: {latest.rating} ({words[latest.rating - 1] ?? ""}) on {latest.day} by {latest.author}
            {latest.note ? ` — ${latest.note}` : ""}
          </p>
        )}
        <fieldset {...ratingProblem.attrs}>
          <legend>{factor?.label ?? "Rating"}: how is it, 1 to 5?</legend>
          {words.map((word, i) => (
            <label class="check" key={word}>
              <input
                type="radio"
                name="rating-value"
                value={i + 1}
                checked={rating === i + 1}
                onChange={() => setRating(i + 1)}
              />{" "}
              {i + 1} — {word}
            </label>
          ))}
          {ratingProblem.node}
        </fieldset>
        <div class="field">
          <label for="rating-note">Note</label>
          <textarea id="rating-note" rows={2} value={note} onInput={(e) => setNote(e.currentTarget.value)} />
        </div>
        <div class="field-row actions">
          <button type="submit" disabled={action.busy}>
            {action.busy ? "Recording and rescoring…" : "Record rating"}
          </button>
        </div>
      </form>
      <ProblemSummary id={`${action.name}-problems`} problems={action.problems} what="The rating" />
      <p role="status" id={`${action.name}-status`} tabIndex={-1}>
        {action.done}
      </p>
    </section>
  );
}

function OverrideForm({ detail, author }: { detail: AccountDetail; author: string }) {
  // Any scorecard that applies to the account can be overridden; the primary one (listed first) by default.
  const [scorecardId, setScorecardId] = useState(() => detail.results[0]?.scorecardId ?? "");
  const target = detail.results.find((r) => r.scorecardId === scorecardId) ?? detail.results[0];
  const card = detail.scorecards.find((c) => c.id === target?.scorecardId);
  const nameOf = (id: string | undefined) => detail.scorecards.find((c) => c.id === id)?.name;
  const [score, setScore] = useState("");
  const [grade, setGrade] = useState("");
  const [reason, setReason] = useState("");
  const [expiresOn, setExpiresOn] = useState(() => dayAhead(30));
  const action = useAction(detail.account.id, "override");
  const removing = useAction(detail.account.id, "override-removal");
  const active = detail.overrides.filter((o) => o.active);
  const p = (field: string) => problemOf(action.problems, "override", field);
  const submit = async (event: Event) => {
    event.preventDefault();
    const ok = await action.run(async () => {
      const saved = await client.setOverride({
        accountId: detail.account.id,
        ...(target ? { scorecardId: target.scorecardId } : {}),
        ...(score.trim() === "" ? {} : { score: Number(score) }),
        ...(grade === "" ? {} : { grade }),
        reason,
        author,
        expiresOn,
      });
      if (!saved.ok) return saved;
      const said = `Override saved until ${expiresOn} on ${card?.name ?? "the primary score"}; it is shown beside the computed score.`;
      return { ok: true, value: said };
    });
    if (ok) {
      setScore("");
      setGrade("");
      setReason("");
    }
  };
  return (
    <section class="card near-screen" aria-labelledby="override-heading">
      <h2 id="override-heading">Override</h2>
      <p class="muted small">
        An override is shown beside the computed score, never instead of it, and is ignored after its expiry day.
      </p>
      {active.length > 0 && (
        <ul class="rows">
          {active.map((o) => (
            <li key={o.id} class="row-actions">
              <span>
                {o.score !== undefined ? `${o.score} points` : ""} {o.grade ?? ""} on{" "}
                {nameOf(o.scorecardId) ?? "the primary score"} until {o.expiresOn} by {o.author} — {o.reason}
              </span>
              <button
                type="button"
                class="secondary"
                disabled={removing.busy}
                aria-label={`Remove the override "${o.reason}"`}
                onClick={() =>
                  removing.run(async () => {
                    await client.removeOverride(o.id);
                    return { ok: true, value: "Override removed." };
                  })
                }
              >
                Remove
              </button>
            </li>
          ))}
        </ul>
      )}
      <p role="status" id={`${removing.name}-status`} tabIndex={-1}>
        {removing.done}
      </p>
      <ProblemSummary id={`${removing.name}-problems`} problems={removing.problems} what="The removal" />
      {target ? (
        <form onSubmit={submit} noValidate>
          <div class="field">
            <label for="override-scorecard">Scorecard</label>
            <select
              id="override-scorecard"
              value={target.scorecardId}
              onChange={(e) => {
                setScorecardId(e.currentTarget.value);
                setGrade("");
              }}
              {...p("scorecardId").attrs}
            >
              {detail.results.map((r) => (
                <option key={r.scorecardId} value={r.scorecardId}>
                  {nameOf(r.scorecardId) ?? r.scorecardId}
                  {r.primary ? " (primary)" : ""}
                </option>
              ))}
            </select>
            {p("scorecardId").node}
          </div>
          <div class="field-row">
            <div class="field">
              <label for="override-score">Score (0–100)</label>
              <input
                id="override-score"
                class="number"
                type="number"
                min={0}
                max={100}
                step="any"
                value={score}
                onInput={(e) => setScore(e.currentTarget.value)}
                {...p("score").attrs}
              />
              {p("score").node}
            </div>
            <div class="field">
              <label for="override-grade">Grade</label>
              <select
                id="override-grade"
                value={grade}
                onChange={(e) => setGrade(e.currentTarget.value)}
                {...p("grade").attrs}
              >
                <option value="">No grade</option>
                {(card?.bands ?? []).map((b) => (
                  <option key={b.grade} value={b.grade}>
                    {b.grade} · {b.label}
                  </option>
                ))}
              </select>
              {p("grade").node}
            </div>
            <div class="field">
              <label for="override-expires">Expires on</label>
              <input
                id="override-expires"
                type="date"
                required
                value={expiresOn}
                onInput={(e) => setExpiresOn(e.currentTarget.value)}
                {...p("expiresOn").attrs}
              />
              {p("expiresOn").node}
            </div>
          </div>
          <div class="field">
            <label for="override-reason">Reason (required)</label>
            <textarea
              id="override-reason"
              rows={2}
              required
              value={reason}
              onInput={(e) => setReason(e.currentTarget.value)}
              {...p("reason").attrs}
            />
            {p("reason").node}
          </div>
          <div class="field-row actions">
            <button type="submit" disabled={action.busy}>
              Set override on {card?.name ?? "the primary score"}
            </button>
          </div>
        </form>
      ) : (
        <p class="empty-state">No scorecard applies to this account, so there is no score to override.</p>
      )}
      <ProblemSummary id={`${action.name}-problems`} problems={action.problems} what="The override" />
      <p role="status" id={`${action.name}-status`} tabIndex={-1}>
        {action.done}
      </p>
    </section>
  );
}

function NotesTimeline({ detail, author }: { detail: AccountDetail; author: string }) {
  const [text, setText] = useState("");
  const action = useAction(detail.account.id, "note");
  const p = problemOf(action.problems, "note", "text");
  const submit = async (event: Event) => {
    event.preventDefault();
    const ok = await action.run(async () => {
      const saved = await client.addNote({ accountId: detail.account.id, text, author });
      return saved.ok ? { ok: true, value: "Note added to the timeline." } : saved;
    });
    if (ok) setText("");
  };
  return (
    <section class="card near-screen" aria-labelledby="notes-heading">
      <h2 id="notes-heading">Notes</h2>
      <form onSubmit={submit} noValidate>
        <div class="field">
          <label for="note-text">New note</label>
          <textarea
            id="note-text"
            rows={3}
            required
            value={text}
            onInput={(e) => setText(e.currentTarget.value)}
            {...p.attrs}
          />
          {p.node}
        </div>
        <div class="field-row actions">
          <button type="submit" disabled={action.busy}>
            Add note
          </button>
        </div>
      </form>
      <ProblemSummary id={`${action.name}-problems`} problems={action.problems} what="The note" />
      <p role="status" id={`${action.name}-status`} tabIndex={-1}>
        {action.done}
      </p>
      {detail.notes.length === 0 ? (
        <p class="muted">No notes yet.</p>
      ) : (
        <ol class="timeline" aria-label="Timeline of notes, newest first">
          {detail.notes.map((note) => (
            <li key={note.id} class="event">
              <div class="muted small">
                <time dateTime={note.at}>{localMinute(note.at)}</time> · {note.author}
              </div>
              <p class="wrap">{note.text}</p>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}

/** What the CSM does on an account page: rate a qualitative factor, override a score, keep notes. */
export function AccountActions({ detail }: { detail: AccountDetail }) {
  const [author, setAuthor] = useState(readAuthor);
  return (
    <section aria-labelledby="actions-heading">
      <h2 id="actions-heading">Your actions</h2>
      <div class="field">
        <label for="actions-author">Your name</label>
        <input
          id="actions-author"
          type="text"
          autoComplete="name"
          value={author}
          onInput={(e) => setAuthor(e.currentTarget.value)}
          onChange={(e) => saveAuthor(e.currentTarget.value.trim())}
          aria-describedby="actions-author-hint"
        />
        <span class="field-hint" id="actions-author-hint">
          Saved with each rating, override and note you add.
        </span>
      </div>
      <RatingForm detail={detail} author={author} />
      <OverrideForm detail={detail} author={author} />
      <NotesTimeline detail={detail} author={author} />
    </section>
  );
}
