import { describe, expect, it } from "vitest";
import { buildAll, buildIndex, lookupIdentifier } from "../../../core/match/match-index.ts";
import { account } from "./accounts.ts";

const index = buildIndex([
  account({
    id: "acc-1",
    name: "Acme, Inc.",
    domains: ["acme.com", "acme.io"],
    externalIds: { salesforce: "001A0000006Vm9r", zendesk: "9001" },
    aliases: ["Acme Rockets"],
  }),
  account({ id: "acc-2", name: "Acme Health", domains: ["acmehealth.com"], externalIds: { hubspot: "9001" } }),
  account({ id: "ACC-3", name: "Globex", domains: ["globex.io", "gmail.com"], externalIds: { zendesk: "77" } }),
  // Two accounts share a domain and a name: neither wins.
  account({ id: "acc-4", name: "Initech", domains: ["initech.com"] }),
  account({ id: "acc-5", name: "Initech GmbH", domains: ["initech.com"] }),
]);

describe("lookupIdentifier", () => {
  it("matches an email by its domain, in any case, and by a parent domain", () => {
    expect(lookupIdentifier(index, { kind: "email", value: "Dana@ACME.com" })).toBe("acc-1");
    expect(lookupIdentifier(index, { kind: "email", value: "dana@eu.acme.io" })).toBe("acc-1");
    expect(lookupIdentifier(index, { kind: "email", value: "bo@acmehealth.com" })).toBe("acc-2");
  });

  it("never matches a personal mail domain, even one an account lists", () => {
    expect(lookupIdentifier(index, { kind: "email", value: "someone@gmail.com" })).toBeUndefined();
    expect(lookupIdentifier(index, { kind: "domain", value: "gmail.com" })).toBeUndefined();
  });

  it("matches a domain, a website and a link", () => {
    expect(lookupIdentifier(index, { kind: "domain", value: "globex.io" })).toBe("ACC-3");
    expect(lookupIdentifier(index, { kind: "domain", value: "https://www.Globex.io/pricing" })).toBe("ACC-3");
    expect(lookupIdentifier(index, { kind: "domain", value: "globex.com" })).toBeUndefined();
  });

  it("matches account ids exactly or ignoring case", () => {
    expect(lookupIdentifier(index, { kind: "accountId", value: "ACC-3" })).toBe("ACC-3");
    expect(lookupIdentifier(index, { kind: "accountId", value: "acc-3" })).toBe("ACC-3");
    expect(lookupIdentifier(index, { kind: "accountId", value: "acc-9" })).toBeUndefined();
  });

  it("matches external ids in their system, or in any system when the value is unique", () => {
    expect(lookupIdentifier(index, { kind: "externalId", value: "77", system: "zendesk" })).toBe("ACC-3");
    expect(lookupIdentifier(index, { kind: "externalId", value: "77" })).toBe("ACC-3");
    expect(lookupIdentifier(index, { kind: "externalId", value: "77", system: "hubspot" })).toBeUndefined();
    // 9001 is acc-1's Zendesk id and acc-2's HubSpot id: the system tells them apart; without it, neither.
    expect(lookupIdentifier(index, { kind: "externalId", value: "9001", system: "Zendesk" })).toBe("acc-1");
    expect(lookupIdentifier(index, { kind: "externalId", value: "9001", system: "hubspot" })).toBe("acc-2");
    expect(lookupIdentifier(index, { kind: "externalId", value: "9001" })).toBeUndefined();
  });

  it("matches a Salesforce id in its 15- and 18-character forms", () => {
    expect(lookupIdentifier(index, { kind: "externalId", value: "001A0000006Vm9r", system: "salesforce" })).toBe(
      "acc-1",
    );
    expect(lookupIdentifier(index, { kind: "externalId", value: "001A0000006Vm9rIAC", system: "salesforce" })).toBe(
      "acc-1",
    );
    expect(lookupIdentifier(index, { kind: "externalId", value: "001a0000006vm9riac" })).toBe("acc-1");
  });

  it("matches names and aliases by nameKey (case, accents, punctuation and suffixes ignored)", () => {
    expect(lookupIdentifier(index, { kind: "name", value: "ACME LLC" })).toBe("acc-1");
    expect(lookupIdentifier(index, { kind: "name", value: "acme rockets" })).toBe("acc-1");
    expect(lookupIdentifier(index, { kind: "name", value: "Acme Health, Inc." })).toBe("acc-2");
    expect(lookupIdentifier(index, { kind: "name", value: "Acme Healthcare" })).toBeUndefined();
  });

  it("badges nothing for a domain or name two accounts share", () => {
    expect(lookupIdentifier(index, { kind: "email", value: "pat@initech.com" })).toBeUndefined();
    expect(lookupIdentifier(index, { kind: "name", value: "Initech" })).toBeUndefined();
  });

  it("matches a common-word name from a known place (the free-text rules do not apply)", () => {
    const boxes = buildIndex([account({ id: "box", name: "Box" })]);
    expect(lookupIdentifier(boxes, { kind: "name", value: "box" })).toBe("box");
  });
});

describe("buildIndex", () => {
  it("answers the same whether its maps are built on first use or all at once", () => {
    const accounts = [
      account({ id: "a", name: "Acme", domains: ["acme.com"], externalIds: { zendesk: "77" } }),
      account({ id: "b", name: "Globex", domains: ["globex.io"] }),
    ];
    const lazy = buildIndex(accounts);
    const eager = buildAll(buildIndex(accounts));
    const queries = [
      { kind: "email", value: "x@acme.com" },
      { kind: "name", value: "globex" },
      { kind: "externalId", value: "77" },
      { kind: "accountId", value: "B" },
    ] as const;
    for (const q of queries) expect(lookupIdentifier(lazy, q)).toBe(lookupIdentifier(eager, q));
    expect(queries.map((q) => lookupIdentifier(lazy, q))).toEqual(["a", "b", "a", "b"]);
  });
});
