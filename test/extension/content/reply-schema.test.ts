import { describe, expect, it } from "vitest";
import { toJSONSchema } from "zod";
import { BadgesChangedMini, LookupReplyMini } from "../../../extension/entrypoints/content/reply-schema.ts";
import { BadgesChangedMessage, LookupReply } from "../../../extension/messages.ts";

const account = {
  id: "acme",
  name: "Acme",
  scorecard: "Adoption (SMB)",
  score: 72.4,
  shown: 72,
  grade: "B",
  color: "green",
  label: "Good",
  delta: -3,
  coverage: 0.9,
  asOf: "2026-11-20",
};

describe("the content script's light (zod mini) schemas", () => {
  it.each(["input", "output"] as const)("describe exactly the contract's %s (same JSON Schema)", (io) => {
    expect(toJSONSchema(LookupReplyMini, { io })).toEqual(toJSONSchema(LookupReply, { io }));
    expect(toJSONSchema(BadgesChangedMini, { io })).toEqual(toJSONSchema(BadgesChangedMessage, { io }));
  });

  it.each([
    ["a valid reply", { type: "matches", identifiers: ["acme", null], texts: [], accounts: [account] }],
    ["a real day", { type: "matches", identifiers: [], texts: [], accounts: [{ ...account, asOf: "2026-02-28" }] }],
    [
      "an impossible day",
      { type: "matches", identifiers: [], texts: [], accounts: [{ ...account, asOf: "2026-02-30" }] },
    ],
    ["a score over 100", { type: "matches", identifiers: [], texts: [], accounts: [{ ...account, score: 101 }] }],
    ["an unknown colour", { type: "matches", identifiers: [], texts: [], accounts: [{ ...account, color: "pink" }] }],
    [
      "a negative text offset",
      {
        type: "matches",
        identifiers: [],
        texts: [{ text: -1, start: 0, end: 1, accountId: "a", kind: "name" }],
        accounts: [],
      },
    ],
    ["a missing type", { identifiers: [], texts: [], accounts: [] }],
  ])("accept and refuse the same messages as the contract: %s", (_name, message) => {
    const contract = LookupReply.safeParse(message);
    const mini = LookupReplyMini.safeParse(message);
    expect(mini.success).toBe(contract.success);
    if (contract.success) expect(mini.data).toEqual(contract.data);
  });
});
