import { describe, expect, it } from "vitest";
import { columnUses, outcomeKinds } from "../../pwa/src/import/column-uses.ts";
import { DEFAULT_VIEW, parseViews } from "../../pwa/src/saved-views.ts";

// The app keys a few objects by what the user typed or what a file holds: saved view names, a file's column names,
// outcome words. Names of Object.prototype's members must be keys like any other.
const NAMES = ["__proto__", "constructor", "toString", "hasOwnProperty", "valueOf"];

describe("objects keyed by user strings in the app", () => {
  it("saved views named like Object.prototype's members are read back as views", () => {
    const stored = `{${NAMES.map((n, i) => `"${n}": {"text": "q${i}"}`).join(",")}}`;
    const views = parseViews(stored);
    expect(Object.keys(views)).toEqual(NAMES);
    expect(Object.getPrototypeOf(views)).toBe(Object.prototype);
    NAMES.forEach((n, i) => {
      expect(Object.hasOwn(views, n)).toBe(true);
      expect(views[n]).toEqual({ ...DEFAULT_VIEW, text: `q${i}` });
    });
    // Saved again and read back, they survive.
    expect(parseViews(JSON.stringify(views))).toEqual(views);
  });

  it("a file's columns named like Object.prototype's members each get their own use", () => {
    const uses = columnUses([...NAMES, "Name", "Churned"]);
    expect(Object.keys(uses)).toEqual([...NAMES, "Name", "Churned"]);
    expect(Object.getPrototypeOf(uses)).toBe(Object.prototype);
    for (const n of NAMES) expect(uses[n]).toEqual({ use: "ignore" });
    expect(uses.Name).toEqual({ use: "field", field: "name" });
    expect(uses.Churned).toEqual({ use: "churn" });
  });

  it("outcome words named like Object.prototype's members map to their kind", () => {
    const kinds = outcomeKinds({
      churned: "__proto__, lost",
      renewed: "constructor",
      expanded: "toString",
      downgraded: "",
    });
    expect(Object.keys(kinds)).toEqual(["__proto__", "lost", "constructor", "toString"]);
    expect(Object.getPrototypeOf(kinds)).toBe(Object.prototype);
    expect(JSON.parse(JSON.stringify(kinds))).toEqual(
      JSON.parse('{"__proto__": "churned", "lost": "churned", "constructor": "renewed", "toString": "expanded"}'),
    );
  });
});
