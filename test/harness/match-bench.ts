// The matcher benchmark's page (npm run bench, suite "match"; driven by test/bench/match.bench.mjs). It does what
// the extension does for the generic adapter, in one page: collect the page's text nodes (content script), find
// the accounts in them (the background's matchText over its index), and badge each match (a shadow-root host
// after the matched text, as the content script does). The naive baseline (test/bench/naive-match.ts) runs the
// same flow with one test per account over the page's text. Chromium runs with --expose-gc and precise memory info.
import { buildAll, buildIndex, lookupIdentifier, type MatchIndex } from "../../core/match/match-index.ts";
import { matchText, type TextHit } from "../../core/match/match-text.ts";
import type { BadgeAccount } from "../../core/schema/badge.ts";
import { type BenchElement, benchAccounts, benchPage, gmailHtml } from "../bench/match-data.ts";
import { naiveMatchText } from "../bench/naive-match.ts";

declare global {
  interface Window {
    matchBench: typeof api & typeof extensionApi;
    gc?: () => void;
  }
  interface Performance {
    memory?: { usedJSHeapSize: number };
  }
}

type Mode = "fast" | "naive";
/** One match on the page: which text node (in document order), where, whom. */
type PageHit = [node: number, start: number, end: number, accountId: string, kind: TextHit["kind"]];

const status = (text: string) => {
  const line = document.getElementById("status");
  if (line) line.textContent = text;
};
const root = document.getElementById("page") as HTMLElement;

let accounts: BadgeAccount[] = [];
let index: MatchIndex | undefined;
let page: BenchElement[] = [];
let batches: BenchElement[][] = [];

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
};
const round = (n: number) => Number(n.toFixed(3));

/** JS heap in use after a full collection (bytes). */
function heap(): number {
  window.gc?.();
  window.gc?.();
  return performance.memory?.usedJSHeapSize ?? Number.NaN;
}

function render(elements: readonly BenchElement[], into: HTMLElement): void {
  const fragment = document.createDocumentFragment();
  let row: HTMLElement | undefined;
  let list: HTMLElement | undefined;
  for (const e of elements) {
    const el = document.createElement(e.tag);
    el.textContent = e.text;
    if (e.tag === "td") {
      if (!row || row.childElementCount >= 5) {
        row = document.createElement("tr");
        const table = document.createElement("table");
        table.append(row);
        fragment.append(table);
      }
      row.append(el);
    } else if (e.tag === "li") {
      if (!list || list.childElementCount >= 10) {
        list = document.createElement("ul");
        fragment.append(list);
      }
      list.append(el);
    } else fragment.append(el);
  }
  into.append(fragment);
}

/** The text nodes under `from` worth reading (what the content script collects), in document order. */
function textNodes(from: Node): Text[] {
  const nodes: Text[] = [];
  const walker = document.createTreeWalker(from, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n !== null; n = walker.nextNode()) {
    const text = n as Text;
    if (text.data.trim() !== "" && !text.parentElement?.hasAttribute("data-vitals-badge")) nodes.push(text);
  }
  return nodes;
}

/** A badge after a match: a host element with a closed shadow root holding the score. */
function badge(hit: TextHit): HTMLElement {
  const host = document.createElement("span");
  host.setAttribute("data-vitals-badge", hit.accountId);
  const shadow = host.attachShadow({ mode: "closed" });
  const score = document.createElement("span");
  score.textContent = String(byId.get(hit.accountId)?.shown ?? "—");
  shadow.append(score);
  return host;
}
let byId = new Map<string, BadgeAccount>();

/** The matches of each mode's last whole-page run, for agree(). */
const lastHits: Record<Mode, { hits: PageHit[]; nodes: number; characters: number } | undefined> = {
  fast: undefined,
  naive: undefined,
};

/** Finds the accounts in the text nodes, fast (per node, through the index) or naive (whole text at once). */
function find(nodes: readonly Text[], mode: Mode): PageHit[] {
  const hits: PageHit[] = [];
  if (mode === "fast") {
    const idx = index as MatchIndex;
    nodes.forEach((node, n) => {
      for (const h of matchText(idx, node.data)) hits.push([n, h.start, h.end, h.accountId, h.kind]);
    });
    return hits;
  }
  // The naive matcher reads the page as one text (a line per node: no match spans a line break) and maps back.
  const starts: number[] = [];
  let at = 0;
  for (const node of nodes) {
    starts.push(at);
    at += node.data.length + 1;
  }
  const joined = nodes.map((node) => node.data).join("\n");
  for (const h of naiveMatchText(accounts, joined)) {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((starts[mid] as number) <= h.start) lo = mid;
      else hi = mid - 1;
    }
    const s = starts[lo] as number;
    hits.push([lo, h.start - s, h.end - s, h.accountId, h.kind]);
  }
  return hits;
}

/** Inserts a badge after each match (last first in each node, so earlier offsets stay valid). */
function badgeAll(nodes: readonly Text[], hits: readonly PageHit[]): void {
  for (let k = hits.length - 1; k >= 0; k--) {
    const [n, , end, accountId, kind] = hits[k] as PageHit;
    const node = nodes[n] as Text;
    const rest = node.splitText(end);
    node.parentNode?.insertBefore(badge({ start: 0, end, accountId, kind }), rest);
  }
}

/** One scan of `from`: collect, find, badge; with the time each step took. */
function scan(from: Node, mode: Mode) {
  const t0 = performance.now();
  const nodes = textNodes(from);
  const t1 = performance.now();
  const hits = find(nodes, mode);
  const t2 = performance.now();
  if (from === root) {
    lastHits[mode] = { hits, nodes: nodes.length, characters: nodes.reduce((n, node) => n + node.data.length, 0) };
  }
  badgeAll(nodes, hits);
  const t3 = performance.now();
  return { hits: hits.length, nodes: nodes.length, collectMs: t1 - t0, findMs: t2 - t1, badgeMs: t3 - t2 };
}

const api = {
  /** Generates the portfolio; the first call also warms up the matcher's code. */
  generate(count: number, seed: number) {
    const t0 = performance.now();
    accounts = benchAccounts(count, seed);
    byId = new Map(accounts.map((a) => [a.id, a]));
    return { accounts: accounts.length, ms: Math.round(performance.now() - t0) };
  },

  /**
   * buildIndex over the portfolio `runs` times with every family of maps built (buildAll), and with the domains
   * alone (what a page of email addresses needs first): times, and the heap the last full index holds.
   */
  timeBuild(runs: number) {
    index = undefined;
    const before = heap();
    const first = performance.now();
    index = buildAll(buildIndex(accounts));
    const firstMs = performance.now() - first;
    const bytes = heap() - before;
    const times: number[] = [];
    const domainTimes: number[] = [];
    for (let r = 0; r < runs; r++) {
      index = undefined;
      const t0 = performance.now();
      void buildIndex(accounts).domains;
      domainTimes.push(performance.now() - t0);
      const t1 = performance.now();
      index = buildAll(buildIndex(accounts));
      times.push(performance.now() - t1);
    }
    return {
      firstMs: round(firstMs),
      runs: times.map(round),
      median: round(median(times)),
      domainsOnly: { runs: domainTimes.map(round), median: round(median(domainTimes)) },
      indexBytes: bytes,
      keys: {
        ids: index.ids.size,
        external: index.external.size,
        domains: index.domains.size,
        names: index.names.size,
      },
    };
  },

  /** Generates the page (elements, identifiers) and `batchCount` SPA batches of `batchSize` elements. */
  preparePage(elements: number, identifiers: number, batchCount: number, batchSize: number, seed: number) {
    page = benchPage(accounts, elements, identifiers, seed);
    batches = [];
    for (let b = 0; b < batchCount; b++) {
      batches.push(
        benchPage(accounts, batchSize, Math.max(1, Math.round((identifiers * batchSize) / elements)), seed + 1 + b),
      );
    }
    return { elements: page.length, batches: batches.length };
  },

  /** Whether the last whole-page runs of both modes found the same matches (timeFull of each first). */
  agree() {
    const fast = lastHits.fast?.hits ?? [];
    const naive = lastHits.naive?.hits ?? [];
    const key = (h: PageHit) => h.join("|");
    const fastSet = new Set(fast.map(key));
    const naiveSet = new Set(naive.map(key));
    const kinds: Record<string, number> = {};
    for (const h of fast) kinds[h[4]] = (kinds[h[4]] ?? 0) + 1;
    return {
      textNodes: lastHits.fast?.nodes,
      characters: lastHits.fast?.characters,
      fast: fast.length,
      naive: naive.length,
      same: fast.length === naive.length && fast.every((h) => naiveSet.has(key(h))),
      onlyFast: fast.filter((h) => !naiveSet.has(key(h))).slice(0, 5),
      onlyNaive: naive.filter((h) => !fastSet.has(key(h))).slice(0, 5),
      kinds,
    };
  },

  /** The whole page found and badged `runs` times (after `warmup`); the page is re-rendered untimed each run. */
  timeFull(mode: Mode, runs: number, warmup: number) {
    const times: number[] = [];
    const steps = { collectMs: [] as number[], findMs: [] as number[], badgeMs: [] as number[] };
    let hits = 0;
    let addedBytes = 0;
    for (let r = 0; r < warmup + runs; r++) {
      root.replaceChildren();
      render(page, root);
      const before = r === warmup + runs - 1 ? heap() : 0;
      const t0 = performance.now();
      const done = scan(root, mode);
      const ms = performance.now() - t0;
      hits = done.hits;
      if (r >= warmup) {
        times.push(ms);
        steps.collectMs.push(done.collectMs);
        steps.findMs.push(done.findMs);
        steps.badgeMs.push(done.badgeMs);
      }
      if (r === warmup + runs - 1) addedBytes = heap() - before;
    }
    return {
      runs: times.map(round),
      median: round(median(times)),
      steps: {
        collectMs: round(median(steps.collectMs)),
        findMs: round(median(steps.findMs)),
        badgeMs: round(median(steps.badgeMs)),
      },
      hits,
      addedBytes,
    };
  },

  /** After a full scan (untimed), each batch appended as a SPA would, seen by a MutationObserver, found and badged. */
  timeBatches(mode: Mode, count = batches.length) {
    root.replaceChildren();
    render(page, root);
    scan(root, "fast");
    const observer = new MutationObserver(() => {});
    observer.observe(root, { childList: true, subtree: true });
    const times: number[] = [];
    let hits = 0;
    for (const batch of batches.slice(0, count)) {
      const holder = document.createElement("section");
      render(batch, holder);
      root.append(holder);
      const t0 = performance.now();
      for (const record of observer.takeRecords()) {
        for (const added of record.addedNodes) hits += scan(added, mode).hits;
      }
      times.push(performance.now() - t0);
    }
    observer.disconnect();
    return { runs: times.map(round), median: round(median(times)), hits };
  },
};

const extensionApi = {
  /**
   * lookupIdentifier for the extension run's identifiers (each sender's email, as the Gmail adapter sends them),
   * `runs` times: the background's matching share of one lookup message.
   */
  timeLookups(senders: number, seed: number, runs: number) {
    const emails = [...gmailHtml(accounts, page, senders, seed).matchAll(/email="([^"]+)"/g)].map(
      (m) => m[1] as string,
    );
    const idx = index as MatchIndex;
    const times: number[] = [];
    let found = 0;
    for (let r = 0; r < runs; r++) {
      const t0 = performance.now();
      found = 0;
      for (const value of emails) if (lookupIdentifier(idx, { kind: "email", value })) found++;
      times.push(performance.now() - t0);
    }
    return { identifiers: emails.length, found, runs: times.map(round), median: round(median(times)) };
  },
  /** The portfolio as a badge set file ("Export for the extension"), for the options page's Import bundle. */
  badgeSetJson(): string {
    return JSON.stringify({
      format: "vitals-badges",
      version: 1,
      generatedAt: "2025-03-01T10:00:00.000Z",
      accounts,
    });
  },
  /** The extension run's page body and its SPA batches (HTML), from the page preparePage generated. */
  gmailPages(senders: number, seed: number) {
    const perBatch = Math.max(1, Math.round((senders * (batches[0]?.length ?? 0)) / page.length));
    return {
      page: gmailHtml(accounts, page, senders, seed),
      batches: batches.map((b, i) => gmailHtml(accounts, b, perBatch, seed + 1 + i)),
    };
  },
};

window.matchBench = { ...api, ...extensionApi };
status("ready");
