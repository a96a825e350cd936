import { beforeEach, describe, expect, it } from "vitest";
import { fakeBrowser } from "wxt/testing/fake-browser";
import { closeLookups, lookupInBackground, openLookups } from "../../../extension/content/lookup.ts";
import { LOOKUP_PORT, type PortLookup } from "../../../extension/lookup-port.ts";
import type { LookupMessage } from "../../../extension/messages.ts";

const message: LookupMessage = {
  type: "lookup",
  identifiers: [{ kind: "email", value: "dana@northwind.example" }],
  texts: [],
};
const none = { type: "matches", identifiers: [null], texts: [], accounts: [] };

/** The background's end of each port the content script opens: what arrived on it, and a way to answer or close. */
interface FakeEnd {
  name: string;
  received: PortLookup<LookupMessage>[];
  answer(raw: unknown): void;
  close(): void;
  closedByPage: boolean;
}

/** Replaces runtime.connect (fake-browser has none) with ports whose background end `serve` plays. */
function fakePorts(serve: (end: FakeEnd, lookup: PortLookup<LookupMessage>) => void): FakeEnd[] {
  const ends: FakeEnd[] = [];
  fakeBrowser.runtime.connect = ((info: { name: string }) => {
    const onMessage: ((m: unknown) => void)[] = [];
    const onDisconnect: (() => void)[] = [];
    const end: FakeEnd = {
      name: info.name,
      received: [],
      answer: (raw) => {
        for (const l of onMessage) l(raw);
      },
      close: () => {
        for (const l of onDisconnect) l();
      },
      closedByPage: false,
    };
    ends.push(end);
    return {
      name: info.name,
      onMessage: { addListener: (l: (m: unknown) => void) => onMessage.push(l) },
      onDisconnect: { addListener: (l: () => void) => onDisconnect.push(l) },
      postMessage: (m: PortLookup<LookupMessage>) => {
        end.received.push(m);
        queueMicrotask(() => serve(end, m));
      },
      disconnect: () => {
        end.closedByPage = true;
      },
    };
  }) as unknown as typeof fakeBrowser.runtime.connect;
  return ends;
}

describe("content script lookup", () => {
  beforeEach(() => {
    fakeBrowser.reset();
    closeLookups();
  });

  it("sends lookups over one port and pairs each validated answer with its lookup by id", async () => {
    const held: PortLookup<LookupMessage>[] = [];
    let release: () => void = () => undefined;
    const ends = fakePorts((end, lookup) => {
      held.push(lookup);
      // Both answered once both arrived, the second first.
      if (held.length === 2)
        release = () => {
          for (const l of [...held].reverse())
            end.answer({ id: l.id, reply: { ...none, identifiers: [l.message.identifiers[0]?.value ?? null] } });
        };
    });
    const first = lookupInBackground(message);
    const second = lookupInBackground({ ...message, identifiers: [{ kind: "email", value: "x@globex.example" }] });
    await new Promise((done) => setTimeout(done, 0));
    release();
    expect((await first)?.identifiers).toEqual(["dana@northwind.example"]);
    expect((await second)?.identifiers).toEqual(["x@globex.example"]);
    expect(ends).toHaveLength(1);
    expect(ends[0]?.name).toBe(LOOKUP_PORT);
    expect(ends[0]?.received.map((r) => r.message)).toEqual([message, expect.objectContaining({ type: "lookup" })]);
  });

  it("treats a malformed answer as no answer", async () => {
    fakePorts((end, { id }) =>
      end.answer({ id, reply: { type: "matches", identifiers: [], texts: [], accounts: [{ id: "x" }] } }),
    );
    expect(await lookupInBackground(message)).toBeUndefined();
  });

  it("answers undefined when the background goes to sleep mid-lookup, and opens a new port for the next", async () => {
    let asleep = true;
    const ends = fakePorts((end, { id }) => (asleep ? end.close() : end.answer({ id, reply: none })));
    expect(await lookupInBackground(message)).toBeUndefined();
    asleep = false;
    expect(await lookupInBackground(message)).toEqual(none);
    expect(ends).toHaveLength(2);
  });

  it("opens a new port after closeLookups (a navigation), closing the old one", async () => {
    const ends = fakePorts((end, { id }) => end.answer({ id, reply: none }));
    await lookupInBackground(message);
    closeLookups();
    await lookupInBackground(message);
    expect(ends.map((e) => e.closedByPage)).toEqual([true, false]);
  });

  it("opens the port ahead of the first lookup (the script's start), which then takes it, and survives a gone background", async () => {
    const ends = fakePorts((end, { id }) => end.answer({ id, reply: none }));
    openLookups();
    expect(ends).toHaveLength(1);
    expect(ends[0]?.received).toEqual([]);
    openLookups();
    expect(await lookupInBackground(message)).toEqual(none);
    expect(ends).toHaveLength(1);
    expect(ends[0]?.received).toHaveLength(1);
    closeLookups();
    fakeBrowser.runtime.connect = (() => {
      throw new Error("Extension context invalidated.");
    }) as unknown as typeof fakeBrowser.runtime.connect;
    expect(() => openLookups()).not.toThrow();
  });

  it("treats a background that is gone (connecting throws) as no answer", async () => {
    fakeBrowser.runtime.connect = (() => {
      throw new Error("Extension context invalidated.");
    }) as unknown as typeof fakeBrowser.runtime.connect;
    expect(await lookupInBackground(message)).toBeUndefined();
  });
});
