import { BadgeSet } from "../../core/schema/badge.ts";
import { BUNDLE_FORMAT } from "../../core/schema/bundle.ts";
import { type FileIssue, issuesOf } from "../../core/schema/issues.ts";

/** A badge file read: the set, or the problems that make it unusable (each with its JSON path). */
export type SetFileResult = { ok: true; set: BadgeSet } | { ok: false; issues: FileIssue[] };

/** How many problems an error lists before "… and N more". */
const ISSUES_SHOWN = 20;

/**
 * Reads the text of a file exported by "Export for the extension" in the app: JSON, then the BadgeSet schema.
 * Problems carry JSON paths (`$.accounts[3].score`); a Vitals bundle (the other export) is named as such.
 */
export function readSetFile(text: string): SetFileResult {
  let json: unknown;
  try {
    json = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (error) {
    return { ok: false, issues: [{ path: "$", message: `not valid JSON (${(error as Error).message})` }] };
  }
  if (typeof json === "object" && json !== null && (json as { format?: unknown }).format === BUNDLE_FORMAT) {
    return {
      ok: false,
      issues: [
        {
          path: "$.format",
          message: `this is a Vitals bundle (for the app), not a badge file: use "Export for the extension" in the app's Data page`,
        },
      ],
    };
  }
  const parsed = BadgeSet.safeParse(json);
  return parsed.success ? { ok: true, set: parsed.data } : { ok: false, issues: issuesOf(parsed.error) };
}

/** The error a user reads for a file that could not be imported: the file, each problem's path, and that nothing changed. */
export function setFileError(fileName: string, issues: readonly FileIssue[]): string {
  const lines = issues.slice(0, ISSUES_SHOWN).map((i) => `${fileName}: ${i.path}: ${i.message}`);
  const more = issues.length > ISSUES_SHOWN ? [`… and ${issues.length - ISSUES_SHOWN} more`] : [];
  return [`${fileName} was not imported; the badges you had are kept.`, ...lines, ...more].join("\n");
}
