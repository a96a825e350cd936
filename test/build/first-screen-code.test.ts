import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { importGraph, loadedBy } from "../support/import-graph.ts";

// The data worker's first module answers a cold start's first screen (core/worker/first-screen.ts); everything it
// loads is compiled and evaluated before that answer (issue 14). Zod builds every schema a loaded module defines as it
// loads, so these modules stay out of it: the full API loads them once a call needs them.
const NOT_ON_THE_COLD_PATH = [
  "core/worker/app-api.ts",
  "core/worker/portfolio-api.ts",
  "core/store/alerts.ts",
  "core/store/scored-elsewhere.ts",
  "core/schema/result.ts",
  "core/schema/badge.ts",
  "core/schema/alert.ts",
  "core/schema/play.ts",
  // Dexie (a third of the code) and its open, which checks every index: the first screen reads straight on IndexedDB.
  "core/store/db.ts",
];

/** Whether a module imports a value (not only types) from the package `name`. */
const importsValueFrom = (file: string, name: string) =>
  new RegExp(`^import\\s+(?!type\\s)[^;]*?from\\s+"${name}";`, "m").test(readFileSync(resolve(file), "utf8"));

describe("the data worker's first-screen code", () => {
  const graph = importGraph(resolve("."), ["core"], { values: true });
  const loaded = loadedBy(graph, "core/worker/data-worker-main.ts");

  it("loads what an account page's cold start reads, and not the full API or the schemas only it parses", () => {
    // It is really walked: the first screen's reads and the scorecard schema they parse are in it.
    expect(loaded).toContain("core/worker/first-screen.ts");
    expect(loaded).toContain("core/worker/account-read.ts");
    expect(loaded).toContain("core/schema/scorecard.ts");
    expect(NOT_ON_THE_COLD_PATH.filter((file) => loaded.has(file))).toEqual([]);
    expect([...loaded].filter((file) => importsValueFrom(file, "dexie"))).toEqual([]);
    // The check can tell: the full API's store does import Dexie.
    expect(importsValueFrom("core/store/db.ts", "dexie")).toBe(true);
    expect(importsValueFrom("core/store/read-db.ts", "dexie")).toBe(false);
  });

  it("counts an import of types alone as loading nothing, and any import of a value as loading its module", () => {
    // first-screen.ts imports only types from app-api.ts and portfolio-api.ts, and functions from views.ts.
    expect(importGraph(resolve("."), ["core"]).get("core/worker/first-screen.ts")).toContain("core/worker/app-api.ts");
    expect(graph.get("core/worker/first-screen.ts")).not.toContain("core/worker/app-api.ts");
    expect(graph.get("core/worker/first-screen.ts")).toContain("core/store/views.ts");
  });
});
