import type { BadgeAccount } from "../../../core/schema/badge.ts";
import { type BadgeView, createBadge } from "../../badge/badge.ts";
import type { Identifier, LookupMessage, LookupReply } from "../../messages.ts";
import { BADGE_TAG, elementOf, isElement } from "../../sites/dom.ts";
import type { SiteAdapter } from "../../sites/types.ts";
import { createVisibility } from "../../sites/visibility.ts";

/** Asks the background which accounts a batch of identifiers and texts show; undefined when there is no answer. */
export type Lookup = (message: LookupMessage) => Promise<LookupReply | undefined>;

/** What a scanner needs from its surroundings (the content script passes the real ones, tests pass fakes). */
export interface ScannerOptions {
  doc: Document;
  adapter: SiteAdapter;
  lookup: Lookup;
  /** False once the extension was reloaded or removed: the scanner then stops touching the page. */
  alive?: () => boolean;
}

/** The badges of a page, kept in step with it. */
export interface Scanner {
  /** Badges the page as it is and follows its changes. */
  start(): void;
  /** After in-app navigation: drops every badge and starts again on the new route. */
  navigate(): void;
  /** After the data changed: looks everything up again and updates badges in place. */
  refresh(): void;
  /** Removes every badge and stops watching (the extension went away). */
  stop(): void;
  /** Resolves when no pass is running or queued (tests and benchmarks wait on it). */
  idle(): Promise<void>;
}

/** The limits of one lookup message (LookupMessage's schema); a page beyond them is looked up in several. */
const MAX_ITEMS = 5_000;
const MAX_TEXT = 100_000;
/** How many changed roots are kept for isFresh before those no longer on the page are dropped. */
const FRESH_ROOTS_COMPACT_AT = 500;
/** How many hidden subtrees are watched for becoming visible (beyond it, the oldest are forgotten). */
const HIDDEN_LIMIT = 200;
/** Attributes whose change may show a hidden subtree; their changes matter only around a watched hidden element. */
const VISIBILITY_ATTRIBUTES = new Set(["hidden", "open", "aria-hidden", "class", "style"]);

interface Entry {
  badges: Map<string, BadgeView>;
}

interface Run {
  signal: AbortSignal;
  controller: AbortController;
  pending: Set<Node>;
  sweep: boolean;
  force: boolean;
  busy: Promise<void> | undefined;
  /** Roots changed since the last navigation, or null on the first route (everything is fresh). */
  freshRoots: Node[] | null;
  /** The length of freshRoots at which those no longer on the page are dropped. */
  compactAt: number;
  /** Subtrees skipped for not rendering, looked at again when they (or an ancestor) change how they show. */
  hidden: Set<Element>;
}

interface Item {
  anchor: Element | Text;
  identifiers: Identifier[];
  texts: string[];
  signature: string;
}

function isBadge(node: Node): boolean {
  return isElement(node) && node.localName === BADGE_TAG;
}

function insideBadge(node: Node): boolean {
  return !!elementOf(node)?.closest(BADGE_TAG);
}

/**
 * Creates the scanner of one page: each pass asks the adapter what may show an account in the changed part of the
 * page, sends one lookup for everything new, and adds, updates or removes badges next to those elements. A batched
 * MutationObserver (one pass per burst of changes, never polling) keeps it in step with single-page apps.
 */
export function createScanner({ doc, adapter, lookup, alive = () => true }: ScannerOptions): Scanner {
  const entries = new Map<Element | Text, Entry>();
  let memo = new WeakMap<Node, string>();
  let run: Run | undefined;
  let observer: MutationObserver | undefined;

  function newRun(freshRoots: Node[] | null): Run {
    const controller = new AbortController();
    return {
      controller,
      signal: controller.signal,
      pending: new Set(),
      sweep: false,
      force: false,
      busy: undefined,
      freshRoots,
      compactAt: FRESH_ROOTS_COMPACT_AT,
      hidden: new Set(),
    };
  }

  function removeAll(): void {
    for (const entry of entries.values()) for (const view of entry.badges.values()) view.remove();
    entries.clear();
    memo = new WeakMap();
  }

  function isFresh(current: Run, element: Element): boolean {
    const roots = current.freshRoots;
    return roots === null || roots.some((root) => root === element || root.contains(element) || element.contains(root));
  }

  function collect(current: Run, roots: readonly Node[]): Map<Element | Text, Omit<Item, "signature">> {
    const url = new URL(doc.location.href);
    const found = adapter.find(roots, {
      url,
      isFresh: (element) => isFresh(current, element),
      // One cache per pass: each element's rendering is read once, and layout may change between passes.
      visibility: createVisibility(doc),
      skipped: (element) => {
        current.hidden.delete(element);
        current.hidden.add(element);
        if (current.hidden.size > HIDDEN_LIMIT) current.hidden.delete(current.hidden.values().next().value as Element);
      },
    });
    const byAnchor = new Map<Element | Text, Omit<Item, "signature">>();
    for (const candidate of found) {
      if (insideBadge(candidate.anchor)) continue;
      let item = byAnchor.get(candidate.anchor);
      if (!item) {
        item = { anchor: candidate.anchor, identifiers: [], texts: [] };
        byAnchor.set(candidate.anchor, item);
      }
      if ("identifiers" in candidate) item.identifiers.push(...candidate.identifiers);
      else item.texts.push(candidate.text.slice(0, MAX_TEXT));
    }
    return byAnchor;
  }

  /** Splits the items into lookup messages within the schema's limits (one message for any ordinary page). */
  function batches(items: Item[]): Item[][] {
    const out: Item[][] = [];
    let batch: Item[] = [];
    let identifiers = 0;
    let texts = 0;
    for (const item of items) {
      const ids = Math.min(item.identifiers.length, MAX_ITEMS);
      const txt = Math.min(item.texts.length, MAX_ITEMS);
      if (batch.length && (identifiers + ids > MAX_ITEMS || texts + txt > MAX_ITEMS)) {
        out.push(batch);
        batch = [];
        identifiers = 0;
        texts = 0;
      }
      batch.push({ ...item, identifiers: item.identifiers.slice(0, ids), texts: item.texts.slice(0, txt) });
      identifiers += ids;
      texts += txt;
    }
    if (batch.length) out.push(batch);
    return out;
  }

  /** Places an anchor's badges right after it, in order, moving nothing that is already in place. */
  function place(anchor: Element | Text, entry: Entry): void {
    if (!anchor.parentNode) return;
    let after: ChildNode = anchor;
    for (const view of entry.badges.values()) {
      if (after.nextSibling !== view.host) after.after(view.host);
      after = view.host;
    }
  }

  function reconcile(anchor: Element | Text, ids: string[], accounts: Map<string, BadgeAccount>, pwaUrl?: string) {
    let entry = entries.get(anchor);
    const wanted = ids.filter((id) => accounts.has(id));
    if (!wanted.length) {
      if (entry) for (const view of entry.badges.values()) view.remove();
      entries.delete(anchor);
      return 0;
    }
    if (!entry) {
      entry = { badges: new Map() };
      entries.set(anchor, entry);
    }
    for (const [id, view] of entry.badges) {
      if (!wanted.includes(id)) {
        view.remove();
        entry.badges.delete(id);
      }
    }
    const ordered = new Map<string, BadgeView>();
    for (const id of wanted) {
      const account = accounts.get(id) as BadgeAccount;
      let view = entry.badges.get(id);
      if (view) view.update(account, pwaUrl);
      else view = createBadge(doc, account, pwaUrl, { alive });
      ordered.set(id, view);
    }
    entry.badges = ordered;
    place(anchor, entry);
    return ordered.size;
  }

  /** Drops badges whose element left the page, and puts back badges the page removed beside elements still there. */
  function sweep(): void {
    for (const [anchor, entry] of entries) {
      if (!anchor.isConnected) {
        for (const view of entry.badges.values()) view.remove();
        entries.delete(anchor);
      } else if ([...entry.badges.values()].some((view) => !view.host.isConnected)) {
        place(anchor, entry);
      }
    }
  }

  async function pass(current: Run, roots: readonly Node[], force: boolean): Promise<void> {
    const start = performance.now();
    const byAnchor = collect(current, roots);
    const todo: Item[] = [];
    for (const item of byAnchor.values()) {
      const signature = JSON.stringify([item.identifiers, item.texts]);
      if (!force && memo.get(item.anchor) === signature) continue;
      todo.push({ ...item, signature });
    }
    let matches = 0;
    for (const batch of batches(todo)) {
      const message: LookupMessage = { type: "lookup", identifiers: [], texts: [] };
      const keys = new Map<string, number>();
      const plan = batch.map((item) => ({
        item,
        identifiers: item.identifiers.map((id) => {
          const key = `${id.kind}\u0000${id.system ?? ""}\u0000${id.value}`;
          let index = keys.get(key);
          if (index === undefined) {
            index = message.identifiers.push(id) - 1;
            keys.set(key, index);
          }
          return index;
        }),
        texts: item.texts.map((text) => message.texts.push(text) - 1),
      }));
      const asked = performance.now();
      const reply = await lookup(message);
      // The round trip to the background (its matching included), so a pass's own DOM work can be told apart.
      performance.measure("vitals:lookup", {
        start: asked,
        end: performance.now(),
        detail: { identifiers: message.identifiers.length, texts: message.texts.length },
      });
      if (current.signal.aborted) return;
      if (!reply) continue;
      // By id in a Map: an account whose id is `__proto__` or `constructor` is found like any other.
      const accounts = new Map(reply.accounts.map((a) => [a.id, a]));
      // Badges follow the text: accounts in the order they first appear in it, whatever order the answer lists them.
      const textMatches = new Map<number, string[]>();
      for (const match of [...reply.texts].sort((a, b) => a.text - b.text || a.start - b.start)) {
        const list = textMatches.get(match.text) ?? [];
        list.push(match.accountId);
        textMatches.set(match.text, list);
      }
      for (const step of plan) {
        const ids: string[] = [];
        const first = step.identifiers.map((i) => reply.identifiers[i]).find((id) => typeof id === "string");
        if (first) ids.push(first);
        for (const t of step.texts) for (const id of textMatches.get(t) ?? []) if (!ids.includes(id)) ids.push(id);
        memo.set(step.item.anchor, step.item.signature);
        matches += reconcile(step.item.anchor, ids, accounts, reply.pwaUrl);
      }
    }
    sweep();
    // The benchmark reads these: how long each pass took, over how many elements, with how many badges.
    performance.measure("vitals:scan", {
      start,
      end: performance.now(),
      detail: { elements: byAnchor.size, matches },
    });
  }

  function drain(current: Run): Promise<void> {
    if (current.busy) return current.busy;
    current.busy = (async () => {
      try {
        while (!current.signal.aborted && (current.pending.size || current.sweep || current.force)) {
          if (!alive()) return;
          const roots = [...current.pending].filter((node) => node.isConnected);
          const force = current.force;
          current.pending.clear();
          current.sweep = false;
          current.force = false;
          try {
            await pass(current, roots, force);
          } catch {
            // A page the adapter did not expect must not stop the badges: this pass is lost, the next change retries.
          }
        }
      } finally {
        current.busy = undefined;
      }
    })();
    return current.busy;
  }

  /** Remembers a changed root for isFresh; roots that left the page are dropped now and then so the list stays short. */
  function markFresh(current: Run, node: Node): void {
    const roots = current.freshRoots;
    if (!roots) return;
    roots.push(node);
    if (roots.length > current.compactAt) {
      const kept = roots.filter((root) => root.isConnected);
      current.freshRoots = kept;
      // Compacting again only once the list doubled keeps this linear even when every root stays on the page.
      current.compactAt = Math.max(FRESH_ROOTS_COMPACT_AT, 2 * kept.length);
    }
  }

  function observe(records: MutationRecord[]): void {
    const current = run;
    if (!current) return;
    if (!alive()) return;
    for (const record of records) {
      if (record.type === "childList") {
        for (const node of record.addedNodes) {
          if (isBadge(node)) continue;
          current.pending.add(node);
          markFresh(current, node);
        }
        for (const node of record.removedNodes) if (!isBadge(node)) current.sweep = true;
      } else if (VISIBILITY_ATTRIBUTES.has(record.attributeName ?? "")) {
        // A class or style change anywhere is common; it matters only where it may show a skipped hidden subtree.
        for (const hidden of current.hidden) {
          if (record.target === hidden || record.target.contains(hidden)) {
            current.hidden.delete(hidden);
            if (hidden.isConnected) current.pending.add(hidden);
          }
        }
      } else {
        current.pending.add(record.target);
        markFresh(current, record.target);
      }
    }
    void drain(current);
  }

  function begin(freshRoots: Node[] | null): void {
    run = newRun(freshRoots);
    run.pending.add(doc.body ?? doc.documentElement);
    void drain(run);
  }

  return {
    start() {
      if (observer) return;
      // The document's own MutationObserver (its realm), so the scanner works on any window it is given.
      const Observer = doc.defaultView?.MutationObserver ?? MutationObserver;
      observer = new Observer(observe);
      observer.observe(doc.documentElement, {
        childList: true,
        subtree: true,
        characterData: true,
        // Gmail's address lives in an attribute; links change their target in place in some SPAs.
        attributes: true,
        // hidden, open, aria-hidden, class and style may show text that was skipped for not rendering.
        attributeFilter: ["email", "href", ...VISIBILITY_ATTRIBUTES],
      });
      begin(null);
    },
    navigate() {
      if (!observer) return;
      run?.controller.abort();
      removeAll();
      begin([]);
    },
    refresh() {
      if (!run) return;
      run.force = true;
      run.pending.add(doc.body ?? doc.documentElement);
      void drain(run);
    },
    stop() {
      observer?.disconnect();
      observer = undefined;
      run?.controller.abort();
      run = undefined;
      removeAll();
    },
    async idle() {
      while (run?.busy) await run.busy;
    },
  };
}
