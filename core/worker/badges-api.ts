import { dragSentence } from "../insights/explain-text.ts";
import { changeSentence, scoreChangeOf } from "../insights/score-change.ts";
import { BadgeAccount, type BadgeAccountInput, type BadgeSet } from "../schema/badge.ts";
import { BADGE_DELTA_MAX, type BadgeDelta } from "../schema/bridge.ts";
import { type Day, formatDay } from "../schema/day.ts";
import { withSchema } from "../schema/json-schemas.ts";
import { Override } from "../schema/override.ts";
import { NO_DATA_BAND, roundHalfUp } from "../scoring/bands.ts";
import { compileScorecard } from "../scoring/compile.ts";
import { overrideActive } from "../scoring/engine.ts";
import { evaluate } from "../scoring/evaluate.ts";
import { explainRow } from "../scoring/explain.ts";
import type { VitalsDb } from "../store/db.ts";
import type { Scored } from "./scored-rows.ts";

/** Limits of a BadgeAccount (core/schema/badge.ts): longer lists are cut rather than the account dropped. */
const MAX_DOMAINS = 100;
const MAX_ALIASES = 50;
const MAX_ALERTS = 20;

/** What the badge set says about itself, beside the accounts. */
export interface BadgeSetOptions {
  /** The app's address, for "Open in Vitals" links. */
  pwaUrl?: string;
  /** The set is the demo portfolio's (the extension refuses it over a user's own set). */
  demo?: boolean;
}

const orNull = (x: number | undefined): number | null => (x === undefined || Number.isNaN(x) ? null : x);

/** An override in one line, as the hover card shows it beside the computed score. */
function overrideText(o: Override): string {
  const value = [o.score !== undefined ? String(roundHalfUp(o.score)) : "", o.grade ?? ""].filter(Boolean).join(" · ");
  return `Overridden to ${value} by ${o.author}: ${o.reason}`.slice(0, 300);
}

/** What a badge entry is made from: a scored portfolio, or one account scored alone. */
export type BadgeSource = Pick<Scored, "portfolio" | "scorecards" | "scores" | "shown" | "rows" | "asOf">;

/** An account's badge as its scores make it (no alerts, no override: they are attached when a set is read). */
export interface BadgeEntry {
  /** Its primary scorecard's id (null when none applies), to find an override of it. */
  scorecardId: string | null;
  badge: BadgeAccountInput;
}

/**
 * Each account's badge as its scores make it: its primary score as shown (points, grade, colour, label, the
 * scorecard's badge form), delta in shown points, coverage, top drags in the account page's words and a weekly
 * sparkline from the score history. Drags come from one evaluation per scorecard over its accounts (the as-of day
 * and the delta's start), not one per account.
 */
export function badgeEntries(s: BadgeSource): BadgeEntry[] {
  const { portfolio, scorecards, scores } = s;
  const accounts = portfolio.accounts;
  const asOf = formatDay(s.asOf);
  const drags: (BadgeAccountInput["drags"] | undefined)[] = new Array(accounts.length);
  const previous: (number | null)[] = new Array(accounts.length).fill(null);
  const why: (string | undefined)[] = new Array(accounts.length);
  scorecards.forEach((card, k) => {
    const rows: number[] = [];
    scores.primary.forEach((p, a) => {
      if (p === k) rows.push(a);
    });
    if (rows.length === 0) return;
    const days = Int32Array.of(s.asOf - card.deltaDays, s.asOf);
    const ev = evaluate(portfolio, compileScorecard(card), Int32Array.from(rows), days);
    rows.forEach((a, r) => {
      const result = explainRow(portfolio, ev, r, { primary: true });
      previous[a] = result.previousScore;
      const change = scoreChangeOf(result);
      why[a] = change ? changeSentence(change, 400) : undefined;
      drags[a] = result.topDrags.flatMap((id) => {
        const f = result.factors.find((x) => x.factorId === id);
        return f ? [{ factorId: f.factorId, text: dragSentence(f, result.deltaDays).slice(0, 300), lost: f.lost }] : [];
      });
    });
  });
  return accounts.map((account, a) => {
    const shown = s.shown[a] ?? null;
    const spark = s.rows[a]?.spark ?? [];
    const prev = previous[a] ?? null;
    return {
      scorecardId: shown?.scorecardId ?? null,
      badge: {
        id: account.id,
        name: account.name,
        domains: account.domains.map((d) => d.toLowerCase()).slice(0, MAX_DOMAINS),
        externalIds: account.externalIds,
        aliases: account.aliases.slice(0, MAX_ALIASES),
        scorecard: shown?.scorecardName ?? "",
        score: shown?.score ?? null,
        shown: shown?.points ?? null,
        grade: shown?.grade ?? NO_DATA_BAND.grade,
        color: shown?.color ?? NO_DATA_BAND.color,
        label: shown?.label ?? NO_DATA_BAND.label,
        form: scorecards.find((c) => c.id === shown?.scorecardId)?.badgeForm ?? "points",
        delta: shown?.points != null && prev !== null ? shown.points - roundHalfUp(prev) : null,
        coverage: shown?.coverage ?? 0,
        ...(why[a] !== undefined && shown?.points != null ? { why: why[a] } : {}),
        drags: drags[a] ?? [],
        sparkline: spark.map((v) => {
          const x = orNull(v);
          return x === null ? null : roundHalfUp(x);
        }),
        alerts: [],
        asOf,
      },
    };
  });
}

/** What a set adds to the entries when it is read: open alerts and active overrides, judged today. */
export interface BadgeExtras {
  alerts: ReadonlyMap<string, BadgeAccountInput["alerts"]>;
  overrides: readonly Override[];
  today: Day;
}

/**
 * The set the extension shows from badge entries, with each account's open alerts and active override. An account
 * the contract cannot carry (a 400-character name) is left out and named, rather than making the extension refuse
 * the whole set.
 */
export function badgeSetOf(
  entries: readonly BadgeEntry[],
  extras: BadgeExtras,
  options: BadgeSetOptions = {},
  now: Date = new Date(),
): { set: BadgeSet; skipped: string[] } {
  const overrides = new Map<string, Override[]>();
  for (const o of extras.overrides) {
    if (overrideActive(o, extras.today)) overrides.set(o.accountId, [...(overrides.get(o.accountId) ?? []), o]);
  }
  const out: BadgeAccount[] = [];
  const skipped: string[] = [];
  for (const { scorecardId, badge } of entries) {
    const override = overrides
      .get(badge.id)
      ?.find((o) => o.scorecardId === undefined || o.scorecardId === (scorecardId ?? undefined));
    const input: BadgeAccountInput = {
      ...badge,
      alerts: (extras.alerts.get(badge.id) ?? []).slice(0, MAX_ALERTS),
      ...(override ? { override: { text: overrideText(override), until: override.expiresOn } } : {}),
    };
    const parsed = BadgeAccount.safeParse(input);
    if (parsed.success) out.push(parsed.data);
    else skipped.push(badge.id);
  }
  return {
    set: {
      format: "vitals-badges",
      version: 1,
      generatedAt: now.toISOString(),
      ...(options.pwaUrl !== undefined ? { pwaUrl: options.pwaUrl } : {}),
      ...(options.demo ? { demo: true } : {}),
      accounts: out,
    },
    skipped,
  };
}

/**
 * Builds the set the extension shows from the scored portfolio (badgeEntries), with open alerts and an active
 * override (badgeSetOf).
 */
export function buildBadgeSet(
  s: BadgeSource,
  extras: BadgeExtras,
  options: BadgeSetOptions = {},
  now: Date = new Date(),
): { set: BadgeSet; skipped: string[] } {
  return badgeSetOf(badgeEntries(s), extras, options, now);
}

/**
 * The badges API of the app's worker: the badge set for the extension (the bridge posts it; "Export for the
 * extension" saves it as a file). Reads the scored portfolio the portfolio API keeps, plus open alerts and overrides
 * from the store.
 */
export function createBadgesApi(
  openUserDb: () => VitalsDb,
  entries: () => Promise<{ asOf: string; entries: BadgeEntry[] }>,
  entriesFor: (ids: readonly string[]) => Promise<{ asOf: string; entries: BadgeEntry[] } | undefined>,
  options: { today: () => Day },
) {
  let db: VitalsDb | undefined;
  const store = () => {
    db ??= openUserDb();
    return db;
  };

  /** Open alerts and overrides: of every account, or of these accounts only. */
  async function extras(ids?: readonly string[]): Promise<BadgeExtras> {
    const s = store();
    const [alertRows, overrideRows] = await Promise.all([
      ids
        ? s.alerts
            .where("accountId")
            .anyOf([...ids])
            .filter((a) => a.status === "open")
            .toArray()
        : s.alerts.where("status").equals("open").toArray(),
      ids
        ? s.overrides
            .where("accountId")
            .anyOf([...ids])
            .toArray()
        : s.overrides.toArray(),
    ]);
    const alerts = new Map<string, { title: string; raisedOn: string }[]>();
    for (const row of alertRows.sort((x, y) => (x.raisedOn < y.raisedOn ? 1 : -1))) {
      const list = alerts.get(row.accountId) ?? [];
      list.push({ title: row.message.slice(0, 300), raisedOn: row.raisedOn });
      alerts.set(row.accountId, list);
    }
    const overrides = overrideRows.flatMap((row) => {
      const parsed = Override.safeParse(row);
      return parsed.success ? [parsed.data] : [];
    });
    return { alerts, overrides, today: options.today() };
  }

  /** What the set says about itself: the app's address, and whether the stored portfolio is the demo's alone. */
  async function setOptions(pwaUrl: string | undefined): Promise<BadgeSetOptions> {
    const s = store();
    const [flag, imports] = await Promise.all([s.meta.get("demo"), s.imports.toArray()]);
    // The demo is loaded and nothing of the user's was imported beside it.
    const demo = flag?.value === true && imports.every((i) => i.shape === "demo");
    return { ...(pwaUrl !== undefined ? { pwaUrl } : {}), ...(demo ? { demo } : {}) };
  }

  return {
    /** The badge set of the whole portfolio, as an object (the bridge posts it to the extension). */
    async badgeSet(pwaUrl?: string): Promise<BadgeSet> {
      const [s, e, o] = await Promise.all([entries(), extras(), setOptions(pwaUrl)]);
      return badgeSetOf(s.entries, e, o).set;
    },

    /**
     * The badges of a few accounts (after a rating, an override or a note), as the whole set would give them, with the
     * set's header: the bridge posts it as a delta. Null when the entries are not at hand or an account is unknown or
     * cannot be carried: then the bridge posts the whole set.
     */
    async badgeDelta(ids: readonly string[], pwaUrl?: string): Promise<BadgeDelta | null> {
      const wanted = [...new Set(ids)];
      if (wanted.length === 0 || wanted.length > BADGE_DELTA_MAX) return null;
      const [s, e, o] = await Promise.all([entriesFor(wanted), extras(wanted), setOptions(pwaUrl)]);
      if (!s || s.entries.length !== wanted.length) return null;
      const { set, skipped } = badgeSetOf(s.entries, e, o);
      if (skipped.length > 0) return null;
      return set;
    },

    /** The badge set as a file to import in the extension's options page. */
    async exportBadges(pwaUrl?: string): Promise<{ fileName: string; text: string; accounts: number }> {
      const [s, e, o] = await Promise.all([entries(), extras(), setOptions(pwaUrl)]);
      const { set } = badgeSetOf(s.entries, e, o);
      return {
        fileName: `vitals-badges-${s.asOf}.json`,
        text: `${JSON.stringify(withSchema("badge-set", set))}\n`,
        accounts: set.accounts.length,
      };
    },

    async close(): Promise<void> {
      db?.close();
      db = undefined;
    },
  };
}

/** The badges API's type. */
export type BadgesApi = ReturnType<typeof createBadgesApi>;
