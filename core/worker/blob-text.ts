import type { TextPieces } from "../io/csv.ts";

/** Bytes read from a file per piece: enough to keep the parser busy, small enough that memory stays flat. */
export const PIECE_BYTES = 1 << 22;

/** What blobText needs of a File or Blob. */
export interface ByteSlices {
  readonly size: number;
  slice(start: number, end: number): { arrayBuffer(): Promise<ArrayBuffer> };
}

/**
 * A File or Blob as UTF-8 text read PIECE_BYTES at a time (never whole): a character split across two pieces is
 * decoded whole, and a byte-order mark is dropped. The next piece is read while the caller parses this one.
 */
export function blobText(blob: ByteSlices, pieceBytes = PIECE_BYTES): TextPieces {
  const read = (at: number) => {
    const bytes = blob.slice(at, Math.min(blob.size, at + pieceBytes)).arrayBuffer();
    bytes.catch(() => undefined); // (a read still pending when the caller stops early must not go unhandled)
    return bytes;
  };
  return {
    size: blob.size,
    async *pieces() {
      const decoder = new TextDecoder("utf-8");
      let next = blob.size > 0 ? read(0) : undefined;
      for (let at = 0; next !== undefined; at += pieceBytes) {
        const bytes = await next;
        const done = Math.min(blob.size, at + pieceBytes);
        next = done < blob.size ? read(done) : undefined;
        yield { text: decoder.decode(bytes, { stream: next !== undefined }), done };
      }
    },
  };
}
