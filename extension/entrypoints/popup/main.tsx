import { render } from "preact";
import { useEffect, useState } from "preact/hooks";
import { browser } from "wxt/browser";
import type { BadgeAccount } from "../../../core/schema/badge.ts";
import { plural } from "../../../core/text/words.ts";
import { badgeAccounts, badgeDb, searchBadgeAccounts } from "../../background/badge-store.ts";
import { sourceText } from "../../background/describe.ts";
import { appLink } from "../../background/pairing.ts";
import { isBuiltInSite, originOf, registeredOrigins } from "../../background/sites.ts";
import {
  onTabAccountsChanged,
  onTabReportChanged,
  reportText,
  type TabReport,
  tabAccounts,
  tabReport,
} from "../../background/tab-accounts.ts";
import { AppSource, usePairing } from "../../pages/app-source.tsx";
import { enableSite } from "../../pages/enable-site.ts";
import { accountUrl, Badge, useSetInfo } from "../../pages/shared.tsx";
import { SUPPORTED_SITE_MATCHES } from "../../sites/hosts.ts";
import "../../pages/style.css";

/** The tab the popup describes: `?tab=<id>` when opened as a page (tests, or a pinned tab), else the active tab. */
async function targetTab(): Promise<{ id: number; url: string | undefined } | undefined> {
  const asked = Number(new URLSearchParams(location.search).get("tab"));
  if (Number.isInteger(asked) && asked > 0) {
    const tab = await browser.tabs.get(asked).catch(() => undefined);
    return tab?.id === undefined ? undefined : { id: tab.id, url: tab.url };
  }
  const [tab] = await browser.tabs.query({ active: true, currentWindow: true });
  return tab?.id === undefined ? undefined : { id: tab.id, url: tab.url };
}

/**
 * The tab with its address: the browser gives it with activeTab (the toolbar click) or a host permission; otherwise
 * the address our content script last reported from that tab.
 */
async function describedTab(): Promise<{ id: number; url: string | undefined } | undefined> {
  const tab = await targetTab();
  if (!tab || tab.url) return tab;
  return { id: tab.id, url: (await tabAccounts(tab.id))?.url };
}

/**
 * Accounts as a list: badge, name, and a link to the account's page in the app when its address is known; with
 * `places`, how many badges the account has on the tab's page ("in 151 places": one per region it shows in).
 */
function AccountList({
  accounts,
  pwaUrl,
  label,
  places,
}: {
  accounts: BadgeAccount[];
  pwaUrl: string | undefined;
  label: string;
  places?: ReadonlyMap<string, number>;
}) {
  return (
    <ul class="plain" aria-label={label}>
      {accounts.map((a) => {
        const href = accountUrl(pwaUrl, a.id);
        const badges = places?.get(a.id);
        return (
          <li key={a.id}>
            <Badge account={a} />
            {href ? (
              <a href={href} target="_blank" rel="noreferrer">
                {a.name}
              </a>
            ) : (
              <span>{a.name}</span>
            )}
            {badges !== undefined && badges > 0 && (
              <span class="muted small" data-testid="places">
                {" "}
                in {plural(badges, "place", "places")}
              </span>
            )}
          </li>
        );
      })}
    </ul>
  );
}

/** The accounts the tab's page showed. */
function OnThisTab({ tabId, pwaUrl }: { tabId: number | undefined; pwaUrl: string | undefined }) {
  const [accounts, setAccounts] = useState<BadgeAccount[] | null>(null);
  const [report, setReport] = useState<TabReport | undefined>(undefined);
  useEffect(() => {
    if (tabId === undefined) {
      setAccounts([]);
      return;
    }
    // The report follows the page (a menu opened, rows added), as the list does.
    let latestReport = 0;
    const loadReport = async () => {
      const mine = ++latestReport;
      const read = await tabReport(tabId);
      if (mine === latestReport) setReport(read);
    };
    void loadReport();
    const stopReport = onTabReportChanged(tabId, () => void loadReport());
    let latest = 0;
    const load = async () => {
      const mine = ++latest;
      const seen = await tabAccounts(tabId);
      const found = await badgeAccounts(badgeDb(), seen?.ids ?? []);
      // In the order the page showed them; an older read that finishes late is dropped.
      if (mine === latest) setAccounts((seen?.ids ?? []).flatMap((id) => found.get(id) ?? []));
    };
    void load();
    const stopAccounts = onTabAccountsChanged(tabId, () => void load());
    return () => {
      stopReport();
      stopAccounts();
    };
  }, [tabId]);
  // Badges on the page by account, from the tab's latest report.
  const places = report && accounts !== null ? new Map(report.places.map((p) => [p.id, p.badges] as const)) : undefined;
  return (
    <section aria-labelledby="tab-title">
      <h2 id="tab-title">On this tab</h2>
      {accounts === null ? (
        <p aria-busy="true">Loading…</p>
      ) : accounts.length === 0 ? (
        <p class="muted">No known account on this page.</p>
      ) : (
        <AccountList accounts={accounts} pwaUrl={pwaUrl} label="Accounts on this tab" places={places} />
      )}
      {report && (
        // One sentence a user can paste into a report of a page that is not badged (with the page's address).
        <p class="muted small" data-testid="tab-report">
          {reportText(report)}
        </p>
      )}
    </section>
  );
}

/** Any stored account by name, alias, domain or id. */
function Search({ pwaUrl }: { pwaUrl: string | undefined }) {
  const [query, setQuery] = useState("");
  const [found, setFound] = useState<BadgeAccount[] | null>(null);
  useEffect(() => {
    if (query.trim() === "") {
      setFound(null);
      return;
    }
    let live = true;
    void searchBadgeAccounts(badgeDb(), query, 20).then((accounts) => live && setFound(accounts));
    return () => {
      live = false;
    };
  }, [query]);
  return (
    <section aria-labelledby="search-title">
      <h2 id="search-title">Find an account</h2>
      <label>
        Search accounts{" "}
        <input
          type="search"
          placeholder="Name or domain"
          value={query}
          onInput={(e) => setQuery(e.currentTarget.value)}
        />
      </label>
      {found !== null &&
        (found.length === 0 ? (
          <p class="muted" role="status">
            No account matches "{query}".
          </p>
        ) : (
          <AccountList accounts={found} pwaUrl={pwaUrl} label="Search results" />
        ))}
    </section>
  );
}

/**
 * "Enable on this site": the generic adapter on the tab's exact origin (scheme, host and port), after the browser's
 * permission prompt for that origin alone. Never on the Vitals app itself.
 */
function EnableSite({ tab, app }: { tab: { id: number; url: string | undefined } | undefined; app: string }) {
  const origin = tab?.url ? originOf(tab.url) : undefined;
  const [enabled, setEnabled] = useState<boolean | null>(null);
  const [outcome, setOutcome] = useState<{ kind: "ok" | "error"; text: string } | null>(null);
  useEffect(() => {
    if (origin) void registeredOrigins("site").then((list) => setEnabled(list.includes(origin)));
  }, [origin]);
  if (!tab || !origin || !tab.url) return null;
  if (isBuiltInSite(tab.url, SUPPORTED_SITE_MATCHES)) {
    return <p class="muted">Vitals works on this site out of the box.</p>;
  }
  if (origin === app) return <p class="muted">This is the Vitals app: its own pages never get badges.</p>;
  const enable = async () => {
    setOutcome(null);
    try {
      // In the click's handler, nothing awaited before it: browsers ask for a permission only during a gesture.
      await enableSite(origin, tab.id);
      setEnabled(true);
      setOutcome({
        kind: "ok",
        text: `Badges are on for ${origin} (this address only). Remove it any time in the options.`,
      });
    } catch (e) {
      setOutcome({ kind: "error", text: `Not enabled on ${origin}: ${(e as Error).message}.` });
    }
  };
  return (
    <section aria-labelledby="site-title">
      <h2 id="site-title">This site</h2>
      {enabled ? (
        <p>Badges are on for {origin}.</p>
      ) : (
        <>
          <p class="muted small">
            Badges on <strong>{origin}</strong> only (this scheme, host and port); the browser asks for that one
            address.
          </p>
          <button type="button" class="primary" disabled={enabled === null} onClick={() => void enable()}>
            Enable on this site
          </button>
        </>
      )}
      {outcome && (
        <p role={outcome.kind === "ok" ? "status" : "alert"} class={outcome.kind === "error" ? "error" : undefined}>
          {outcome.text}
        </p>
      )}
    </section>
  );
}

/** The toolbar popup: what this tab showed, search, where the data came from, and enabling this site. */
function Popup() {
  const [version, setVersion] = useState(0);
  const state = useSetInfo(version);
  const pairing = usePairing(version);
  const [tab, setTab] = useState<{ id: number; url: string | undefined } | undefined | null>(null);
  useEffect(() => {
    void describedTab().then(setTab, () => setTab(undefined));
  }, []);
  // Links go only to the app the badges trust.
  const pwaUrl = pairing ? appLink(state?.info?.pwaUrl, pairing.origin) : undefined;
  return (
    <main class="popup">
      <h1>Vitals</h1>
      <p class="muted small" data-testid="source">
        {state === null ? "Loading…" : sourceText(state.info)}
      </p>
      <AppSource version={version} onChange={() => setVersion((v) => v + 1)} />
      {tab !== null && <OnThisTab tabId={tab?.id} pwaUrl={pwaUrl} />}
      <Search pwaUrl={pwaUrl} />
      {tab !== null && pairing !== null && <EnableSite tab={tab} app={pairing.origin} />}
      <p>
        <a href={browser.runtime.getURL("/options.html")} target="_blank" rel="noreferrer">
          Options: import a file, sites you enabled
        </a>
      </p>
    </main>
  );
}

const root = document.getElementById("app");
if (root) render(<Popup />, root);
