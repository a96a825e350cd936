// The editor's live preview: what the draft does to the portfolio, asked of the worker after each pause in typing.
import { useEffect, useRef, useState } from "preact/hooks";
import type { Scorecard } from "../../../../core/schema/scorecard.ts";
import type { ScorecardPreview } from "../../../../core/worker/portfolio-api.ts";
import { client, useDataVersion } from "../../services.ts";

/** Milliseconds the editor waits after the last change before it asks for a new preview. */
const PREVIEW_DEBOUNCE_MS = 250;

/** Asks the worker for a preview of the draft, at most once per pause in typing, and keeps only the latest answer. */
export function usePreview(draft: Scorecard | null) {
  const version = useDataVersion();
  const [preview, setPreview] = useState<ScorecardPreview | null>(null);
  const [lastOk, setLastOk] = useState<Extract<ScorecardPreview, { ok: true }> | null>(null);
  const [pending, setPending] = useState(true);
  const [failed, setFailed] = useState<string | null>(null);
  const latest = useRef(0);
  useEffect(() => {
    if (!draft) return;
    const ask = ++latest.current;
    setPending(true);
    const timer = setTimeout(() => {
      client.previewScorecard(draft).then(
        (p) => {
          if (ask !== latest.current) return;
          setPreview(p);
          if (p.ok) setLastOk(p);
          setFailed(null);
          setPending(false);
        },
        (error: unknown) => {
          if (ask !== latest.current) return;
          setFailed((error as Error).message);
          setPending(false);
        },
      );
    }, PREVIEW_DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [draft, version]);
  return { preview, lastOk, pending, failed };
}
