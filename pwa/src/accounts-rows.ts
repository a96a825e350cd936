import { useEffect, useState } from "preact/hooks";
import type { AccountsTableRow } from "../../core/insights/portfolio-view.ts";
import { client, type Loaded, onDataChanged, useDataVersion } from "./services.ts";

/** Rows as read from the worker, with the token of what they were made from (the worker's `accountsToken`). */
interface Kept {
  token: string;
  rows: AccountsTableRow[];
}

/**
 * The accounts table's rows, kept in the page between visits (issue 14: at 10,000 accounts, copying every row out of
 * the worker takes longer than the rating that changed one). A rating, override or note patches the kept rows with
 * the rows of the accounts it names; any other change drops them. A page that shows kept rows asks the worker whether
 * they are still what the store holds (another tab, a new day) and reads every row again when they are not.
 */
let kept: Promise<Kept> | undefined;
/** The kept rows once they have come (so a page shows them in its first frame); undefined while on their way. */
let settled: Kept | undefined;

function keep(next: Promise<Kept>): Promise<Kept> {
  kept = next;
  settled = undefined;
  next.then(
    (k) => {
      if (kept === next) settled = k;
    },
    () => {
      if (kept === next) kept = undefined;
    },
  );
  return next;
}

/** Every row, with the token read beside them. */
function readAll(): Promise<Kept> {
  return keep(Promise.all([client.accountsToken(), client.accounts()]).then(([token, rows]) => ({ token, rows })));
}

/** `ids`' rows replaced in the kept ones; an account the kept rows lack (or a failed read) reads every row again. */
function patch(base: Promise<Kept>, ids: readonly string[]): Promise<Kept> {
  return keep(
    base.then(async (held) => {
      const fresh = await client.accountRows(ids);
      const byId = new Map(fresh.rows.map((r) => [r.id, r]));
      let replaced = 0;
      const rows = held.rows.map((r) => {
        const now = byId.get(r.id);
        if (!now) return r;
        replaced++;
        return now;
      });
      if (replaced !== byId.size) throw new Error("an account changed that the kept rows do not have");
      return { token: fresh.token, rows };
    }),
  );
}

onDataChanged((changed) => {
  if (kept && changed) patch(kept, changed.accounts);
  else {
    kept = undefined;
    settled = undefined;
  }
});

/** The kept rows, or every row read again when none are kept or the last patch failed. */
const rowsNow = (): Promise<Kept> => (kept ?? readAll()).catch(() => readAll());

/**
 * The accounts table's rows for a page: the kept ones at once when there are (then checked against the worker's
 * token), else read; again after every data change.
 */
export function useAccountsRows(): Loaded<AccountsTableRow[]> {
  const version = useDataVersion();
  const [loaded, setLoaded] = useState<Loaded<AccountsTableRow[]>>(() =>
    settled ? { state: "ready", value: settled.rows } : { state: "loading" },
  );
  useEffect(() => {
    let live = true;
    const show = (k: Kept) => {
      if (live)
        setLoaded((was) => (was.state === "ready" && was.value === k.rows ? was : { state: "ready", value: k.rows }));
    };
    // Rows kept from before this page asked may describe a store that moved since (another tab, a new day).
    const fromBefore = kept !== undefined;
    rowsNow()
      .then(async (k) => {
        show(k);
        if (!fromBefore || (await client.accountsToken()) === k.token || settled !== k) return;
        show(await readAll());
      })
      .catch((error: unknown) => {
        if (live) setLoaded({ state: "error", message: (error as Error)?.message ?? String(error) });
      });
    return () => {
      live = false;
    };
  }, [version]);
  return loaded;
}
