import { z } from "zod";
import { value } from "./bounds.ts";
import { IsoDay } from "./iso-day.ts";

/** A metric name: letters, digits, and . _ - (so it reads the same in CSV headers, JSON and the CLI). */
export const MetricName = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, "a metric name uses letters, digits, '.', '_' and '-' only");

/**
 * One observation: (account, metric, day, value). Events (a ticket, an invoice, a login, a survey answer)
 * are observations too, one per event, value 1 or the event's number.
 */
export const Observation = z.object({
  accountId: z.string().min(1),
  metric: MetricName,
  day: IsoDay,
  value: value("value"),
});
/** One observation. */
export type Observation = z.infer<typeof Observation>;

/**
 * A CSM's rating (1–5) of a qualitative factor (relationship, sentiment, risk). It is an observation of that
 * factor's metric, with who said it and why.
 */
export const ManualInput = z.object({
  accountId: z.string().min(1),
  metric: MetricName,
  day: IsoDay,
  rating: z.number().int().min(1, "a rating is 1 to 5").max(5, "a rating is 1 to 5"),
  author: z.string().min(1),
  note: z.string().default(""),
});
/** A CSM's rating of a qualitative factor. */
export type ManualInput = z.infer<typeof ManualInput>;

// Apart, without zod, so the account page's rating form does not load zod on the cold path (issue 14).
export { MANUAL_FACTORS, type ManualFactor } from "./manual-factors.ts";

/** What happened to an account; used only to validate scorecards, never as a factor. */
export const OutcomeKind = z.enum(["churned", "renewed", "expanded", "downgraded"]);
/** What happened to an account: churned, renewed, expanded or downgraded. */
export type OutcomeKind = z.infer<typeof OutcomeKind>;
/** An account's outcome on a day. */
export const Outcome = z.object({ accountId: z.string().min(1), day: IsoDay, kind: OutcomeKind });
/** An account's outcome on a day. */
export type Outcome = z.infer<typeof Outcome>;

/** A manual input as the observation the engine reads. */
export function manualInputToObservation(input: ManualInput): Observation {
  return { accountId: input.accountId, metric: input.metric, day: input.day, value: input.rating };
}
