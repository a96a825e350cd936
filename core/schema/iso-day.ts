import { z } from "zod";
import { parseIsoDay } from "./day.ts";

// Apart from day.ts so the pages' date helpers do not load zod on the cold path (issue 14).

/** A `YYYY-MM-DD` string in files and messages, validated as a real calendar date. */
export const IsoDay = z.string().refine((text) => parseIsoDay(text) !== undefined, {
  message: "expected a date as YYYY-MM-DD (e.g. 2025-03-01)",
});
