import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

// README's Layout section is the map a newcomer reads first: it names every folder of the repository's top level
// and of core/, and says which parts of core/ are pure. A folder added without a line there fails here.

const layout = (): string => {
  const readme = readFileSync("README.md", "utf8");
  const section = /## Layout\n\n```\n([\s\S]*?)```/.exec(readme);
  if (!section) throw new Error("README.md has no Layout section with a block of the tree");
  return section[1] as string;
};

const foldersOf = (dir: string) =>
  readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && !entry.name.startsWith(".") && entry.name !== "node_modules")
    .map((entry) => entry.name)
    .filter((name) => !["dist", "test-results", "playwright-report"].includes(name));

describe("README's Layout", () => {
  it("names every top-level folder and every folder of core/ and extension/", () => {
    const text = layout();
    const named = (name: string) => new RegExp(`(^|[\\s(,])${name}/`, "m").test(text);
    const missing = [
      ...foldersOf(".").filter((name) => !named(name)),
      ...foldersOf("core")
        .filter((name) => !named(name))
        .map((name) => `core/${name}`),
      ...foldersOf("extension")
        .filter((name) => name !== "public" && !named(name))
        .map((name) => `extension/${name}`),
    ];
    expect(missing).toEqual([]);
  });

  it("says which folders of core/ are pure, and names each impure one under 'not pure'", () => {
    const text = layout();
    const impure = text.slice(text.indexOf("not pure"));
    expect(text.indexOf("not pure")).toBeGreaterThan(text.indexOf("pure:"));
    // The folders tsconfig.core.json leaves out of the pure check are the ones listed as not pure.
    const tsconfig = readFileSync("tsconfig.core.json", "utf8");
    const excluded = [...tsconfig.matchAll(/"core\/(\w+)\/\*\*"/g)].map((m) => m[1] as string).sort();
    expect(excluded.length).toBeGreaterThan(0);
    expect(excluded.filter((name) => !new RegExp(`\\b${name}/`).test(impure))).toEqual([]);
    const pure = text.slice(text.indexOf("pure:"), text.indexOf("not pure"));
    expect(excluded.filter((name) => new RegExp(`\\b${name}/`).test(pure))).toEqual([]);
  });
});
