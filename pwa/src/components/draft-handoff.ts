import { z } from "zod";
import { Scorecard } from "../../../core/schema/scorecard.ts";

/**
 * A scorecard draft handed from one page to the scorecard editor (the Validate page's suggestion), kept in
 * sessionStorage so it survives the navigation but never the tab, and never reaches the store: the editor opens it
 * as unsaved changes, and only its Save button keeps it.
 */
const KEY = "vitals:draft-handoff";

const Handoff = z.object({
  scorecardId: z.string().min(1),
  /** Where the draft comes from, in words for the editor's banner. */
  source: z.string().min(1),
  scorecard: Scorecard,
});
/** A draft on its way to the editor. */
export type DraftHandoff = z.infer<typeof Handoff>;

/** Leaves a draft for the editor of its scorecard (replacing any earlier one not yet opened). */
export function handOverDraft(handoff: { scorecardId: string; source: string; scorecard: unknown }): void {
  sessionStorage.setItem(KEY, JSON.stringify(handoff));
}

/**
 * Takes the draft left for a scorecard's editor, once: it is removed as it is read, so a reload shows the saved
 * scorecard again. A draft for another scorecard stays; one that does not parse (an older app) is dropped.
 */
export function takeDraft(scorecardId: string): DraftHandoff | null {
  const text = sessionStorage.getItem(KEY);
  if (text === null) return null;
  let parsed: ReturnType<typeof Handoff.safeParse>;
  try {
    parsed = Handoff.safeParse(JSON.parse(text));
  } catch {
    sessionStorage.removeItem(KEY);
    return null;
  }
  if (!parsed.success) {
    sessionStorage.removeItem(KEY);
    return null;
  }
  if (parsed.data.scorecardId !== scorecardId) return null;
  sessionStorage.removeItem(KEY);
  return parsed.data;
}
