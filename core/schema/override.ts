import { z } from "zod";
import { bounded } from "./bounds.ts";
import { IsoDay } from "./iso-day.ts";

/**
 * A CSM's override of an account's score or band. Shown beside the computed score, never instead of it, and
 * ignored after its expiry day.
 */
export const Override = z
  .object({
    id: z.string().min(1),
    accountId: z.string().min(1),
    /** The scorecard it overrides; absent means the account's primary score. */
    scorecardId: z.string().min(1).optional(),
    score: bounded("score", 0, 100).optional(),
    grade: z.string().min(1).optional(),
    reason: z.string().min(1, "an override needs a reason"),
    author: z.string().min(1, "an override needs an author"),
    createdOn: IsoDay,
    /** The last day the override applies (inclusive). */
    expiresOn: IsoDay,
  })
  .refine((o) => o.score !== undefined || o.grade !== undefined, {
    message: "an override sets a score, a grade, or both",
    path: ["score"],
  })
  .refine((o) => o.expiresOn >= o.createdOn, {
    message: "an override cannot expire before it was made",
    path: ["expiresOn"],
  });
/** A CSM's override of an account's score or band. */
export type Override = z.infer<typeof Override>;
