import { readFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";

/** One frame of a backup file: its JSON and its bytes as written (docs/formats.md, "Backup file"). */
export interface BackupFrame {
  json: unknown;
  raw: Buffer;
}

/** The frames of a backup file, after gzip: the header first, the manifest last. */
export function backupFrames(file: string): BackupFrame[] {
  const plain = gunzipSync(readFileSync(file));
  const out: BackupFrame[] = [];
  let at = 0;
  while (at < plain.length) {
    const text = plain.readUInt32LE(at);
    const binary = plain.readUInt32LE(at + 4 + text);
    const end = at + 8 + text + binary;
    out.push({
      json: JSON.parse(plain.subarray(at + 4, at + 4 + text).toString("utf8")),
      raw: plain.subarray(at, end),
    });
    at = end;
  }
  return out;
}

/** The rows of one table in a backup's frames (not the year blocks, which are columns). */
export function backupRows(frames: readonly BackupFrame[], table: string): unknown[] {
  return frames.flatMap((f) => {
    const json = f.json as { table?: string; rows?: unknown[] };
    return json.table === table ? (json.rows ?? []) : [];
  });
}
