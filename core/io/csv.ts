import Papa, { type FileLike } from "papaparse";
import type { Account } from "../schema/account.ts";
import type { Mapping } from "./mapping.ts";
import { type AccountLink, type ImportPlan, ImportPlanner, type RowReject } from "./plan.ts";

/** Receives a CSV file's header, then each row with the physical line it starts on (the header is line 1). */
export interface CsvSink {
  header(cells: string[]): void;
  row(line: number, cells: string[]): void;
}

/** What reading a CSV found, beyond its rows. */
export interface CsvSummary {
  rows: number;
  /** The separator used: given, or detected (",", ";", tab or "|"). */
  delimiter: string;
  /** Rows the parser could not split cleanly (an unclosed quote, extra fields), with their lines. */
  problems: RowReject[];
  /** Those rows' cells as split, by line. */
  problemCells: Map<number, string[]>;
}

/** Options for reading a CSV. */
export interface CsvOptions {
  /** The separator; detected from the file when absent. */
  delimiter?: string;
  /** Called every so often with bytes (or characters) read so far and the total. */
  onProgress?: (done: number, total: number) => void;
  /** Anything with an `aborted` flag (an AbortSignal in a browser). */
  signal?: { readonly aborted: boolean };
}

const countNewlines = (text: string): number => {
  let n = 0;
  for (let i = text.indexOf("\n"); i >= 0; i = text.indexOf("\n", i + 1)) n++;
  return n;
};

/**
 * Guesses the separator from the first rows. Papaparse's own guess counts blank lines (a trailing newline is
 * one) unless they are skipped, which the main pass cannot do without losing line numbers; so guess apart.
 */
export function detectDelimiter(input: string | FileLike): Promise<string> {
  const head = typeof input === "string" ? input.slice(0, 1 << 16) : input.slice(0, 1 << 16);
  return new Promise((resolve) => {
    Papa.parse<string[]>(head, {
      delimiter: "",
      delimitersToGuess: [",", ";", "\t", "|"],
      skipEmptyLines: "greedy",
      preview: 20,
      complete: (result) => resolve(result?.meta?.delimiter || ","),
      error: () => resolve(","),
    });
  });
}

/**
 * Streams a CSV (text, or a File/Blob in a worker) through papaparse, row by row, so a file of millions of rows
 * never sits in memory as one array. Line numbers count the newlines inside quoted fields, so they match what a
 * text editor shows.
 */
export async function readCsv(
  fileName: string,
  input: string | FileLike,
  sink: CsvSink,
  options: CsvOptions = {},
): Promise<CsvSummary> {
  const total = typeof input === "string" ? input.length : input.size;
  const delimiter = options.delimiter ?? (await detectDelimiter(input));
  return new Promise((resolve, reject) => {
    let line = 1;
    let rows = 0;
    let headerWidth = -1;
    let lastProgress = 0;
    const problems: RowReject[] = [];
    const problemCells = new Map<number, string[]>();
    const done = (aborted: boolean) => {
      if (aborted || options.signal?.aborted) {
        const error = new Error(`reading ${fileName} was cancelled`);
        error.name = "AbortError";
        reject(error);
        return;
      }
      if (headerWidth < 0) {
        reject(new Error(`${fileName} is empty: there is no header row`));
        return;
      }
      resolve({ rows, delimiter, problems, problemCells });
    };
    Papa.parse<string[]>(input, {
      delimiter,
      skipEmptyLines: false,
      chunkSize: 1 << 20,
      step(result, parser) {
        if (options.signal?.aborted) {
          parser.abort();
          return;
        }
        const cells = result.data;
        const start = line;
        for (const cell of cells) line += countNewlines(cell);
        line += 1;
        // Blank lines (and the newline ending the file) are not rows; they only move the line count on.
        if (cells.length === 1 && cells[0] === "") return;
        if (headerWidth < 0) {
          const header = cells.map((c, i) => (i === 0 ? c.replace(/^\uFEFF/, "") : c).trim());
          headerWidth = header.length;
          sink.header(header);
          return;
        }
        rows++;
        const quote = result.errors.find((e) => e.type === "Quotes");
        if (quote) {
          problems.push({ line: start, reason: `the row could not be read: ${quote.message.toLowerCase()}` });
          problemCells.set(start, cells);
          return;
        }
        if (cells.length > headerWidth && cells.slice(headerWidth).some((c) => c.trim() !== "")) {
          problems.push({
            line: start,
            reason: `the row has ${cells.length} fields but the header has ${headerWidth} (a "${delimiter}" inside a value that is not quoted?)`,
          });
          problemCells.set(start, cells);
          return;
        }
        sink.row(start, cells);
        const position = result.meta.cursor;
        if (options.onProgress && position - lastProgress > 1 << 20) {
          lastProgress = position;
          options.onProgress(position, total);
        }
      },
      complete(result) {
        const aborted = Boolean(result?.meta?.aborted) || Boolean(options.signal?.aborted);
        if (!aborted) options.onProgress?.(total, total);
        done(aborted);
      },
      error(error: Error) {
        reject(new Error(`${fileName}: ${error.message}`));
      },
    });
  });
}

/**
 * Reads a CSV under a mapping into an import plan: the dry run's input. The mapping may be worked out from the
 * header (Vitals' own files). Rows the parser could not split are rejected with their lines, like rows the mapping
 * could not read. A header the mapping cannot read stops the read at once with an error naming the columns.
 */
export async function planCsv(
  fileName: string,
  input: string | FileLike,
  mapping: Mapping | ((header: readonly string[]) => Mapping),
  existing: readonly Account[],
  options: CsvOptions & { links?: readonly AccountLink[] } = {},
): Promise<ImportPlan> {
  let planner: ImportPlanner | undefined;
  let headerError: unknown;
  const outer = options.signal;
  const signal = {
    get aborted() {
      return headerError !== undefined || Boolean(outer?.aborted);
    },
  };
  let summary: CsvSummary;
  try {
    summary = await readCsv(
      fileName,
      input,
      {
        header(cells) {
          try {
            planner = new ImportPlanner(
              fileName,
              cells,
              typeof mapping === "function" ? mapping(cells) : mapping,
              existing,
              options.links,
            );
          } catch (error) {
            headerError = error;
          }
        },
        row(line, cells) {
          planner?.addRow(line, cells);
        },
      },
      { ...options, signal },
    );
  } catch (error) {
    throw headerError ?? error;
  }
  if (headerError !== undefined) throw headerError;
  if (!planner) throw new Error(`${fileName} is empty: there is no header row`);
  for (const [line, cells] of summary.problemCells) planner.keepRejected(line, cells);
  const plan = planner.finish();
  plan.rowsRead += summary.problems.length;
  plan.rejects = [...summary.problems, ...plan.rejects].sort((a, b) => a.line - b.line);
  return plan;
}
