import { z } from "zod";
import { type FileIssue, issuesOf, type ReadResult } from "../schema/issues.ts";
import { Scorecard } from "../schema/scorecard.ts";
import {
  canonicalJson,
  type LineageVersion,
  parentsFirst,
  type ScorecardLineage,
  scorecardContent,
  versionHash,
} from "./lineage.ts";

// A scorecard file, as "Export scorecards" writes one per scorecard for a team to keep in git: the live scorecard's
// fields at the top (what a reviewer reads and edits), and under `lineage` every version it came from, so a teammate's
// Vitals (or `vitals merge`) finds the common ancestor of two files. A file without `lineage` (hand-written, or from
// before lineages) is one version with no parents.

const Hash = z.string().regex(/^[0-9a-f]{64}$/, "a version hash is 64 lower-case hex digits (SHA-256)");

/** One version in a scorecard file's lineage. */
export const LineageVersionEntry = z.object({
  hash: Hash,
  parents: z.array(Hash).max(2, "a version has at most two parents (a merge)"),
  savedAt: z.iso.datetime({ offset: true }),
  message: z.string().default(""),
  scorecard: Scorecard,
});

/** A scorecard file's history: the live version's hash and every version, parents before children. */
export const LineageEntry = z
  .object({
    head: Hash,
    versions: z.array(LineageVersionEntry).min(1, "a lineage has at least its live version"),
  })
  .superRefine((lineage, ctx) => {
    const hashes = new Set<string>();
    lineage.versions.forEach((v, i) => {
      if (hashes.has(v.hash))
        ctx.addIssue({
          code: "custom",
          message: `version ${v.hash.slice(0, 8)} is listed twice`,
          path: ["versions", i, "hash"],
        });
      hashes.add(v.hash);
    });
    lineage.versions.forEach((v, i) => {
      v.parents.forEach((p, k) => {
        if (!hashes.has(p))
          ctx.addIssue({
            code: "custom",
            message: `parent ${p.slice(0, 8)} is not among the versions`,
            path: ["versions", i, "parents", k],
          });
      });
    });
    if (!hashes.has(lineage.head))
      ctx.addIssue({ code: "custom", message: "the live version is not among the versions", path: ["head"] });
  });

/** A scorecard file: a scorecard, with its lineage when Vitals wrote it. */
export const ScorecardFile = Scorecard.safeExtend({
  /** Every version the scorecard came from, and which one is live (written by "Export scorecards"). */
  lineage: LineageEntry.optional(),
});

/** The name a scorecard's file gets: `<id>.scorecard.json`. */
export const scorecardFileName = (id: string): string => `${id}.scorecard.json`;

/** A scorecard as a file writes it: the schema's key order, rule maps sorted, no `updatedAt`. */
function inFileOrder(card: Scorecard): Scorecard {
  const parsed = scorecardContent(card);
  return {
    ...parsed,
    factors: parsed.factors.map((f) =>
      f.rule.kind === "categorical"
        ? {
            ...f,
            rule: {
              ...f.rule,
              map: Object.fromEntries(
                Object.keys(f.rule.map)
                  .sort()
                  .map((k) => [k, (f.rule as { map: Record<string, number> }).map[k] as number]),
              ),
            },
          }
        : f,
    ),
  };
}

/**
 * A scorecard's file text: pretty-printed (two spaces), keys in a stable order, `$schema` first, the live version's
 * fields, `updatedAt` (when it was saved) and the lineage. The same lineage always gives the same text.
 */
export function scorecardFileText(lineage: ScorecardLineage, schemaUrl: string): string {
  const versions = parentsFirst(lineage.versions);
  const head = versions.find((v) => v.hash === lineage.head);
  if (!head) throw new Error(`scorecard "${lineage.id}": its live version is not in its history`);
  const file = {
    $schema: schemaUrl,
    ...inFileOrder(head.scorecard),
    updatedAt: head.savedAt,
    lineage: {
      head: head.hash,
      versions: versions.map((v) => ({
        hash: v.hash,
        parents: [...v.parents].sort(),
        savedAt: v.savedAt,
        message: v.message,
        scorecard: inFileOrder(v.scorecard),
      })),
    },
  };
  return `${JSON.stringify(file, null, 2)}\n`;
}

/**
 * Reads a scorecard file into its lineage. The top-level scorecard is the live version; when it says something else
 * than the lineage's head (someone edited the file by hand, in a pull request), it is a new version on top of that
 * head, saved at its `updatedAt` (or `at`) with the message "Edited in <file>". A file without lineage is one version
 * with no parents.
 */
export function readScorecardFile(json: unknown, fileName: string, at: string): ReadResult<ScorecardLineage> {
  const parsed = ScorecardFile.safeParse(json);
  if (!parsed.success) return { ok: false, issues: issuesOf(parsed.error, [], json) };
  const { lineage, ...rest } = parsed.data;
  const card = Scorecard.parse(rest);
  const savedAt = card.updatedAt ?? at;
  if (!lineage) {
    const hash = versionHash(card, []);
    return {
      ok: true,
      value: {
        id: card.id,
        head: hash,
        versions: [{ hash, parents: [], scorecard: card, savedAt, message: `From ${fileName}` }],
      },
    };
  }
  const issues: FileIssue[] = [];
  lineage.versions.forEach((v, i) => {
    if (v.scorecard.id !== card.id)
      issues.push({
        path: `$.lineage.versions[${i}].scorecard.id`,
        message: `a version of scorecard "${card.id}" has id "${v.scorecard.id}"`,
      });
  });
  if (issues.length > 0) return { ok: false, issues };
  const versions: LineageVersion[] = lineage.versions.map((v) => ({
    hash: v.hash,
    parents: [...v.parents].sort(),
    scorecard: v.scorecard,
    savedAt: v.savedAt,
    message: v.message,
  }));
  const head = versions.find((v) => v.hash === lineage.head) as LineageVersion;
  if (canonicalJson(scorecardContent(head.scorecard)) === canonicalJson(scorecardContent(card)))
    return { ok: true, value: { id: card.id, head: head.hash, versions } };
  const edited: LineageVersion = {
    hash: versionHash(card, [head.hash]),
    parents: [head.hash],
    scorecard: card,
    savedAt,
    message: `Edited in ${fileName}`,
  };
  return { ok: true, value: { id: card.id, head: edited.hash, versions: [...versions, edited] } };
}
