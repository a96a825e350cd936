// The scorecard editor page: loads the scorecard, holds the draft, and saves, reverts or leaves it; its sections
// and the draft's helpers are in scorecards-editor/.
import { useEffect, useMemo, useState } from "preact/hooks";
import { type FileIssue, issuesInWords } from "../../../core/schema/issues.ts";
import type { Factor, Scorecard } from "../../../core/schema/scorecard.ts";
import type { LiveScorecard } from "../../../core/store/scorecards.ts";
import type { ScorecardChoices } from "../../../core/worker/portfolio-api.ts";
import { takeDraft } from "../components/draft-handoff.ts";
import {
  focusPath,
  IssuesContext,
  issuesByPath,
  NumberField,
  plainMessage,
  SelectField,
  TextField,
} from "../components/form-fields.tsx";
import { sharesOf } from "../components/scorecard-text.ts";
import { ScoredElsewhereBanner } from "../components/scored-elsewhere.tsx";
import { releaseLeaveGuard, useLeaveGuard } from "../leave-guard.tsx";
import { scorecardHash } from "../route.ts";
import { client, dataChanged } from "../services.ts";
import { BandsEditor } from "./scorecards-editor/bands-editor.tsx";
import { ConditionEditor, defaultCondition } from "./scorecards-editor/condition-editor.tsx";
import { duplicateOf, move, newFactor, newScorecard, replaceAt, uniqueId } from "./scorecards-editor/draft.ts";
import { FactorEditor } from "./scorecards-editor/factor-editor.tsx";
import { GroupsEditor } from "./scorecards-editor/groups-editor.tsx";
import { usePreview } from "./scorecards-editor/use-preview.ts";
import { VersionsPanel } from "./scorecards-editor/versions-panel.tsx";
import { PreviewPanel } from "./scorecards-preview.tsx";

const savedWords = (version: number) => `Saved as version ${version}; every score was recomputed.`;

type Loaded = { cards: LiveScorecard[]; choices: ScorecardChoices };

/**
 * The scorecard editor (`#/scorecards/<id>`, or a new one at `#/scorecards/new`, a copy with `?from=<id>`): every
 * part of the scorecard in a form, a live preview of what the draft does to the portfolio beside it, save with a
 * message, and the versions with revert. `savedAs`: the version just saved, when a new scorecard's first save
 * opened its editor (the route's `?saved=`).
 */
export function ScorecardEditorPage(props: { id: string | null; from?: string; savedAs?: number }) {
  const [loaded, setLoaded] = useState<Loaded | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [draft, setDraft] = useState<Scorecard | null>(null);
  const [message, setMessage] = useState("");
  const [saveIssues, setSaveIssues] = useState<FileIssue[]>([]);
  const [notice, setNotice] = useState<string | null>(() =>
    props.savedAs === undefined ? null : savedWords(props.savedAs),
  );
  // The first save's message is said once: a reload or a later visit opens the editor without it.
  useEffect(() => {
    if (props.id !== null && props.savedAs !== undefined)
      history.replaceState(history.state, "", scorecardHash(props.id));
  }, []);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  /** Where a draft handed to this editor came from (the Validate page's suggestion), until it is saved. */
  const [handedFrom, setHandedFrom] = useState<string | null>(null);
  /** The draft as it was opened: a new scorecard counts as changed only once edited. */
  const [opened, setOpened] = useState<Scorecard | null>(null);
  const isNew = props.id === null;

  const load = async (): Promise<Loaded> => {
    const [cards, choices] = await Promise.all([client.scorecards(), client.scorecardChoices()]);
    const next = { cards, choices };
    setLoaded(next);
    return next;
  };
  // The draft starts once per scorecard opened; saves and reverts set it themselves.
  useEffect(() => {
    load().then(
      ({ cards, choices }) => {
        const taken = new Set(cards.map((c) => c.scorecard.id));
        if (props.id !== null) {
          const live = cards.find((c) => c.scorecard.id === props.id);
          if (!live) setLoadError(`there is no scorecard "${props.id}"`);
          else {
            const handed = takeDraft(props.id);
            setDraft(handed?.scorecard ?? live.scorecard);
            setHandedFrom(handed?.source ?? null);
            setOpened(live.scorecard);
          }
        } else {
          const source = cards.find((c) => c.scorecard.id === props.from)?.scorecard;
          // A new scorecard handed over by the Validate page's builder (a suggestion under its own id and name).
          const handed = source ? null : takeDraft("new");
          const start = source
            ? duplicateOf(source, taken)
            : handed
              ? { ...handed.scorecard, id: uniqueId(handed.scorecard.id, taken) }
              : newScorecard(uniqueId("new-scorecard", taken), choices);
          setDraft(start);
          setOpened(start);
          setHandedFrom(handed?.source ?? null);
        }
      },
      (e: unknown) => setLoadError((e as Error).message),
    );
  }, [props.id, props.from]);

  const { preview, lastOk, pending, failed } = usePreview(draft);
  const base = loaded?.cards.find((c) => c.scorecard.id === props.id) ?? null;
  const shares = useMemo(() => (draft ? sharesOf(draft) : []), [draft]);
  const previewIssues = preview && !preview.ok ? preview.issues : [];
  const takenId =
    isNew && draft && loaded?.cards.some((c) => c.scorecard.id === draft.id)
      ? [{ path: "$.id", message: `a scorecard with id "${draft.id}" already exists` }]
      : [];
  const issues = [...takenId, ...saveIssues, ...previewIssues]
    .map((issue) => ({ path: issue.path, message: plainMessage(issue.message) }))
    .filter((issue, k, all) => all.findIndex((o) => o.path === issue.path && o.message === issue.message) === k);
  const byPath = issuesByPath(issues);
  // Unsaved edits, worked out once: against the live version (so a draft opened from elsewhere counts), or the new
  // draft as opened. A new scorecard can be saved as it is; a live one only once changed.
  const changed = draft !== null && JSON.stringify(draft) !== JSON.stringify(base?.scorecard ?? opened);
  const canSave = isNew || changed;
  useLeaveGuard(changed, `changes to the scorecard ${draft?.name || "you are editing"}`);

  if (loadError) {
    return (
      <>
        <h1>Scorecard not found</h1>
        <p role="alert" class="error">
          {loadError}
        </p>
        <a href="#/scorecards">Back to scorecards</a>
      </>
    );
  }
  if (!loaded || !draft) return <p aria-busy="true">Loading the scorecard…</p>;
  const { choices } = loaded;
  const update = (next: Scorecard) => {
    setDraft(next);
    setSaveIssues([]);
    setNotice(null);
  };

  const save = async () => {
    setBusy(true);
    setError(null);
    setNotice(null);
    setSaveIssues([]);
    try {
      const saved = await client.saveScorecard(draft, message, { create: isNew });
      if (!saved.ok) {
        setSaveIssues(saved.issues);
        return;
      }
      const version = saved.value;
      setMessage("");
      dataChanged();
      if (isNew) {
        releaseLeaveGuard();
        location.hash = scorecardHash(draft.id, version);
        return;
      }
      const { cards } = await load();
      const live = cards.find((c) => c.scorecard.id === draft.id);
      if (live) setDraft(live.scorecard);
      setNotice(savedWords(version));
    } catch (e) {
      setError(`The scorecard was not saved: ${(e as Error).message}`);
    } finally {
      setBusy(false);
    }
  };

  const revert = async (version: number) => {
    if (!base) return;
    const lose = changed ? " Your unsaved changes will be lost." : "";
    if (!confirm(`Make version ${version} of ${base.scorecard.name} live again (as a new version)?${lose}`)) return;
    setBusy(true);
    setError(null);
    const refused = (why: string) => setError(`The revert failed: ${why}`);
    try {
      const reverted = await client.revertScorecard(base.scorecard.id, version);
      if (!reverted.ok) return refused(issuesInWords(reverted.issues));
      const next = reverted.value;
      dataChanged();
      const { cards } = await load();
      const live = cards.find((c) => c.scorecard.id === base.scorecard.id);
      if (live) setDraft(live.scorecard);
      setSaveIssues([]);
      setNotice(`Version ${version} is live again, as version ${next}; every score was recomputed.`);
    } catch (e) {
      refused((e as Error).message);
    } finally {
      setBusy(false);
    }
  };

  const discard = () => {
    if (!base) {
      releaseLeaveGuard();
      location.hash = "#/scorecards";
      return;
    }
    setDraft(base.scorecard);
    setSaveIssues([]);
    setError(null);
    setNotice("Your changes were discarded.");
  };

  const setFactor = (i: number, f: Factor) => update({ ...draft, factors: replaceAt(draft.factors, i, f) });
  return (
    <IssuesContext.Provider value={byPath}>
      <p>
        <a href="#/scorecards">← Scorecards</a>
      </p>
      <h1>
        {isNew ? "New scorecard" : `Edit ${base?.scorecard.name ?? draft.name}`}{" "}
        {base && <span class="muted small">version {base.version}</span>}{" "}
        {changed && !isNew && <span class="pill">unsaved changes</span>}
      </h1>
      <ScoredElsewhereBanner />
      {handedFrom && canSave && (
        <p class="handoff-note" role="status">
          <strong>{handedFrom}, not saved.</strong> The live preview shows what it would change.{" "}
          {isNew ? "Save the new scorecard to keep it" : "Save it as a new version to keep it"}, or leave this page to
          discard it.
        </p>
      )}
      <datalist id="scorecard-metrics">
        {choices.metrics.map((m) => (
          <option key={m} value={m} />
        ))}
      </datalist>
      <datalist id="scorecard-attributes">
        {choices.attributes.map((a) => (
          <option key={a} value={a} />
        ))}
      </datalist>
      <datalist id="scorecard-segments">
        {choices.segments.map((s) => (
          <option key={s} value={s} />
        ))}
      </datalist>
      <div class="editor-layout">
        <form class="editor-form" aria-label="Scorecard" onSubmit={(e) => e.preventDefault()}>
          <fieldset>
            <legend>Scorecard</legend>
            <div class="field-row">
              <TextField label="Name" path="$.name" value={draft.name} onInput={(name) => update({ ...draft, name })} />
              {isNew ? (
                <TextField
                  label="Id"
                  path="$.id"
                  value={draft.id}
                  hint="lower-case letters, digits and '-'; fixed once saved"
                  onInput={(id) => update({ ...draft, id })}
                />
              ) : (
                <div class="field">
                  <span>Id</span>
                  <code>{draft.id}</code>
                </div>
              )}
            </div>
            <TextField
              label="Description"
              path="$.description"
              value={draft.description}
              rows={2}
              onInput={(description) => update({ ...draft, description })}
            />
            <div class="field-row">
              <NumberField
                label="Priority"
                path="$.priority"
                value={draft.priority}
                hint="the highest-priority scorecard that applies gives the badge's score"
                onChange={(priority) => update({ ...draft, priority: priority ?? Number.NaN })}
              />
              <NumberField
                label="Minimum coverage (%)"
                path="$.minCoverage"
                value={draft.minCoverage}
                scale={100}
                hint="below it the score is “not enough data”"
                onChange={(minCoverage) => update({ ...draft, minCoverage: minCoverage ?? Number.NaN })}
              />
              <NumberField
                label="Change over (days)"
                path="$.deltaDays"
                value={draft.deltaDays}
                hint="the period of the score's change"
                onChange={(deltaDays) => update({ ...draft, deltaDays: deltaDays ?? Number.NaN })}
              />
              <SelectField
                label="Badge shows first"
                path="$.badgeForm"
                value={draft.badgeForm}
                options={[
                  ["points", "Points"],
                  ["grade", "Grade"],
                  ["label", "Label"],
                ]}
                onChange={(badgeForm) => update({ ...draft, badgeForm })}
              />
            </div>
          </fieldset>

          <fieldset>
            <legend>Applies to</legend>
            <p class="muted small">
              {draft.appliesTo.length === 0
                ? "Every account (no condition)."
                : "Accounts that meet every condition below."}
            </p>
            {draft.appliesTo.map((c, i) => (
              <ConditionEditor
                key={i}
                condition={c}
                index={i}
                choices={choices}
                onChange={(next) => update({ ...draft, appliesTo: replaceAt(draft.appliesTo, i, next) })}
                onRemove={() => update({ ...draft, appliesTo: draft.appliesTo.filter((_, j) => j !== i) })}
              />
            ))}
            <button
              type="button"
              class="secondary"
              onClick={() => update({ ...draft, appliesTo: [...draft.appliesTo, defaultCondition("in")] })}
            >
              Add a condition
            </button>
          </fieldset>

          <fieldset>
            <legend>Factors</legend>
            <p class="muted small">
              Each factor's weight gives it a share of the 100 points; the shares update as you type.
            </p>
            {draft.factors.map((f, i) => (
              <FactorEditor
                key={f.id}
                factor={f}
                index={i}
                count={draft.factors.length}
                share={shares[i] ?? Number.NaN}
                groups={draft.groups}
                choices={choices}
                onChange={(next) => setFactor(i, next)}
                onMove={(to) => update({ ...draft, factors: move(draft.factors, i, to) })}
                onRemove={() => update({ ...draft, factors: draft.factors.filter((_, j) => j !== i) })}
              />
            ))}
            <button
              type="button"
              class="secondary"
              onClick={() =>
                update({
                  ...draft,
                  factors: [
                    ...draft.factors,
                    newFactor(
                      uniqueId(`factor-${draft.factors.length + 1}`, new Set(draft.factors.map((f) => f.id))),
                      choices,
                    ),
                  ],
                })
              }
            >
              Add a factor
            </button>
          </fieldset>

          <GroupsEditor card={draft} onChange={update} />
          <BandsEditor bands={draft.bands} onChange={(bands) => update({ ...draft, bands })} />

          <fieldset>
            <legend>Save</legend>
            <div class="field-row">
              <TextField
                label="What changed (kept with the version)"
                path="$message"
                value={message}
                onInput={setMessage}
              />
              <button type="button" disabled={busy || !canSave} onClick={() => void save()}>
                {busy ? "Saving…" : isNew ? "Save the new scorecard" : "Save as a new version"}
              </button>
              <button type="button" class="secondary" disabled={busy || !changed} onClick={discard}>
                Discard changes
              </button>
              {!isNew && (
                <a class="button secondary" href={`#/scorecards/${encodeURIComponent(draft.id)}/print`}>
                  Printable explanation
                </a>
              )}
              {!isNew && (
                <a class="button secondary" href={`#/scorecards/${encodeURIComponent(draft.id)}/validate`}>
                  Validate against outcomes
                </a>
              )}
            </div>
            {notice && <p role="status">{notice}</p>}
            {error && (
              <p role="alert" class="error wrap">
                {error}
              </p>
            )}
          </fieldset>
        </form>
        <aside
          class="editor-side"
          aria-label="Problems and live preview"
          // biome-ignore lint/a11y/noNoninteractiveTabindex: it scrolls on its own, so it must be focusable to scroll by keyboard.
          tabIndex={0}
        >
          {issues.length > 0 && (
            <section class="card issues" aria-labelledby="issues-title">
              <h2 id="issues-title">
                {issues.length} {issues.length === 1 ? "problem" : "problems"} to fix before saving
              </h2>
              <ul role={saveIssues.length > 0 ? "alert" : undefined}>
                {issues.map((i) => (
                  <li key={`${i.path}:${i.message}`}>
                    <button type="button" class="link" onClick={() => focusPath(i.path)}>
                      <code>{i.path}</code>
                    </button>{" "}
                    {i.message}
                  </li>
                ))}
              </ul>
            </section>
          )}
          <PreviewPanel preview={lastOk} stale={preview !== null && !preview.ok} pending={pending} failed={failed} />
        </aside>
      </div>
      {base && (
        <VersionsPanel id={base.scorecard.id} live={base.version} busy={busy} onRevert={(v) => void revert(v)} />
      )}
    </IssuesContext.Provider>
  );
}
