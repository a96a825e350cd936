import type { BadgeCard } from "../../core/schema/badge.ts";
import { parseIsoDay } from "../../core/schema/day.ts";
import { SCORE_COLORS } from "../../core/schema/score-color.ts";
import type { LookupReply, TextMatch } from "../messages.ts";

// The messages a content script receives, checked by hand. The contract is extension/messages.ts's zod schemas
// (LookupReply, BadgesChangedMessage; the accounts are core/schema/badge.ts's BadgeCard); zod itself was two
// fifths of the content script (evaluated on every page load) and parsing a 200-account answer with it took
// several milliseconds on a fresh page. These accept, refuse and produce exactly what the contract does (defaults
// filled in, unknown keys dropped): test/extension/content/reply-schema.test.ts checks them against the contract
// on valid messages and on every field made wrong in turn.

/** Thrown inside a check: the message is refused. */
class Refused extends Error {}

function refuse(): never {
  throw new Refused();
}

type Plain = Record<string, unknown>;

function object(value: unknown): Plain {
  return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Plain) : refuse();
}

function array(value: unknown, max = Number.POSITIVE_INFINITY): unknown[] {
  return Array.isArray(value) && value.length <= max ? value : refuse();
}

function text(value: unknown, min: number, max = Number.POSITIVE_INFINITY): string {
  return typeof value === "string" && value.length >= min && value.length <= max ? value : refuse();
}

/** A finite number in [min, max] (zod's number refuses NaN and the infinities). */
function number(value: unknown, min: number, max: number): number {
  return typeof value === "number" && Number.isFinite(value) && value >= min && value <= max ? value : refuse();
}

/** A safe integer in [min, max] (zod's int). */
function int(value: unknown, min: number, max = Number.MAX_SAFE_INTEGER): number {
  return Number.isSafeInteger(value) && (value as number) >= min && (value as number) <= max
    ? (value as number)
    : refuse();
}

function oneOf<T extends string>(value: unknown, options: readonly T[]): T {
  return options.includes(value as T) ? (value as T) : refuse();
}

/** A real calendar day as YYYY-MM-DD (core/schema/iso-day.ts's IsoDay). */
function isoDay(value: unknown): string {
  const day = text(value, 0);
  return parseIsoDay(day) === undefined ? refuse() : day;
}

/** An array field with a default of [] (zod's default applies to a missing or undefined value). */
function list<T>(value: unknown, max: number, item: (v: unknown) => T): T[] {
  return value === undefined ? [] : array(value, max).map(item);
}

const FORMS = ["points", "grade", "label"] as const;
const KINDS = ["email", "domain", "externalId", "accountId", "name"] as const;

/** core/schema/badge.ts's BadgeCard. */
function account(value: unknown): BadgeCard {
  const a = object(value);
  const out: BadgeCard = {
    id: text(a.id, 1, 200),
    name: text(a.name, 1, 300),
    scorecard: text(a.scorecard, 0, 200),
    score: a.score === null ? null : number(a.score, 0, 100),
    shown: a.shown === null ? null : int(a.shown, 0, 100),
    grade: text(a.grade, 1, 10),
    color: oneOf(a.color, SCORE_COLORS),
    label: text(a.label, 0, 100),
    form: a.form === undefined ? "points" : oneOf(a.form, FORMS),
    delta: a.delta === null ? null : number(a.delta, -100, 100),
    coverage: number(a.coverage, 0, 1),
    drags: list(a.drags, 5, (x) => {
      const drag = object(x);
      return { factorId: text(drag.factorId, 1), text: text(drag.text, 1, 300), lost: number(drag.lost, 0, 100) };
    }),
    sparkline: list(a.sparkline, 60, (x) => (x === null ? null : number(x, 0, 100))),
    alerts: list(a.alerts, 20, (x) => {
      const alert = object(x);
      return { title: text(alert.title, 1, 300), raisedOn: isoDay(alert.raisedOn) };
    }),
    asOf: isoDay(a.asOf),
  };
  if (a.why !== undefined) out.why = text(a.why, 1, 400);
  if (a.override !== undefined) {
    const override = object(a.override);
    out.override = { text: text(override.text, 0, 300), until: isoDay(override.until) };
  }
  return out;
}

function textMatch(value: unknown): TextMatch {
  const m = object(value);
  return {
    text: int(m.text, 0),
    start: int(m.start, 0),
    end: int(m.end, 0),
    accountId: text(m.accountId, 1),
    kind: oneOf(m.kind, KINDS),
  };
}

/** extension/messages.ts's LookupReply: the answer as the contract parses it, or undefined when it refuses it. */
export function parseLookupReply(value: unknown): LookupReply | undefined {
  try {
    const reply = object(value);
    if (reply.type !== "matches") refuse();
    const out: LookupReply = {
      type: "matches",
      identifiers: array(reply.identifiers).map((id) => (id === null ? null : text(id, 0))),
      texts: array(reply.texts).map(textMatch),
      accounts: array(reply.accounts).map(account),
    };
    if (reply.pwaUrl !== undefined) out.pwaUrl = text(reply.pwaUrl, 0);
    return out;
  } catch (error) {
    if (error instanceof Refused) return undefined;
    throw error;
  }
}

/** extension/messages.ts's BadgesChangedMessage. */
export function isBadgesChanged(value: unknown): boolean {
  return (
    typeof value === "object" && value !== null && !Array.isArray(value) && (value as Plain).type === "badges-changed"
  );
}
