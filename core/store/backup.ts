import Dexie from "dexie";
import type { z } from "zod";
import {
  BACKUP_FORMAT,
  BACKUP_ROWS,
  BACKUP_TABLES,
  BACKUP_VERSION,
  BackupHeader,
  BackupManifest,
  type BackupTable,
  isDerivedMetaKey,
  type RowsFrame,
  YearBlocksFrame,
} from "../schema/backup.ts";
import { jsonPath } from "../schema/issues.ts";
import { versionHash } from "../scorecard/lineage.ts";
import { unpackAccountYear } from "./block-rows.ts";
import { sortBlocks } from "./block-table.ts";
import type { MetaRow, ScorecardVersionRow, VitalsDb, YearBlockRow } from "./db.ts";

/**
 * Backups (docs/formats.md, "Backup file"): every table the user made, written as a stream of frames through the
 * browser's CompressionStream (gzip) and read back through DecompressionStream. A frame is
 *
 *     u32 LE length of a JSON object · that JSON (UTF-8) · u32 LE length of binary columns · those bytes
 *
 * The first frame is the header ({format, version, exportedAt}), the last the manifest (row counts per table and the
 * SHA-256 of the data frames); a table's rows go as JSON in frames of ROWS_PER_FRAME, the year blocks as columns
 * (values as float64, then days as uint16, little-endian) in frames of BLOCKS_PER_FRAME. Rows are written in primary
 * key order exactly as stored, so a store restored from a backup writes the same data frames again.
 *
 * This file writes and reads the format; backup-restore.ts puts a backup in place of the store, backup-merge.ts merges
 * one into it, backup-bundle.ts turns one into a version 1 bundle.
 */

/** Rows of a table per frame (and per write when restoring). */
export const ROWS_PER_FRAME = 2000;
/** Year blocks per frame (and per write when restoring). */
export const BLOCKS_PER_FRAME = 1000;
/** Bytes a frame's JSON or columns may take: more is a damaged length, not a frame. */
const MAX_PART = 1 << 30;

/** Where a backup job is, and how far (bytes of the file, or rows). */
export type BackupPhase = "reading" | "writing";
export type BackupProgress = (phase: BackupPhase, done: number, total: number) => void;

/** A backup refused on reading: what is wrong, in words (the file was not used; nothing changed). */
export class BackupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "InputError";
  }
}

/** The tables a backup holds except the year blocks. */
export type RowTable = Exclude<BackupTable, "yearBlocks">;
export const ROW_TABLES = BACKUP_TABLES.filter((t): t is RowTable => t !== "yearBlocks");

/** The store's table of a backup's table: the year blocks are stored as account × year rows (block-table.ts). */
export const storeTableOf = (table: BackupTable): string => (table === "yearBlocks" ? "accountYears" : table);

const littleEndian = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
function assertLittleEndian(): void {
  if (!littleEndian) throw new Error("backups are written and read on little-endian machines only");
}

/** Typed arrays in rows (an undo record's block patch) go in JSON as {"$typed": name, "data": [numbers]}. */
const TYPED = {
  Uint8Array,
  Uint16Array,
  Uint32Array,
  Int32Array,
  Float32Array,
  Float64Array,
} as const;
type TypedName = keyof typeof TYPED;

/** JSON.stringify's replacer for rows: typed arrays as {"$typed": name, "data": [numbers]}. */
export function replacer(_key: string, value: unknown): unknown {
  if (ArrayBuffer.isView(value) && !(value instanceof DataView)) {
    const name = value.constructor.name;
    if (!(name in TYPED)) throw new Error(`a ${name} cannot be written to a backup`);
    return { $typed: name, data: Array.from(value as unknown as ArrayLike<number>) };
  }
  return value;
}

function reviver(_key: string, value: unknown): unknown {
  if (typeof value === "object" && value !== null && "$typed" in value) {
    const { $typed, data } = value as { $typed: unknown; data: unknown };
    if (typeof $typed !== "string" || !($typed in TYPED) || !Array.isArray(data)) {
      throw new Error(`"$typed" must name a typed array (${Object.keys(TYPED).join(", ")}) with its "data"`);
    }
    return new TYPED[$typed as TypedName](data as number[]);
  }
  return value;
}

const encoder = new TextEncoder();

function u32(n: number): Uint8Array {
  const out = new Uint8Array(4);
  new DataView(out.buffer).setUint32(0, n, true);
  return out;
}

/** One frame's bytes: its JSON and its binary columns, each after its length. */
function frame(json: unknown, columns: readonly Uint8Array[] = []): Uint8Array {
  const text = encoder.encode(JSON.stringify(json, replacer));
  const binary = columns.reduce((n, c) => n + c.byteLength, 0);
  const out = new Uint8Array(8 + text.byteLength + binary);
  out.set(u32(text.byteLength), 0);
  out.set(text, 4);
  out.set(u32(binary), 4 + text.byteLength);
  let at = 8 + text.byteLength;
  for (const c of columns) {
    out.set(c, at);
    at += c.byteLength;
  }
  return out;
}

const bytesOf = (a: ArrayBufferView) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);

async function sha256(bytes: Uint8Array): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.digest("SHA-256", bytes as Uint8Array<ArrayBuffer>));
}

const hex = (bytes: Uint8Array) => Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");

/** The SHA-256 of the frames' digests, in order: the manifest's checksum. */
async function checksum(digests: readonly Uint8Array[]): Promise<string> {
  const all = new Uint8Array(digests.length * 32);
  for (let i = 0; i < digests.length; i++) all.set(digests[i] as Uint8Array, i * 32);
  return hex(await sha256(all));
}

/** A stop check: throws an AbortError when the job was cancelled. */
export type StopCheck = () => void;

/** What a written backup holds. */
export interface WrittenBackup {
  blob: Blob;
  manifest: BackupManifest;
}

/** Every row of the tables other than the year blocks, in primary key order, as stored (meta without derived keys). */
async function readRowTables(db: VitalsDb): Promise<Record<RowTable, unknown[]>> {
  const out = {} as Record<RowTable, unknown[]>;
  for (const t of ROW_TABLES) out[t] = await db.table(t).toArray();
  out.meta = (out.meta as MetaRow[]).filter((row) => !isDerivedMetaKey(row.key));
  return out;
}

/** How long one step of writing a backup may wait on the compressor or the hash while the snapshot is held. */
const WAIT_MS = 10 * 60_000;

/**
 * Writes a backup of the store as one consistent snapshot: every table is read in a single read transaction that
 * stays open until the last frame is written (Dexie.waitFor keeps it alive while a frame is hashed and compressed),
 * so an edit made meanwhile (a rating, an import) waits for the backup and is either wholly in it or wholly after
 * it, never half. The year blocks are read a page at a time, so only one page is in memory. Progress is in year
 * blocks written.
 */
export async function writeBackup(
  db: VitalsDb,
  options: { exportedAt?: string; onProgress?: BackupProgress; stop?: StopCheck } = {},
): Promise<WrittenBackup> {
  assertLittleEndian();
  const exportedAt = options.exportedAt ?? new Date().toISOString();
  const stop = options.stop ?? (() => undefined);
  const counts = Object.fromEntries(BACKUP_TABLES.map((t) => [t, 0])) as Record<BackupTable, number>;
  let observations = 0;
  const digests: Uint8Array[] = [];
  const gzip = new CompressionStream("gzip") as unknown as TransformStream<Uint8Array, Uint8Array>;
  const compressed = new Response(gzip.readable).blob();
  // Not unhandled when the writing fails first (the failure is what is reported).
  compressed.catch(() => undefined);
  const writer = gzip.writable.getWriter();
  /** Writes a frame (hashing a data frame first), keeping the snapshot's transaction open meanwhile. */
  const put = (bytes: Uint8Array, data: boolean) =>
    Dexie.waitFor(
      (async () => {
        if (data) digests.push(await sha256(bytes));
        await writer.write(bytes);
      })(),
      WAIT_MS,
    );
  let manifest: BackupManifest;
  try {
    manifest = await db.transaction("r", [...ROW_TABLES, "accountYears"] as string[], async () => {
      const rows = await readRowTables(db);
      const rowKeys = (await db.accountYears.toCollection().primaryKeys()) as [string, number][];
      await put(frame({ format: BACKUP_FORMAT, version: BACKUP_VERSION, exportedAt }), false);
      for (const table of BACKUP_TABLES) {
        if (table === "yearBlocks") {
          /** Writes one frame of blocks as columns. */
          const blockFrame = async (present: readonly YearBlockRow[]) => {
            const total = present.reduce((n, b) => n + b.days.length, 0);
            const values = new Float64Array(total);
            const days = new Uint16Array(total);
            let at = 0;
            for (const b of present) {
              values.set(b.values, at);
              days.set(b.days, at);
              at += b.days.length;
            }
            const columns: YearBlocksFrame = {
              table: "yearBlocks",
              accounts: present.map((b) => b.accountId),
              metrics: present.map((b) => b.metric),
              years: present.map((b) => b.year),
              lengths: present.map((b) => b.days.length),
            };
            counts.yearBlocks += present.length;
            observations += total;
            await put(frame(columns, [bytesOf(values), bytesOf(days)]), true);
          };
          // The stored rows (every metric of an account × year) a page at a time, a page ending between accounts,
          // so each account's blocks are put in key order (metric, year) whole; frames of BLOCKS_PER_FRAME blocks.
          let pending: YearBlockRow[] = [];
          for (let i = 0; i < rowKeys.length; ) {
            stop();
            let end = Math.min(i + BLOCKS_PER_FRAME, rowKeys.length);
            while (end < rowKeys.length && rowKeys[end]?.[0] === rowKeys[end - 1]?.[0]) end++;
            // One range read (a single getAll) per page of keys, not a get per key.
            const lo = rowKeys[i] as [string, number];
            const hi = rowKeys[end - 1] as [string, number];
            const page = await db.accountYears.where(":id").between(lo, hi, true, true).toArray();
            pending = pending.concat(sortBlocks(page.flatMap(unpackAccountYear)));
            let from = 0;
            for (; pending.length - from >= BLOCKS_PER_FRAME; from += BLOCKS_PER_FRAME) {
              await blockFrame(pending.slice(from, from + BLOCKS_PER_FRAME));
            }
            pending = pending.slice(from);
            i = end;
            if (i === rowKeys.length && pending.length > 0) await blockFrame(pending);
            options.onProgress?.("writing", i, rowKeys.length);
          }
          continue;
        }
        const list = rows[table];
        for (let i = 0; i < list.length; i += ROWS_PER_FRAME) {
          stop();
          const page = list.slice(i, i + ROWS_PER_FRAME);
          counts[table] += page.length;
          await put(frame({ table, rows: page } satisfies RowsFrame), true);
        }
      }
      const last: BackupManifest = {
        manifest: true,
        frames: digests.length,
        counts,
        observations,
        sha256: await Dexie.waitFor(checksum(digests), WAIT_MS),
      };
      await put(frame(last), false);
      return last;
    });
    await writer.close();
  } catch (error) {
    await writer.abort(error).catch(() => undefined);
    throw error;
  }
  const blob = await compressed;
  return { blob: new Blob([blob], { type: "application/gzip" }), manifest };
}

/** A backup read and checked whole: every table's rows as stored, and the year blocks. */
export interface BackupContent {
  header: BackupHeader;
  manifest: BackupManifest;
  rows: Record<RowTable, unknown[]>;
  blocks: YearBlockRow[];
}

/** Reads exact byte counts from a stream of chunks. */
class ByteReader {
  #chunks: Uint8Array[] = [];
  #buffered = 0;
  #done = false;
  readonly reader: ReadableStreamDefaultReader<Uint8Array>;
  constructor(reader: ReadableStreamDefaultReader<Uint8Array>) {
    this.reader = reader;
  }

  /** Whether the stream has ended with nothing left to read. */
  async atEnd(): Promise<boolean> {
    await this.#fill(1);
    return this.#buffered === 0;
  }

  async #fill(n: number): Promise<void> {
    while (this.#buffered < n && !this.#done) {
      const { done, value } = await this.reader.read();
      if (done) this.#done = true;
      else if (value.byteLength > 0) {
        this.#chunks.push(value);
        this.#buffered += value.byteLength;
      }
    }
  }

  /** Exactly n bytes, or null when the stream ends first. */
  async take(n: number): Promise<Uint8Array | null> {
    await this.#fill(n);
    if (this.#buffered < n) return null;
    const out = new Uint8Array(n);
    let at = 0;
    while (at < n) {
      const head = this.#chunks[0] as Uint8Array;
      const part = Math.min(head.byteLength, n - at);
      out.set(head.subarray(0, part), at);
      at += part;
      if (part === head.byteLength) this.#chunks.shift();
      else this.#chunks[0] = head.subarray(part);
    }
    this.#buffered -= n;
    return out;
  }
}

const decoder = new TextDecoder("utf-8", { fatal: true });

/** Whether the first bytes are gzip's (a backup), rather than JSON text (a version 1 bundle). */
export function isGzip(head: Uint8Array): boolean {
  return head[0] === 0x1f && head[1] === 0x8b;
}

function issuesText(error: z.ZodError, base: (string | number)[]): string {
  return error.issues
    .slice(0, 5)
    .map((i) => `${jsonPath([...base, ...i.path])}: ${i.message}`)
    .join("; ");
}

/**
 * Reads a backup file whole and checks everything before anything is used: its header (a newer version is refused
 * with the version it needs), every frame, every row against its table's schema, the counts and the checksum in the
 * manifest. A cut-short or damaged file is refused with what is wrong (a BackupError); progress is in bytes of the
 * file read.
 */
export async function readBackup(
  file: Blob,
  fileName: string,
  options: { onProgress?: BackupProgress; stop?: StopCheck } = {},
): Promise<BackupContent> {
  assertLittleEndian();
  const stop = options.stop ?? (() => undefined);
  const fail = (message: string): never => {
    throw new BackupError(`${fileName} cannot be restored: ${message}; nothing was changed`);
  };
  const head = new Uint8Array(await file.slice(0, 2).arrayBuffer());
  if (!isGzip(head)) fail("it is not a Vitals backup (a backup is gzip-compressed; this file is not)");
  let read = 0;
  const counter = new TransformStream<Uint8Array, Uint8Array>({
    transform(chunk, controller) {
      read += chunk.byteLength;
      options.onProgress?.("reading", read, file.size);
      controller.enqueue(chunk);
    },
  });
  const stream = file
    .stream()
    .pipeThrough(counter)
    .pipeThrough(new DecompressionStream("gzip") as unknown as TransformStream<Uint8Array, Uint8Array>);
  const bytes = new ByteReader(stream.getReader());
  const damaged = (error: unknown): never =>
    fail(
      `the file is damaged or cut short: its compressed data cannot be read after ${read.toLocaleString("en-US")} of ${file.size.toLocaleString("en-US")} bytes (${(error as Error)?.message ?? String(error)})`,
    );

  /** The next frame, or null at a clean end of the stream. */
  const nextFrame = async (index: number): Promise<{ json: unknown; binary: Uint8Array; raw: Uint8Array } | null> => {
    try {
      if (await bytes.atEnd()) return null;
      const what = index === 0 ? "the header" : `frame ${index}`;
      const lenBytes = await bytes.take(4);
      if (!lenBytes) return fail(`the file is cut short inside ${what}`);
      const textLength = new DataView(lenBytes.buffer).getUint32(0, true);
      if (textLength > MAX_PART) return fail(`${what} is damaged: its length (${textLength} bytes) is not possible`);
      const text = await bytes.take(textLength);
      if (!text) return fail(`the file is cut short inside ${what}`);
      const binLenBytes = await bytes.take(4);
      if (!binLenBytes) return fail(`the file is cut short inside ${what}`);
      const binLength = new DataView(binLenBytes.buffer).getUint32(0, true);
      if (binLength > MAX_PART) return fail(`${what} is damaged: its length (${binLength} bytes) is not possible`);
      const binary = await bytes.take(binLength);
      if (!binary) return fail(`the file is cut short inside ${what}`);
      let json: unknown;
      try {
        json = JSON.parse(decoder.decode(text), reviver);
      } catch (error) {
        return fail(`${what} is damaged: ${(error as Error).message}`);
      }
      const raw = new Uint8Array(8 + textLength + binLength);
      raw.set(lenBytes, 0);
      raw.set(text, 4);
      raw.set(binLenBytes, 4 + textLength);
      raw.set(binary, 8 + textLength);
      return { json, binary, raw };
    } catch (error) {
      if (error instanceof BackupError) throw error;
      return damaged(error);
    }
  };

  const first = await nextFrame(0);
  if (!first) return fail("the file is empty");
  const h = first.json as Record<string, unknown> | null;
  if (typeof h !== "object" || h === null || h.format !== BACKUP_FORMAT) {
    return fail(`it is not a Vitals backup: its header's format is not "${BACKUP_FORMAT}"`);
  }
  if (typeof h.version === "number" && Number.isInteger(h.version) && h.version > BACKUP_VERSION) {
    return fail(
      `it is a version ${h.version} backup, made by a newer Vitals: restoring it needs a Vitals that reads backup version ${h.version}; this one reads up to version ${BACKUP_VERSION}`,
    );
  }
  const header = BackupHeader.safeParse(h);
  if (!header.success) return fail(`its header is not valid: ${issuesText(header.error, ["header"])}`);

  const rows = Object.fromEntries(ROW_TABLES.map((t) => [t, [] as unknown[]])) as Record<RowTable, unknown[]>;
  const blocks: YearBlockRow[] = [];
  const digests: Uint8Array[] = [];
  for (let index = 1; ; index++) {
    stop();
    const f = await nextFrame(index);
    if (!f) return fail(`the file is cut short: it ends after ${index - 1} data frames, without its manifest`);
    const json = f.json as Record<string, unknown> | null;
    if (typeof json === "object" && json !== null && json.manifest === true) {
      const manifest = BackupManifest.safeParse(json);
      if (!manifest.success) return fail(`its manifest is not valid: ${issuesText(manifest.error, ["manifest"])}`);
      const m = manifest.data;
      if (!(await bytes.atEnd().catch(damaged))) return fail("it has data after its manifest");
      if (m.frames !== digests.length) {
        return fail(`its manifest lists ${m.frames} data frames, but the file has ${digests.length}`);
      }
      const sum = await checksum(digests);
      if (sum !== m.sha256) {
        return fail(
          `its checksum does not match (the manifest says ${m.sha256}, the frames give ${sum}): it was changed or damaged`,
        );
      }
      const observed = blocks.reduce((n, b) => n + b.days.length, 0);
      for (const t of BACKUP_TABLES) {
        const n = t === "yearBlocks" ? blocks.length : rows[t].length;
        if (n !== m.counts[t]) return fail(`its manifest counts ${m.counts[t]} ${t} rows, but the file has ${n}`);
      }
      if (observed !== m.observations) {
        return fail(`its manifest counts ${m.observations} observations, but the file has ${observed}`);
      }
      rows.scorecardVersions = withLineage(rows.scorecardVersions);
      return { header: header.data, manifest: m, rows, blocks };
    }
    digests.push(await sha256(f.raw));
    const table = typeof json === "object" && json !== null ? json.table : undefined;
    if (table === "yearBlocks") readBlocks(f.json, f.binary, index, blocks, fail);
    else if (typeof table === "string" && (ROW_TABLES as readonly string[]).includes(table)) {
      const list = (json as { rows?: unknown }).rows;
      if (!Array.isArray(list)) return fail(`frame ${index} (${table}) has no list of rows`);
      const schema = BACKUP_ROWS[table as RowTable] as z.ZodType;
      const into = rows[table as RowTable];
      for (let i = 0; i < list.length; i++) {
        const checked = schema.safeParse(list[i]);
        if (!checked.success) {
          return fail(
            `${table} row ${into.length + 1} (frame ${index}) is not valid: ${issuesText(checked.error, [table, into.length])}`,
          );
        }
        into.push(list[i]);
      }
    } else return fail(`frame ${index} holds an unknown table ${JSON.stringify(table)}`);
  }
}

/** Checks and reads one frame of year block columns into rows. */
function readBlocks(
  json: unknown,
  binary: Uint8Array,
  index: number,
  into: YearBlockRow[],
  fail: (message: string) => never,
): void {
  const parsed = YearBlocksFrame.safeParse(json);
  if (!parsed.success) fail(`frame ${index} (yearBlocks) is not valid: ${issuesText(parsed.error, ["yearBlocks"])}`);
  const { accounts, metrics, years, lengths } = parsed.data as YearBlocksFrame;
  const n = accounts.length;
  if (metrics.length !== n || years.length !== n || lengths.length !== n) {
    fail(`frame ${index} (yearBlocks) is damaged: its columns have different lengths`);
  }
  const total = lengths.reduce((s, x) => s + x, 0);
  if (binary.byteLength !== total * 10) {
    fail(
      `frame ${index} (yearBlocks) is damaged: ${total} observations need ${total * 10} bytes, it has ${binary.byteLength}`,
    );
  }
  const values = new Float64Array(binary.buffer.slice(binary.byteOffset, binary.byteOffset + total * 8));
  const days = new Uint16Array(binary.buffer.slice(binary.byteOffset + total * 8, binary.byteOffset + total * 10));
  let at = 0;
  for (let k = 0; k < n; k++) {
    const len = lengths[k] as number;
    const year = years[k] as number;
    const last = (Date.UTC(year + 1, 0, 1) - Date.UTC(year, 0, 1)) / 86_400_000 - 1;
    const d = days.slice(at, at + len);
    const v = values.slice(at, at + len);
    for (let i = 0; i < len; i++) {
      const day = d[i] as number;
      if (day > last || (i > 0 && day < (d[i - 1] as number))) {
        fail(
          `frame ${index}: the block of ${accounts[k]} × ${metrics[k]} × ${year} has days out of order or past the year's end`,
        );
      }
      const value = v[i] as number;
      if (!Number.isFinite(value) || Math.abs(value) > 1e15) {
        fail(
          `frame ${index}: the block of ${accounts[k]} × ${metrics[k]} × ${year} has a value out of range (${value})`,
        );
      }
    }
    into.push({ accountId: accounts[k] as string, metric: metrics[k] as string, year, days: d, values: v });
    at += len;
  }
}

/**
 * A backup's scorecard versions with their lineage: rows written by a store before version 6 have no hash and
 * parents, and get them as version 6's upgrade gives them (each scorecard's versions a line, version n on n − 1);
 * rows that carry them keep them.
 */
function withLineage(rows: readonly unknown[]): ScorecardVersionRow[] {
  const sorted = (rows as (Omit<ScorecardVersionRow, "hash" | "parents"> & Partial<ScorecardVersionRow>)[])
    .map((row, index) => ({ row, index }))
    .sort((a, b) =>
      a.row.scorecardId < b.row.scorecardId
        ? -1
        : a.row.scorecardId > b.row.scorecardId
          ? 1
          : a.row.version - b.row.version,
    );
  const out: ScorecardVersionRow[] = new Array(rows.length);
  let previous: ScorecardVersionRow | undefined;
  for (const { row, index } of sorted) {
    let full: ScorecardVersionRow;
    if (typeof row.hash === "string" && Array.isArray(row.parents)) full = row as ScorecardVersionRow;
    else {
      const parents = previous && previous.scorecardId === row.scorecardId ? [previous.hash] : [];
      full = { ...row, parents, hash: versionHash(row.scorecard, parents) };
    }
    out[index] = full;
    previous = full;
  }
  return out;
}

/** Decompresses a kept backup's bytes into a Blob to read again (put back, or download). */
export function backupBlob(bytes: Uint8Array): Blob {
  return new Blob([bytes as Uint8Array<ArrayBuffer>], { type: "application/gzip" });
}

/** Meta rows a backup holds (for tests and the preview). */
export function isDerivedMeta(key: string): boolean {
  return isDerivedMetaKey(key);
}

/** The frame encoder, for tests that write damaged or newer files. */
export const backupFrameForTests = frame;
