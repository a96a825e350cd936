import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";

const run = promisify(execFile);
const tsc = resolve("node_modules/typescript/bin/tsc");
const dir = mkdtempSync(join(tmpdir(), "vitals-purity-"));

/** Type-checks one file under the pure-core compiler settings; returns tsc's output ("" when clean). */
async function checkAsCore(source: string): Promise<string> {
  writeFileSync(join(dir, "probe.ts"), source);
  writeFileSync(
    join(dir, "tsconfig.json"),
    // The real core files are part of the program, so whatever types they pull in are in scope for the probe too.
    JSON.stringify({
      extends: resolve("tsconfig.core.json"),
      include: ["probe.ts", resolve("core/**/*.ts")],
      exclude: ["core/store/**", "core/worker/**", "core/cli/**"].map((p) => resolve(p)),
    }),
  );
  try {
    await run(process.execPath, [tsc, "-p", join(dir, "tsconfig.json")]);
    return "";
  } catch (error) {
    return String((error as { stdout?: string }).stdout ?? error);
  }
}

describe("pure core compiler settings", () => {
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("accept plain TypeScript with strict indexing", async () => {
    expect(
      await checkAsCore("export const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;\n"),
    ).toBe("");
  });

  it("reject DOM access", async () => {
    expect(await checkAsCore("export const title = document.title;\n")).toMatch(/Cannot find name 'document'/);
  });

  it("reject timers, which only browsers and Node provide", async () => {
    expect(await checkAsCore("export const later = () => setTimeout(() => {}, 0);\n")).toMatch(
      /Cannot find name 'setTimeout'/,
    );
  });

  it("reject Node globals", async () => {
    expect(await checkAsCore("export const cwd = process.cwd();\n")).toMatch(/Cannot find name 'process'/);
  });

  it("reject unchecked index access", async () => {
    expect(await checkAsCore("export const first = (xs: number[]): number => xs[0];\n")).toMatch(
      /Type 'number \| undefined' is not assignable to type 'number'/,
    );
  });
});
