/** Every distinct ArrayBuffer under some typed arrays, for `Comlink.transfer` (a buffer listed twice throws). */
export function buffersOf(...arrays: ArrayBufferView[]): ArrayBuffer[] {
  const seen = new Set<ArrayBuffer>();
  for (const a of arrays) if (a.buffer instanceof ArrayBuffer) seen.add(a.buffer);
  return [...seen];
}
