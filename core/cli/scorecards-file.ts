import { type Bundle, readScorecard, restoreBundle } from "../schema/bundle.ts";
import type { FileIssue } from "../schema/issues.ts";
import type { Scorecard } from "../schema/scorecard.ts";
import { readTextFile } from "./files.ts";
import type { Problem } from "./problems.ts";

/** What a JSON file given to the command holds: a bundle (scorecards, maybe data) or a single scorecard. */
export type ScorecardsFile =
  | { ok: true; kind: "bundle"; bundle: Bundle; upgradedFrom?: number }
  | { ok: true; kind: "scorecard"; scorecard: Scorecard }
  | { ok: false; problems: Problem[] };

/** Turns issues with JSON paths into problems of a file. */
export function problemsOf(file: string, issues: readonly FileIssue[]): Problem[] {
  return issues.map((issue) => ({ file, at: issue.path, message: issue.message }));
}

/**
 * Reads a bundle or a scorecard file. An object with a `format` field is read as a bundle (upgraded and validated
 * by restoreBundle); any other object as one scorecard. Problems carry JSON paths.
 */
export function readScorecardsFile(path: string): ScorecardsFile {
  const text = readTextFile(path, "file");
  let json: unknown;
  try {
    json = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (error) {
    return { ok: false, problems: [{ file: path, message: `not valid JSON: ${(error as Error).message}` }] };
  }
  if (typeof json !== "object" || json === null || Array.isArray(json)) {
    return {
      ok: false,
      problems: [
        { file: path, at: "$", message: 'expected a bundle (with "format": "vitals-bundle") or a scorecard object' },
      ],
    };
  }
  if ("format" in json) {
    const read = restoreBundle(json);
    if (!read.ok) return { ok: false, problems: problemsOf(path, read.issues) };
    return read.upgradedFrom === undefined
      ? { ok: true, kind: "bundle", bundle: read.value }
      : { ok: true, kind: "bundle", bundle: read.value, upgradedFrom: read.upgradedFrom };
  }
  const read = readScorecard(json);
  return read.ok
    ? { ok: true, kind: "scorecard", scorecard: read.value }
    : { ok: false, problems: problemsOf(path, read.issues) };
}
