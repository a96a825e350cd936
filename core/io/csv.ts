import Papa from "papaparse";
import type { Account } from "../schema/account.ts";
import { type CsvFields, CsvScanner } from "./csv-scan.ts";
import type { Mapping } from "./mapping.ts";
import { type AccountLink, type ImportPlan, ImportPlanner, type RowReject } from "./plan.ts";

/**
 * Receives a CSV file's header, then each row with the physical line it starts on (the header is line 1): as
 * `fields` (ranges of the text, no string per cell) when the sink reads them, else as `row`'s strings.
 */
export interface CsvSink {
  header(cells: string[]): void;
  row(line: number, cells: string[]): void;
  /** Takes the place of `row` when present; `fields` is only valid during the call. */
  fields?(line: number, fields: CsvFields): void;
}

/**
 * A file read a piece at a time, never whole (a File or Blob in the worker: core/worker/blob-text.ts): each piece's
 * text, and how far into `size` (bytes, or characters of a string) the read is after it.
 */
export interface TextPieces {
  readonly size: number;
  pieces(): AsyncIterable<{ text: string; done: number }>;
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

/** Characters the separator is guessed from (the first rows). */
const DETECT_CHARS = 1 << 16;
/** Characters of a string read per piece: progress and cancel are looked at between pieces. */
const STRING_PIECE = 1 << 20;

/** A string as pieces (views of it, not copies). */
export function stringPieces(text: string): TextPieces {
  return {
    size: text.length,
    async *pieces() {
      for (let at = 0; at < text.length; at += STRING_PIECE) {
        const done = Math.min(text.length, at + STRING_PIECE);
        yield { text: text.slice(at, done), done };
      }
    },
  };
}

/**
 * Guesses the separator from the start of a file's text. Papaparse's own guess counts blank lines (a trailing
 * newline is one) unless they are skipped, which the main pass cannot do without losing line numbers; so guess apart.
 */
export function detectDelimiter(text: string): string {
  let found = ",";
  Papa.parse<string[]>(text.slice(0, DETECT_CHARS), {
    delimiter: "",
    delimitersToGuess: [",", ";", "\t", "|"],
    skipEmptyLines: "greedy",
    preview: 20,
    complete: (result) => {
      found = result?.meta?.delimiter || ",";
    },
    error: () => undefined,
  });
  return found;
}

/** The text of a file's first `chars` characters (a piece or two), for guessing its separator. */
export async function headOf(input: string | TextPieces, chars = DETECT_CHARS): Promise<string> {
  if (typeof input === "string") return input.slice(0, chars);
  let head = "";
  for await (const piece of input.pieces()) {
    head += piece.text;
    if (head.length >= chars) break;
  }
  return head.slice(0, chars);
}

/**
 * Streams a CSV (text, or a File/Blob read in pieces by the worker) through CsvScanner, row by row, so a file of
 * millions of rows never sits in memory whole, nor as one array. Line numbers count the newlines inside quoted
 * fields, so they match what a text editor shows.
 */
export async function readCsv(
  fileName: string,
  input: string | TextPieces,
  sink: CsvSink,
  options: CsvOptions = {},
): Promise<CsvSummary> {
  const source = typeof input === "string" ? stringPieces(input) : input;
  const total = source.size;
  const signal = options.signal;
  let delimiter = options.delimiter;
  let scanner: CsvScanner | undefined;
  let rows = 0;
  let headerWidth = -1;
  let stopped = false;
  const problems: RowReject[] = [];
  const problemCells = new Map<number, string[]>();
  const onRow = (line: number, problem: string): boolean => {
    if (signal?.aborted) return false;
    const f = (scanner as CsvScanner).fields;
    // Blank lines (and the newline ending the file) are not rows; they only move the line count on.
    if (f.count === 1 && f.start[0] === f.end[0]) return true;
    if (headerWidth < 0) {
      const header = f.cells().map((c, i) => (i === 0 ? c.replace(/^\uFEFF/, "") : c).trim());
      headerWidth = header.length;
      sink.header(header);
      return true;
    }
    rows++;
    if (problem !== "") {
      problems.push({ line, reason: `the row could not be read: ${problem}` });
      problemCells.set(line, f.cells());
      return true;
    }
    if (f.count > headerWidth) {
      let extra = false;
      for (let i = headerWidth; i < f.count && !extra; i++) extra = f.cell(i).trim() !== "";
      if (extra) {
        problems.push({
          line,
          reason: `the row has ${f.count} fields but the header has ${headerWidth} (a "${delimiter}" inside a value that is not quoted?)`,
        });
        problemCells.set(line, f.cells());
        return true;
      }
    }
    if (sink.fields) sink.fields(line, f);
    else sink.row(line, f.cells());
    return true;
  };
  /** The scanner, made once the start of the file is in (its separator guessed from up to DETECT_CHARS of it). */
  const begin = (text: string): CsvScanner => {
    delimiter ??= detectDelimiter(text);
    scanner = new CsvScanner(delimiter);
    return scanner;
  };
  let carry = "";
  for await (const piece of source.pieces()) {
    if (signal?.aborted) {
      stopped = true;
      break;
    }
    let text = carry === "" ? piece.text : [carry, piece.text].join(""); // (joined flat, not a cons string)
    if (!scanner && text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    if (!scanner && delimiter === undefined && text.length < DETECT_CHARS) {
      carry = text; // too little to guess the separator from yet
      continue;
    }
    const at = (scanner ?? begin(text)).scan(text, false, onRow);
    if (at < 0) {
      stopped = true;
      break;
    }
    carry = text.slice(at);
    options.onProgress?.(piece.done, total);
  }
  if (!stopped && carry !== "") stopped = (scanner ?? begin(carry)).scan(carry, true, onRow) < 0;
  if (stopped || signal?.aborted) {
    const error = new Error(`reading ${fileName} was cancelled`);
    error.name = "AbortError";
    throw error;
  }
  if (headerWidth < 0) throw new Error(`${fileName} is empty: there is no header row`);
  options.onProgress?.(total, total);
  return { rows, delimiter: delimiter ?? ",", problems, problemCells };
}

/**
 * Reads a CSV under a mapping into an import plan: the dry run's input. The mapping may be worked out from the
 * header (Vitals' own files). Rows the parser could not split are rejected with their lines, like rows the mapping
 * could not read. A header the mapping cannot read stops the read at once with an error naming the columns.
 */
export async function planCsv(
  fileName: string,
  input: string | TextPieces,
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
        fields(line, fields) {
          planner?.addFields(line, fields);
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
