import { z } from "zod";

/** How safe the local data is: whether the browser promised to keep it, and how much room it uses and has. */
export interface StorageHealth {
  /** True when the browser will not evict the data under storage pressure. */
  persisted: boolean;
  /** Bytes used by this origin, when the browser says. */
  usage?: number;
  /** Bytes this origin may use, when the browser says. */
  quota?: number;
}

/** Reads persistence, usage and quota (any of which a browser may decline to tell). */
export async function storageHealth(
  storage: StorageManager | undefined = globalThis.navigator?.storage,
): Promise<StorageHealth> {
  if (!storage) return { persisted: false };
  const [persisted, estimate] = await Promise.all([
    storage.persisted?.().catch(() => false) ?? false,
    storage.estimate?.().catch(() => undefined),
  ]);
  const health: StorageHealth = { persisted };
  if (estimate?.usage !== undefined) health.usage = estimate.usage;
  if (estimate?.quota !== undefined) health.quota = estimate.quota;
  return health;
}

/**
 * Asks the browser to keep the data even under storage pressure. Browsers decide on their own (Chromium grants it
 * to installed or often-used sites), so the answer is reported to the user rather than assumed.
 */
export async function requestPersistence(
  storage: StorageManager | undefined = globalThis.navigator?.storage,
): Promise<boolean> {
  if (!storage?.persist) return false;
  if (await storage.persisted()) return true;
  return storage.persist().catch(() => false);
}

/** What Vitals asked the browser after the user's first own import, and what it answered. */
export const PersistenceAsk = z.object({ at: z.iso.datetime(), granted: z.boolean() });
/** What Vitals asked the browser after the user's first own import, and what it answered. */
export type PersistenceAsk = z.infer<typeof PersistenceAsk>;

/** Where the answer is kept (a localStorage entry in the app): text in, text out. */
export interface AskRecord {
  get(): string | null;
  set(text: string): void;
}

/** The recorded answer, or null when Vitals has not asked yet (or the record is unreadable). */
export function readPersistenceAsk(record: AskRecord): PersistenceAsk | null {
  try {
    const parsed = PersistenceAsk.safeParse(JSON.parse(record.get() ?? "null"));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/**
 * After the user's first own import (a CSV file or a bundle; the demo is not theirs): asks the browser once to
 * keep the data even under storage pressure, and records the answer for the Data page to show. Later imports
 * return the recorded answer without asking again.
 */
export async function askPersistenceAfterFirstImport(
  record: AskRecord,
  storage: StorageManager | undefined = globalThis.navigator?.storage,
  now: Date = new Date(),
): Promise<PersistenceAsk> {
  const earlier = readPersistenceAsk(record);
  if (earlier) return earlier;
  const ask: PersistenceAsk = { at: now.toISOString(), granted: await requestPersistence(storage) };
  record.set(JSON.stringify(ask));
  return ask;
}

/** What a failed write was doing, so its message can say which file and how much room it needed. */
export interface WriteContext {
  /** The file being imported. */
  fileName: string;
  /** About how many bytes the import writes (its rows and undo records). */
  bytesNeeded?: number;
  /** Bytes the browser still lets this site use (quota − usage), when it says. */
  bytesFree?: number;
}

/** A byte count in words: "512 KB", "3.4 MB", "1.2 GB". */
export function formatBytes(bytes: number): string {
  if (bytes <= 0) return "0 KB";
  if (bytes < 2 ** 20) return `${Math.max(1, Math.round(bytes / 2 ** 10))} KB`;
  if (bytes < 2 ** 30) return `${(bytes / 2 ** 20).toFixed(1)} MB`;
  return `${(bytes / 2 ** 30).toFixed(1)} GB`;
}

/**
 * Turns a failed write into words a user can act on; a full disk is the usual cause. With the write's context, a full
 * disk names the file and how much room it needed against what was free.
 */
export function describeWriteError(error: unknown, context?: WriteContext): string {
  const name =
    (error as { name?: string; inner?: { name?: string } })?.inner?.name ?? (error as { name?: string })?.name;
  if (name === "QuotaExceededError") {
    if (context) {
      const needed = context.bytesNeeded === undefined ? "" : ` needs about ${formatBytes(context.bytesNeeded)}`;
      const free =
        context.bytesFree === undefined ? "" : ` (about ${formatBytes(context.bytesFree)} is free for Vitals)`;
      return `The browser has no room left for Vitals' data: importing ${context.fileName}${needed}${free}. Nothing was saved and your existing data is unchanged. Free some disk space or remove old imports, then try again.`;
    }
    return "The browser has no room left for Vitals' data. Nothing was saved and your existing data is unchanged. Free some disk space or remove old imports, then try again.";
  }
  const message = error instanceof Error ? error.message : String(error);
  const what = context ? `Importing ${context.fileName} failed` : "Saving failed";
  return `${what} (${message}). Nothing was saved and your existing data is unchanged.`;
}
