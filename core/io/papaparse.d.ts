// The part of papaparse's API that core/io uses. Declared here rather than taken from @types/papaparse, whose
// reference to Node's types would put Node globals in scope for all of the pure core.
declare module "papaparse" {
  /** Why papaparse could not split a row cleanly. */
  export interface ParseError {
    type: "Quotes" | "Delimiter" | "FieldMismatch";
    code: string;
    message: string;
    row?: number;
  }
  /** Facts about the parse so far. */
  export interface ParseMeta {
    delimiter: string;
    linebreak: string;
    aborted: boolean;
    cursor: number;
  }
  /** One row, in step mode. */
  export interface ParseStepResult<T> {
    data: T;
    errors: ParseError[];
    meta: ParseMeta;
  }
  /** The running parser, which a step may abort. */
  export interface Parser {
    abort(): void;
  }
  /** Options for a streaming parse without a header row. */
  export interface ParseConfig<T> {
    delimiter?: string;
    /** The line ending; guessed from the input when absent. */
    newline?: string;
    delimitersToGuess?: string[];
    skipEmptyLines?: boolean | "greedy";
    chunkSize?: number;
    preview?: number;
    step?(result: ParseStepResult<T>, parser: Parser): void;
    complete?(result: { meta: ParseMeta; data?: unknown[] } | undefined): void;
    error?(error: Error): void;
  }
  /** A file-like input (a File or Blob in a browser or worker). */
  export interface FileLike {
    readonly size: number;
    slice(start?: number, end?: number): FileLike;
  }
  /** Parses CSV text or a file, row by row through `step`. */
  export function parse<T>(input: string | FileLike, config: ParseConfig<T>): void;
  /** Parses CSV text at once (no `step`): rows as arrays, or as objects keyed by the header with `header: true`. */
  export function parse<T>(
    input: string,
    config: Omit<ParseConfig<T>, "step"> & { header?: boolean },
  ): { data: T[]; errors: unknown[]; meta: ParseMeta };
  /** Options for writing CSV. */
  export interface UnparseConfig {
    /** Line ending between rows; "\r\n" by default. */
    newline?: string;
    /** Quote every field (true), none (false, only where needed), or per column. */
    quotes?: boolean | boolean[];
    /** Prefix fields starting with =, +, -, @ (and tab, CR) with a quote so a spreadsheet does not run them. */
    escapeFormulae?: boolean;
  }
  /** Writes rows as CSV, quoting fields that hold separators, quotes or line breaks. */
  export function unparse(
    data: { fields: readonly string[]; data: readonly (readonly string[])[] },
    config?: UnparseConfig,
  ): string;
  const Papa: { parse: typeof parse; unparse: typeof unparse };
  export default Papa;
}
