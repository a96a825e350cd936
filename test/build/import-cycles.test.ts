import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { importCycles, importGraph } from "../support/import-graph.ts";

/** The source the app, the extension and the CLI are built from (core/cli is the CLI; bin/ starts it). */
const ROOTS = ["core", "pwa", "extension", "bin"];

describe("the import graph", () => {
  it("has no circles: no file imports, directly or around, a file that imports it", () => {
    const graph = importGraph(resolve("."), ROOTS);
    // The tree is really read: the CLI's entry imports its commands, the app's pages the worker's client.
    expect(graph.get("core/cli/main.ts")).toContain("core/cli/score-command.ts");
    expect(graph.size).toBeGreaterThan(200);
    const circles = importCycles(graph).map(
      ({ files, path }) =>
        `${path.join(" → ")}${files.length > path.length - 1 ? ` (all tied: ${files.join(", ")})` : ""}`,
    );
    expect(circles, `import circles:\n${circles.join("\n")}`).toEqual([]);
  });
});

describe("the extension's entrypoints", () => {
  it("import no other entrypoint's files (what two share lives outside entrypoints/)", () => {
    const graph = importGraph(resolve("."), ["extension/entrypoints"]);
    const entrypointOf = (file: string) => /^extension\/entrypoints\/([^/.]+)/.exec(file)?.[1];
    const crossings = [...graph].flatMap(([file, targets]) =>
      targets
        .filter((target) => entrypointOf(target) !== undefined && entrypointOf(target) !== entrypointOf(file))
        .map((target) => `${file} → ${target}`),
    );
    expect(graph.has("extension/entrypoints/popup/main.tsx")).toBe(true);
    expect(crossings).toEqual([]);
  });
});

describe("finding circles", () => {
  const dir = mkdtempSync(join(tmpdir(), "vitals-imports-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const write = (path: string, text: string) => {
    mkdirSync(join(dir, path, ".."), { recursive: true });
    writeFileSync(join(dir, path), text);
  };

  it("names each circle as a path around it, through type-only imports and re-exports, not through import()", () => {
    write("src/a.ts", 'import { b } from "./b.ts";\nexport const a = b;\n');
    write("src/b.ts", 'import type { C } from "./deep/c.ts";\nexport const b = 1 as C;\n');
    write("src/deep/c.ts", 'export { a } from "../a.ts";\nexport type C = number;\n');
    write("src/lazy.ts", 'export const later = () => import("./leaf.tsx");\n');
    write("src/leaf.tsx", 'import { later } from "./lazy";\nexport const leaf = later;\n');
    write("src/self.ts", 'import * as me from "./self.ts";\nexport const self = me;\n');
    write("src/free.ts", 'import { a } from "./a.ts";\nimport { z } from "zod";\nexport const free = [a, z];\n');
    const graph = importGraph(dir, ["src"]);
    expect(graph.get("src/leaf.tsx")).toEqual(["src/lazy.ts"]);
    expect(graph.get("src/lazy.ts")).toEqual([]);
    expect(importCycles(graph)).toEqual([
      { files: ["src/a.ts", "src/b.ts", "src/deep/c.ts"], path: ["src/a.ts", "src/b.ts", "src/deep/c.ts", "src/a.ts"] },
      { files: ["src/self.ts"], path: ["src/self.ts", "src/self.ts"] },
    ]);
  });
});
