import { z } from "zod";
import { IsoDay } from "./iso-day.ts";

/** One step of a play: what to do, how many days after the play starts it is due, and who does it. */
export const PlayStep = z.object({
  title: z.string().trim().min(1, "a step needs a title").max(200, "a step's title is at most 200 characters"),
  dueDays: z
    .number()
    .int("dueDays is a whole number of days")
    .min(0, "dueDays is 0 or more")
    .max(365, "dueDays is at most 365"),
  /** Who does it; empty means the account's owner. */
  owner: z.string().trim().max(100).default(""),
});
/** One step of a play. */
export type PlayStep = z.infer<typeof PlayStep>;

/** A rule a play is suggested for: a rule id, on one scorecard or (no scorecardId) on every scorecard. */
export const PlayAttachment = z.object({
  ruleId: z.string().min(1),
  scorecardId: z.string().min(1).optional(),
});
/** A rule a play is suggested for. */
export type PlayAttachment = z.infer<typeof PlayAttachment>;

/** A play: a checklist template a CSM starts on an alert; each step becomes a task with a due day. */
export const PlayTemplate = z.object({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, "an id uses lower-case letters, digits and '-'"),
  name: z.string().trim().min(1, "a play needs a name").max(120, "a play's name is at most 120 characters"),
  description: z.string().max(2000).default(""),
  steps: z.array(PlayStep).min(1, "a play needs at least one step").max(50, "a play has at most 50 steps"),
  rules: z.array(PlayAttachment).default([]),
});
/** A play template. */
export type PlayTemplate = z.infer<typeof PlayTemplate>;

/** A task made from a play's step when the play was started on an alert. */
export const Task = z.object({
  id: z.string().min(1),
  alertId: z.string().min(1),
  playId: z.string().min(1),
  playName: z.string(),
  accountId: z.string().min(1),
  /** Position of the step in the play. */
  step: z
    .number()
    .int("step must be a whole number")
    .min(0, "step must be 0 or more")
    .max(49, "step must be at most 49"),
  title: z.string().min(1),
  owner: z.string(),
  due: IsoDay,
  createdOn: IsoDay,
  /** The day it was completed; absent while open. */
  doneOn: IsoDay.optional(),
});
/** A task made from a play's step. */
export type Task = z.infer<typeof Task>;

/** The plays a new store starts with: an executive check-in for drops, the red band and a CSM's rating of 1, a renewal rescue. */
export const DEFAULT_PLAYS: readonly PlayTemplate[] = [
  {
    id: "executive-check-in",
    name: "Executive check-in",
    description:
      "The score fell, reached the red band, or the CSM rated the account at risk: talk to the sponsor before it becomes a churn risk.",
    steps: [
      { title: "Book a call with the executive sponsor", dueDays: 2, owner: "" },
      { title: "Review usage with the champion", dueDays: 7, owner: "" },
      { title: "Send a summary with agreed next steps", dueDays: 10, owner: "" },
    ],
    rules: [{ ruleId: "score-drop" }, { ruleId: "red-band" }, { ruleId: "csm-sentiment-low" }],
  },
  {
    id: "renewal-rescue",
    name: "Renewal rescue",
    description: "A renewal is near and the account is not healthy: agree a plan well before the date.",
    steps: [
      { title: "Review the account's health and open issues", dueDays: 1, owner: "" },
      { title: "Meet the decision maker about the renewal", dueDays: 7, owner: "" },
      { title: "Agree a success plan and share it", dueDays: 14, owner: "" },
      { title: "Confirm the renewal terms", dueDays: 30, owner: "" },
    ],
    rules: [{ ruleId: "renewal-risk" }],
  },
  {
    id: "data-gap",
    name: "Data gap",
    description: "No new data has arrived: find out whether the account stopped using the product or the feed broke.",
    steps: [
      { title: "Check the data feed or last import for this account", dueDays: 1, owner: "" },
      { title: "Ask the champion whether the team still uses the product", dueDays: 5, owner: "" },
    ],
    rules: [{ ruleId: "no-data" }],
  },
];
