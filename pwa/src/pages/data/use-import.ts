import { useEffect, useState } from "preact/hooks";
import type { MappingInput } from "../../../../core/io/mapping.ts";
import { withSchema } from "../../../../core/schema/json-schemas.ts";
import type { SavedMapping } from "../../../../core/store/mappings.ts";
import type { FilePeek, ImportDryRun, ImportPhase } from "../../../../core/worker/data-api.ts";
import { focusWhenShown } from "../../components/focus.tsx";
import { initialDraft, isEdited, type Kind, type MappingDraft, mappingOf } from "../../import/mapping-draft.ts";
import { useJob } from "../../job/use-job.tsx";
import { afterOwnImport, client, dataChanged, download } from "../../services.ts";
import { importSummary } from "./import-summary.ts";

const PHASE_WORDS: Record<ImportPhase, string> = {
  reading: "Reading and checking the file",
  comparing: "Comparing with your data",
  writing: "Saving",
};

/**
 * The import wizard's state and steps: the file chosen and its peek, what it holds (`kind`), the mapping draft, the
 * dry run, the saved mappings; choose a file, check it (the dry run), import it, save or download the mapping.
 */
export function useImport() {
  const [file, setFile] = useState<File | null>(null);
  const [peek, setPeek] = useState<FilePeek | null>(null);
  /** What the file holds: guessed from it when it is chosen (a saved mapping that reads it first). */
  const [kind, setKind] = useState<Kind | null>(null);
  const [draft, setDraft] = useState<MappingDraft | null>(null);
  const [dry, setDry] = useState<ImportDryRun | null>(null);
  const job = useJob("import");
  const [saved, setSaved] = useState<SavedMapping[]>([]);
  const [saveName, setSaveName] = useState("");

  const refreshSaved = () =>
    client.listMappings().then(
      (m) => setSaved(m.mappings),
      () => undefined,
    );
  useEffect(() => {
    void refreshSaved();
  }, []);

  const choose = async (f: File | undefined) => {
    job.show({});
    setDry(null);
    setPeek(null);
    setFile(f ?? null);
    if (!f) return;
    try {
      const p = await client.peek(f, f.name);
      if (p.header.length === 0) throw new Error(`${f.name} is empty: there is no header row`);
      setPeek(p);
      setDraft(initialDraft(p));
      setKind(p.savedMapping !== undefined ? `saved:${p.savedMapping}` : p.guess.shape);
    } catch (e) {
      job.show({ error: (e as Error).message });
    }
  };

  /** The mapping the user chose, as the worker will read it. */
  const currentMapping = async (): Promise<MappingInput> => {
    if (!peek || !file || !draft) throw new Error("choose a file first");
    if (kind === null) throw new Error("choose what is in this file first");
    if (kind === "accounts" || kind === "observations") return client.standardMapping(kind, file.name, peek.header);
    if (kind.startsWith("saved:")) {
      const m = saved.find((s) => `saved:${s.name}` === kind);
      if (!m) throw new Error("that saved mapping is gone");
      return m.mapping;
    }
    if (!isEdited(kind)) throw new Error("choose what is in this file first");
    const dates = peek.guess.dates;
    return mappingOf(kind, draft, dates.kind === "ambiguous" ? dates.examples.join(", ") : undefined);
  };

  const checkFile = () =>
    job.run(
      async ({ track }) => {
        setDry(null);
        const mapping = await currentMapping();
        setDry(await track(PHASE_WORDS, (o) => client.planImport(file as File, (file as File).name, mapping, o)));
        // The result of the check: the dry run's report.
        focusWhenShown("dry-title");
      },
      { cancelled: "The check was cancelled." },
    );

  const runImport = () =>
    job.run(
      async ({ track, say }) => {
        if (!dry) return;
        const row = await track(PHASE_WORDS, (o) => client.applyImport(dry.planId, o));
        await afterOwnImport();
        await track(PHASE_WORDS, () => client.rescore());
        say(importSummary(row, dry.extras));
        setDry(null);
        setFile(null);
        setPeek(null);
        dataChanged();
      },
      { cancelled: "The import was cancelled: nothing was saved." },
    );

  const saveMapping = () =>
    job.run(async ({ say }) => {
      const s = await client.saveMapping(saveName, await currentMapping());
      await refreshSaved();
      setKind(`saved:${s.name}`);
      say(`Saved the mapping "${s.name}".`);
    });

  const downloadMapping = () =>
    job.run(async () =>
      download(
        `${saveName.trim() || "mapping"}.mapping.json`,
        `${JSON.stringify(withSchema("mapping", await currentMapping()), null, 2)}\n`,
        "application/json",
      ),
    );

  return {
    file,
    peek,
    kind,
    setKind,
    draft,
    setDraft,
    dry,
    setDry,
    job,
    saved,
    saveName,
    setSaveName,
    choose,
    checkFile,
    runImport,
    saveMapping,
    downloadMapping,
  };
}
