import type { z } from "zod";
import { type Day, parseIsoDay } from "../../schema/day.ts";

/** An error the pages tell apart by name: "AbortError" for a cancelled job, "InputError" for bad input. */
export function namedError(name: "AbortError" | "InputError", message: string): Error {
  const error = new Error(message);
  error.name = name;
  return error;
}

/** An InputError naming each field in a request that is not valid: "field: problem", one per line. */
function invalidRequest(error: z.ZodError): Error {
  return namedError("InputError", error.issues.map((i) => `${i.path.join(".") || "input"}: ${i.message}`).join("\n"));
}

/** Parses a request from a page with its schema, or throws an InputError naming each field at fault. */
export function parseRequest<T extends z.ZodTypeAny>(schema: T, input: unknown): z.infer<T> {
  const parsed = schema.safeParse(input);
  if (!parsed.success) throw invalidRequest(parsed.error);
  return parsed.data;
}

/** The local calendar day (days since 1970-01-01) of a moment. */
export function localDay(now: Date): Day {
  return parseIsoDay(
    `${now.getFullYear()}-${String(now.getMonth() + 1).padStart(2, "0")}-${String(now.getDate()).padStart(2, "0")}`,
  ) as Day;
}
