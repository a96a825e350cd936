import { describe, expect, it } from "vitest";
import { z } from "zod";
import {
  issueInWords,
  issuesByField,
  issuesInWords,
  issuesOf,
  jsonPath,
  pathKeys,
  refused,
} from "../../../core/schema/issues.ts";
import { checkRequest } from "../../../core/worker/runtime/errors.ts";

describe("issues as data", () => {
  it("pathKeys reads back every path jsonPath writes", () => {
    const paths: PropertyKey[][] = [
      [],
      ["steps", 1, "title"],
      ["alerts", 0],
      ["factors", 12, "curve", "points", 3],
      ["weird key", 2, 'quote"d'],
      ["$dollar", "_under", 0],
    ];
    for (const keys of paths) expect(pathKeys(jsonPath(keys))).toEqual(keys);
    expect(pathKeys("$")).toEqual([]);
    expect(jsonPath(["weird key", 2])).toBe('$["weird key"][2]');
  });

  it("a refused request names each field at fault by JSON path, with zod's message unchanged", () => {
    const Request = z.object({
      rating: z.number().int("a rating is a whole number"),
      steps: z.array(z.object({ title: z.string().min(1, "a step needs a title") })),
    });
    const result = checkRequest(Request, { rating: 2.5, steps: [{ title: "Call" }, { title: "" }] });
    expect(result).toEqual({
      ok: false,
      issues: [
        { path: "$.rating", message: "a rating is a whole number" },
        { path: "$.steps[1].title", message: "a step needs a title" },
      ],
    });
    expect(checkRequest(Request, { rating: 3, steps: [] })).toEqual({ ok: true, value: { rating: 3, steps: [] } });
    expect(refused("$.accountId", 'there is no account "x"')).toEqual({
      ok: false,
      issues: [{ path: "$.accountId", message: 'there is no account "x"' }],
    });
  });

  it("an issue reads in a form's words: list items by their number from 1, the whole request by its message", () => {
    const steps = { steps: "step" };
    expect(issueInWords({ path: "$.steps[1].title", message: "a step needs a title" }, steps)).toBe(
      "step 2: title: a step needs a title",
    );
    expect(issueInWords({ path: "$.alerts[0].points", message: "points must be at least 1" }, { alerts: "rule" })).toBe(
      "rule 1: points: points must be at least 1",
    );
    expect(issueInWords({ path: "$.name", message: "a play needs a name" }, steps)).toBe("name: a play needs a name");
    expect(issueInWords({ path: "$", message: "the store is full" }, steps)).toBe("the store is full");
    // A list the form has no word for keeps its position in the path.
    expect(issueInWords({ path: "$.rules[0].ruleId", message: "unknown" }, steps)).toBe("rules[0]: ruleId: unknown");
    // An empty word: the message names its item itself.
    const named = { path: "$.ids[2]", message: "Acme: Score fell: a closed alert cannot be snoozed" };
    expect(issueInWords(named, { ids: "" })).toBe("Acme: Score fell: a closed alert cannot be snoozed");
    expect(issueInWords({ path: "$.ids", message: "select at least one alert" }, { ids: "" })).toBe(
      "ids: select at least one alert",
    );
    // Several on one line.
    expect(
      issuesInWords([
        { path: "$.day", message: "not a day" },
        { path: "$", message: "the store is full" },
      ]),
    ).toBe("day: not a day; the store is full");
  });

  it("issues from zod keep the path a page reads back", () => {
    const parsed = z.object({ steps: z.array(z.string().min(1, "empty")) }).safeParse({ steps: ["a", ""] });
    if (parsed.success) throw new Error("expected a refusal");
    const [issue] = issuesOf(parsed.error);
    expect(pathKeys(issue?.path ?? "")).toEqual(["steps", 1]);
  });

  it("a form reads its problems by field, several of one field together, the whole request's apart", () => {
    const byField = issuesByField([
      { path: "$.expiresOn", message: "not a day" },
      { path: "$.score", message: "at most 100" },
      { path: "$.expiresOn", message: "before today" },
      { path: "$", message: "the store is full" },
    ]);
    expect([...byField]).toEqual([
      ["expiresOn", "not a day; before today"],
      ["score", "at most 100"],
      ["form", "the store is full"],
    ]);
  });
});
