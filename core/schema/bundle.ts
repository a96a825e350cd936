import { z } from "zod";
import { Account } from "./account.ts";
import { type FileIssue, issuesOf, type ReadResult } from "./issues.ts";
import { ManualInput, Observation, Outcome } from "./observation.ts";
import { Override } from "./override.ts";
import { Scorecard } from "./scorecard.ts";

/** The `format` field every bundle file carries. */
export const BUNDLE_FORMAT = "vitals-bundle";
/** The bundle version this build writes. Older versions are upgraded on read; newer ones are refused. */
export const BUNDLE_VERSION = 1;

/**
 * Flags every item whose id an earlier item of the same list already has, naming both JSON paths. Stores key
 * accounts, scorecards and overrides by id, so a second item with an id would silently replace the first.
 */
function refuseDuplicateIds(
  ctx: z.RefinementCtx,
  list: "accounts" | "scorecards" | "overrides",
  what: string,
  items: readonly { id: string }[] | undefined,
): void {
  const first = new Map<string, number>();
  items?.forEach((item, i) => {
    const at = first.get(item.id);
    if (at === undefined) first.set(item.id, i);
    else
      ctx.addIssue({
        code: "custom",
        path: [list, i, "id"],
        message: `${what} id ${JSON.stringify(item.id)} is used twice: $.${list}[${at}].id and $.${list}[${i}].id`,
      });
  });
}

/** A bundle file: scorecards, and optionally the data, moving between devices and teammates. */
export const Bundle = z
  .object({
    format: z.literal(BUNDLE_FORMAT),
    version: z.literal(BUNDLE_VERSION),
    exportedAt: z.iso.datetime({ offset: true }),
    scorecards: z.array(Scorecard).default([]),
    accounts: z.array(Account).optional(),
    observations: z.array(Observation).optional(),
    manualInputs: z.array(ManualInput).optional(),
    outcomes: z.array(Outcome).optional(),
    overrides: z.array(Override).optional(),
  })
  .superRefine((bundle, ctx) => {
    refuseDuplicateIds(ctx, "scorecards", "scorecard", bundle.scorecards);
    refuseDuplicateIds(ctx, "accounts", "account", bundle.accounts);
    refuseDuplicateIds(ctx, "overrides", "override", bundle.overrides);
  });
/** A bundle file after validation and upgrade. */
export type Bundle = z.infer<typeof Bundle>;
/** A bundle as written. */
export type BundleInput = z.input<typeof Bundle>;

/**
 * Upgrades, keyed by the version they upgrade from: UPGRADES[n] turns a version-n bundle into version n+1.
 * Versions only ever append; each upgrade is a named function with a test that reads a file of the old version.
 */
const UPGRADES: Record<number, (old: Record<string, unknown>) => Record<string, unknown>> = {};

/**
 * Reads a parsed bundle file: checks its format and version, upgrades older versions step by step, then
 * validates every field (a "restore" step before validation, so old shapes are upgraded, never refused).
 */
export function restoreBundle(json: unknown): ReadResult<Bundle> {
  if (typeof json !== "object" || json === null || Array.isArray(json)) {
    return { ok: false, issues: [{ path: "$", message: "a bundle is a JSON object" }] };
  }
  let doc = json as Record<string, unknown>;
  if (doc.format !== BUNDLE_FORMAT) {
    return {
      ok: false,
      issues: [{ path: "$.format", message: `not a Vitals bundle: format must be "${BUNDLE_FORMAT}"` }],
    };
  }
  const version = doc.version;
  if (typeof version !== "number" || !Number.isInteger(version) || version < 1) {
    return { ok: false, issues: [{ path: "$.version", message: "version must be a whole number from 1" }] };
  }
  if (version > BUNDLE_VERSION) {
    return {
      ok: false,
      issues: [
        {
          path: "$.version",
          message: `this bundle is version ${version}, made by a newer Vitals; this one reads up to version ${BUNDLE_VERSION}`,
        },
      ],
    };
  }
  for (let v = version; v < BUNDLE_VERSION; v++) {
    const upgrade = UPGRADES[v];
    if (!upgrade) return { ok: false, issues: [{ path: "$.version", message: `no upgrade from version ${v}` }] };
    doc = { ...upgrade(doc), version: v + 1 };
  }
  const parsed = Bundle.safeParse(doc);
  if (!parsed.success) return { ok: false, issues: issuesOf(parsed.error, [], doc) };
  return version < BUNDLE_VERSION
    ? { ok: true, value: parsed.data, upgradedFrom: version }
    : { ok: true, value: parsed.data };
}

/** Reads a scorecard file (a single scorecard object, as the editor exports one). */
export function readScorecard(json: unknown): ReadResult<Scorecard> {
  const parsed = Scorecard.safeParse(json);
  return parsed.success ? { ok: true, value: parsed.data } : { ok: false, issues: issuesOf(parsed.error, [], json) };
}

/** Checks that every metric a scorecard reads exists in the data; an unknown metric would make its factor always missing. */
export function unknownMetricIssues(card: Scorecard, knownMetrics: ReadonlySet<string>, base = "$"): FileIssue[] {
  const issues: FileIssue[] = [];
  const known = [...knownMetrics].sort().join(", ") || "none";
  card.factors.forEach((f, i) => {
    const check = (metric: string, path: string) => {
      if (!knownMetrics.has(metric)) {
        issues.push({ path, message: `unknown metric "${metric}" (the data has: ${known})` });
      }
    };
    const at = `${base}.factors[${i}].source`;
    if (f.source.kind === "metric") check(f.source.metric, `${at}.metric`);
    if (f.source.kind === "ratio") {
      if (f.source.numerator.kind === "metric") check(f.source.numerator.metric, `${at}.numerator.metric`);
      if (f.source.denominator.kind === "metric") check(f.source.denominator.metric, `${at}.denominator.metric`);
    }
  });
  return issues;
}
