import type { z } from "zod";

// Problems in a file or a request, each with the JSON path of the value at fault: what every reader of a file
// (bundles, scorecards, mappings, badge sets) and every save in the app returns instead of throwing text.

/** One problem found in a file, with the JSON path of the value at fault (`$.scorecards[0].factors[2].weight`). */
export interface FileIssue {
  path: string;
  message: string;
}

/** Formats a zod issue path as a JSON path. */
export function jsonPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>(
    (acc, key) =>
      typeof key === "number"
        ? `${acc}[${key}]`
        : /^[A-Za-z_$][\w$]*$/.test(String(key))
          ? `${acc}.${String(key)}`
          : `${acc}[${JSON.stringify(String(key))}]`,
    "$",
  );
}

/** Lists whose items have ids, by the singular word a message names an item with. */
const ITEMS_WITH_IDS: Readonly<Record<string, string>> = {
  scorecards: "scorecard",
  factors: "factor",
  groups: "group",
  alerts: "alert rule",
  accounts: "account",
  overrides: "override",
};

/**
 * The items with ids on the way to a value: `$.factors[6].weight` in a card whose seventh factor is "tenure" gives
 * `factor "tenure"`, so a message names the factor a person knows rather than only its position. An issue about
 * the id itself names nothing (the id is what is wrong).
 */
export function ownersOf(input: unknown, path: readonly PropertyKey[]): string[] {
  const names: string[] = [];
  let at: unknown = input;
  for (let k = 0; k < path.length; k++) {
    const key = path[k] as PropertyKey;
    if (typeof at !== "object" || at === null) break;
    at = (at as Record<PropertyKey, unknown>)[key];
    const list = path[k - 1];
    const word = typeof key === "number" && typeof list === "string" ? ITEMS_WITH_IDS[list] : undefined;
    const id = typeof at === "object" && at !== null ? (at as { id?: unknown }).id : undefined;
    const aboutId = k + 1 < path.length && path[k + 1] === "id" && k + 2 === path.length;
    if (word !== undefined && typeof id === "string" && id !== "" && !aboutId)
      names.push(`${word} ${JSON.stringify(id)}`);
  }
  return names;
}

/**
 * Turns zod's issues into file issues, one per problem, with paths relative to `base`. Given the input that was
 * parsed, each message also starts with the items with ids the path runs through (`factor "tenure": …`).
 */
export function issuesOf(error: z.ZodError, base: readonly PropertyKey[] = [], input?: unknown): FileIssue[] {
  return error.issues.map((issue) => {
    const owners = input === undefined ? [] : ownersOf(input, issue.path);
    const named = owners.length === 0 ? issue.message : `${owners.join(", ")}: ${issue.message}`;
    return { path: jsonPath([...base, ...issue.path]), message: named };
  });
}

/** The result of reading a file: the value, or every problem found. */
export type ReadResult<T> = { ok: true; value: T; upgradedFrom?: number } | { ok: false; issues: FileIssue[] };

/**
 * The result of a save in the app: the saved value, or every problem that kept it from being saved (then nothing
 * was written). A page shows the issues by their paths; it never reads them out of an error's text.
 */
export type SaveResult<T> = { ok: true; value: T } | { ok: false; issues: FileIssue[] };

/** A refused save with one problem at `path` (`"$"` for the request as a whole). */
export function refused(path: string, message: string): { ok: false; issues: FileIssue[] } {
  return { ok: false, issues: [{ path, message }] };
}

/**
 * The keys and indexes a JSON path made by `jsonPath` runs through: `$.steps[1].title` gives `["steps", 1, "title"]`,
 * `$` gives `[]`. The inverse of `jsonPath`, so a page can tell which field and which item of a list an issue is about.
 */
export function pathKeys(path: string): (string | number)[] {
  const keys: (string | number)[] = [];
  const step = /\.([A-Za-z_$][\w$]*)|\[(\d+)\]|\[("(?:[^"\\]|\\.)*")\]/y;
  step.lastIndex = path.startsWith("$") ? 1 : 0;
  while (step.lastIndex < path.length) {
    const m = step.exec(path);
    if (!m) break;
    if (m[1] !== undefined) keys.push(m[1]);
    else if (m[2] !== undefined) keys.push(Number(m[2]));
    else keys.push(JSON.parse(m[3] as string) as string);
  }
  return keys;
}

/**
 * An issue in words for a form, its path read with the words its lists' items go by: with `{ steps: "step" }`,
 * `$.steps[1].title` "a step needs a title" reads "step 2: title: a step needs a title"; an issue about the whole
 * request (`$`) is its message alone. An empty word leaves the item out, for a list whose issues name their item in
 * the message (the inbox's bulk actions name the alert: `{ ids: "" }`).
 */
export function issueInWords(issue: FileIssue, items: Readonly<Record<string, string>> = {}): string {
  const keys = pathKeys(issue.path);
  const parts: string[] = [];
  for (let k = 0; k < keys.length; k++) {
    const key = keys[k] as string | number;
    const next = keys[k + 1];
    const word = typeof key === "string" ? items[key] : undefined;
    if (word !== undefined && typeof next === "number") {
      if (word !== "") parts.push(`${word} ${next + 1}`);
      k++;
    } else if (typeof key === "number" && parts.length > 0) parts[parts.length - 1] += `[${key}]`;
    else parts.push(String(key));
  }
  return [...parts, issue.message].join(": ");
}

/** A refusal's issues in words on one line (each as `issueInWords` says it, "; " between), for a page's status line. */
export function issuesInWords(issues: readonly FileIssue[], items: Readonly<Record<string, string>> = {}): string {
  return issues.map((issue) => issueInWords(issue, items)).join("; ");
}

/**
 * A refused request's problems by the top-level field each is about (`$.expiresOn` → "expiresOn"), several of one
 * field joined with "; "; an issue about the whole request (`$`) goes under `whole`.
 */
export function issuesByField(issues: readonly FileIssue[], whole = "form"): Map<string, string> {
  const out = new Map<string, string>();
  for (const issue of issues) {
    const first = pathKeys(issue.path)[0];
    const field = typeof first === "string" ? first : whole;
    const before = out.get(field);
    out.set(field, before === undefined ? issue.message : `${before}; ${issue.message}`);
  }
  return out;
}
