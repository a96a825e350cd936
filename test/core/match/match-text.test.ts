import { describe, expect, it } from "vitest";
import { buildIndex } from "../../../core/match/match-index.ts";
import { matchText } from "../../../core/match/match-text.ts";
import { account } from "./accounts.ts";

const index = buildIndex([
  account({
    id: "acme",
    name: "Acme, Inc.",
    domains: ["acme.com"],
    externalIds: { salesforce: "001A0000006Vm9r", hubspot: "4412" },
    aliases: ["Acme Rockets"],
  }),
  account({ id: "acme-health", name: "Acme Health", domains: ["acmehealth.io"] }),
  account({ id: "socgen", name: "Société Générale" }),
  account({ id: "box", name: "Box", domains: ["box.com"] }),
  account({ id: "front", name: "Front" }),
  account({ id: "apple", name: "Apple Inc." }),
  account({ id: "notion", name: "Notion Labs", aliases: ["Notion"] }),
  account({ id: "ibm", name: "IBM" }),
  account({ id: "sap", name: "SAP SE" }),
  account({ id: "open-door", name: "Open Door" }),
  account({ id: "orsted", name: "Ørsted" }),
  account({ id: "jj", name: "Johnson & Johnson" }),
  account({ id: "uuid", name: "Zyxware", externalIds: { intercom: "5f9a1c2b3d4e5f6a7b8c9d0e" } }),
  account({ id: "t1", name: "Tessaract Dynamics", domains: ["tessaract.example"], aliases: ["TDX"] }),
  account({ id: "dup-1", name: "Hooli" }),
  account({ id: "dup-2", name: "Hooli" }),
]);

/** Each match as [matched text, account id, kind]. */
function found(text: string) {
  return matchText(index, text).map((m) => [text.slice(m.start, m.end), m.accountId, m.kind]);
}

describe("matchText: emails, domains and links", () => {
  it("finds an email address by its domain and badges the whole address", () => {
    expect(found("From: Dana Smith <dana.smith@acme.com>")).toEqual([["dana.smith@acme.com", "acme", "email"]]);
  });

  it("never matches a personal mail address, and does not read a name inside it", () => {
    expect(found("reply to acme.health@gmail.com please")).toEqual([]);
  });

  it("finds bare domains, subdomains and URLs, without the sentence's closing punctuation", () => {
    expect(found("See acme.com.")).toEqual([["acme.com", "acme", "domain"]]);
    expect(found("status at eu.acmehealth.io today")).toEqual([["eu.acmehealth.io", "acme-health", "domain"]]);
    expect(found("(https://www.acme.com/pricing?x=1).")).toEqual([
      ["https://www.acme.com/pricing?x=1", "acme", "domain"],
    ]);
    expect(found("mailto:dana@acme.com")).toEqual([["dana@acme.com", "acme", "email"]]);
  });

  it("does not take a domain's label for a name, nor a number for a domain", () => {
    expect(found("acme.org is someone else; version 3.14")).toEqual([]);
  });
});

describe("matchText: ids", () => {
  it("finds distinctive ids: a Salesforce id in both forms, an Intercom id", () => {
    expect(found("Record 001A0000006Vm9r and 001A0000006Vm9rIAC")).toEqual([
      ["001A0000006Vm9r", "acme", "externalId"],
      ["001A0000006Vm9rIAC", "acme", "externalId"],
    ]);
    expect(found("https://crm.example/r/Account/001A0000006Vm9rIAC/view")).toEqual([
      ["001A0000006Vm9rIAC", "acme", "externalId"],
    ]);
    expect(found("user 5f9a1c2b3d4e5f6a7b8c9d0e wrote")).toEqual([["5f9a1c2b3d4e5f6a7b8c9d0e", "uuid", "externalId"]]);
  });

  it("finds a distinctive account id as written, not in another case", () => {
    const ids = buildIndex([account({ id: "ACME-2024-0042", name: "Zyxware" })]);
    expect(matchText(ids, "ref ACME-2024-0042, acme-2024-0042")).toEqual([
      { start: 4, end: 18, accountId: "ACME-2024-0042", kind: "accountId" },
    ]);
  });

  it("does not find a short numeric id in free text (it could be any number)", () => {
    expect(found("Order 4412 shipped")).toEqual([]);
  });

  it("matches a Salesforce id only in its exact case (the 15-character form is case-sensitive)", () => {
    expect(found("001a0000006vm9r")).toEqual([]);
  });
});

describe("matchText: names", () => {
  it("matches names and aliases on word boundaries in any case", () => {
    expect(found("ACME called about acme rockets")).toEqual([
      ["ACME", "acme", "name"],
      ["acme rockets", "acme", "name"],
    ]);
    expect(found("Acmeville and NotAcme are not Acme's")).toEqual([["Acme", "acme", "name"]]);
  });

  it("prefers the longest of overlapping names", () => {
    expect(found("Acme Health renewed; Acme did not")).toEqual([
      ["Acme Health", "acme-health", "name"],
      ["Acme", "acme", "name"],
    ]);
  });

  it("ignores accents and folds letters like Ø, with offsets in the original text", () => {
    const text = "Chez Societe Generale, SOCIÉTÉ GÉNÉRALE et Socie\u0301te\u0301 Ge\u0301ne\u0301rale; Orsted";
    expect(found(text)).toEqual([
      ["Societe Generale", "socgen", "name"],
      ["SOCIÉTÉ GÉNÉRALE", "socgen", "name"],
      ["Socie\u0301te\u0301 Ge\u0301ne\u0301rale", "socgen", "name"],
      ["Orsted", "orsted", "name"],
    ]);
  });

  it("counts offsets in UTF-16 units past emoji and astral characters", () => {
    // Each emoji and each mathematical bold letter is two UTF-16 units: "Acme" starts at 2 + 2 + 1 + 4 + 1 = 10.
    const text = "🎉🎉 𝐀𝐁 Acme Health";
    const [m] = matchText(index, text);
    expect(m).toMatchObject({ start: 10, end: 21, accountId: "acme-health" });
  });

  it("reads & as and", () => {
    expect(found("Johnson and Johnson, Johnson & Johnson")).toEqual([
      ["Johnson and Johnson", "jj", "name"],
      ["Johnson & Johnson", "jj", "name"],
    ]);
  });

  it("does not join a name's words across a line break or a long gap", () => {
    expect(found("Acme\nHealth")).toEqual([["Acme", "acme", "name"]]);
    expect(found("Acme  —  Health")).toEqual([["Acme", "acme", "name"]]);
  });

  it("badges nothing for a name two accounts share", () => {
    expect(found("Hooli called")).toEqual([]);
  });

  it("lets a shared longer name hold its place, so a shorter name inside it is not badged instead", () => {
    const shared = buildIndex([
      account({ id: "a", name: "Acme" }),
      account({ id: "h1", name: "Acme Health" }),
      account({ id: "h2", name: "Acme Health GmbH" }),
    ]);
    expect(matchText(shared, "Acme Health called; Acme too")).toEqual([
      { start: 20, end: 24, accountId: "a", kind: "name" },
    ]);
  });
});

describe("matchText: common words and short names", () => {
  it("does not badge a single common word that is an account's name", () => {
    expect(found("the box was in front of the apple tree; Box arrived. Front desk. Apple pie")).toEqual([]);
    expect(found("I have a notion")).toEqual([]);
  });

  it("badges a common-word name followed by a company suffix", () => {
    expect(found("Box, Inc. and Apple Inc. and Front LLC")).toEqual([
      ["Box", "box", "name"],
      ["Apple", "apple", "name"],
      ["Front", "front", "name"],
    ]);
  });

  it("badges a common-word name's other identifiers and longer names", () => {
    expect(found("files on box.com; Notion Labs")).toEqual([
      ["box.com", "box", "domain"],
      ["Notion Labs", "notion", "name"],
    ]);
  });

  it("matches short names and acronyms only as written", () => {
    expect(found("IBM and SAP, not ibm or sap or Sap")).toEqual([
      ["IBM", "ibm", "name"],
      ["SAP", "sap", "name"],
    ]);
    expect(found("TDX or tdx")).toEqual([["TDX", "t1", "name"]]);
  });

  it("matches a name made of common words only as written", () => {
    expect(found("an open door policy at Open Door")).toEqual([["Open Door", "open-door", "name"]]);
  });

  it("matches other names in any case", () => {
    expect(found("tessaract dynamics")).toEqual([["tessaract dynamics", "t1", "name"]]);
  });
});

describe("matchText: overlaps", () => {
  it("prefers an email over the name inside it and never returns overlapping matches", () => {
    expect(found("Acme Health <ops@acme.com>")).toEqual([
      ["Acme Health", "acme-health", "name"],
      ["ops@acme.com", "acme", "email"],
    ]);
  });

  it("returns nothing for text with no account", () => {
    expect(found("Nothing to see here. Call 555-0100.")).toEqual([]);
    expect(found("")).toEqual([]);
  });
});
