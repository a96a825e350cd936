import { describe, expect, it } from "vitest";
import { churnSnapshot, SNAPSHOT_CARD } from "../../../core/demo/churn-snapshot.ts";
import { demoPortfolio } from "../../../core/demo/portfolio.ts";
import { Account } from "../../../core/schema/account.ts";
import { Scorecard, type ScorecardInput } from "../../../core/schema/scorecard.ts";
import { nearestMatches, scorecardDataWarnings } from "../../../core/scoring/data-warnings.ts";
import { DEFAULT_SCORECARDS } from "../../../core/scoring/defaults.ts";
import { explainAccount } from "../../../core/scoring/engine.ts";
import { account, card, D0, portfolio } from "./helpers.ts";

type FactorInput = ScorecardInput["factors"][number];

const contract = (map: Record<string, number>, extra: Partial<FactorInput> = {}): FactorInput => ({
  id: "contract",
  label: "Contract",
  weight: 1,
  source: { kind: "attribute", key: "contract" },
  rule: { kind: "categorical", map },
  ...extra,
});

/** Accounts a1… with the given values of `key` (null: no value). */
const accountsWith = (key: string, values: readonly (string | number | null)[]) =>
  values.map((v, i) => account({ id: `a${i + 1}`, attributes: v === null ? {} : { [key]: v } }));

const TELCO = ["Month-to-month", "Month-to-month", "Month-to-month", "One year", "One year", "Two year", "Two year"];

describe("scorecard vs data: the mistakes that used to pass silently", () => {
  it("an attribute key in the wrong case: no account has it, and the nearest name is given with its count", () => {
    const warnings = scorecardDataWarnings(
      card({ factors: [contract({ "Month-to-month": 0.2 })] }),
      accountsWith("Contract", TELCO),
    );
    expect(warnings).toEqual([
      {
        path: "$.factors[0].source.key",
        message:
          'no account has the attribute "contract", so factor "Contract" is missing for every account; did you mean ' +
          '"Contract" (7 accounts)? (attribute names are case-sensitive)',
      },
    ]);
  });

  it("a mapped category no account has, and the data's category the card does not map, each with the nearest", () => {
    const c = card({ factors: [contract({ "Month-to-month": 0.2, "One year": 0.6, "Two-year": 1 })] });
    const list = accountsWith("contract", TELCO);
    expect(scorecardDataWarnings(c, list)).toEqual([
      {
        path: '$.factors[0].rule.map["Two-year"]',
        message:
          'no account has the value "Two-year" of "contract" (factor "Contract"); nearest: "Two year" (2 accounts)',
      },
      {
        path: "$.factors[0].rule.map",
        message:
          'a value of "contract" is not mapped, so factor "Contract" is missing for 2 accounts: "Two year" (2 accounts; ' +
          'the card maps "Two-year") (map it, or give the rule a default)',
      },
    ]);
    // The count is the engine's: exactly those accounts have no n for the factor.
    const p = portfolio(list);
    const missing = list.filter((_, i) => explainAccount(p, [c], i, D0)[0]?.factors[0]?.n === null).length;
    expect(missing).toBe(2);
  });

  it("says nothing where the engine reads the data: another case of a category, a default, a full mapping", () => {
    const list = accountsWith("contract", ["annual", "Annual", "MONTHLY", null]);
    expect(scorecardDataWarnings(card({ factors: [contract({ Annual: 1, Monthly: 0.3 })] }), list)).toEqual([]);
    expect(scorecardDataWarnings(card({ factors: [contract({ Annual: 1 }, {})] }), list)).toHaveLength(1);
    expect(
      scorecardDataWarnings(
        card({
          factors: [contract({ Annual: 1 }, { rule: { kind: "categorical", map: { Annual: 1 }, default: 0.5 } })],
        }),
        list,
      ),
    ).toEqual([]);
    // No accounts, nothing to compare with.
    expect(scorecardDataWarnings(card({ factors: [contract({ Annual: 1 })] }), [])).toEqual([]);
  });

  it("text where a numeric rule needs numbers, and values a yes/no rule cannot read", () => {
    const tenure: FactorInput = {
      id: "tenure",
      label: "Tenure",
      weight: 1,
      source: { kind: "attribute", key: "tenure" },
      rule: { kind: "linear", worst: 0, best: 60 },
    };
    const numeric = scorecardDataWarnings(
      card({ factors: [tenure] }),
      accountsWith("tenure", ["12", 30, "n/a yet", "n/a yet", "long"]),
    );
    expect(numeric).toEqual([
      {
        path: "$.factors[0].source.key",
        message:
          '3 accounts have values of "tenure" that are not numbers, so factor "Tenure" is missing for them: "n/a yet" ' +
          '(2 accounts), "long" (1 account) (a categorical rule maps text to points)',
      },
    ]);
    const flag = {
      ...tenure,
      id: "sponsor",
      label: "Sponsor",
      source: { kind: "attribute", key: "sponsor" },
      rule: { kind: "boolean", true: 1, false: 0 },
    } as const;
    const yesNo = scorecardDataWarnings(card({ factors: [flag] }), accountsWith("sponsor", ["yes", "No", "maybe"]));
    expect(yesNo[0]?.message).toBe(
      '1 account has a value of "sponsor" that is not yes or no, so factor "Sponsor" is missing for it: "maybe" (1 account)',
    );
  });

  it("a condition on a segment no account has names the nearest segment; an attribute no account has, the ones they do", () => {
    const list = [
      ...accountsWith("contract", ["Annual", "Annual"]).map((a) => Account.parse({ ...a, segment: "Enterprise" })),
      account({ id: "s1", segment: "SMB", attributes: { contract: "Annual" } }),
    ];
    const c = card({
      factors: [contract({ Annual: 1 })],
      appliesTo: [
        { kind: "equals", attribute: "segment", value: "Enterprize" },
        { kind: "in", attribute: "region", values: ["EMEA"] },
      ],
    });
    expect(scorecardDataWarnings(c, list)).toEqual([
      {
        path: "$.appliesTo[0].value",
        message: 'no account has "segment" "Enterprize"; nearest: "Enterprise" (2 accounts)',
      },
      {
        path: "$.appliesTo[1].attribute",
        message:
          'no account has the attribute "region", so this condition holds for no account; the accounts have: "contract", "segment"',
      },
    ]);
  });

  it("nearest matches: case and punctuation first, then a few letters apart or one inside the other, commonest first", () => {
    const names = new Map([
      ["Contract", 7043],
      ["contract_type", 10],
      ["Contrat", 3],
      ["Churn", 7043],
    ]);
    expect(nearestMatches("contract", names)).toEqual([
      ["Contract", 7043],
      ["Contrat", 3],
      ["contract_type", 10],
    ]);
    expect(nearestMatches("tenure", names)).toEqual([]);
  });

  it("the shipped cards match their own data: the defaults on the demo portfolio, the snapshot card on the snapshot", () => {
    const demo = demoPortfolio({ accounts: 200 });
    for (const c of DEFAULT_SCORECARDS) expect(scorecardDataWarnings(c, demo.accounts), c.id).toEqual([]);
    const snapshot = churnSnapshot({ count: 1000, seed: 3 });
    const accounts = snapshot.accounts.map((a) => Account.parse(a));
    expect(scorecardDataWarnings(Scorecard.parse(SNAPSHOT_CARD), accounts)).toEqual([]);
  });
});
