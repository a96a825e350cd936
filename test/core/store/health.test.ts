import { describe, expect, it } from "vitest";
import { type AskRecord, askPersistenceAfterFirstImport, readPersistenceAsk } from "../../../core/store/health.ts";

/** A StorageManager that counts persist() calls and answers `grant`. */
function fakeStorage(grant: boolean) {
  let persisted = false;
  const calls = { persist: 0 };
  const storage = {
    persisted: async () => persisted,
    persist: async () => {
      calls.persist++;
      persisted = grant;
      return grant;
    },
    estimate: async () => ({ usage: 1, quota: 2 }),
  } as unknown as StorageManager;
  return { storage, calls };
}

const memory = (): AskRecord & { text: string | null } => ({
  text: null,
  get() {
    return this.text;
  },
  set(text: string) {
    this.text = text;
  },
});

describe("asking the browser to keep the data after the first own import", () => {
  it("asks once, records the answer, and later imports only read it back", async () => {
    const record = memory();
    const { storage, calls } = fakeStorage(false);
    expect(readPersistenceAsk(record)).toBeNull();
    const first = await askPersistenceAfterFirstImport(record, storage, new Date("2025-03-01T10:00:00Z"));
    expect(first).toEqual({ at: "2025-03-01T10:00:00.000Z", granted: false });
    expect(calls.persist).toBe(1);
    expect(await askPersistenceAfterFirstImport(record, storage, new Date("2025-03-02T10:00:00Z"))).toEqual(first);
    expect(calls.persist).toBe(1);
    expect(readPersistenceAsk(record)).toEqual(first);
  });

  it("records a grant, and an unreadable record counts as not asked", async () => {
    const record = memory();
    record.set("{not json");
    expect(readPersistenceAsk(record)).toBeNull();
    const { storage, calls } = fakeStorage(true);
    expect(await askPersistenceAfterFirstImport(record, storage)).toMatchObject({ granted: true });
    expect(calls.persist).toBe(1);
  });
});
