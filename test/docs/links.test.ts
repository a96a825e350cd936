import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { describe, expect, it } from "vitest";

// The docs stand alone: a clone has no notes beside it, so every link in the README and docs/ must point at a file
// (and heading) of the repository, and no file may send a reader to the founding notes outside it.

const SKIP = new Set(["node_modules", ".git", ".output", ".wxt", "dist", "test-results", "playwright-report"]);
const TEXT = /\.(ts|tsx|mts|mjs|js|json|md|css|html|yml|yaml)$/;

/** Every text file of the repository (what a clone has), by path from the root. */
function repoFiles(dir = "."): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    if (SKIP.has(entry.name)) return [];
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return repoFiles(path);
    return entry.isFile() && TEXT.test(entry.name) ? [relative(".", path)] : [];
  });
}

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces as dashes. */
const slug = (heading: string) =>
  heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N} _-]/gu, "")
    .replace(/ /g, "-");

function anchorsOf(path: string): Set<string> {
  const headings = readFileSync(path, "utf8")
    .split("\n")
    .filter((line) => /^#{1,6} /.test(line))
    .map((line) => slug(line.replace(/^#+ /, "")));
  return new Set(headings);
}

const DOCS = [
  "README.md",
  ...readdirSync("docs")
    .filter((f) => f.endsWith(".md"))
    .map((f) => `docs/${f}`),
];

describe("the docs stand alone", () => {
  it("every relative link in README.md and docs/ reaches a file of the repository, and its heading", () => {
    const broken: string[] = [];
    for (const doc of DOCS) {
      const text = readFileSync(doc, "utf8").replace(/```[\s\S]*?```/g, "");
      for (const [, target] of text.matchAll(/\]\(([^)\s]+)\)/g)) {
        if (/^[a-z]+:/.test(target as string)) continue;
        const [file, anchor] = (target as string).split("#") as [string, string | undefined];
        const path = file === "" ? doc : join(dirname(doc), file);
        if (!existsSync(path)) broken.push(`${doc}: ${target} (no such file)`);
        else if (anchor !== undefined && path.endsWith(".md") && !anchorsOf(path).has(anchor)) {
          broken.push(`${doc}: ${target} (no such heading)`);
        }
      }
    }
    expect(broken).toEqual([]);
  });

  it("no file sends a reader to notes outside the repository", () => {
    const outside = /\.\.\/shared\/|\b(?:SCORING|DESIGN|STYLE)\.md\b/;
    const self = "test/docs/links.test.ts";
    const found = repoFiles().filter((path) => path !== self && outside.test(readFileSync(path, "utf8")));
    expect(found).toEqual([]);
  });
});
