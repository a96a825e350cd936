import { readFileSync } from "node:fs";
import { UsageError } from "./problems.ts";

/**
 * Reads a text file named on the command line. A file that is missing or cannot be read is a usage error (exit 2):
 * the command was pointed at the wrong place, the data itself has not been looked at yet.
 */
export function readTextFile(path: string, what: string): string {
  try {
    return readFileSync(path, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason =
      code === "ENOENT"
        ? "no such file"
        : code === "EISDIR"
          ? "is a folder, not a file"
          : code === "EACCES"
            ? "permission denied"
            : (error as Error).message;
    throw new UsageError(`cannot read ${what} ${path}: ${reason}`);
  }
}
