import { useEffect, useRef, useState } from "preact/hooks";
import { count } from "../../core/text/words.ts";
import type { PortfolioProgress, PortfolioStatus } from "../../core/worker/portfolio-api.ts";
import { loadCharts } from "./components/chart.tsx";
import { JumpLink } from "./components/focus.tsx";
import { JobProgressLine } from "./components/job-progress.tsx";
import { useJob } from "./job/use-job.tsx";
import { lazyPage } from "./lazy.tsx";
import { LeaveDialog, navigationBlocked } from "./leave-guard.tsx";
import { linkManifest } from "./manifest-link.ts";
import { type Route, routeOf } from "./route.ts";
import { askEarly, client, dataChanged, firstScreenShown, firstStatus, useDataVersion, useLoad } from "./services.ts";
import { UpdatePrompt } from "./update-prompt.tsx";

// Each page is a chunk of its own: a cold start loads the shell and the page it opens on, not every page, the charts
// and the editors (issue 14).
const AccountPage = lazyPage(() => import("./pages/account.tsx").then((m) => m.AccountPage));
const AccountsPage = lazyPage(() => import("./pages/accounts.tsx").then((m) => m.AccountsPage));
const AlertRulesPage = lazyPage(() => import("./pages/alert-rules.tsx").then((m) => m.AlertRulesPage));
const AlertsPage = lazyPage(() => import("./pages/alerts.tsx").then((m) => m.AlertsPage));
const AlertDigestPage = lazyPage(() => import("./pages/alerts.tsx").then((m) => m.AlertDigestPage));
const DashboardPage = lazyPage(() => import("./pages/dashboard.tsx").then((m) => m.DashboardPage));
const DataPage = lazyPage(() => import("./pages/data.tsx").then((m) => m.DataPage));
const PlaysPage = lazyPage(() => import("./pages/plays.tsx").then((m) => m.PlaysPage));
const ScorecardsPage = lazyPage(() => import("./pages/scorecards.tsx").then((m) => m.ScorecardsPage));
const ScorecardEditorPage = lazyPage(() => import("./pages/scorecards-editor.tsx").then((m) => m.ScorecardEditorPage));
const ScorecardPrintPage = lazyPage(() => import("./pages/scorecards-print.tsx").then((m) => m.ScorecardPrintPage));
const TasksPage = lazyPage(() => import("./pages/tasks.tsx").then((m) => m.TasksPage));
const ValidatePage = lazyPage(() => import("./pages/validate.tsx").then((m) => m.ValidatePage));

/**
 * A cold start: the page it opens on starts loading its code, and the worker starts reading what that page shows
 * (the dashboard, or the account), while the shell asks for the store's status; the page takes the answer when it
 * renders (services.ts, `takeEarly`).
 */
function startFirstScreen(route: Route): void {
  if (route.page === "dashboard") {
    void DashboardPage.preload().catch(() => undefined);
    void loadCharts().catch(() => undefined);
    askEarly("dashboard", () => client.storedDashboard());
  } else if (route.page === "account") {
    void AccountPage.preload().catch(() => undefined);
    askEarly(`account:${route.id}`, () => client.storedAccount(route.id));
    askEarly(`elsewhere-account:${route.id}`, () => client.scoredElsewhereAccount(route.id));
  }
}
startFirstScreen(routeOf(location.hash));

const EVERY_PAGE = [
  AccountPage,
  AccountsPage,
  AlertRulesPage,
  AlertsPage,
  AlertDigestPage,
  DashboardPage,
  DataPage,
  PlaysPage,
  ScorecardsPage,
  ScorecardEditorPage,
  ScorecardPrintPage,
  TasksPage,
  ValidatePage,
];

/** Runs `then` when the browser is idle (at most 2 s later), or soon where it cannot tell. */
function whenIdle(then: () => void): void {
  if ("requestIdleCallback" in window) requestIdleCallback(then, { timeout: 2_000 });
  else setTimeout(then, 200);
}

/**
 * A visit that is not controlled by the service worker (the very first one: the worker installs while the page runs)
 * fetches each page's chunk from the network when the page is first opened, so a page first opened after the network
 * went away could not load ("Failed to fetch dynamically imported module"). Such a visit loads every page's code once
 * the first screen is up, while the browser is idle, one chunk after another; a controlled visit gets them from the
 * service worker's precache and loads nothing early (the cold path stays small, issue 14).
 */
function loadEveryPageWhenUncontrolled(): void {
  if (!("serviceWorker" in navigator) || navigator.serviceWorker.controller !== null) return;
  const loads: (() => Promise<unknown>)[] = [
    ...EVERY_PAGE.map((page) => page.preload),
    loadCharts,
    // What the first import of the user's own file loads (services.ts, afterOwnImport).
    () => import("../../core/store/health.ts"),
  ];
  const next = (): void => {
    const load = loads.shift();
    if (!load) return;
    // A chunk that cannot load now is loaded (and reported) when its page opens, as without this.
    void load()
      .catch(() => undefined)
      .then(() => whenIdle(next));
  };
  whenIdle(next);
}

function useRoute(): Route {
  const [route, setRoute] = useState(() => routeOf(location.hash));
  useEffect(() => {
    const onHash = () => {
      // Unsaved work (the scorecard editor's) asks before the page changes.
      if (navigationBlocked()) return;
      setRoute(routeOf(location.hash));
      // Move focus to the new page's content, as a page load would, so keyboard and screen-reader users follow.
      document.getElementById("main")?.focus();
      window.scrollTo(0, 0);
    };
    addEventListener("hashchange", onHash);
    return () => removeEventListener("hashchange", onHash);
  }, []);
  return route;
}

const PHASES: Record<Parameters<PortfolioProgress>[0], string> = {
  demo: "Creating the demo portfolio",
  scoring: "Scoring every account",
  history: "Computing a year of daily scores",
  saving: "Saving the results",
};

/**
 * The navigation's Alerts link with the count of open alerts: the number is text (not a colour), named in full for
 * screen readers, and a change is announced in a polite live region.
 */
function AlertsNavLink({ active }: { active: boolean }) {
  const counts = useLoad(() => client.alertCounts(), []);
  const open = counts.state === "ready" ? counts.value.open : null;
  return (
    <>
      <a
        href="#/alerts"
        aria-current={active ? "page" : undefined}
        aria-label={open ? `Alerts, ${count(open)} open` : "Alerts"}
      >
        {/* The space keeps the visible text ("Alerts 12") inside the link's name (WCAG 2.5.3, axe). */}
        Alerts{" "}
        {open !== null && open > 0 && (
          <span class="count-badge" aria-hidden="true">
            {count(open)}
          </span>
        )}
      </a>
      <span class="visually-hidden" role="status">
        {open === null ? "" : `${count(open)} open ${open === 1 ? "alert" : "alerts"}`}
      </span>
    </>
  );
}

/** The application shell: navigation, first run, the current page, long-job progress and the update prompt. */
export function App() {
  const route = useRoute();
  const [status, setStatus] = useState<PortfolioStatus | null>(null);
  // The portfolio's long jobs (the demo portfolio, clearing it): their progress under the header, their failure in
  // a banner.
  const job = useJob("shell");
  const [title, setTitle] = useState("");
  const started = useRef(false);
  const version = useDataVersion("whole");
  const accountsVersion = useDataVersion("accounts");
  // The extension's bridge (bridge.ts, with its message schemas) and the web manifest's link (whose icon the browser
  // decodes on this thread) are not needed for the first screen: they come after.
  useEffect(() => {
    let stop: (() => void) | undefined;
    let live = true;
    // On a cold start to the dashboard or an account, after that page shows its data (its answer is due meanwhile),
    // or 5 s at most (the CSM may leave it before).
    const first = routeOf(location.hash).page;
    const shown = Promise.race([firstScreenShown, new Promise<void>((done) => setTimeout(done, 5_000))]);
    void firstStatus
      .catch(() => undefined)
      .then(() => (first === "dashboard" || first === "account" ? shown : undefined))
      .then(() => new Promise<void>((done) => whenIdle(done)))
      .then(() => {
        // The web manifest too (a build leaves it out of index.html: manifest-link.ts).
        if (import.meta.env.PROD) linkManifest();
      })
      .then(() => (live ? import("./bridge.ts") : undefined))
      .then(
        (bridge) => {
          if (live && bridge) stop = bridge.startBadgeBridge();
        },
        () => undefined,
      );
    return () => {
      live = false;
      stop?.();
    };
  }, []);
  // An import, an undo or a bundle changes what the header and the empty state say.
  useEffect(() => {
    if (version > 0) void client.status().then(setStatus, () => undefined);
  }, [version]);
  // A rating, override or note rarely changes what the header says (only when it had to score the whole portfolio,
  // on a new day): read again after the page shows the change, not beside its reads.
  useEffect(() => {
    if (accountsVersion === 0) return;
    const later = setTimeout(() => void client.status().then(setStatus, () => undefined), 1000);
    return () => clearTimeout(later);
  }, [accountsVersion]);

  /** Runs a long worker job with progress and a Cancel button; the pages reload when it finishes. */
  const run = (
    what: string,
    work: (o: { signal: AbortSignal; onProgress: PortfolioProgress }) => Promise<PortfolioStatus>,
  ) => {
    return job.run(
      async ({ track }) => {
        // Named here, in the run itself: a run started while another runs is ignored and must not rename it.
        setTitle(what);
        try {
          setStatus(await track(PHASES, work));
          dataChanged();
        } catch (error) {
          setStatus(await client.status().catch(() => null));
          throw error;
        }
      },
      { cancelled: `${what} was cancelled.`, failed: (message) => `${what} failed: ${message}` },
    );
  };
  useEffect(() => {
    if (started.current) return;
    started.current = true;
    firstStatus.then(
      (s) => {
        setStatus(s);
        loadEveryPageWhenUncontrolled();
        // First run: an empty store gets the demo portfolio, so the app shows a living product at once.
        if (s.accounts === 0 && !s.demoCleared) {
          void run("Loading the demo portfolio", (o) => client.loadDemo(o));
        }
      },
      (error: unknown) => job.show({ error: `Vitals could not open its local data: ${(error as Error).message}` }),
    );
  }, []);

  const nav = (href: string, label: string, active: boolean) => (
    <a href={href} aria-current={active ? "page" : undefined}>
      {label}
    </a>
  );
  const empty = status !== null && status.accounts === 0 && !job.busy;
  // An account's page shows without waiting for the store's status (the worker reads the account first, the status
  // after it: core/worker/first-screen.ts), once the worker runs (it has answered the client's first message).
  const [workerRuns, setWorkerRuns] = useState(false);
  useEffect(() => {
    const runs = () => setWorkerRuns(true);
    void client.mode().then(runs, runs);
  }, []);
  // On a phone the navigation folds behind a Menu button; following a link or Escape folds it again.
  const [menuOpen, setMenuOpen] = useState(false);
  const menuButton = useRef<HTMLButtonElement>(null);
  useEffect(() => setMenuOpen(false), [route]);
  const onNavKey = (e: KeyboardEvent) => {
    if (e.key !== "Escape" || !menuOpen) return;
    setMenuOpen(false);
    menuButton.current?.focus();
  };
  return (
    <>
      <JumpLink class="skip-link" to="main">
        Skip to content
      </JumpLink>
      <header class="app-header">
        <span class="brand">Vitals</span>
        <button
          type="button"
          class="secondary menu-button"
          ref={menuButton}
          aria-expanded={menuOpen}
          aria-controls="main-nav"
          onClick={() => setMenuOpen(!menuOpen)}
          onKeyDown={onNavKey}
        >
          Menu
        </button>
        <nav aria-label="Main" id="main-nav" class={menuOpen ? "open" : undefined} onKeyDown={onNavKey}>
          {nav("#/", "Dashboard", route.page === "dashboard")}
          {nav("#/accounts", "Accounts", route.page === "accounts" || route.page === "account")}
          {nav(
            "#/scorecards",
            "Scorecards",
            route.page === "scorecards" ||
              route.page === "scorecard" ||
              route.page === "scorecard-print" ||
              route.page === "scorecard-validate",
          )}
          <AlertsNavLink
            active={route.page === "alerts" || route.page === "alert-rules" || route.page === "alert-digest"}
          />
          {nav("#/tasks", "Tasks", route.page === "tasks" || route.page === "plays")}
          {nav("#/data", "Data", route.page === "data")}
        </nav>
        <span class="muted small status-line">
          {status?.asOf ? `Scores as of ${status.asOf}` : ""}
          {status ? ` · ${count(status.accounts)} accounts` : ""}
        </span>
      </header>
      {status?.demo && (
        <div class="banner" role="note">
          <span>
            You are looking at a <strong>demo portfolio</strong> of made-up companies. Your own data stays on this
            device.
          </span>
          <button
            type="button"
            class="secondary"
            disabled={job.busy}
            onClick={() => void run("Clearing the demo portfolio", (o) => client.clearDemo(o))}
          >
            Clear demo data
          </button>
        </div>
      )}
      {job.progress && <JobProgressLine title={title} progress={job.progress} onCancel={job.cancel} />}
      {job.error && (
        <div class="banner banner-error" role="alert" id={job.errorId} tabIndex={-1}>
          <span>{job.error}</span>
          <button type="button" class="secondary" onClick={() => job.show({})}>
            Dismiss
          </button>
        </div>
      )}
      <main id="main" tabIndex={-1}>
        {empty && route.page !== "data" ? (
          <section class="empty-state" aria-labelledby="empty-title">
            <h1 id="empty-title">No accounts yet</h1>
            <p>
              Vitals scores your customers' health on this device. Nothing you import leaves it: there is no server and
              no account. Import your accounts and data from CSV exports, or look around with the demo portfolio first.
            </p>
            <div class="filters">
              <a class="button" href="#/data">
                Import a CSV file
              </a>
              <button
                type="button"
                class="secondary"
                onClick={() => void run("Loading the demo portfolio", (o) => client.loadDemo(o))}
              >
                Load the demo portfolio
              </button>
            </div>
          </section>
        ) : (status === null && !(route.page === "account" && workerRuns)) || (job.busy && status?.accounts === 0) ? (
          <p aria-busy="true">Opening your portfolio…</p>
        ) : route.page === "dashboard" ? (
          <DashboardPage />
        ) : route.page === "accounts" ? (
          <AccountsPage />
        ) : route.page === "account" ? (
          // Keyed by the account: another account's page starts from "Loading", never showing the last account's
          // figures (or taking a rating for it) under the new address while its own loads.
          <AccountPage key={route.id} id={route.id} />
        ) : route.page === "data" ? (
          <DataPage />
        ) : route.page === "alerts" ? (
          <AlertsPage />
        ) : route.page === "alert-digest" ? (
          <AlertDigestPage />
        ) : route.page === "alert-rules" ? (
          <AlertRulesPage />
        ) : route.page === "tasks" ? (
          <TasksPage />
        ) : route.page === "plays" ? (
          <PlaysPage />
        ) : route.page === "scorecards" ? (
          <ScorecardsPage />
        ) : route.page === "scorecard" ? (
          <ScorecardEditorPage
            key={`${route.id ?? "new"}:${route.from ?? ""}`}
            id={route.id}
            from={route.from}
            savedAs={route.savedAs}
          />
        ) : route.page === "scorecard-print" ? (
          <ScorecardPrintPage id={route.id} />
        ) : route.page === "scorecard-validate" ? (
          <ValidatePage key={route.id} id={route.id} />
        ) : (
          <>
            <h1>Page not found</h1>
            <p>
              There is no page at <code>{route.hash}</code>. <a href="#/">Go to the dashboard</a>.
            </p>
          </>
        )}
      </main>
      <UpdatePrompt />
      <LeaveDialog />
    </>
  );
}
