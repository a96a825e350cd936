import { COMPANY_SUFFIXES } from "../../core/match/identifiers.ts";
import type { BadgeCard } from "../../core/schema/badge.ts";
import { type BadgeShell, type BadgeView, createBadge, createBadgeShell, type MoveKey } from "../badge/badge.ts";
import type { Identifier, LookupMessage, LookupReply } from "../messages.ts";
import { BADGE_TAG, elementOf, isElement, isText } from "../sites/dom.ts";
import type { Candidate, SiteAdapter } from "../sites/types.ts";
import { createVisibility, type Visibility } from "../sites/visibility.ts";
import { before, createRegionFinder, type RegionFinder } from "./regions.ts";

/** Asks the background which accounts a batch of identifiers and texts show; undefined when there is no answer. */
export type Lookup = (message: LookupMessage) => Promise<LookupReply | undefined>;

/** What a scanner needs from its surroundings (the content script passes the real ones, tests pass fakes). */
export interface ScannerOptions {
  doc: Document;
  adapter: SiteAdapter;
  lookup: Lookup;
  /** False once the extension was reloaded or removed: the scanner then stops touching the page. */
  alive?: () => boolean;
  /**
   * Told what the adapter found in each pass, with the pass's visibility (the popup's tally counts what shows), once
   * the pass's lookups are on their way.
   */
  onFound?: (found: readonly Candidate[], roots: readonly Node[], visibility: Visibility) => void;
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
  /** How many badges each account has on the page now (one per region it shows in), by account id. */
  placed(): Map<string, number>;
}

/** The limits of one lookup message (LookupMessage's schema); a page beyond them is looked up in several. */
const MAX_ITEMS = 5_000;
const MAX_TEXT = 100_000;
/** How many changed roots are kept for isFresh before those no longer on the page are dropped. */
const FRESH_ROOTS_COMPACT_AT = 500;
/** How many hidden subtrees are watched for becoming visible (beyond it, the oldest are forgotten). */
const HIDDEN_LIMIT = 200;
/** The most badge shells kept made ahead (what one pass did not use, the next one does). */
const SPARE_LIMIT = 300;
/** Badge shells made per task while a lookup is answered: the answer never waits on more than these. */
const SHELLS_PER_TASK = 8;
/** Attributes whose change may show a hidden subtree; their changes matter only around a watched hidden element. */
const VISIBILITY_ATTRIBUTES = new Set(["hidden", "open", "aria-hidden", "class", "style"]);

interface Entry {
  anchor: Element | Text;
  /** The region the anchor is in (one badge per account there), or the document. */
  region: Node;
  /** The landmark the anchor is in (one Tab stop for its badges), or the document. */
  group: Node;
  /** The badges, by account, in the order they are placed. */
  badges: Map<string, BadgeView>;
  /**
   * A text anchor split after each match: `head` is what the anchor's own node holds now, `parts` the text nodes
   * split off after it (each right after a badge), `ends` where in the whole text each badge goes.
   */
  split?: { head: string; parts: Text[]; ends: number[] };
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

/** Resolves in a next task (a message to itself: no timer clamping), so tasks queued meanwhile run first. */
function nextTask(): Promise<void> {
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      resolve();
    };
    channel.port2.postMessage(null);
  });
}

/** An account a badge is wanted for, and for a text anchor where in the text its first mention ends. */
interface Wanted {
  id: string;
  end?: number;
}

function isBadge(node: Node): boolean {
  return isElement(node) && node.localName === BADGE_TAG;
}

function insideBadge(node: Node): boolean {
  return !!elementOf(node)?.closest(BADGE_TAG);
}

/** A company suffix right after a name ("Globex| Corporation", "Acme|, Inc."): the name's badge goes after it. */
const SUFFIX_AFTER = /^,?[ \u00a0]+([A-Za-z]+)\.?/;

/** Where a name's badge goes: after the name, or after the company suffix that follows it. */
function withSuffix(text: string, end: number): number {
  const found = SUFFIX_AFTER.exec(text.slice(end, end + 24));
  return found?.[1] && COMPANY_SUFFIXES.has(found[1].toLowerCase()) ? end + found[0].length : end;
}

/** The outermost element from `element` up that hides its subtree (what the scanner watches for a change). */
function hidingAncestor(element: Element, visibility: Visibility): Element {
  let hiding = element;
  for (let at: Element | null = element; at; at = at.parentElement) if (visibility.hides(at)) hiding = at;
  return hiding;
}

/**
 * Creates the scanner of one page: each pass asks the adapter what may show an account in the changed part of the
 * page, sends one lookup for everything new, works out meanwhile which of it the user can see, and adds, updates or
 * removes the badges of that (what the page hides gets none until it shows, and an enabled site's hidden text is not
 * even looked up: the generic matcher skips it):
 * right after the element, or right after the words in a text that name the account (the text node is split
 * there). In one region (a message, a sidebar card, a row) an account gets one badge; the badges of one landmark
 * are one Tab stop, the arrow keys moving between them. A batched MutationObserver (one pass per burst of changes,
 * never polling) keeps it in step with single-page apps.
 */
export function createScanner({ doc, adapter, lookup, alive = () => true, onFound }: ScannerOptions): Scanner {
  const entries = new Map<Element | Text, Entry>();
  /** The text nodes split off an anchor, to their entry. */
  const partOf = new WeakMap<Text, Entry>();
  /** Per region, which entry shows each account's badge there. */
  const claims = new Map<Node, Map<string, Entry>>();
  /** Per region and account, anchors that got no badge because another one there shows it (looked at again when it goes). */
  const waiting = new Map<Node, Map<string, Set<Element | Text>>>();
  /** Per landmark, the badge that is its Tab stop. */
  const stops = new Map<Node, BadgeView>();
  const groupOf = new WeakMap<BadgeView, Node>();
  let memo = new WeakMap<Node, string>();
  /** Badge shells made ahead, off the page, for the next badges (createBadgeShell). */
  const spares: BadgeShell[] = [];
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

  /**
   * Runs our own DOM changes: the page's changes recorded so far are handled first, ours are then dropped, so the
   * observer never mistakes a badge or a split text for the page's doing.
   */
  function mutate<T>(fn: () => T): T {
    const before = observer?.takeRecords() ?? [];
    if (before.length) handle(before);
    const result = fn();
    observer?.takeRecords();
    return result;
  }

  /** The whole text of an anchor as the page wrote it (a split text's parts joined back). */
  function fullText(anchor: Text): string {
    const split = entries.get(anchor)?.split;
    return split ? anchor.data + split.parts.map((p) => p.data).join("") : anchor.data;
  }

  /**
   * Joins a split text back as it was. `pageChanged`: the page rewrote the anchor's text (a framework updating
   * its node), so its text is the page's and the parts we split off are dropped.
   */
  function unsplit(entry: Entry, pageChanged = false): void {
    const split = entry.split;
    if (!split) return;
    entry.split = undefined;
    const anchor = entry.anchor as Text;
    if (!pageChanged && anchor.data === split.head) anchor.data += split.parts.map((p) => p.data).join("");
    for (const part of split.parts) {
      partOf.delete(part);
      part.remove();
    }
  }

  function release(entry: Entry, id: string): void {
    const region = claims.get(entry.region);
    if (region?.get(id) !== entry) return;
    region.delete(id);
    const queued = waiting.get(entry.region)?.get(id);
    if (!queued) return;
    waiting.get(entry.region)?.delete(id);
    for (const anchor of queued) {
      memo.delete(anchor);
      if (anchor.isConnected && run) run.pending.add(anchor);
    }
  }

  /** Takes an entry's badges off the page and joins its text back. */
  function drop(entry: Entry, pageChanged = false): void {
    for (const [id, view] of entry.badges) {
      view.remove();
      release(entry, id);
      if (stops.get(entry.group) === view) stops.delete(entry.group);
    }
    entry.badges.clear();
    unsplit(entry, pageChanged);
    entries.delete(entry.anchor);
  }

  function removeAll(): void {
    mutate(() => {
      for (const entry of [...entries.values()]) drop(entry);
    });
    claims.clear();
    waiting.clear();
    stops.clear();
    memo = new WeakMap();
  }

  function isFresh(current: Run, element: Element): boolean {
    const roots = current.freshRoots;
    return roots === null || roots.some((root) => root === element || root.contains(element) || element.contains(root));
  }

  /** Remembers a subtree skipped for not rendering, to look at again when it (or an ancestor) changes how it shows. */
  function skip(current: Run, element: Element): void {
    current.hidden.delete(element);
    current.hidden.add(element);
    if (current.hidden.size > HIDDEN_LIMIT) current.hidden.delete(current.hidden.values().next().value as Element);
  }

  /**
   * What the adapter found, by anchor: the identifiers and texts to look up. Whether the user can see an anchor is
   * decided later (canSee), while its lookup is on its way.
   */
  function gather(found: readonly Candidate[]): Map<Element | Text, Omit<Item, "signature">> {
    const byAnchor = new Map<Element | Text, Omit<Item, "signature">>();
    for (const candidate of found) {
      let anchor = candidate.anchor;
      if (insideBadge(anchor)) continue;
      // Text we split off an anchor stands for the anchor's whole text.
      if (isText(anchor)) anchor = (partOf.get(anchor)?.anchor as Text | undefined) ?? anchor;
      let item = byAnchor.get(anchor);
      if (!item) {
        item = { anchor, identifiers: [], texts: [] };
        byAnchor.set(anchor, item);
      }
      if ("identifiers" in candidate) item.identifiers.push(...candidate.identifiers);
      else if (candidate.text === "") continue;
      else if (isText(anchor)) {
        if (!item.texts.length) item.texts.push(fullText(anchor).slice(0, MAX_TEXT));
      } else item.texts.push(candidate.text.slice(0, MAX_TEXT));
    }
    return byAnchor;
  }

  /**
   * Whether an item's anchor gets badges this pass: only what the user can see (every adapter), so a hidden "Recently
   * viewed" menu gets none until it shows. An anchor with nothing to look up (the fallback taking the generic
   * matcher's badges back, an identifier that went away) loses its badges, seen or not.
   */
  function canSee(current: Run, visibility: Visibility, item: Omit<Item, "signature">): boolean {
    if (!item.identifiers.length && !item.texts.length) return true;
    const element = elementOf(item.anchor);
    if (!element) return false;
    if (!visibility.rendered(element)) {
      skip(current, hidingAncestor(element, visibility));
      return false;
    }
    if (!visibility.showsOwnText(element)) {
      skip(current, element);
      return false;
    }
    return true;
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

  /** Places an element anchor's badges right after it, in order, moving nothing that is already in place. */
  function place(anchor: Element | Text, entry: Entry): void {
    if (!anchor.parentNode) return;
    let after: ChildNode = anchor;
    for (const view of entry.badges.values()) {
      if (after.nextSibling !== view.host) after.after(view.host);
      after = view.host;
    }
  }

  /** Splits a text anchor after each wanted account's first mention and puts its badge there. */
  function placeInText(anchor: Text, entry: Entry, wanted: Wanted[]): void {
    const ends = wanted.map((w) => w.end ?? 0);
    const split = entry.split;
    const intact =
      split &&
      anchor.data === split.head &&
      split.parts.every((p) => p.isConnected) &&
      [...entry.badges.values()].every((v) => v.host.isConnected);
    if (intact && split.ends.join() === ends.join()) return;
    unsplit(entry);
    if (!anchor.parentNode) return;
    const parts: Text[] = [];
    let current = anchor;
    let offset = 0;
    let last: ChildNode = anchor;
    wanted.forEach((w, i) => {
      const view = entry.badges.get(w.id) as BadgeView;
      const cut = (ends[i] ?? 0) - offset;
      if (cut <= 0) {
        last.after(view.host);
      } else if (cut < current.data.length) {
        const rest = current.splitText(cut);
        parts.push(rest);
        partOf.set(rest, entry);
        current.after(view.host);
        current = rest;
        offset += cut;
      } else {
        current.after(view.host);
        offset += cut;
      }
      last = view.host;
    });
    entry.split = { head: anchor.data, parts, ends };
  }

  function newView(entry: Entry, account: BadgeCard, pwaUrl: string | undefined): BadgeView {
    const view: BadgeView = createBadge(
      doc,
      account,
      pwaUrl,
      { alive, onMove: (key) => move(view, key), onFocus: () => focused(view) },
      spares.pop(),
    );
    groupOf.set(view, entry.group);
    return view;
  }

  function reconcile(
    anchor: Element | Text,
    wanted: Wanted[],
    regions: RegionFinder,
    accounts: Map<string, BadgeCard>,
    pwaUrl?: string,
  ): number {
    let entry = entries.get(anchor);
    const element = elementOf(anchor) as Element;
    const region = entry?.region ?? regions.region(element) ?? doc;
    // One badge per account in a region: one shown by another element there wins (the first on the page).
    const held = claims.get(region);
    const kept = wanted.filter((w) => {
      if (!accounts.has(w.id)) return false;
      const holder = held?.get(w.id);
      if (!holder || holder === entry) return true;
      if (holder.anchor.isConnected) {
        const byAccount = waiting.get(region) ?? new Map<string, Set<Element | Text>>();
        waiting.set(region, byAccount);
        const anchors = byAccount.get(w.id) ?? new Set<Element | Text>();
        byAccount.set(w.id, anchors);
        anchors.add(anchor);
        return false;
      }
      return true;
    });
    if (!kept.length) {
      if (entry) drop(entry);
      return 0;
    }
    if (!entry) {
      entry = { anchor, region, group: regions.group(element) ?? doc, badges: new Map() };
      entries.set(anchor, entry);
    }
    const ids = new Set(kept.map((w) => w.id));
    for (const [id, view] of entry.badges) {
      if (!ids.has(id)) {
        view.remove();
        entry.badges.delete(id);
        release(entry, id);
      }
    }
    const ordered = new Map<string, BadgeView>();
    const byAccount = claims.get(region) ?? new Map<string, Entry>();
    claims.set(region, byAccount);
    for (const { id } of kept) {
      const account = accounts.get(id) as BadgeCard;
      let view = entry.badges.get(id);
      if (view) view.update(account, pwaUrl);
      else view = newView(entry, account, pwaUrl);
      ordered.set(id, view);
      byAccount.set(id, entry);
    }
    entry.badges = ordered;
    if (isText(anchor)) placeInText(anchor, entry, kept);
    else place(anchor, entry);
    return ordered.size;
  }

  /** The badges of a landmark in page order. */
  function groupViews(group: Node): BadgeView[] {
    const views: BadgeView[] = [];
    for (const entry of entries.values())
      if (entry.group === group) for (const view of entry.badges.values()) if (view.host.isConnected) views.push(view);
    return views.sort((a, b) => (a.host === b.host ? 0 : before(a.host, b.host) ? -1 : 1));
  }

  /** One Tab stop per landmark: the badge last focused there, else its first. */
  function updateStops(): void {
    const firsts = new Map<Node, BadgeView>();
    const live = new Set<BadgeView>();
    for (const entry of entries.values()) {
      for (const view of entry.badges.values()) {
        if (!view.host.isConnected) continue;
        live.add(view);
        const first = firsts.get(entry.group);
        if (!first || before(view.host, first.host)) firsts.set(entry.group, view);
      }
    }
    for (const [group, first] of firsts) {
      const stop = stops.get(group);
      if (!stop || !live.has(stop)) stops.set(group, first);
    }
    for (const [group, stop] of stops) if (!firsts.has(group) || !live.has(stop)) stops.delete(group);
    const chosen = new Set(stops.values());
    for (const view of live) view.setTabStop(chosen.has(view));
  }

  function focused(view: BadgeView): void {
    const group = groupOf.get(view);
    if (group === undefined) return;
    const previous = stops.get(group);
    if (previous && previous !== view) previous.setTabStop(false);
    stops.set(group, view);
    view.setTabStop(true);
    const views = groupViews(group);
    const at = views.indexOf(view) + 1;
    view.describe(`Vitals badge ${at} of ${views.length} here; arrow keys move between them.`);
  }

  function move(view: BadgeView, key: MoveKey): void {
    const group = groupOf.get(view);
    if (group === undefined) return;
    const views = groupViews(group);
    const at = views.indexOf(view);
    const next =
      key === "Home"
        ? views[0]
        : key === "End"
          ? views.at(-1)
          : key === "ArrowRight" || key === "ArrowDown"
            ? views[at + 1]
            : views[at - 1];
    if (next && next !== view) next.focus();
  }

  /** Drops badges whose element left the page, and puts back badges the page removed beside elements still there. */
  function sweep(): void {
    for (const [anchor, entry] of entries) {
      if (!anchor.isConnected) {
        drop(entry, true);
      } else if ([...entry.badges.values()].some((view) => !view.host.isConnected)) {
        if (isText(anchor)) {
          // Looked up again: the text around it may have changed too.
          drop(entry, true);
          memo.delete(anchor);
          run?.pending.add(anchor);
        } else place(anchor, entry);
      }
    }
    updateStops();
  }

  /**
   * Makes badge shells until `wanted` are spare or `answered` settles, a few per task so that an answer arriving
   * meanwhile is taken at once: the time the background takes to answer builds the badges' elements.
   */
  async function prepare(wanted: number, answered: Promise<unknown>): Promise<void> {
    let settled = false;
    const done = () => {
      settled = true;
    };
    answered.then(done, done);
    const target = Math.min(wanted, SPARE_LIMIT);
    // Not after stop() (observer gone): a stopped scanner keeps nothing.
    while (!settled && spares.length < target && observer && alive()) {
      for (let i = 0; i < SHELLS_PER_TASK && spares.length < target; i++) spares.push(createBadgeShell(doc));
      await nextTask();
    }
  }

  /** One lookup message for a batch of items, and where each item's identifiers and texts are in it. */
  function ask(batch: Item[]) {
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
    return { message, plan, asked: performance.now(), reply: lookup(message) };
  }

  /**
   * One pass: reads what the adapter finds in `roots`, sends the lookups for what is new or changed, and, while the
   * background answers, works out which of those anchors the user can see; then places the badges of those.
   */
  async function pass(current: Run, roots: readonly Node[], force: boolean): Promise<void> {
    const start = performance.now();
    const url = new URL(doc.location.href);
    // One cache per pass: each element's rendering is read once, and layout may change between passes.
    const visibility = createVisibility(doc);
    const found = adapter.find(roots, {
      url,
      isFresh: (element) => isFresh(current, element),
      visibility,
      skipped: (element) => skip(current, element),
    });
    const byAnchor = gather(found);
    const todo: Item[] = [];
    for (const item of byAnchor.values()) {
      const signature = JSON.stringify([item.identifiers, item.texts]);
      if (!force && memo.get(item.anchor) === signature) continue;
      todo.push({ ...item, signature });
    }
    // Every lookup goes now: the background answers them while this thread reads the page's layout below.
    const asked = batches(todo).map(ask);
    // The pass's own DOM work in parts (the benchmark reports them): reading the page, seeing it, placing badges.
    performance.measure("vitals:collect", { start, end: performance.now() });
    const seeing = performance.now();
    const shown = new Set<Element | Text>();
    for (const item of todo) if (canSee(current, visibility, item)) shown.add(item.anchor);
    onFound?.(found, roots, visibility);
    performance.measure("vitals:visibility", { start: seeing, end: performance.now() });
    const first = asked[0];
    if (first) void prepare(shown.size, first.reply);
    let matches = 0;
    for (const { message, plan, reply: replied, asked: at } of asked) {
      const reply = await replied;
      // The round trip to the background (its matching included), so a pass's own DOM work can be told apart.
      performance.measure("vitals:lookup", {
        start: at,
        end: performance.now(),
        detail: { identifiers: message.identifiers.length, texts: message.texts.length },
      });
      if (current.signal.aborted) return;
      if (!reply) continue;
      // By id in a Map: an account whose id is `__proto__` or `constructor` is found like any other.
      const accounts = new Map(reply.accounts.map((a) => [a.id, a]));
      // Badges follow the text: each account after its first mention, in the order they appear.
      const textMatches = new Map<number, Wanted[]>();
      for (const match of [...reply.texts].sort((a, b) => a.text - b.text || a.start - b.start)) {
        const list = textMatches.get(match.text) ?? [];
        const end = match.kind === "name" ? withSuffix(message.texts[match.text] ?? "", match.end) : match.end;
        if (!list.some((w) => w.id === match.accountId)) list.push({ id: match.accountId, end });
        textMatches.set(match.text, list);
      }
      const regions = createRegionFinder(adapter.structuralRegions === true);
      const placing = performance.now();
      mutate(() => {
        for (const step of plan) {
          const anchor = step.item.anchor;
          // Not seen: no badge, and looked up again once it shows (its memo is not set).
          if (!shown.has(anchor)) continue;
          const wanted: Wanted[] = [];
          if (isText(anchor) && step.item.texts.length > 0) {
            // The page changed the text while it was looked up: the change's own pass badges it.
            if (!anchor.isConnected || fullText(anchor) !== step.item.texts[0]) continue;
            const sent = step.texts[0];
            wanted.push(...(sent === undefined ? [] : (textMatches.get(sent) ?? [])));
          } else {
            const first = step.identifiers.map((i) => reply.identifiers[i]).find((id) => typeof id === "string");
            if (first) wanted.push({ id: first });
            for (const t of step.texts)
              for (const w of textMatches.get(t) ?? [])
                if (!wanted.some((x) => x.id === w.id)) wanted.push({ id: w.id });
          }
          memo.set(anchor, step.item.signature);
          matches += reconcile(anchor, wanted, regions, accounts, reply.pwaUrl);
        }
      });
      performance.measure("vitals:badge", { start: placing, end: performance.now() });
    }
    mutate(sweep);
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

  /** A text we split was rewritten or removed by the page: our badges and parts go now (before the next paint). */
  function textChanged(current: Run, node: Node, removed: boolean): void {
    if (!isText(node)) return;
    const own = entries.get(node);
    const entry = own?.split ? own : partOf.get(node);
    if (!entry) return;
    drop(entry, node === entry.anchor);
    memo.delete(entry.anchor);
    if (!removed || node !== entry.anchor) current.pending.add(entry.anchor);
  }

  function handle(records: MutationRecord[]): void {
    const current = run;
    if (!current) return;
    if (!alive()) return;
    for (const record of records) {
      if (record.type === "childList") {
        for (const node of record.addedNodes) {
          if (isBadge(node) || (isText(node) && partOf.has(node))) continue;
          current.pending.add(node);
          markFresh(current, node);
        }
        for (const node of record.removedNodes) {
          if (isBadge(node)) continue;
          current.sweep = true;
          textChanged(current, node, true);
        }
      } else if (record.type === "characterData") {
        textChanged(current, record.target, false);
        if (record.target.isConnected) current.pending.add(record.target);
        markFresh(current, record.target);
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

  function observe(records: MutationRecord[]): void {
    handle(records);
    // What handle changed (a split text joined back) is ours, not the page's.
    observer?.takeRecords();
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
      // The new route's run exists first: the page's changes recorded so far (its new content) are handled by it.
      run = newRun([]);
      removeAll();
      run.pending.add(doc.body ?? doc.documentElement);
      void drain(run);
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
      spares.length = 0;
    },
    async idle() {
      while (run?.busy) await run.busy;
    },
    placed() {
      const counts = new Map<string, number>();
      for (const entry of entries.values())
        for (const [id, view] of entry.badges) if (view.host.isConnected) counts.set(id, (counts.get(id) ?? 0) + 1);
      return counts;
    },
  };
}
