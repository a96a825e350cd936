import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isCommonWord } from "../../../core/match/common-words.ts";
import {
  caseKey,
  domainOf,
  isDistinctiveId,
  isPersonalDomain,
  nameKey,
  salesforceId18,
  wordsOf,
} from "../../../core/match/identifiers.ts";

/** nameKey as first written (regular expressions over the whole string), plus the letters NFKD keeps whole. */
function referenceNameKey(name: string): string {
  return name
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(
      /[ßẞæÆœŒøØđĐðÐłŁþÞı]/g,
      (c) =>
        ({
          ß: "ss",
          ẞ: "SS",
          æ: "ae",
          Æ: "AE",
          œ: "oe",
          Œ: "OE",
          ø: "o",
          Ø: "O",
          đ: "d",
          Đ: "D",
          ð: "d",
          Ð: "D",
          ł: "l",
          Ł: "L",
          þ: "th",
          Þ: "TH",
          ı: "i",
        })[c] ?? c,
    )
    .toLowerCase()
    .replace(/&/g, " and ")
    .replace(/[^a-z0-9]+/g, " ")
    .replace(
      /\b(inc|incorporated|llc|ltd|limited|gmbh|ag|sa|sas|bv|plc|corp|corporation|co|company|se|nv|pty|pte|srl|sarl|oy|kg|bhd|lp|llp|pllc)\b/g,
      " ",
    )
    .trim()
    .replace(/\s+/g, " ");
}

describe("nameKey", () => {
  it("ignores case, accents, punctuation and company suffixes", () => {
    expect(nameKey("Acme, Inc.")).toBe("acme");
    expect(nameKey("ACME GmbH")).toBe("acme");
    expect(nameKey("Société Générale SA")).toBe("societe generale");
    expect(nameKey("Johnson & Johnson")).toBe("johnson and johnson");
    expect(nameKey("AT&T")).toBe("at and t");
  });

  it("folds letters that have no accent to drop (Ø, ß, Æ, Ł) the way they are typed", () => {
    expect(nameKey("Ørsted")).toBe("orsted");
    expect(nameKey("Großbank AG")).toBe("grossbank");
    expect(nameKey("Æther Łódź")).toBe("aether lodz");
  });

  it("makes a name of only suffixes empty (it names nothing)", () => {
    expect(nameKey("The Company, Inc.")).toBe("the");
    expect(nameKey("Inc.")).toBe("");
  });

  it("equals the regular-expression definition for any Unicode text", () => {
    fc.assert(
      fc.property(fc.string({ unit: "grapheme", maxLength: 30 }), (s) => {
        expect(nameKey(s)).toBe(referenceNameKey(s));
      }),
      { numRuns: 2000 },
    );
  });
});

describe("wordsOf", () => {
  it("gives each word's range in UTF-16 units of the original text, accents and all", () => {
    const text = "Caf\u0065\u0301 Ørsted, 𝐀cme & Co";
    const words = wordsOf(text);
    const spans = Array.from({ length: words.count }, (_, i) => [
      words.keys[i],
      text.slice(words.starts[i], words.ends[i]),
    ]);
    expect(spans).toEqual([
      ["cafe", "Cafe\u0301"],
      ["orsted", "Ørsted"],
      ["acme", "𝐀cme"],
      ["and", "&"],
      ["co", "Co"],
    ]);
  });
});

describe("caseKey", () => {
  it("keeps capitals but drops accents, punctuation and suffixes", () => {
    expect(caseKey("Open Door, Inc.")).toBe("Open Door");
    expect(caseKey("SOCIÉTÉ")).toBe("SOCIETE");
  });
});

describe("domains", () => {
  it("reads the domain of an email, a URL or a bare domain", () => {
    expect(domainOf("Dana@Acme.COM")).toBe("acme.com");
    expect(domainOf("https://www.acme.com/about")).toBe("acme.com");
    expect(domainOf("mailto:dana@acme.com")).toBe("acme.com");
    expect(domainOf("not a domain")).toBeUndefined();
  });

  it("knows personal mail providers in any case", () => {
    expect(isPersonalDomain("gmail.com")).toBe(true);
    expect(isPersonalDomain("Outlook.com")).toBe(true);
    expect(isPersonalDomain("acme.com")).toBe(false);
  });
});

describe("salesforceId18", () => {
  it("appends Salesforce's checksum of capitals to a 15-character id", () => {
    // Worked by hand: chunks 001A0, 00000, 6Vm9r → capitals at bit 3, none, bit 1 → "I", "A", "C".
    expect(salesforceId18("001A0000006Vm9r")).toBe("001A0000006Vm9rIAC");
    expect(salesforceId18("0015g00000abcde")).toBe("0015g00000abcdeAAA");
  });

  it("leaves anything else alone", () => {
    expect(salesforceId18("001A0000006Vm9rIAC")).toBe("001A0000006Vm9rIAC");
    expect(salesforceId18("12345")).toBe("12345");
  });
});

describe("isDistinctiveId", () => {
  it("accepts long ids mixing letters and digits", () => {
    expect(isDistinctiveId("0015g00000AbCdEAAZ")).toBe(true);
    expect(isDistinctiveId("5f9a1c2b3d4e5f6a7b8c9d0e")).toBe(true);
    expect(isDistinctiveId("3f2b6c1e-8a4d-4e6f-9b7a-2c5d8e1f0a3b")).toBe(true);
    expect(isDistinctiveId("ACME-2024-0042")).toBe(true);
  });

  it("rejects numbers, short ids and words", () => {
    expect(isDistinctiveId("360012345678")).toBe(false); // a Zendesk organization number
    expect(isDistinctiveId("demo-0001")).toBe(false);
    expect(isDistinctiveId("enterprise-plan")).toBe(false);
    expect(isDistinctiveId("enterprise1")).toBe(false);
  });
});

describe("isCommonWord", () => {
  it("knows common English words and their inflections", () => {
    for (const w of ["box", "boxes", "front", "notion", "notions", "apple", "slack", "fronted", "pitching"]) {
      expect(isCommonWord(w), w).toBe(true);
    }
  });

  it("does not count company-like coinages", () => {
    for (const w of ["acme", "globex", "hubspot", "zendesk", "initech", "figma"])
      expect(isCommonWord(w), w).toBe(false);
  });
});
