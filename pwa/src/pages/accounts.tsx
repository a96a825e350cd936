import { useEffect, useLayoutEffect, useMemo, useRef, useState } from "preact/hooks";
import type { AccountsTableRow } from "../../../core/insights/portfolio-view.ts";
import { accountsCsv } from "../../../core/io/accounts-export.ts";
import { SCORE_COLORS } from "../../../core/schema/score-color.ts";
import { count } from "../../../core/text/words.ts";
import { useAccountsRows } from "../accounts-rows.ts";
import { ScoreBadge } from "../components/score-badge.tsx";
import { ScoredElsewhereBanner } from "../components/scored-elsewhere.tsx";
import { Sparkline } from "../components/sparkline.tsx";
import { DEFAULT_VIEW, parseViews, type SortKey, type View } from "../saved-views.ts";
import { download, money, signed } from "../services.ts";

/** Row height in pixels: fixed, so only the rows in view are rendered (10,000 accounts stay smooth). */
const ROW_HEIGHT = 44;
const OVERSCAN = 8;

const VIEWS_KEY = "vitals.accountViews";

/** Saved views live in localStorage: a few small settings, not data. */
function loadViews(): Record<string, View> {
  try {
    return parseViews(localStorage.getItem(VIEWS_KEY));
  } catch {
    return {};
  }
}

// One collator for every comparison: localeCompare with options builds one per call (10,000 rows took seconds).
const compareText = new Intl.Collator("en", { sensitivity: "base" }).compare;
/** Numbers ascending with missing values always last. */
const compareNumber = (a: number | null | undefined, b: number | null | undefined, descending: boolean) => {
  const x = a ?? Number.NaN;
  const y = b ?? Number.NaN;
  if (Number.isNaN(x) || Number.isNaN(y)) return Number.isNaN(x) ? (Number.isNaN(y) ? 0 : 1) : -1;
  return descending ? y - x : x - y;
};

/** The rows a view's filters keep, in the order given (filtering a sorted list keeps it sorted). */
function filterRows(
  rows: readonly AccountsTableRow[],
  view: View,
  lowerNames: Map<AccountsTableRow, string>,
): AccountsTableRow[] {
  const text = view.text.trim().toLowerCase();
  return rows.filter(
    (r) =>
      (text === "" || (lowerNames.get(r) ?? "").includes(text)) &&
      (view.band === "" || (r.shown?.color ?? "grey") === view.band) &&
      (view.segment === "" || r.segment === view.segment) &&
      (view.stage === "" || r.stage === view.stage) &&
      (view.owner === "" || r.owner === view.owner),
  );
}

/** Every row in a view's order (sorted once per order, not on each keystroke in Search). */
function sortRows(rows: readonly AccountsTableRow[], view: Pick<View, "sort" | "descending">): AccountsTableRow[] {
  const d = view.descending;
  const by: Record<SortKey, (a: AccountsTableRow, b: AccountsTableRow) => number> = {
    name: (a, b) => (d ? -1 : 1) * compareText(a.name, b.name),
    score: (a, b) => compareNumber(a.shown?.score, b.shown?.score, d),
    delta: (a, b) => compareNumber(a.shown?.delta, b.shown?.delta, d),
    arr: (a, b) => compareNumber(a.arr, b.arr, d),
    renewal: (a, b) =>
      a.renewalDate === null || b.renewalDate === null
        ? (a.renewalDate === null ? 1 : 0) - (b.renewalDate === null ? 1 : 0)
        : (d ? -1 : 1) * compareText(a.renewalDate, b.renewalDate),
    segment: (a, b) => (d ? -1 : 1) * compareText(a.segment, b.segment),
    stage: (a, b) => (d ? -1 : 1) * compareText(a.stage, b.stage),
    owner: (a, b) => (d ? -1 : 1) * compareText(a.owner, b.owner),
  };
  const cmp = by[view.sort];
  return [...rows].sort((a, b) => cmp(a, b) || compareText(a.name, b.name));
}

const COLUMNS: { key: SortKey; label: string; numeric?: boolean }[] = [
  { key: "name", label: "Account" },
  { key: "score", label: "Health" },
  { key: "delta", label: "Change", numeric: true },
  { key: "arr", label: "ARR", numeric: true },
  { key: "renewal", label: "Renewal" },
  { key: "segment", label: "Segment" },
  { key: "stage", label: "Stage" },
  { key: "owner", label: "Owner" },
];

/** Where the grid's one Tab stop is: a row of `rows` (−1: the header) and a column. */
interface Cell {
  row: number;
  col: number;
}

/**
 * The accounts table as an ARIA grid (issue 18): one Tab stop, the arrow keys move between cells (Home/End to the
 * row's ends, Ctrl+Home/End to the first and last row, Page Up/Down by a screenful), Enter follows a cell's link or
 * presses its sort button. Only the rows in view are rendered (10,000 accounts stay smooth): a move scrolls the row
 * into view first, then focuses it.
 */
function Table({ rows, view, setView }: { rows: AccountsTableRow[]; view: View; setView: (v: View) => void }) {
  const scroller = useRef<HTMLElement>(null);
  const [top, setTop] = useState(0);
  const [height, setHeight] = useState(600);
  const [active, setActive] = useState<Cell>({ row: 0, col: 0 });
  /**
   * The cell the last key press went to, until it has focus. Keys count from it, not from the focused cell, so a key
   * pressed before the grid rendered the last one's move (a held arrow key, fast typing) is never lost.
   */
  const pending = useRef<Cell | null>(null);
  useEffect(() => {
    const el = scroller.current;
    if (!el) return;
    const resize = new ResizeObserver(() => setHeight(el.clientHeight));
    resize.observe(el);
    return () => resize.disconnect();
  }, []);
  const first = Math.max(0, Math.floor(top / ROW_HEIGHT) - OVERSCAN);
  const last = Math.min(rows.length, Math.ceil((top + height) / ROW_HEIGHT) + OVERSCAN);
  // Filters can leave the active row past the end.
  const row = Math.min(active.row, rows.length - 1);
  // The Tab stop stays in the grid when its row is scrolled away: the header cell of its column takes it.
  const stop: Cell = row >= first && row < last ? { row, col: active.col } : { row: -1, col: active.col };
  // Focus follows a key press in the same task as the render that shows its cell (a layout effect, not a passive one):
  // a passive effect waits for the next frame, and Preact runs a waiting one before the next render with that
  // render's cell, so a second key pressed within a frame focused the first key's cell and the second was lost
  // (issue 18, the flaky arrow-key e2e). It focuses the pending cell, whichever render it runs after, and clears it
  // only once that cell has focus.
  useLayoutEffect(() => {
    const to = pending.current;
    if (!to) return;
    const cell = scroller.current?.querySelector<HTMLElement>(`[data-cell="${to.row}:${to.col}"]`);
    if (!cell) return;
    // The grid's own scroll put the row in its box; this brings the box into the page's view if it is not.
    cell.scrollIntoView({ block: "nearest", inline: "nearest" });
    (cell.querySelector<HTMLElement>("a, button") ?? cell).focus({ preventScroll: true });
    if (pending.current === to) pending.current = null;
  });
  const sortBy = (key: SortKey) =>
    setView({
      ...view,
      sort: key,
      descending: view.sort === key ? !view.descending : key === "arr" || key === "delta",
    });
  const onKey = (e: KeyboardEvent) => {
    const at = (e.target as HTMLElement).closest<HTMLElement>("[data-cell]")?.dataset.cell;
    if (!at) return;
    // Keys pressed faster than the grid renders (a held arrow key) count from the cell the last one went to.
    const [r, c] = pending.current
      ? [pending.current.row, pending.current.col]
      : (at.split(":").map(Number) as [number, number]);
    const page = Math.max(1, Math.floor(height / ROW_HEIGHT) - 1);
    const lastRow = rows.length - 1;
    const lastCol = COLUMNS.length - 1;
    const ctrl = e.ctrlKey || e.metaKey;
    const to: Cell | null =
      e.key === "ArrowDown"
        ? { row: Math.min(r + 1, lastRow), col: c }
        : e.key === "ArrowUp"
          ? { row: Math.max(r - 1, -1), col: c }
          : e.key === "ArrowRight"
            ? { row: r, col: Math.min(c + 1, lastCol) }
            : e.key === "ArrowLeft"
              ? { row: r, col: Math.max(c - 1, 0) }
              : e.key === "Home"
                ? { row: ctrl ? 0 : r, col: 0 }
                : e.key === "End"
                  ? { row: ctrl ? lastRow : r, col: ctrl ? c : lastCol }
                  : e.key === "PageDown"
                    ? { row: Math.min(r + page, lastRow), col: c }
                    : e.key === "PageUp"
                      ? { row: Math.max(r - page, r < 0 ? -1 : 0), col: c }
                      : null;
    if (!to) return;
    e.preventDefault();
    const el = scroller.current;
    if (el && to.row >= 0) {
      // Scroll the row into view (below the sticky header) before it is rendered and focused.
      const head = el.querySelector("thead")?.getBoundingClientRect().height ?? ROW_HEIGHT;
      const y = to.row * ROW_HEIGHT;
      if (y < el.scrollTop) el.scrollTop = y;
      else if (y + ROW_HEIGHT + head > el.scrollTop + el.clientHeight)
        el.scrollTop = y + ROW_HEIGHT + head - el.clientHeight;
      setTop(el.scrollTop);
    }
    pending.current = to;
    setActive(to);
  };
  /** The Tab stop's attributes for a cell: tabindex 0 on the one stop, −1 elsewhere. */
  const tab = (r: number, c: number) => (stop.row === r && stop.col === c ? 0 : -1);
  /** A cell with no link or button of its own takes focus itself. */
  const own = (r: number, c: number) => ({ "data-cell": `${r}:${c}`, tabIndex: tab(r, c) });
  return (
    <section
      class="table-scroll"
      ref={scroller}
      onScroll={(e) => setTop((e.currentTarget as HTMLElement).scrollTop)}
      aria-label="Accounts"
    >
      <table
        class="data accounts-table"
        // biome-ignore lint/a11y/noNoninteractiveElementToInteractiveRole: the ARIA grid pattern is a table whose cells are navigated by arrow keys (issue 18).
        role="grid"
        aria-label="Accounts"
        aria-describedby="accounts-grid-keys"
        aria-rowcount={rows.length + 1}
        aria-colcount={COLUMNS.length}
        onKeyDown={onKey}
        onFocusIn={(e) => {
          const at = (e.target as HTMLElement).closest<HTMLElement>("[data-cell]")?.dataset.cell;
          if (!at) return;
          const [r, c] = at.split(":").map(Number) as [number, number];
          // A click or Tab that lands elsewhere than a pending key's cell: the keys count from there now.
          if (pending.current && (pending.current.row !== r || pending.current.col !== c)) pending.current = null;
          if (r !== active.row || c !== active.col) setActive({ row: r, col: c });
        }}
      >
        <thead>
          <tr aria-rowindex={1}>
            {COLUMNS.map((c, j) => (
              <th
                key={c.key}
                scope="col"
                class={c.numeric ? "num" : ""}
                data-cell={`-1:${j}`}
                aria-sort={view.sort === c.key ? (view.descending ? "descending" : "ascending") : "none"}
              >
                <button type="button" class="sort" tabIndex={tab(-1, j)} onClick={() => sortBy(c.key)}>
                  {c.label}
                  <span aria-hidden="true">{view.sort === c.key ? (view.descending ? " ▼" : " ▲") : ""}</span>
                </button>
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          <tr style={{ height: `${first * ROW_HEIGHT}px` }} />
          {rows.slice(first, last).map((r, k) => {
            const i = first + k;
            return (
              <tr key={r.id} style={{ height: `${ROW_HEIGHT}px` }} aria-rowindex={i + 2}>
                <td data-cell={`${i}:0`}>
                  <a href={`#/accounts/${encodeURIComponent(r.id)}`} tabIndex={tab(i, 0)}>
                    {r.name}
                  </a>
                </td>
                <td class="health" {...own(i, 1)}>
                  <span class="cell">
                    {r.shown ? (
                      <ScoreBadge
                        points={r.shown.points}
                        grade={r.shown.grade}
                        color={r.shown.color}
                        label={r.shown.label}
                      />
                    ) : (
                      <span class="muted">no scorecard</span>
                    )}
                    <Sparkline values={r.spark} />
                  </span>
                </td>
                <td class="num" {...own(i, 2)}>
                  {signed(r.shown?.delta ?? null)}
                </td>
                <td class="num" {...own(i, 3)}>
                  {money(r.arr)}
                </td>
                <td {...own(i, 4)}>{r.renewalDate ?? "—"}</td>
                <td {...own(i, 5)}>{r.segment}</td>
                <td {...own(i, 6)}>{r.stage}</td>
                <td {...own(i, 7)}>{r.owner}</td>
              </tr>
            );
          })}
          <tr style={{ height: `${(rows.length - last) * ROW_HEIGHT}px` }} />
        </tbody>
      </table>
    </section>
  );
}

const distinct = (rows: readonly AccountsTableRow[], pick: (r: AccountsTableRow) => string) =>
  [...new Set(rows.map(pick).filter((v) => v !== ""))].sort(compareText);

/** The accounts page: every account with its health, filterable, sortable, exportable. */
export function AccountsPage() {
  const loaded = useAccountsRows();
  const [view, setView] = useState<View>(DEFAULT_VIEW);
  const [views, setViews] = useState<Record<string, View>>(loadViews);
  const rows = loaded.state === "ready" ? loaded.value : [];
  // Name and id in lower case, once per load, for the text filter.
  const lowerNames = useMemo(() => new Map(rows.map((r) => [r, `${r.name}\u0000${r.id}`.toLowerCase()])), [rows]);
  const sorted = useMemo(
    () => sortRows(rows, { sort: view.sort, descending: view.descending }),
    [rows, view.sort, view.descending],
  );
  const shown = useMemo(() => filterRows(sorted, view, lowerNames), [sorted, view, lowerNames]);
  const options = useMemo(
    () => ({
      segment: distinct(rows, (r) => r.segment),
      stage: distinct(rows, (r) => r.stage),
      owner: distinct(rows, (r) => r.owner),
    }),
    [rows],
  );
  const saveView = () => {
    const name = prompt("Name this view (for example: My renewals at risk)")?.trim();
    if (!name) return;
    const next = { ...views, [name]: view };
    localStorage.setItem(VIEWS_KEY, JSON.stringify(next));
    setViews(next);
  };
  const select = (key: "band" | "segment" | "stage" | "owner", label: string, values: string[]) => (
    <label>
      {label}
      <select
        value={view[key]}
        onChange={(e) => setView({ ...view, [key]: (e.currentTarget as HTMLSelectElement).value })}
      >
        <option value="">All</option>
        {values.map((v) => (
          <option key={v} value={v}>
            {key === "band" ? { green: "Green", yellow: "Yellow", red: "Red", grey: "No score" }[v] : v}
          </option>
        ))}
      </select>
    </label>
  );
  return (
    <>
      <h1>Accounts</h1>
      <ScoredElsewhereBanner />
      {loaded.state === "loading" && <p aria-busy="true">Loading accounts…</p>}
      {loaded.state === "error" && (
        <p role="alert" class="error">
          The accounts could not be loaded: {loaded.message}
        </p>
      )}
      {loaded.state === "ready" && (
        <>
          <form class="filters" onSubmit={(e) => e.preventDefault()} aria-label="Filter accounts">
            <label>
              Search
              <input
                type="search"
                value={view.text}
                placeholder="Name or id"
                onInput={(e) => setView({ ...view, text: (e.currentTarget as HTMLInputElement).value })}
              />
            </label>
            {select("band", "Band", [...SCORE_COLORS])}
            {select("segment", "Segment", options.segment)}
            {select("stage", "Stage", options.stage)}
            {select("owner", "Owner", options.owner)}
            <label>
              Saved view
              <select
                value=""
                onChange={(e) => {
                  const v = views[(e.currentTarget as HTMLSelectElement).value];
                  if (v) setView(v);
                }}
              >
                <option value="">Choose…</option>
                {Object.keys(views).map((name) => (
                  <option key={name} value={name}>
                    {name}
                  </option>
                ))}
              </select>
            </label>
            <button type="button" class="secondary" onClick={saveView}>
              Save view
            </button>
            <button type="button" class="secondary" onClick={() => setView(DEFAULT_VIEW)}>
              Reset
            </button>
            <button
              type="button"
              onClick={() => download("vitals-accounts.csv", accountsCsv(shown), "text/csv")}
              disabled={shown.length === 0}
            >
              Export CSV
            </button>
          </form>
          <p class="muted accounts-count" aria-live="polite">
            {count(shown.length)} of {count(rows.length)} accounts
          </p>
          <p class="muted small" id="accounts-grid-keys">
            The table is one Tab stop: arrow keys move between cells, Home and End to a row's ends, Ctrl+Home and
            Ctrl+End to the first and last account, Page Up and Page Down by a screenful, Enter opens an account or
            sorts by a column.
          </p>
          {shown.length === 0 ? (
            <p class="empty-state">No account matches these filters.</p>
          ) : (
            <Table rows={shown} view={view} setView={setView} />
          )}
        </>
      )}
    </>
  );
}
