import { sha256 } from "@noble/hashes/sha2.js";
import { bytesToHex, utf8ToBytes } from "@noble/hashes/utils.js";
import { Scorecard, type ScorecardInput } from "../schema/scorecard.ts";

// A scorecard's history is a graph of versions, as in git: each version is named by a hash of its content and of
// its parents' hashes, so two devices that saved the same content on the same parents name it alike, and a version
// names everything it came from. Importing a teammate's file compares these graphs (classify.ts).

/**
 * JSON with object keys sorted at every level and no whitespace: the same value always gives the same text, whatever
 * order its keys were written in. `undefined` members are left out, as JSON.stringify does.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== "object") {
    const text = JSON.stringify(value);
    if (text === undefined) throw new TypeError(`canonicalJson: ${typeof value} has no JSON form`);
    return text;
  }
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? "null" : canonicalJson(v))).join(",")}]`;
  const entries = Object.keys(value)
    .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`);
  return `{${entries.join(",")}}`;
}

/**
 * What a version's hash covers: the scorecard with every default filled in (a file that leaves a default out names
 * the same content as one that writes it) and without `updatedAt` (when it was saved is not what it says).
 */
export function scorecardContent(input: ScorecardInput | Scorecard): Scorecard {
  const { updatedAt: _at, ...content } = Scorecard.parse(input);
  return content;
}

/** The SHA-256 (hex) of a scorecard version: its content and its parents' hashes (sorted, so their order is moot). */
export function versionHash(input: ScorecardInput | Scorecard, parents: readonly string[]): string {
  const text = canonicalJson({ parents: [...parents].sort(), scorecard: scorecardContent(input) });
  return bytesToHex(sha256(utf8ToBytes(text)));
}

/**
 * The hash of a stored version that no longer reads as a scorecard (kept as it is, never dropped): its stored JSON,
 * without `updatedAt`, and its parents.
 */
export function rawVersionHash(stored: unknown, parents: readonly string[]): string {
  const { updatedAt: _at, ...content } = (
    typeof stored === "object" && stored !== null ? stored : { stored }
  ) as Record<string, unknown>;
  return bytesToHex(sha256(utf8ToBytes(canonicalJson({ parents: [...parents].sort(), scorecard: content }))));
}

/** The short form of a hash people read (the first 8 hex digits), as git shortens commits. */
export function shortHash(hash: string): string {
  return hash.slice(0, 8);
}

/** One version of a scorecard in its lineage. */
export interface LineageVersion {
  /** `versionHash(scorecard, parents)`. */
  readonly hash: string;
  /** Hashes of the versions it was made from: none for the first, one for an edit, two for a merge. Sorted. */
  readonly parents: readonly string[];
  readonly scorecard: Scorecard;
  /** ISO timestamp of the save. */
  readonly savedAt: string;
  /** What the author said about the change. */
  readonly message: string;
}

/** A scorecard's versions (parents before children) and which one is live (its head). */
export interface ScorecardLineage {
  readonly id: string;
  /** Hash of the live version. */
  readonly head: string;
  readonly versions: readonly LineageVersion[];
}

/** The versions of a lineage by hash. */
export function versionsByHash(lineage: ScorecardLineage): Map<string, LineageVersion> {
  return new Map(lineage.versions.map((v) => [v.hash, v]));
}

/** The live version of a lineage (its head). Throws when the head is not among its versions. */
export function headOf(lineage: ScorecardLineage): LineageVersion {
  const head = lineage.versions.find((v) => v.hash === lineage.head);
  if (!head)
    throw new Error(`scorecard "${lineage.id}": its live version ${shortHash(lineage.head)} is not in its history`);
  return head;
}

/**
 * The hashes of `hash` and everything it came from (as far as `byHash` knows the versions), each with its distance
 * in generations: 0 for `hash` itself.
 */
export function ancestors(
  hash: string,
  byHash: ReadonlyMap<string, { parents: readonly string[] }>,
): Map<string, number> {
  const seen = new Map<string, number>([[hash, 0]]);
  const queue = [hash];
  for (let k = 0; k < queue.length; k++) {
    const at = queue[k] as string;
    const depth = seen.get(at) as number;
    for (const parent of byHash.get(at)?.parents ?? []) {
      if (!seen.has(parent)) {
        seen.set(parent, depth + 1);
        queue.push(parent);
      }
    }
  }
  return seen;
}

/**
 * The nearest common ancestor of two versions (the base of a three-way merge), or undefined when they share none.
 * Among common ancestors it takes one that no other common ancestor descends from, nearest to `a`, then `b`
 * (ties by hash, so the answer never depends on the order of a list).
 */
export function mergeBase(
  a: string,
  b: string,
  byHash: ReadonlyMap<string, { parents: readonly string[] }>,
): string | undefined {
  const fromA = ancestors(a, byHash);
  const fromB = ancestors(b, byHash);
  const common = [...fromA.keys()].filter((h) => fromB.has(h));
  // A common ancestor that another common ancestor descends from is not the nearest.
  const below = new Set<string>();
  for (const h of common) for (const [up, d] of ancestors(h, byHash)) if (d > 0) below.add(up);
  const best = common
    .filter((h) => !below.has(h))
    .sort(
      (x, y) =>
        (fromA.get(x) as number) + (fromB.get(x) as number) - ((fromA.get(y) as number) + (fromB.get(y) as number)) ||
        (fromA.get(x) as number) - (fromA.get(y) as number) ||
        (x < y ? -1 : x > y ? 1 : 0),
    );
  return best[0];
}

/**
 * Puts versions in an order where every parent comes before its children (Kahn's algorithm; among versions ready
 * at once, the earlier in `versions` first). A parent missing from the list is taken as known.
 */
export function parentsFirst<T extends { hash: string; parents: readonly string[] }>(versions: readonly T[]): T[] {
  const inList = new Set(versions.map((v) => v.hash));
  const placed = new Set<string>();
  const out: T[] = [];
  let left = [...versions];
  while (left.length > 0) {
    const ready = left.filter((v) => v.parents.every((p) => placed.has(p) || !inList.has(p)));
    if (ready.length === 0) throw new Error("a scorecard's history has a cycle: a version descends from itself");
    for (const v of ready) {
      placed.add(v.hash);
      out.push(v);
    }
    const readySet = new Set(ready);
    left = left.filter((v) => !readySet.has(v));
  }
  return out;
}
