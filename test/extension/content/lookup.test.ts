import { beforeEach, describe, expect, it } from "vitest";
import { fakeBrowser } from "wxt/testing/fake-browser";
import { lookupInBackground } from "../../../extension/entrypoints/content/lookup.ts";
import type { LookupMessage } from "../../../extension/messages.ts";

const message: LookupMessage = {
  type: "lookup",
  identifiers: [{ kind: "email", value: "dana@northwind.example" }],
  texts: [],
};

describe("content script lookup", () => {
  beforeEach(() => fakeBrowser.reset());

  it("sends the lookup to the background and returns its validated answer", async () => {
    const seen: unknown[] = [];
    fakeBrowser.runtime.onMessage.addListener((raw: unknown) => {
      seen.push(raw);
      return Promise.resolve({ type: "matches", identifiers: [null], texts: [], accounts: [] });
    });
    expect(await lookupInBackground(message)).toEqual({
      type: "matches",
      identifiers: [null],
      texts: [],
      accounts: [],
    });
    expect(seen).toEqual([message]);
  });

  it("treats a malformed answer as no answer", async () => {
    fakeBrowser.runtime.onMessage.addListener(() =>
      Promise.resolve({ type: "matches", identifiers: [], texts: [], accounts: [{ id: "x" }] }),
    );
    expect(await lookupInBackground(message)).toBeUndefined();
  });

  it("treats a background that is gone (the message throws) as no answer", async () => {
    expect(await lookupInBackground(message)).toBeUndefined();
  });
});
