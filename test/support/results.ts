import type { SaveResult } from "../../core/schema/issues.ts";

/**
 * The value of a result that must be ok (a save, a change, a read): the test fails with the issues when it was
 * refused. Takes the result or the promise of one, so `await accepted(api.closeAlert(id))` reads as the call.
 */
export async function accepted<T>(result: SaveResult<T> | PromiseLike<SaveResult<T>>): Promise<T> {
  const done = await result;
  if (!done.ok) throw new Error(`refused: ${JSON.stringify(done.issues)}`);
  return done.value;
}
