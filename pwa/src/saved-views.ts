// The Accounts page's saved views: a few small settings kept in localStorage, by the name the user gave each.

export type SortKey = "name" | "score" | "delta" | "arr" | "renewal" | "segment" | "stage" | "owner";

/** One saved view: the filters and the sort. */
export interface View {
  text: string;
  band: string;
  segment: string;
  stage: string;
  owner: string;
  sort: SortKey;
  descending: boolean;
}

export const DEFAULT_VIEW: View = {
  text: "",
  band: "",
  segment: "",
  stage: "",
  owner: "",
  sort: "score",
  descending: false,
};

/**
 * The saved views in their stored JSON (unreadable text reads as none), by name. Built with Object.fromEntries, which
 * defines own properties: a view named `__proto__` or `constructor` is a view like any other, never the prototype.
 */
export function parseViews(text: string | null): Record<string, View> {
  try {
    const parsed: unknown = JSON.parse(text ?? "{}");
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) return {};
    return Object.fromEntries(
      Object.entries(parsed as Record<string, unknown>)
        .filter(([, v]) => typeof v === "object" && v !== null)
        .map(([name, v]) => [name, { ...DEFAULT_VIEW, ...(v as Partial<View>) }]),
    );
  } catch {
    return {};
  }
}
