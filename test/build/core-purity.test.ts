import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const run = promisify(execFile);
const tsc = resolve("node_modules/typescript/bin/tsc");
const dir = mkdtempSync(join(tmpdir(), "vitals-purity-"));

/** One probe file per rule; all are checked in a single tsc run (a run over the whole core takes seconds). */
const PROBES = {
  plain: "export const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;\n",
  dom: "export const title = document.title;\n",
  timers: "export const later = () => setTimeout(() => {}, 0);\n",
  node: "export const cwd = process.cwd();\n",
  indexing: "export const first = (xs: number[]): number => xs[0];\n",
} as const;

let output = "";

/** tsc's messages about one probe ("" when that probe is clean). */
function errorsOf(probe: keyof typeof PROBES): string {
  return output
    .split("\n")
    .filter((line) => line.startsWith(`probe-${probe}.ts`))
    .join("\n");
}

describe("pure core compiler settings", () => {
  beforeAll(async () => {
    for (const [name, source] of Object.entries(PROBES)) writeFileSync(join(dir, `probe-${name}.ts`), source);
    writeFileSync(
      join(dir, "tsconfig.json"),
      // The real core files are part of the program, so whatever types they pull in are in scope for the probes too.
      JSON.stringify({
        extends: resolve("tsconfig.core.json"),
        include: ["probe-*.ts", resolve("core/**/*.ts")],
        exclude: ["core/store/**", "core/worker/**", "core/cli/**"].map((p) => resolve(p)),
      }),
    );
    try {
      await run(process.execPath, [tsc, "-p", join(dir, "tsconfig.json"), "--pretty", "false"], { cwd: dir });
    } catch (error) {
      output = String((error as { stdout?: string }).stdout ?? error);
    }
  }, 180_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("accept plain TypeScript with strict indexing", () => {
    expect(errorsOf("plain")).toBe("");
  });

  it("reject DOM access", () => {
    expect(errorsOf("dom")).toMatch(/Cannot find name 'document'/);
  });

  it("reject timers, which only browsers and Node provide", () => {
    expect(errorsOf("timers")).toMatch(/Cannot find name 'setTimeout'/);
  });

  it("reject Node globals", () => {
    expect(errorsOf("node")).toMatch(/Cannot find name 'process'/);
  });

  it("reject unchecked index access", () => {
    expect(errorsOf("indexing")).toMatch(/Type 'number \| undefined' is not assignable to type 'number'/);
  });

  it("report nothing about the real core files", () => {
    // Continuation lines of a message are indented; every message's first line names its file.
    const messages = output.split("\n").filter((line) => /^\S.*\(\d+,\d+\): error/.test(line));
    expect(messages.length).toBeGreaterThan(0);
    expect(messages.filter((line) => !line.startsWith("probe-"))).toEqual([]);
  });
});
