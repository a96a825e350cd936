import { useEffect, useMemo, useRef, useState } from "preact/hooks";
import type { AccountRow } from "../../../core/insights/portfolio-view.ts";
import { accountsCsv } from "../../../core/io/accounts-export.ts";
import { ScoreBadge } from "../components/score-badge.tsx";
import { ScoredElsewhereBanner } from "../components/scored-elsewhere.tsx";
import { Sparkline } from "../components/sparkline.tsx";
import { DEFAULT_VIEW, parseViews, type SortKey, type View } from "../saved-views.ts";
import { client, download, money, signed, useLoad } from "../services.ts";

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
function filterRows(rows: readonly AccountRow[], view: View, lowerNames: Map<AccountRow, string>): AccountRow[] {
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
function sortRows(rows: readonly AccountRow[], view: Pick<View, "sort" | "descending">): AccountRow[] {
  const d = view.descending;
  const by: Record<SortKey, (a: AccountRow, b: AccountRow) => number> = {
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

function Table({ rows, view, setView }: { rows: AccountRow[]; view: View; setView: (v: View) => void }) {
  const scroller = useRef<HTMLElement>(null);
  const [top, setTop] = useState(0);
  const [height, setHeight] = useState(600);
  useEffect(() => {
    const el = scroller.current;
    if (!el) return;
    const resize = new ResizeObserver(() => setHeight(el.clientHeight));
    resize.observe(el);
    return () => resize.disconnect();
  }, []);
  const first = Math.max(0, Math.floor(top / ROW_HEIGHT) - OVERSCAN);
  const last = Math.min(rows.length, Math.ceil((top + height) / ROW_HEIGHT) + OVERSCAN);
  const sortBy = (key: SortKey) =>
    setView({
      ...view,
      sort: key,
      descending: view.sort === key ? !view.descending : key === "arr" || key === "delta",
    });
  return (
    <section
      class="table-scroll"
      ref={scroller}
      onScroll={(e) => setTop((e.currentTarget as HTMLElement).scrollTop)}
      aria-label="Accounts"
      // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling region must be focusable to scroll by keyboard.
      tabIndex={0}
    >
      <table class="data accounts-table" aria-rowcount={rows.length + 1}>
        <thead>
          <tr aria-rowindex={1}>
            {COLUMNS.map((c) => (
              <th
                key={c.key}
                scope="col"
                class={c.numeric ? "num" : ""}
                aria-sort={view.sort === c.key ? (view.descending ? "descending" : "ascending") : "none"}
              >
                <button type="button" class="sort" onClick={() => sortBy(c.key)}>
                  {c.label}
                  <span aria-hidden="true">{view.sort === c.key ? (view.descending ? " ▼" : " ▲") : ""}</span>
                </button>
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          <tr style={{ height: `${first * ROW_HEIGHT}px` }} />
          {rows.slice(first, last).map((r, k) => (
            <tr key={r.id} style={{ height: `${ROW_HEIGHT}px` }} aria-rowindex={first + k + 2}>
              <td>
                <a href={`#/accounts/${encodeURIComponent(r.id)}`}>{r.name}</a>
              </td>
              <td class="health">
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
              <td class="num">{signed(r.shown?.delta ?? null)}</td>
              <td class="num">{money(r.arr)}</td>
              <td>{r.renewalDate ?? "—"}</td>
              <td>{r.segment}</td>
              <td>{r.stage}</td>
              <td>{r.owner}</td>
            </tr>
          ))}
          <tr style={{ height: `${(rows.length - last) * ROW_HEIGHT}px` }} />
        </tbody>
      </table>
    </section>
  );
}

const distinct = (rows: readonly AccountRow[], pick: (r: AccountRow) => string) =>
  [...new Set(rows.map(pick).filter((v) => v !== ""))].sort(compareText);

/** The accounts page: every account with its health, filterable, sortable, exportable. */
export function AccountsPage() {
  const loaded = useLoad(() => client.accounts(), []);
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
            {select("band", "Band", ["green", "yellow", "red", "grey"])}
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
            {shown.length.toLocaleString("en-US")} of {rows.length.toLocaleString("en-US")} accounts
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
