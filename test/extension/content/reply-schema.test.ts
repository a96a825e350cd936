import { describe, expect, it } from "vitest";
import { isBadgesChanged, parseLookupReply } from "../../../extension/content/reply-schema.ts";
import { BadgesChangedMessage, LookupReply } from "../../../extension/messages.ts";

// The content script's hand-written checks against the contract (extension/messages.ts's zod schemas): on valid
// answers, and on each field of a full answer replaced in turn by values of every kind and at every limit, both
// accept or both refuse, and what they accept comes out the same (defaults filled in, unknown keys dropped).

const minimal = {
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

const full = {
  ...minimal,
  domains: ["acme.example", "acme.test"],
  externalIds: { salesforce: "0015g00000ABCDE", zendesk: "9001" },
  aliases: ["Acme Corp"],
  form: "grade",
  why: "Usage fell",
  drags: [{ factorId: "usage", text: "Usage fell from 80 to 40: −12 points", lost: 12 }],
  sparkline: [60, null, 72],
  alerts: [{ title: "Renewal at risk", raisedOn: "2026-11-01" }],
  override: { text: "Champion left", until: "2026-12-31" },
};

const reply = (accounts: unknown[], extra: Record<string, unknown> = {}) => ({
  type: "matches",
  identifiers: ["acme", null],
  texts: [{ text: 0, start: 3, end: 7, accountId: "acme", kind: "name" }],
  accounts,
  pwaUrl: "http://localhost:5173/",
  ...extra,
});

/** Values of every kind, and at and past each limit the schemas have (lengths, ranges, days). */
const REPLACEMENTS: unknown[] = [
  undefined,
  null,
  true,
  0,
  -1,
  0.5,
  1,
  1.5,
  100,
  100.5,
  101,
  -100,
  -101,
  Number.NaN,
  Number.POSITIVE_INFINITY,
  2 ** 53,
  "",
  "x",
  "green",
  "grade",
  "label",
  "grey",
  "pink",
  "email",
  "2026-02-28",
  "2026-02-30",
  "2026-2-3",
  ...[10, 11, 50, 51, 100, 101, 200, 201, 253, 254, 300, 301, 400, 401].map((n) => "a".repeat(n)),
  [],
  ["a"],
  [null],
  [50],
  Array.from({ length: 61 }, () => 50),
  Array.from({ length: 60 }, () => 50),
  Array.from({ length: 6 }, () => full.drags[0]),
  Array.from({ length: 21 }, () => full.alerts[0]),
  Array.from({ length: 101 }, () => "a.example"),
  {},
  { a: "b" },
  { ["k".repeat(51)]: "v" },
  { k: "" },
  { text: "t", until: "2026-01-01" },
];

/** Every path in a value, to each object's and array's members (the value itself is not one). */
function paths(value: unknown, at: (string | number)[] = []): (string | number)[][] {
  if (typeof value !== "object" || value === null) return [];
  const keys = Array.isArray(value) ? value.map((_, i) => i) : Object.keys(value);
  return keys.flatMap((key) => [[...at, key], ...paths((value as Record<string, unknown>)[key], [...at, key])]);
}

/** A deep copy of `value` with the member at `path` replaced (undefined: removed). */
function replaced(value: unknown, path: (string | number)[], next: unknown): unknown {
  const copy = structuredClone(value) as Record<string | number, unknown>;
  let parent = copy;
  for (const key of path.slice(0, -1)) parent = parent[key] as Record<string | number, unknown>;
  const last = path.at(-1) as string | number;
  if (next === undefined && !Array.isArray(parent)) delete parent[last];
  else parent[last] = next;
  return copy;
}

function same(message: unknown): void {
  const contract = LookupReply.safeParse(message);
  const ours = parseLookupReply(message);
  expect(ours !== undefined, JSON.stringify(message)).toBe(contract.success);
  if (contract.success) expect(ours).toEqual(contract.data);
}

describe("the content script's checks of what the background answers", () => {
  it.each([
    ["a full reply", reply([full])],
    ["a minimal account (defaults filled in)", reply([minimal])],
    ["no accounts, no address", { type: "matches", identifiers: [], texts: [], accounts: [] }],
    ["unknown keys", reply([{ ...full, extra: 1 }], { extra: true })],
    ["an id named like a prototype key", reply([{ ...full, id: "__proto__", externalIds: { constructor: "1" } }])],
    ["a missing type", { identifiers: [], texts: [], accounts: [] }],
    ["not an object", ["matches"]],
    ["nothing", undefined],
  ])("agree with the contract: %s", (_name, message) => same(message));

  it("agree with the contract with each field of a full reply replaced by each kind of value", () => {
    const base = reply([full, minimal]);
    let cases = 0;
    for (const path of paths(base)) {
      for (const next of REPLACEMENTS) {
        same(replaced(base, path, next));
        cases++;
      }
    }
    expect(cases).toBeGreaterThan(3_000);
  });

  it("take the badges-changed notice and nothing else", () => {
    for (const message of [{ type: "badges-changed" }, { type: "badges-changed", extra: 1 }, { type: "x" }, null, []])
      expect(isBadgesChanged(message)).toBe(BadgesChangedMessage.safeParse(message).success);
  });
});
