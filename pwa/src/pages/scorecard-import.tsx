import { useEffect, useState } from "preact/hooks";
import type { ScorecardPreview } from "../../../core/worker/portfolio-api.ts";
import type { ScorecardImport, ScorecardImportItem } from "../../../core/worker/sync-api.ts";
import { useJob } from "../job/use-job.tsx";
import { client, dataChanged, download } from "../services.ts";
import { PreviewPanel } from "./scorecards-preview.tsx";

type Side = "a" | "b";
type Choices = Record<string, Record<string, Side>>;

const KIND_WORDS: Record<ScorecardImportItem["kind"], (item: ScorecardImportItem) => string> = {
  new: (i) => `New: added with its ${i.adds} version${i.adds === 1 ? "" : "s"}.`,
  same: () => "Already have it: the same version.",
  theirsAhead: (i) =>
    `Theirs is ahead (it has all of yours): takes their ${i.adds} newer version${i.adds === 1 ? "" : "s"}.`,
  mineAhead: () => "Yours is ahead (it has all of theirs): nothing to take.",
  diverged: (i) =>
    i.hasBase
      ? "Diverged: you both changed it since your last common version. Choose below, change by change."
      : "Diverged: the two have no version in common. Choose below, change by change.",
};

const BY_WORDS = { a: "you", b: "them", both: "both (conflict)" } as const;

/** One diverged scorecard: its changes side by side with a choice each, and the live preview of the merged draft. */
function MergeEditor(props: {
  importId: string;
  item: ScorecardImportItem;
  choices: Record<string, Side>;
  onChoose: (key: string, side: Side) => void;
}) {
  const { importId, item, choices } = props;
  const [preview, setPreview] = useState<Extract<ScorecardPreview, { ok: true }> | null>(null);
  const [pending, setPending] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const key = JSON.stringify(choices);
  useEffect(() => {
    let live = true;
    setPending(true);
    void (async () => {
      try {
        const draft = await client.mergeDraft(importId, item.id, choices);
        const p = await client.previewScorecard(draft.draft);
        if (!live) return;
        setProblem(
          draft.issues.length > 0
            ? `The merged scorecard is not valid: ${draft.issues.map((i) => `${i.path}: ${i.message}`).join("; ")}`
            : null,
        );
        if (p.ok) setPreview(p);
      } catch (e) {
        if (live) setProblem((e as Error).message);
      } finally {
        if (live) setPending(false);
      }
    })();
    return () => {
      live = false;
    };
  }, [importId, item.id, key]);
  return (
    <div class="merge-editor">
      <table class="data merge-changes">
        <caption>
          {item.name}: your version → theirs ({item.theirs.hash}, “{item.theirs.message}”)
        </caption>
        <thead>
          <tr>
            <th scope="col">Change (yours → theirs)</th>
            <th scope="col">Changed by</th>
            <th scope="col">Keep</th>
          </tr>
        </thead>
        <tbody>
          {item.changes.map((c) => (
            <tr key={c.key} class={c.changedBy === "both" ? "conflict" : ""}>
              <td class="wrap">
                {c.words} <span class="muted small">{c.path}</span>
              </td>
              <td>{BY_WORDS[c.changedBy]}</td>
              <td>
                <fieldset class="choice">
                  <legend class="visually-hidden">{c.words}</legend>
                  <label class="check">
                    <input
                      type="radio"
                      name={`${item.id}-${c.key}`}
                      checked={(choices[c.key] ?? (c.changedBy === "both" ? undefined : c.changedBy)) === "a"}
                      onChange={() => props.onChoose(c.key, "a")}
                    />
                    Mine
                  </label>
                  <label class="check">
                    <input
                      type="radio"
                      name={`${item.id}-${c.key}`}
                      checked={(choices[c.key] ?? (c.changedBy === "both" ? undefined : c.changedBy)) === "b"}
                      onChange={() => props.onChoose(c.key, "b")}
                    />
                    Theirs
                  </label>
                </fieldset>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {problem && (
        <p role="alert" class="error wrap">
          {problem}
        </p>
      )}
      <PreviewPanel preview={preview} stale={problem !== null} pending={pending} failed={null} />
    </div>
  );
}

/** Open conflicts of a diverged scorecard: changes both made, with no choice yet. */
const openConflicts = (item: ScorecardImportItem, choices: Record<string, Side> | undefined) =>
  item.changes.filter((c) => c.changedBy === "both" && !choices?.[c.key]).length;

/**
 * Scorecards as files: export one file per scorecard (for a teammate, or a git repository), and import files with
 * each scorecard classified against yours; a diverged one is merged change by change before anything is saved.
 */
export function ScorecardFilesSection() {
  const [read, setRead] = useState<ScorecardImport | null>(null);
  const [choices, setChoices] = useState<Choices>({});
  const job = useJob("scorecard-files");
  const busy = job.busy;
  const choose = (files: FileList | null | undefined) =>
    job.run(async () => {
      setRead(null);
      setChoices({});
      if (!files || files.length === 0) return;
      const texts = await Promise.all([...files].map(async (f) => ({ fileName: f.name, text: await f.text() })));
      setRead(await client.readScorecardFiles(texts));
    });
  const diverged = read?.items.filter((i) => i.kind === "diverged") ?? [];
  const open = diverged.reduce((n, i) => n + openConflicts(i, choices[i.id]), 0);
  const runImport = () =>
    job.run(async ({ say }) => {
      if (!read) return;
      const merges: Choices = {};
      for (const item of diverged) merges[item.id] = choices[item.id] ?? {};
      const done = await client.importScorecardFiles(read.importId, merges);
      await client.rescore();
      dataChanged();
      say(
        `Imported: ${done.added.length} new, ${done.fastForwarded.length} brought up to date, ${done.merged.length} merged, ${done.unchanged.length} unchanged; ${done.versionsAdded} versions added to the history.`,
      );
      setRead(null);
      setChoices({});
    });

  return (
    <section class="card" aria-labelledby="scorecard-files-title">
      <h2 id="scorecard-files-title">Scorecard files</h2>
      <p class="muted">
        One file per scorecard, with its whole version history, to share with a teammate or keep in git. Importing tells
        for each scorecard whether it is new, the same, ahead of yours or behind it, or changed on both sides; nothing
        of yours is replaced without you seeing it, and both sides stay in the history.
      </p>
      <div class="filters">
        <button
          type="button"
          class="secondary"
          disabled={busy}
          onClick={() =>
            void job.run(async ({ say }) => {
              const files = await client.exportScorecardFiles();
              for (const f of files) download(f.fileName, f.text, "application/json");
              say(`Saved ${files.length} files: ${files.map((f) => f.fileName).join(", ")}.`);
            })
          }
        >
          Export scorecards as files
        </button>
        <label>
          Import scorecard files
          <input
            type="file"
            multiple
            accept=".json,application/json"
            onChange={(e) => void choose((e.currentTarget as HTMLInputElement).files)}
          />
        </label>
      </div>
      {read && (
        <div class="scorecard-import">
          {read.problems.map((p) => (
            <p role="alert" class="error wrap" key={p.fileName}>
              {p.fileName} was not read: {p.issues.map((i) => `${i.path}: ${i.message}`).join("; ")}
            </p>
          ))}
          <table class="data">
            <caption>What the files hold</caption>
            <thead>
              <tr>
                <th scope="col">Scorecard</th>
                <th scope="col">File</th>
                <th scope="col">Compared with yours</th>
              </tr>
            </thead>
            <tbody>
              {read.items.map((item) => (
                <tr key={item.id} data-kind={item.kind}>
                  <th scope="row">{item.name}</th>
                  <td>{item.fileName}</td>
                  <td class="wrap">{KIND_WORDS[item.kind](item)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {diverged.map((item) => (
            <MergeEditor
              key={item.id}
              importId={read.importId}
              item={item}
              choices={choices[item.id] ?? {}}
              onChoose={(key, side) =>
                setChoices((all) => ({ ...all, [item.id]: { ...(all[item.id] ?? {}), [key]: side } }))
              }
            />
          ))}
          <p class="muted">
            {open > 0
              ? `Choose mine or theirs for ${open} change${open === 1 ? "" : "s"} you both made before importing.`
              : "Ready to import."}
          </p>
          <button type="button" disabled={busy || open > 0} onClick={() => void runImport()}>
            Import {read.items.length} scorecard{read.items.length === 1 ? "" : "s"}
          </button>
        </div>
      )}
      {job.view}
    </section>
  );
}
