import { z } from "zod";
import { IsoDay } from "./iso-day.ts";

/** Where an alert is in the CSM's inbox. */
export const AlertStatus = z.enum(["open", "snoozed", "done"]);
/** Where an alert is in the CSM's inbox. */
export type AlertStatus = z.infer<typeof AlertStatus>;

/**
 * An alert: a scorecard's rule that held for an account. At most one alert per (scorecard, rule, account) is open or
 * snoozed at a time; done ones stay as its record.
 */
export const Alert = z.object({
  id: z.string().min(1),
  scorecardId: z.string(),
  ruleId: z.string().min(1),
  /** The rule's kind (drop, band, factor, renewal, noData); empty for alerts of an older version. */
  kind: z.string(),
  accountId: z.string().min(1),
  status: AlertStatus,
  /** The day it was raised. */
  raisedOn: IsoDay,
  /** The rule in words. */
  title: z.string(),
  /** Why, in words, as of the latest rescore while the condition held. */
  message: z.string(),
  /** First day of the run of days the condition held (null: not known). */
  since: IsoDay.nullable(),
  /** The last day a rescore found the condition holding. */
  updatedOn: IsoDay,
  /** The first rescore day the condition no longer held, while it has not held again. */
  clearedOn: IsoDay.optional(),
  /** A snoozed alert comes back on this day. */
  snoozedUntil: IsoDay.optional(),
  /** The last day it came back from a snooze (the inbox's "since yesterday"). */
  wokeOn: IsoDay.optional(),
  /** The day it was marked done (by the CSM, or on waking when the condition had cleared). */
  doneOn: IsoDay.optional(),
  /** Who closed it: the CSM, or the app because the condition cleared while it was snoozed. */
  resolution: z.enum(["done", "cleared"]).optional(),
  /** The play started on it, if any. */
  playId: z.string().optional(),
  playName: z.string().optional(),
});
/** An alert in the inbox. */
export type Alert = z.infer<typeof Alert>;
