import { type DecimalMark, scanIsoDay, scanPlainNumber } from "./values.ts";

const QUOTE = 34;
const LF = 10;
const CR = 13;
const SPACE = 32;
const TAB = 9;

/** How a field is written: as is, quoted with `""` inside (undoubled on reading), or malformed (kept raw). */
const Written = { Plain: 0, Escaped: 1, Raw: 2 } as const;
type Written = (typeof Written)[keyof typeof Written];

/**
 * The fields of one row as ranges of the text being read: no string is made for a field until one is asked for,
 * and days and numbers can be read from the text in place. Valid only during the call that receives it.
 */
export class CsvFields {
  text = "";
  count = 0;
  start = new Int32Array(64);
  end = new Int32Array(64);
  written = new Uint8Array(64);

  /** Records field `i` (growing the ranges when a row is wider than any before). */
  set(i: number, start: number, end: number, written: Written): void {
    if (i >= this.start.length) {
      const grow = <T extends Int32Array | Uint8Array>(old: T, next: T): T => {
        next.set(old);
        return next;
      };
      const size = this.start.length * 2;
      this.start = grow(this.start, new Int32Array(size));
      this.end = grow(this.end, new Int32Array(size));
      this.written = grow(this.written, new Uint8Array(size));
    }
    this.start[i] = start;
    this.end[i] = end;
    this.written[i] = written;
  }

  /** Field `i`'s text as the file means it ("" past the row's end). */
  cell(i: number): string {
    if (i >= this.count) return "";
    const text = this.text.slice(this.start[i], this.end[i]);
    return this.written[i] === Written.Escaped ? text.replaceAll('""', '"') : text;
  }

  /** Every field as a string. */
  cells(): string[] {
    const out = new Array<string>(this.count);
    for (let i = 0; i < this.count; i++) out[i] = this.cell(i);
    return out;
  }

  /** Whether field `i` reads exactly `text`, without making a string. */
  equals(i: number, text: string): boolean {
    if (i >= this.count || this.written[i] !== Written.Plain) return this.cell(i) === text;
    const start = this.start[i] as number;
    return (this.end[i] as number) - start === text.length && this.text.startsWith(text, start);
  }

  /** Field `i` as a plain `YYYY-MM-DD` day, or NaN when it is anything else (read it with parseDateCell then). */
  isoDay(i: number): number {
    if (i >= this.count || this.written[i] === Written.Raw) return Number.NaN;
    return scanIsoDay(this.text, this.start[i] as number, this.end[i] as number);
  }

  /** Field `i` as a plain decimal, or NaN when it is anything else (read it with parseNumberCell then). */
  plainNumber(i: number, decimal: DecimalMark): number {
    if (i >= this.count || this.written[i] === Written.Raw) return Number.NaN;
    return scanPlainNumber(this.text, this.start[i] as number, this.end[i] as number, decimal);
  }
}

/** Newlines ("\n") in text[from, to): the lines a quoted field spans beyond its first. */
function newlinesIn(text: string, from: number, to: number): number {
  let n = 0;
  for (let i = text.indexOf("\n", from); i >= 0 && i < to; i = text.indexOf("\n", i + 1)) n++;
  return n;
}

/** The position of `search` in text from `from`, or the text's length when there is none. */
function indexOrEnd(text: string, search: string, from: number): number {
  const at = text.indexOf(search, from);
  return at < 0 ? text.length : at;
}

/** The position of the next "\r" not followed by "\n" from `from` (a row end on its own), or the text's length. */
function nextLoneCr(text: string, from: number): number {
  let at = text.indexOf("\r", from);
  while (at >= 0 && text.charCodeAt(at + 1) === LF) at = text.indexOf("\r", at + 2);
  return at < 0 ? text.length : at;
}

/**
 * Splits CSV text into rows of fields (RFC 4180: quoted fields may hold separators, `""` and line breaks; rows end
 * at "\n", "\r\n" or "\r"), counting physical lines, a piece of text at a time: the unfinished row at a piece's end
 * is handed back to be read again with the next piece. One CsvFields is reused for every row.
 */
export class CsvScanner {
  readonly fields = new CsvFields();
  readonly #delimiter: number;
  /** The line the next row starts on (the first row is line 1). */
  #line = 1;

  constructor(delimiter: string) {
    this.#delimiter = delimiter.charCodeAt(0);
  }

  /**
   * Reads the complete rows of `text`, calling `onRow` with each row's first line and its problem ("" when none)
   * while `fields` holds it; `onRow` returning false stops the read (-1 is returned). Returns where the unfinished
   * last row starts, to be read again at the front of the next piece; with `final`, every row is complete.
   */
  scan(text: string, final: boolean, onRow: (line: number, problem: string) => boolean): number {
    const n = text.length;
    const d = this.#delimiter;
    const high = Math.max(d, CR);
    const f = this.fields;
    f.text = text;
    let pos = 0;
    // Rows before the next quote and the next lone "\r" are split by indexOf (native, fast): each search moves
    // forward only, so a piece is searched once whatever its shape. Other rows go character by character.
    const delimiter = String.fromCharCode(d);
    let quoteAt = -1;
    let loneCrAt = -1;
    let delimiterAt = -1;
    let lineEndAt = -1;
    while (pos < n) {
      if (quoteAt < pos) quoteAt = indexOrEnd(text, '"', pos);
      if (loneCrAt < pos) loneCrAt = nextLoneCr(text, pos);
      if (lineEndAt < pos) lineEndAt = indexOrEnd(text, "\n", pos);
      if (lineEndAt < quoteAt && lineEndAt < loneCrAt && (lineEndAt < n || final)) {
        let end = lineEndAt;
        if (end > pos && text.charCodeAt(end - 1) === CR) end--;
        let count = 0;
        for (let at = pos; ; ) {
          if (delimiterAt < at && delimiterAt !== n) delimiterAt = indexOrEnd(text, delimiter, at);
          if (delimiterAt >= end) {
            f.set(count++, at, end, Written.Plain);
            break;
          }
          f.set(count++, at, delimiterAt, Written.Plain);
          at = delimiterAt + 1;
        }
        f.count = count;
        pos = lineEndAt + 1;
        if (!onRow(this.#line++, "")) return -1;
        continue;
      }
      const rowStart = pos;
      let newlines = 0;
      let count = 0;
      let problem = "";
      for (;;) {
        const c = pos < n ? text.charCodeAt(pos) : -1;
        if (c === QUOTE) {
          const open = pos + 1;
          let written: Written = Written.Plain;
          let close = -1;
          for (let q = open; ; ) {
            const j = text.indexOf('"', q);
            if (j < 0 || (j + 1 >= n && !final)) break; // (a quote at the end: is it "" split across pieces?)
            if (text.charCodeAt(j + 1) === QUOTE) {
              written = Written.Escaped;
              q = j + 2;
              continue;
            }
            close = j;
            break;
          }
          if (close < 0) {
            if (!final) return rowStart;
            newlines += newlinesIn(text, open, n);
            f.set(count++, open, n, written);
            problem = "quoted field unterminated";
            pos = n;
            break;
          }
          newlines += newlinesIn(text, open, close);
          // Spaces may follow the closing quote before the separator.
          let k = close + 1;
          while (k < n && (text.charCodeAt(k) === SPACE || (text.charCodeAt(k) === TAB && d !== TAB))) k++;
          const next = k < n ? text.charCodeAt(k) : -1;
          if (next === d || next === LF || next === CR || next === -1) {
            if (next === -1 && !final) return rowStart;
            f.set(count++, open, close, written);
            pos = k;
          } else {
            // Text after the closing quote: the field is kept as written, and the row cannot be trusted.
            let e = k;
            for (let ch = text.charCodeAt(e); e < n && ch !== d && ch !== LF && ch !== CR; ch = text.charCodeAt(++e));
            if (e >= n && !final) return rowStart;
            f.set(count++, open - 1, e, Written.Raw);
            problem ||= "trailing quote on quoted field is malformed";
            pos = e;
          }
        } else {
          let e = pos;
          // Most characters are above every one that ends a field: one comparison each.
          while (e < n) {
            const ch = text.charCodeAt(e);
            if (ch <= high && (ch === d || ch === LF || ch === CR)) break;
            e++;
          }
          if (e >= n && !final) return rowStart;
          f.set(count++, pos, e, Written.Plain);
          pos = e;
        }
        // pos is at a separator, a line break or the end.
        const at = pos < n ? text.charCodeAt(pos) : -1;
        if (at === d) {
          pos++;
          continue;
        }
        if (at === LF) pos++;
        else if (at === CR) {
          if (pos + 1 >= n && !final) return rowStart; // "\r\n" split across pieces?
          pos += text.charCodeAt(pos + 1) === LF ? 2 : 1;
        }
        break;
      }
      f.count = count;
      const line = this.#line;
      this.#line += newlines + 1;
      if (!onRow(line, problem)) return -1;
    }
    return Math.min(pos, n);
  }
}
