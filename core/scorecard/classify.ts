import { ancestors, type LineageVersion, mergeBase, parentsFirst, type ScorecardLineage } from "./lineage.ts";

/**
 * How a teammate's scorecard stands to mine, by their lineages:
 * - `new`: I have no scorecard with its id;
 * - `same`: our live versions are one version;
 * - `theirsAhead`: theirs descends from my live version (a fast-forward: take theirs, lose nothing);
 * - `mineAhead`: mine descends from theirs (their file is older: nothing to take);
 * - `diverged`: each has changes the other lacks (merge them, choosing per change).
 */
export type ScorecardClassKind = "new" | "same" | "theirsAhead" | "mineAhead" | "diverged";

/** One scorecard of an import, classified. */
export interface ScorecardClass {
  readonly id: string;
  readonly kind: ScorecardClassKind;
  /** My live version's hash (absent when `new`). */
  readonly mine?: string;
  /** Their live version's hash. */
  readonly theirs: string;
  /** Diverged: the nearest common ancestor, the base of a three-way merge; absent when they share none. */
  readonly base?: string;
  /** Their versions I do not have, parents first: what importing adds to my history. */
  readonly missing: readonly LineageVersion[];
}

/** Classifies one of their scorecards against mine (undefined: I have none with its id). */
export function classifyScorecard(mine: ScorecardLineage | undefined, theirs: ScorecardLineage): ScorecardClass {
  const mineHashes = new Set(mine?.versions.map((v) => v.hash));
  const missing = parentsFirst(theirs.versions.filter((v) => !mineHashes.has(v.hash)));
  if (!mine) return { id: theirs.id, kind: "new", theirs: theirs.head, missing };
  const base = { id: theirs.id, mine: mine.head, theirs: theirs.head, missing };
  if (mine.head === theirs.head) return { ...base, kind: "same" };
  // One graph of both histories: a version has the same parents wherever it is stored (its hash says so).
  const graph = new Map<string, { parents: readonly string[] }>();
  for (const v of [...mine.versions, ...theirs.versions]) graph.set(v.hash, v);
  if (ancestors(mine.head, graph).has(theirs.head)) return { ...base, kind: "mineAhead" };
  if (ancestors(theirs.head, graph).has(mine.head)) return { ...base, kind: "theirsAhead" };
  const common = mergeBase(mine.head, theirs.head, graph);
  return common === undefined ? { ...base, kind: "diverged" } : { ...base, kind: "diverged", base: common };
}

/**
 * Classifies each of their scorecards (in their order) against mine, matched by id. Mine that they do not have are
 * not listed: an import never removes a scorecard.
 */
export function classifyScorecards(
  mine: readonly ScorecardLineage[],
  theirs: readonly ScorecardLineage[],
): ScorecardClass[] {
  const byId = new Map(mine.map((m) => [m.id, m]));
  return theirs.map((t) => classifyScorecard(byId.get(t.id), t));
}
