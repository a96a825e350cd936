import { execFile } from "node:child_process";
import { resolve } from "node:path";

/** What a run of the command gave: its exit code and both streams. */
export interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

const BIN = resolve("bin/vitals.mjs");

/** The `vitals` command run as a user runs it: a separate Node process on bin/vitals.mjs. */
export function vitals(...args: string[]): Promise<Run> {
  return new Promise((done) => {
    execFile(process.execPath, [BIN, ...args], { encoding: "utf8" }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === "number" ? error.code : 1) : 0;
      done({ code, stdout, stderr });
    });
  });
}
