import { z } from "zod";
import { bounded, MAX_VALUE, value } from "./bounds.ts";
import { IsoDay } from "./iso-day.ts";

/** An attribute value as imported: text, a number, a yes/no, or empty (null). */
export const AttributeValue = z.union([z.string(), value("a number attribute"), z.boolean(), z.null()]);
/** An attribute value as imported. */
export type AttributeValue = z.infer<typeof AttributeValue>;

/**
 * A customer account. Well-known attributes have fields of their own (the dashboard, roll-up and tenure read
 * them); anything else from a CRM export lives in `attributes` under its own name.
 */
export const Account = z.object({
  /** Stable id, from the CRM when there is one. */
  id: z.string().min(1, "an account needs an id"),
  name: z.string().min(1, "an account needs a name"),
  /** Email domains of the account's people, lower case, without "@". */
  domains: z.array(z.string().min(1)).default([]),
  /** Ids of this account in other systems: salesforce, hubspot, zendesk, intercom, freshdesk, … */
  externalIds: z.record(z.string(), z.string()).default({}),
  /** Other names the account goes by (legal name, brand, abbreviation). */
  aliases: z.array(z.string().min(1)).default([]),
  /** The parent account's id, for roll-up of subsidiaries and workspaces. */
  parentId: z.string().min(1).optional(),
  plan: z.string().optional(),
  segment: z.string().optional(),
  /** Lifecycle stage: onboarding, adoption, renewal, … as the CRM names them. */
  stage: z.string().optional(),
  owner: z.string().optional(),
  industry: z.string().optional(),
  region: z.string().optional(),
  /** Annual recurring revenue, in the portfolio's currency. */
  arr: bounded("arr", 0, MAX_VALUE).optional(),
  /** Licensed seats. */
  seats: bounded("seats", 0, 1e9).optional(),
  startDate: IsoDay.optional(),
  renewalDate: IsoDay.optional(),
  /** Any other field, by the name the user mapped it to. */
  attributes: z.record(z.string(), AttributeValue).default({}),
});
/** A customer account. */
export type Account = z.infer<typeof Account>;
/** An account as written in a file, before defaults are filled in. */
export type AccountInput = z.input<typeof Account>;

/** Names of the well-known attribute fields, which an `attribute` source may read like any custom one. */
export const WELL_KNOWN_ATTRIBUTES = [
  "plan",
  "segment",
  "stage",
  "owner",
  "industry",
  "region",
  "arr",
  "seats",
  "startDate",
  "renewalDate",
] as const;

/** Reads an attribute by name: a well-known field first, then the custom attributes. Empty text reads as null. */
export function attributeOf(account: Account, key: string): AttributeValue {
  const known = (WELL_KNOWN_ATTRIBUTES as readonly string[]).includes(key)
    ? (account as Record<string, unknown>)[key]
    : Object.hasOwn(account.attributes, key)
      ? account.attributes[key]
      : undefined; // own attributes only: "constructor" or "toString" is a name like any other
  if (known === undefined || known === null) return null;
  if (typeof known === "string") return known.trim() === "" ? null : known;
  if (typeof known === "number" || typeof known === "boolean") return known;
  return null;
}
