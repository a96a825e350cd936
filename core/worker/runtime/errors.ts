import type { z } from "zod";
import { issuesOf, type SaveResult } from "../../schema/issues.ts";

/**
 * An error the pages tell apart by name: "AbortError" for a cancelled job, "InputError" for bad input,
 * "WriteError" for a store that refused a write (full, or closed by another tab).
 */
export function namedError(name: "AbortError" | "InputError" | "WriteError", message: string): Error {
  const error = new Error(message);
  error.name = name;
  return error;
}

/** Lets the event loop run (and so a `cancel` message arrive) between chunks of a long job. */
export const yieldToEventLoop = (): Promise<void> => new Promise<void>((resolve) => setTimeout(resolve, 0));

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

/**
 * Checks a request from a page with its schema: the parsed request, or every field at fault as issues by JSON path
 * (`$.steps[1].title`), for a save that returns its problems rather than throwing them.
 */
export function checkRequest<T extends z.ZodTypeAny>(schema: T, input: unknown): SaveResult<z.infer<T>> {
  const parsed = schema.safeParse(input);
  return parsed.success ? { ok: true, value: parsed.data } : { ok: false, issues: issuesOf(parsed.error) };
}
