import { browser } from "wxt/browser";
import { BadgeAccount, BadgeSet } from "../../core/schema/badge.ts";
import { LOOKUP_PORT, type PortAnswer } from "../lookup-port.ts";
import { ContentMessage, type LookupMessage, type LookupReply, PortLookupMessage, SeenPage } from "../messages.ts";
import { SUPPORTED_SITE_MATCHES } from "../sites/hosts.ts";
import { type BadgeDb, patchBadgeSet, replaceBadgeSet, type SetInfo, setInfo } from "./badge-store.ts";
import { createMatcher } from "./match-index.ts";
import { confirmOrigin, isBridgeOrigin, recordRefusal, watchAppOrigin } from "./pairing.ts";
import { BRIDGE_PORT, BridgeMessage, type BridgeReply, PageMessage } from "./protocol.ts";
import { isBuiltInSite, siteEnabled } from "./sites.ts";
import { recordTabAccounts, recordTabReport } from "./tab-accounts.ts";

/**
 * Messages a bridge port may send before its origin is checked (a whole set is at most 102: begin, 100 parts of
 * 2,000 accounts, end). More closes the port.
 */
const WAITING_LIMIT = 110;

/** How many recent pages the background remembers running the badges on. */
const SEEN_LIMIT = 20;

/** The parts of a message's sender the background checks (runtime.MessageSender). */
export interface Sender {
  id?: string;
  tab?: { id?: number; url?: string };
  /** The frame the message came from (0: the tab's top frame). */
  frameId?: number;
  url?: string;
}

/** Runs the badges (entrypoints/badges.ts) in one frame of a tab. */
export type InjectBadges = (tabId: number, frameId: number) => Promise<void>;

/** The badges' script, as WXT builds the unlisted entrypoint. */
const BADGES_SCRIPT = "/badges.js";

/**
 * Injects the badges with scripting.executeScript: the origin's permission the user granted is all this needs; no
 * file is exposed to pages.
 */
async function injectBadges(tabId: number, frameId: number): Promise<void> {
  await browser.scripting.executeScript({ target: { tabId, frameIds: [frameId] }, files: [BADGES_SCRIPT] });
}

/** Whether the badges already run in one frame of a tab. */
export type BadgesRunning = (tabId: number, frameId: number) => Promise<boolean>;

/**
 * Reads the mark the badges leave in the content scripts' isolated world of the frame (entrypoints/badges.ts) while
 * they run: a page that changes its address itself (a single-page app) or whose tab reports "complete" again keeps
 * the badges it has, without a second run replacing them.
 */
async function badgesRunning(tabId: number, frameId: number): Promise<boolean> {
  const [ran] = await browser.scripting.executeScript({
    target: { tabId, frameIds: [frameId] },
    func: () => (globalThis as { vitalsBadgesRun?: object }).vitalsBadgesRun !== undefined,
  });
  return ran?.result === true;
}

/** The parts of a runtime.Port the lookup handler uses. */
export interface LookupPort {
  name: string;
  sender?: Sender;
  onMessage: { addListener(listener: (message: unknown) => void): void };
  onDisconnect: { addListener(listener: () => void): void };
  postMessage(message: PortAnswer<LookupReply | undefined>): void;
  disconnect(): void;
}

/** The parts of a runtime.Port the bridge handler uses. */
export interface BridgePort {
  name: string;
  sender?: Sender;
  onMessage: { addListener(listener: (message: unknown) => void): void };
  onDisconnect: { addListener(listener: () => void): void };
  postMessage(message: BridgeReply): void;
  disconnect(): void;
}

/** Records that the badges ran on a page; one after another, so pages loading at once all count. */
let seenWritten: Promise<unknown> = Promise.resolve();
function recordSeen(url: string): Promise<void> {
  const next = seenWritten.then(async () => {
    const stored = await browser.storage.session.get("seen");
    const previous = SeenPage.array().safeParse(stored.seen);
    const seen = [{ url, at: Date.now() }, ...(previous.success ? previous.data : [])].slice(0, SEEN_LIMIT);
    await browser.storage.session.set({ seen });
  });
  seenWritten = next.catch(() => undefined);
  return next;
}

/** The pages the badges were started on, newest first. */
export async function seenPages(): Promise<SeenPage[]> {
  const stored = await browser.storage.session.get("seen");
  const parsed = SeenPage.array().safeParse(stored.seen);
  return parsed.success ? parsed.data : [];
}

const isWebPage = (url: string | undefined): url is string => url !== undefined && /^https?:\/\//.test(url);

/** A content script of this extension: its id, in a tab, on a web page (extension pages in a tab are not). */
function fromContentScript(sender: Sender): sender is Sender & { tab: { id: number }; url: string } {
  return sender.id === browser.runtime.id && sender.tab?.id !== undefined && isWebPage(sender.url);
}

/** One of this extension's own pages (options, popup), whether in a popup window or a tab. */
function fromExtensionPage(sender: Sender): boolean {
  return sender.id === browser.runtime.id && sender.url?.startsWith(browser.runtime.getURL("/")) === true;
}

/** Tells every tab's content script that the stored set changed, so it looks its page up again. */
async function notifyTabs(): Promise<void> {
  const tabs = await browser.tabs.query({});
  await Promise.all(
    tabs.map((tab) =>
      tab.id === undefined
        ? undefined
        : // Most tabs run no content script of ours and refuse the message; that is expected.
          browser.tabs.sendMessage(tab.id, { type: "badges-changed" }).catch(() => undefined),
    ),
  );
}

/**
 * Whether a page may have badges: a built-in site, or exactly an origin the user enabled (scheme, host and port:
 * Firefox's match patterns cannot name a port, so there the permission covers a whole host), and never the Vitals
 * app's own pages (their origin may share a host with a site the user enabled).
 */
async function badgesAllowed(url: string, trusted: () => Promise<string>): Promise<boolean> {
  const origin = new URL(url).origin;
  if (origin === (await trusted())) return false;
  if (isBuiltInSite(url, SUPPORTED_SITE_MATCHES)) return true;
  return siteEnabled(origin);
}

/** The answer to a lookup from a page that gets no badges: nothing matched. */
function noMatches(message: LookupMessage): LookupReply {
  return { type: "matches", identifiers: message.identifiers.map(() => null), texts: [], accounts: [] };
}

/**
 * The background's logic over one badge database: lookups from content scripts, notices from the extension's pages,
 * and sets streamed by the bridge. Every message is parsed and its sender checked; anything else gets no answer and
 * changes nothing.
 */
export function createBackground(
  db: BadgeDb,
  options: { notify?: () => Promise<void>; inject?: InjectBadges; running?: BadgesRunning } = {},
) {
  const matcher = createMatcher(db);
  const notify = options.notify ?? notifyTabs;
  const inject = options.inject ?? injectBadges;
  const running = options.running ?? badgesRunning;
  /** Per tab, the last page's start of the badges: a tab's pages are looked at one after another, in order. */
  const starting = new Map<number, Promise<boolean>>();

  /** Runs the badges in a tab's top frame when its page may have them and does not have them yet. */
  async function startBadges(tabId: number, url: string): Promise<boolean> {
    try {
      if (!(await badgesAllowed(url, trustedOrigin))) return false;
      // A tab that navigated or closed meanwhile refuses both; its next page is badged when it loads.
      if (await running(tabId, 0)) return false;
      await inject(tabId, 0);
      // For the popup's list of recent pages; a failed write costs that list a line, not the badges.
      await recordSeen(url).catch(() => undefined);
      return true;
    } catch {
      return false;
    }
  }
  // The app's origin, which never gets badges: kept in memory until the pairing changes (one storage read less in
  // every lookup's answer).
  const trustedOrigin = watchAppOrigin();
  // Sets are stored one after another, in the order they arrived.
  let storing: Promise<unknown> = Promise.resolve();

  /** The stored set changed (here or in an extension page): rebuild the index lazily and tell the tabs. */
  async function setChanged(): Promise<void> {
    matcher.invalidate();
    await notify();
  }

  /**
   * Answers a lookup from a content script: the matches, or none for a page that gets no badges (checked beside the
   * matching, so an allowed page waits no longer for its badges).
   */
  async function answerLookup(
    message: LookupMessage,
    sender: Sender & { tab: { id: number }; url: string },
  ): Promise<LookupReply> {
    const [allowed, matched] = await Promise.all([badgesAllowed(sender.url, trustedOrigin), matcher.lookup(message)]);
    const reply: LookupReply = allowed ? matched : noMatches(message);
    // The page is recorded (a new address starts the tab's list again), not yet its accounts: a content script looks
    // up what may be hidden too, while it works out what shows, and its report says which accounts it badged.
    // Answered first, recorded after (in order, see tabAccountsWritten): the page's badges neither wait on the
    // popup's list nor fail with it (a session storage write that fails costs the popup a line, not the badges).
    void recordTabAccounts(sender.tab.id, sender.url, []).catch(() => undefined);
    return reply;
  }

  async function handleContent(raw: unknown, sender: Sender & { tab: { id: number }; url: string }) {
    const parsed = ContentMessage.safeParse(raw);
    if (!parsed.success) return undefined;
    const message = parsed.data;
    switch (message.type) {
      case "tab-report":
        // The accounts the page shows with a badge join the tab's list ("Accounts on this tab").
        await Promise.all([
          recordTabReport(sender.tab.id, sender.url, message),
          recordTabAccounts(
            sender.tab.id,
            sender.url,
            message.places.map((p) => p.id),
          ),
        ]);
        return { ok: true } as const;
      case "lookup":
        return answerLookup(message, sender);
    }
  }

  async function handlePage(raw: unknown) {
    const parsed = PageMessage.safeParse(raw);
    if (!parsed.success) return undefined;
    switch (parsed.data.type) {
      case "set-replaced":
        await setChanged();
        return { ok: true } as const;
    }
  }

  /**
   * Parses a complete streamed set from the trusted app and stores it, tagged with the app's origin; an error says
   * what was wrong. The demo portfolio's set never replaces a set that is not the demo's (the app opened at a new,
   * empty address): it is refused and the refusal shown in the popup and the options page.
   */
  async function storeBridgeSet(raw: unknown, origin: string): Promise<SetInfo> {
    const parsed = BadgeSet.safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new Error(`${issue?.path.join(".") || "(set)"}: ${issue?.message ?? "not a badge set"}`);
    }
    // "Open in Vitals" links go to the app that sent the set, never elsewhere.
    const set = {
      ...parsed.data,
      pwaUrl: parsed.data.pwaUrl?.startsWith(`${origin}/`) ? parsed.data.pwaUrl : `${origin}/`,
    };
    const run = storing.then(async () => {
      const current = await setInfo(db);
      if (set.demo && current && !current.demo && current.accounts > 0) {
        await recordRefusal(origin, "demo");
        throw new Error(
          `this is the demo portfolio; the ${current.accounts.toLocaleString("en-US")} accounts' badges you have are kept`,
        );
      }
      const info = await replaceBadgeSet(db, set, { kind: "bridge", origin });
      await confirmOrigin(origin);
      return info;
    });
    storing = run.catch(() => undefined);
    const info = await run;
    await setChanged();
    return info;
  }

  /**
   * Parses a delta from the trusted app (a few changed accounts and the set's header) and patches it into the stored
   * set, after any set still being stored. Answers `needs-set` (nothing written) when it cannot be patched in: the
   * bridge then asks the app for its whole set. An account that does not parse refuses the delta.
   */
  async function patchBridgeSet(header: unknown, raw: readonly unknown[], origin: string): Promise<BridgeReply> {
    const parsed = BadgeSet.safeParse({ ...(header as object), accounts: [] });
    if (!parsed.success) return { type: "refused", problem: "the delta's header is not a badge set's" };
    const accounts: BadgeAccount[] = [];
    for (const [i, a] of raw.entries()) {
      const account = BadgeAccount.safeParse(a);
      if (!account.success) {
        const issue = account.error.issues[0];
        return {
          type: "refused",
          problem: `accounts.${i}.${issue?.path.join(".") ?? ""}: ${issue?.message ?? "not an account"}`,
        };
      }
      accounts.push(account.data);
    }
    const h = parsed.data;
    const run = storing.then(() =>
      patchBadgeSet(
        db,
        {
          generatedAt: h.generatedAt,
          // "Open in Vitals" links go to the app that sent the set, never elsewhere.
          pwaUrl: h.pwaUrl?.startsWith(`${origin}/`) ? h.pwaUrl : `${origin}/`,
          ...(h.demo ? { demo: true } : {}),
          accounts,
        },
        { kind: "bridge", origin },
      ),
    );
    storing = run.catch(() => undefined);
    const result = await run;
    if (!result.patched) return { type: "needs-set", reason: result.reason };
    await setChanged();
    return { type: "patched", accounts: accounts.length };
  }

  return {
    /**
     * A tab finished loading a page (tabs.onUpdated, status "complete", after the page's load event): on a built-in
     * site or an origin the user enabled, the badges run in its top frame, unless they already do. No content script
     * runs there before: the page's own load pays nothing. The Vitals app's pages and every other origin get nothing.
     * True when the badges were started.
     */
    async pageLoaded(tabId: number, url: string | undefined): Promise<boolean> {
      if (!isWebPage(url)) return false;
      // After the tab's previous start, if one is still going (a page that redirected at once): that one may have
      // run the badges in this same page, which the mark then says.
      const next = (starting.get(tabId) ?? Promise.resolve(false)).then(() => startBadges(tabId, url));
      starting.set(tabId, next);
      try {
        return await next;
      } finally {
        if (starting.get(tabId) === next) starting.delete(tabId);
      }
    },

    /** Answers one runtime message (content scripts and extension pages); undefined means no answer. */
    async handleMessage(raw: unknown, sender: Sender): Promise<unknown> {
      if (fromContentScript(sender)) return handleContent(raw, sender);
      if (fromExtensionPage(sender)) return handlePage(raw);
      return undefined;
    },

    /**
     * Takes a content script's lookup port (lookup-port.ts): each lookup is parsed and answered on the port with its
     * id, in the order the answers are ready. A port from anything but one of this extension's content scripts is
     * closed unread, and so is a port that sends anything but a lookup.
     */
    handleLookupPort(port: LookupPort): void {
      const sender = port.sender ?? {};
      if (port.name !== LOOKUP_PORT || !fromContentScript(sender)) {
        port.disconnect();
        return;
      }
      let open = true;
      port.onDisconnect.addListener(() => {
        open = false;
      });
      port.onMessage.addListener((raw: unknown) => {
        if (!open) return;
        const parsed = PortLookupMessage.safeParse(raw);
        if (!parsed.success) {
          open = false;
          port.disconnect();
          return;
        }
        const { id, message } = parsed.data;
        answerLookup(message, sender).then(
          (reply) => {
            if (open) port.postMessage({ id, reply } satisfies PortAnswer<LookupReply>);
          },
          () => {
            if (open) port.postMessage({ id, reply: undefined });
          },
        );
      });
    },

    /**
     * Takes a port from the bridge content script: only the trusted app origin's sets are read. Collects a streamed
     * set (begin, parts, end), stores it whole, and answers stored or refused; a delta (a few changed accounts) is
     * patched into the stored set, answered patched or needs-set. Any malformed message closes the
     * port. A port from another page the bridge runs on is closed unread, and its origin recorded as refused.
     */
    async handleBridgePort(port: BridgePort): Promise<void> {
      const sender = port.sender ?? {};
      const origin = isWebPage(sender.url) ? new URL(sender.url).origin : undefined;
      if (port.name !== BRIDGE_PORT || !origin || !fromContentScript(sender)) {
        port.disconnect();
        return;
      }
      let pending: { total: number; accounts: unknown[] } | undefined;
      let open = true;
      // The content script posts its set as soon as it connects: messages are listened to at once and wait, in
      // order, until the origin is checked (which reads storage), so none is lost.
      let trusted: boolean | undefined;
      const waiting: unknown[] = [];
      port.onDisconnect.addListener(() => {
        open = false;
        pending = undefined;
        waiting.length = 0;
      });
      // The page may have gone (closed, reloaded) before the set was stored: there is no one left to answer.
      const answer = (reply: BridgeReply) => open && port.postMessage(reply);
      const close = () => {
        open = false;
        pending = undefined;
        waiting.length = 0;
        port.disconnect();
      };
      const receive = (raw: unknown) => {
        if (!open) return;
        const parsed = BridgeMessage.safeParse(raw);
        if (!parsed.success) {
          close();
          return;
        }
        const message = parsed.data;
        if (message.type === "set-delta") {
          patchBridgeSet(message.header, message.accounts, origin).then(answer, (error: unknown) =>
            answer({ type: "refused", problem: (error as Error).message }),
          );
        } else if (message.type === "set-begin") {
          pending = { total: message.total, accounts: [] };
        } else if (message.type === "set-part") {
          if (!pending || pending.accounts.length + message.accounts.length > pending.total) {
            close();
            return;
          }
          pending.accounts.push(...message.accounts);
        } else {
          const done = pending;
          pending = undefined;
          if (!done || done.accounts.length !== done.total) {
            answer({ type: "refused", problem: "the set arrived incomplete" });
            return;
          }
          storeBridgeSet({ ...message.header, accounts: done.accounts }, origin).then(
            (info) => answer({ type: "stored", accounts: info.accounts }),
            (error: unknown) => answer({ type: "refused", problem: (error as Error).message }),
          );
        }
      };
      port.onMessage.addListener((raw) => {
        if (trusted === true) receive(raw);
        else if (trusted === undefined && open) {
          waiting.push(raw);
          if (waiting.length > WAITING_LIMIT) close();
        }
      });
      trusted = await isBridgeOrigin(origin).catch(() => false);
      if (!trusted) {
        // Nothing it sent is read; the popup and the options page name it, with a button to switch.
        close();
        await recordRefusal(origin, "origin");
        return;
      }
      for (const raw of waiting.splice(0)) receive(raw);
    },

    /** The stored set changed: rebuild the index lazily and tell the tabs. */
    setChanged,
  };
}

/** The background's handlers. */
export type Background = ReturnType<typeof createBackground>;
