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
