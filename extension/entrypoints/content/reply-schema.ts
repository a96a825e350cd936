import * as z from "zod/mini";

// The messages a content script receives, in zod's tree-shakable "mini" form. The contract lives in
// extension/messages.ts (classic zod, ~28 KB gzipped that the content script's 30 KB budget cannot carry); a unit
// test (test/extension/content/reply-schema.test.ts) proves these accept and produce exactly what the contract does,
// by comparing their JSON Schemas and parsing the same samples.

const ISO_DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A real calendar day as YYYY-MM-DD (core/schema/iso-day.ts's IsoDay, without pulling classic zod in). */
function isIsoDay(text: string): boolean {
  const match = ISO_DAY.exec(text);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const back = new Date(Date.UTC(year, month - 1, day));
  return back.getUTCFullYear() === year && back.getUTCMonth() === month - 1 && back.getUTCDate() === day;
}

const IsoDay = z.string().check(z.refine(isIsoDay, { message: "expected a date as YYYY-MM-DD (e.g. 2025-03-01)" }));
const text = (min: number, max?: number) =>
  max === undefined ? z.string().check(z.minLength(min)) : z.string().check(z.minLength(min), z.maxLength(max));
const points = z.number().check(z.minimum(0), z.maximum(100));

/** core/schema/badge.ts's BadgeAccount. */
export const BadgeAccountMini = z.object({
  id: text(1, 200),
  name: text(1, 300),
  domains: z._default(z.array(text(1, 253)).check(z.maxLength(100)), []),
  externalIds: z._default(z.record(z.string().check(z.maxLength(50)), text(1, 200)), {}),
  aliases: z._default(z.array(text(1, 300)).check(z.maxLength(50)), []),
  scorecard: z.string().check(z.maxLength(200)),
  score: z.nullable(points),
  shown: z.nullable(z.int().check(z.minimum(0), z.maximum(100))),
  grade: text(1, 10),
  color: z.enum(["green", "yellow", "red", "grey"]),
  label: z.string().check(z.maxLength(100)),
  form: z._default(z.enum(["points", "grade", "label"]), "points"),
  delta: z.nullable(z.number().check(z.minimum(-100), z.maximum(100))),
  coverage: z.number().check(z.minimum(0), z.maximum(1)),
  why: z.optional(text(1, 400)),
  drags: z._default(
    z
      .array(z.object({ factorId: text(1), text: text(1, 300), lost: z.number().check(z.minimum(0), z.maximum(100)) }))
      .check(z.maxLength(5)),
    [],
  ),
  sparkline: z._default(z.array(z.nullable(z.number().check(z.minimum(0), z.maximum(100)))).check(z.maxLength(60)), []),
  alerts: z._default(z.array(z.object({ title: text(1, 300), raisedOn: IsoDay })).check(z.maxLength(20)), []),
  override: z.optional(z.object({ text: z.string().check(z.maxLength(300)), until: IsoDay })),
  asOf: IsoDay,
});

const kind = z.enum(["email", "domain", "externalId", "accountId", "name"]);
const index = z.int().check(z.minimum(0));

/** extension/messages.ts's LookupReply. */
export const LookupReplyMini = z.object({
  type: z.literal("matches"),
  identifiers: z.array(z.nullable(z.string())),
  texts: z.array(z.object({ text: index, start: index, end: index, accountId: text(1), kind })),
  accounts: z.array(BadgeAccountMini),
  pwaUrl: z.optional(z.string()),
});

/** extension/messages.ts's BadgesChangedMessage. */
export const BadgesChangedMini = z.object({ type: z.literal("badges-changed") });
