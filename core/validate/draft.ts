/**
 * The draft the Validate page applies from the scorecard builder (issue 15): the suggested card (or the card with
 * fitted points), with the discovered factors the user added, and red where a purpose puts it. It keeps the
 * builder's new id and name marked as a suggestion, so applying it never touches the scorecard it came from.
 */
import { Scorecard, type ScorecardInput } from "../schema/scorecard.ts";
import { type BandTarget, bandsForTarget } from "./band-targets.ts";
import type { ScorecardBuild } from "./builder.ts";

/** What to build the draft from. */
export interface BuilderDraftChoice {
  /** The suggested card (default) or the card's own factors with fitted points. */
  from?: "suggested" | "fitted";
  /** Ids of discovered factors to add (ones already on the draft are not added twice). */
  add?: readonly string[];
  /** Red below this purpose's threshold; the builder's draft bands when absent. */
  red?: BandTarget | undefined;
}

/** The draft scorecard, or null when the builder has none (no factor fitted). */
export function builderDraft(build: ScorecardBuild, choice: BuilderDraftChoice = {}): Scorecard | null {
  const base = (choice.from === "fitted" ? build.fitted : build.suggested).draft;
  if (!base) return null;
  const have = new Set(base.factors.map((f) => f.id));
  const added = (choice.add ?? []).flatMap((id) => {
    if (have.has(id)) return [];
    const found = build.discovery.find((d) => d.factorId === id);
    if (!found) return [];
    have.add(id);
    return [found.factor];
  });
  const { updatedAt: _updated, ...rest } = base;
  const input: ScorecardInput = {
    ...rest,
    factors: [...base.factors, ...added],
    bands: choice.red ? bandsForTarget(base.bands, choice.red.redBelow) : base.bands,
  };
  return Scorecard.parse(input);
}
