import { useEffect, useState } from "preact/hooks";
import type { ValidationReport } from "../../../../core/validate/validate.ts";
import type { ValidationPhase } from "../../../../core/worker/validation-api.ts";
import { useJob } from "../../job/use-job.tsx";
import { client, useDataVersion } from "../../services.ts";
import { DEFAULT_SETTINGS, type ValidationSettings, validationOptions } from "./settings.ts";

const PHASE_WORDS: Record<ValidationPhase, string> = {
  reading: "Reading accounts, data and outcomes",
  validating:
    "Scoring each account before its outcome, judging the alert rules, fitting points and trying other factors",
};

/**
 * A scorecard's validation, run again whenever a setting, the data or `total` (the outcomes on record) changes
 * while `ready` (the scorecard is there and has outcomes to be judged against): a newer run replaces the one
 * running. `runAgain` runs it once more (after a failure or a Cancel).
 */
export function useValidation(id: string, ready: boolean, total: number) {
  const version = useDataVersion();
  const [settings, setAll] = useState<ValidationSettings>(DEFAULT_SETTINGS);
  const setSettings = (patch: Partial<ValidationSettings>) => setAll((s) => ({ ...s, ...patch }));
  const job = useJob("validation", { replace: true });
  const [report, setReport] = useState<ValidationReport | null>(null);
  const [attempt, setAttempt] = useState(0);
  const options = validationOptions(settings);
  // The options as a value the effect can compare: a new object each render, the same text while nothing changed.
  const asked = options === null ? null : JSON.stringify(options);

  useEffect(() => {
    if (!ready || options === null) return;
    setReport(null);
    void job.run(
      async ({ track, signal }) => {
        const done = await track(PHASE_WORDS, (o) => client.validateScorecard(id, options, o));
        if (!signal.aborted) setReport(done);
      },
      { cancelled: "The validation was cancelled.", failed: (message) => `The validation failed: ${message}` },
    );
    return () => job.cancel();
  }, [id, ready, total, asked, version, attempt]);

  return { settings, setSettings, job, report, runAgain: () => setAttempt((a) => a + 1) };
}
