import Dexie from "dexie";
import { IDBKeyRange, indexedDB } from "fake-indexeddb";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { browser } from "wxt/browser";
import { fakeBrowser } from "wxt/testing/fake-browser";
import { type BadgeAccountInput, BadgeSet } from "../../../core/schema/badge.ts";
import { DEFAULT_APP_ORIGIN } from "../../../core/schema/bridge.ts";
import { BadgeDb, badgeAccounts, replaceBadgeSet, setInfo } from "../../../extension/background/badge-store.ts";
import {
  type BridgePort,
  createBackground,
  type Sender,
  seenPages,
} from "../../../extension/background/handle-message.ts";
import { pairingState, pairWith } from "../../../extension/background/pairing.ts";
import {
  reportText,
  type TabReport,
  tabAccounts,
  tabAccountsWritten,
  tabReport,
} from "../../../extension/background/tab-accounts.ts";
import { LOOKUP_PORT } from "../../../extension/lookup-port.ts";
import type { LookupReply } from "../../../extension/messages.ts";

Dexie.dependencies.indexedDB = indexedDB;
Dexie.dependencies.IDBKeyRange = IDBKeyRange;

/** A badge account with plain defaults; tests override what they are about. */
function badgeAccount(over: Partial<BadgeAccountInput> & { id: string; name: string }): BadgeAccountInput {
  return {
    scorecard: "Adoption (SMB)",
    score: 72.4,
    shown: 72,
    grade: "B",
    color: "green",
    label: "Good",
    delta: -3,
    coverage: 1,
    asOf: "2026-11-20",
    ...over,
  };
}

const ACME = badgeAccount({ id: "acc-1", name: "Acme Corp", domains: ["acme.com"], externalIds: { zendesk: "900" } });
const GLOBEX = badgeAccount({
  id: "acc-2",
  name: "Globex",
  domains: ["globex.io"],
  score: 40,
  shown: 40,
  color: "red",
});

/** A set as written (defaults not filled in), as the app posts it or a file holds it. */
function rawSet(accounts: BadgeAccountInput[]) {
  return { format: "vitals-badges" as const, version: 1 as const, generatedAt: "2026-11-20T10:00:00Z", accounts };
}
const setOf = (accounts: BadgeAccountInput[]): BadgeSet => BadgeSet.parse(rawSet(accounts));

const ticketUrl = "https://acme.zendesk.com/agent/tickets/1";
const content = (): Sender => ({ id: browser.runtime.id, tab: { id: 7, url: ticketUrl }, url: ticketUrl });
/**
 * A tab's account list as of the messages handled so far: the background answers a lookup before it records the page
 * (the badges do not wait on the popup's list), so this waits for the recording first.
 */
async function recordedFor(tabId: number) {
  await tabAccountsWritten();
  return tabAccounts(tabId);
}
const extensionPage = (): Sender => ({ id: browser.runtime.id, url: browser.runtime.getURL("/options.html") });

/**
 * The user enabled one help desk, http://127.0.0.1:8088, with a registration from before ports counted (it covers the
 * whole host 127.0.0.1), and paired with the Vitals app on the same host.
 */
async function enableDeskBesideApp() {
  fakeBrowser.scripting = {
    ...fakeBrowser.scripting,
    getRegisteredContentScripts: async () => [
      { id: "site:http://127.0.0.1:8088", matches: ["http://127.0.0.1/*"], js: ["content-scripts/content.js"] },
    ],
  } as unknown as typeof fakeBrowser.scripting;
  await pairWith("http://127.0.0.1:5173");
}

/** A port as the bridge content script's would arrive, recording what the background posts back. */
function fakePort(sender: Sender, name = "vitals-bridge") {
  const listeners: ((m: unknown) => void)[] = [];
  const posted: unknown[] = [];
  // Posts anything: the bridge's and the lookups' handlers both take it.
  const port: Omit<BridgePort, "postMessage"> & {
    postMessage(m: unknown): void;
    send(m: unknown): void;
    posted: unknown[];
    disconnected: boolean;
  } = {
    name,
    sender,
    posted,
    disconnected: false,
    onMessage: { addListener: (l) => listeners.push(l) },
    onDisconnect: { addListener: () => undefined },
    postMessage: (m) => posted.push(m),
    disconnect() {
      port.disconnected = true;
    },
    send: (m) => {
      for (const l of listeners) l(m);
    },
  };
  return port;
}

describe("background message handling", () => {
  let db: BadgeDb;
  let notify: ReturnType<typeof vi.fn<() => Promise<void>>>;
  let background: ReturnType<typeof createBackground>;

  beforeEach(async () => {
    fakeBrowser.reset();
    db = new BadgeDb(`badges-${Math.random()}`);
    notify = vi.fn(async () => undefined);
    background = createBackground(db, { notify });
    fakeBrowser.scripting = {
      ...fakeBrowser.scripting,
      getRegisteredContentScripts: async () => [],
    } as typeof fakeBrowser.scripting;
  });
  afterEach(async () => {
    await db.delete();
  });

  it.each([
    ["a string", "hello"],
    ["an unknown type", { type: "scores", url: "https://a.zendesk.com/" }],
    ["a message the content scripts no longer send", { type: "hello", url: "https://a.zendesk.com/" }],
    ["a tab report without its counts", { type: "tab-report", adapter: "zendesk", name: "Zendesk", mode: "adapter" }],
    ["a lookup whose identifiers are not a list", { type: "lookup", identifiers: "acme.com", texts: [] }],
    [
      "a lookup with an unknown identifier kind",
      { type: "lookup", identifiers: [{ kind: "ssn", value: "1" }], texts: [] },
    ],
    ["null", null],
  ])("ignores %s from a content script and stores nothing", async (_name, raw) => {
    expect(await background.handleMessage(raw, content())).toBeUndefined();
    expect(await seenPages()).toEqual([]);
    expect(await recordedFor(7)).toBeUndefined();
  });

  it("ignores messages from another extension, from outside a tab, or from a non-web page in a tab", async () => {
    await replaceBadgeSet(db, setOf([ACME]), { kind: "file", fileName: "b.json" });
    const lookup = { type: "lookup", identifiers: [{ kind: "domain", value: "acme.com" }], texts: [] };
    expect(await background.handleMessage(lookup, { ...content(), id: "some-other-extension" })).toBeUndefined();
    expect(await background.handleMessage(lookup, { id: browser.runtime.id, url: ticketUrl })).toBeUndefined();
    expect(await background.handleMessage(lookup, { ...content(), url: "file:///etc/passwd" })).toBeUndefined();
    expect(await recordedFor(7)).toBeUndefined();
  });

  it("keeps the newest 20 pages the badges ran on, newest first", async () => {
    const runs = createBackground(db, { notify, inject: async () => undefined, running: async () => false });
    for (let i = 0; i < 25; i++) {
      expect(await runs.pageLoaded(i, `https://a.zendesk.com/t/${i}`)).toBe(true);
    }
    const urls = (await seenPages()).map((p) => p.url);
    expect(urls).toHaveLength(20);
    expect(urls[0]).toBe("https://a.zendesk.com/t/24");
    expect(urls[19]).toBe("https://a.zendesk.com/t/5");
  });

  it("answers a lookup with the matched ids, text matches and only the matched accounts, and records the tab's page", async () => {
    await replaceBadgeSet(db, setOf([ACME, GLOBEX]), { kind: "file", fileName: "b.json" });
    const reply = (await background.handleMessage(
      {
        type: "lookup",
        identifiers: [
          { kind: "email", value: "dana@ACME.com" },
          { kind: "externalId", system: "zendesk", value: "900" },
          { kind: "email", value: "someone@gmail.com" },
          { kind: "name", value: "Initech" },
        ],
        texts: ["nothing here", "write to ops@globex.io today"],
      },
      content(),
    )) as LookupReply;
    expect(reply.identifiers).toEqual(["acc-1", "acc-1", null, null]);
    expect(reply.texts).toEqual([{ text: 1, start: 9, end: 22, accountId: "acc-2", kind: "email" }]);
    expect(reply.accounts.map((a) => a.id).sort()).toEqual(["acc-1", "acc-2"]);
    expect(reply.accounts.find((a) => a.id === "acc-1")?.shown).toBe(72);
    // What the badges show, never how to find the accounts on a page: that stays in the background.
    for (const a of reply.accounts)
      for (const key of ["domains", "externalIds", "aliases"]) expect(a).not.toHaveProperty(key);
    // Not yet its accounts: the lookup may be for something the page hides; the tab's report says what it badged.
    expect(await recordedFor(7)).toMatchObject({ url: ticketUrl, ids: [] });
  });

  it("answers a lookup with nothing when no set was ever stored", async () => {
    const reply = await background.handleMessage(
      { type: "lookup", identifiers: [{ kind: "domain", value: "acme.com" }], texts: ["acme.com"] },
      content(),
    );
    expect(reply).toEqual({ type: "matches", identifiers: [null], texts: [], accounts: [] });
  });

  it("answers lookups only from a built-in site or exactly an enabled origin, and never from the Vitals app", async () => {
    await replaceBadgeSet(db, setOf([ACME]), { kind: "file", fileName: "b.json" });
    await enableDeskBesideApp();
    const lookup = { type: "lookup", identifiers: [{ kind: "domain", value: "acme.com" }], texts: ["ops@acme.com"] };
    const from = (url: string): Sender => ({ id: browser.runtime.id, tab: { id: 9, url }, url });
    const ask = async (url: string) => (await background.handleMessage(lookup, from(url))) as LookupReply;

    expect((await ask("http://127.0.0.1:8088/tickets/1")).identifiers).toEqual(["acc-1"]);
    expect((await ask(ticketUrl)).identifiers).toEqual(["acc-1"]);
    // Another port of the same host, and the app's own pages, get nothing: not even which texts would match.
    for (const url of ["http://127.0.0.1:9000/", "http://127.0.0.1:5173/#/accounts"]) {
      expect(await ask(url)).toEqual({ type: "matches", identifiers: [null], texts: [], accounts: [] });
    }
    expect((await recordedFor(9))?.url).toBe("http://127.0.0.1:5173/#/accounts");
    expect((await recordedFor(9))?.ids).toEqual([]);
  });

  it("answers lookups over a content script's port by id, and closes a port that is not one or sends anything else", async () => {
    await replaceBadgeSet(db, setOf([ACME]), { kind: "file", fileName: "b.json" });
    const lookup = { type: "lookup", identifiers: [{ kind: "domain", value: "acme.com" }], texts: [] };
    const answered = async (port: ReturnType<typeof fakePort>, count: number) => {
      await vi.waitFor(() => expect(port.posted).toHaveLength(count));
      return port.posted as { id: number; reply: LookupReply }[];
    };
    const port = fakePort(content(), LOOKUP_PORT);
    background.handleLookupPort(port);
    port.send({ id: 1, message: lookup });
    port.send({ id: 2, message: { ...lookup, identifiers: [{ kind: "domain", value: "nobody.example" }] } });
    const answers = await answered(port, 2);
    expect(answers.find((a) => a.id === 1)?.reply.identifiers).toEqual(["acc-1"]);
    expect(answers.find((a) => a.id === 2)?.reply.identifiers).toEqual([null]);
    expect(await recordedFor(7)).toMatchObject({ url: ticketUrl, ids: [] });
    // Anything but a lookup with its id closes the port, unanswered.
    for (const wrong of [lookup, { id: -1, message: lookup }, { id: 3, message: { type: "hello", url: ticketUrl } }]) {
      const other = fakePort(content(), LOOKUP_PORT);
      background.handleLookupPort(other);
      other.send(wrong);
      expect(other.disconnected).toBe(true);
      expect(other.posted).toEqual([]);
    }
    // Not a content script of this extension (an extension page, another extension), or another port's name.
    for (const [sender, name] of [
      [extensionPage(), LOOKUP_PORT],
      [{ ...content(), id: "other" }, LOOKUP_PORT],
      [content(), "vitals-bridge"],
    ] as const) {
      const refused = fakePort(sender, name);
      background.handleLookupPort(refused);
      expect(refused.disconnected).toBe(true);
    }
  });

  it("runs the badges once in the top frame of a loaded page of an enabled site, and nowhere else", async () => {
    await enableDeskBesideApp();
    const injected: number[] = [];
    const live = new Set<number>();
    const runs = createBackground(db, {
      notify,
      inject: async (tabId, frameId) => {
        expect(frameId).toBe(0);
        injected.push(tabId);
        live.add(tabId);
      },
      running: async (tabId) => live.has(tabId),
    });

    expect(await runs.pageLoaded(9, "http://127.0.0.1:8088/tickets/1")).toBe(true);
    expect(injected).toEqual([9]);
    // The same page reports "complete" again (a single-page app moved on): its badges keep running.
    expect(await runs.pageLoaded(9, "http://127.0.0.1:8088/tickets/2")).toBe(false);
    // Two reports at once for a new tab: looked at one after the other, the badges run once.
    expect(
      await Promise.all([
        runs.pageLoaded(13, "http://127.0.0.1:8088/tickets/3"),
        runs.pageLoaded(13, "http://127.0.0.1:8088/tickets/3"),
      ]),
    ).toEqual([true, false]);
    expect(injected).toEqual([9, 13]);
    injected.pop();
    expect((await seenPages()).map((p) => p.url)).toEqual([
      "http://127.0.0.1:8088/tickets/3",
      "http://127.0.0.1:8088/tickets/1",
    ]);
    // A built-in site's page gets them too (no content script runs there either).
    expect(await runs.pageLoaded(12, "https://acme.zendesk.com/agent/tickets/1")).toBe(true);
    expect(injected).toEqual([9, 12]);
    // Another port of the same host, the app's own pages, a tab whose address the extension may not read, and what
    // is not a web page: nothing runs there.
    for (const url of ["http://127.0.0.1:9000/", "http://127.0.0.1:5173/#/accounts", undefined, "chrome://newtab/"]) {
      expect(await runs.pageLoaded(10, url)).toBe(false);
    }
    // A tab that closed or navigated meanwhile refuses the check: nothing runs, nothing throws.
    const gone = createBackground(db, {
      notify,
      inject: async () => {
        throw new Error("No tab with id: 11");
      },
      running: async () => {
        throw new Error("No tab with id: 11");
      },
    });
    expect(await gone.pageLoaded(11, "http://127.0.0.1:8088/tickets/1")).toBe(false);
    expect(injected).toEqual([9, 12]);
  });

  it("stores a tab's report on its page for the popup, refuses a malformed one, and words it in one sentence", async () => {
    const report = {
      type: "tab-report",
      adapter: "zendesk",
      name: "Zendesk",
      mode: "adapter",
      people: 3,
      organizations: 1,
      texts: 0,
      matched: 2,
      places: [
        { id: "northwind", badges: 3 },
        { id: "globex", badges: 1 },
      ],
    };
    expect(await background.handleMessage(report, content())).toEqual({ ok: true });
    const stored = await tabReport(7);
    expect(stored).toMatchObject({ url: ticketUrl, people: 3, organizations: 1, matched: 2, places: report.places });
    expect(reportText(stored as TabReport)).toBe("Zendesk adapter: found 3 people, 1 organization; matched 2.");
    expect(reportText({ ...(stored as TabReport), mode: "fallback", texts: 1, matched: 0 })).toBe(
      "Zendesk layout not recognised — used the generic matcher: searched 1 piece of text; matched 0.",
    );
    expect(reportText({ ...(stored as TabReport), mode: "generic", texts: 40, matched: 5 })).toBe(
      "Generic matcher: searched 40 pieces of text; matched 5.",
    );
    for (const bad of [
      { ...report, people: -1 },
      { ...report, mode: "guess" },
      { ...report, name: "" },
      { ...report, places: [{ id: "northwind", badges: -1 }] },
      { ...report, places: [{ id: "", badges: 1 }] },
      { ...report, places: undefined },
    ]) {
      expect(await background.handleMessage(bad, { ...content(), tab: { id: 8, url: ticketUrl } })).toBeUndefined();
    }
    expect(await tabReport(8)).toBeUndefined();
  });

  it("lists a tab's accounts from its reports, each once, and starts again when the tab shows another page", async () => {
    const report = (ids: string[]) => ({
      type: "tab-report",
      adapter: "zendesk",
      name: "Zendesk",
      mode: "adapter",
      people: ids.length,
      organizations: 0,
      texts: 0,
      matched: ids.length,
      places: ids.map((id) => ({ id, badges: 1 })),
    });
    await background.handleMessage(report(["acc-1"]), content());
    await background.handleMessage(report(["acc-2", "acc-1"]), content());
    expect(await recordedFor(7)).toMatchObject({ url: ticketUrl, ids: ["acc-1", "acc-2"] });
    const next = "https://acme.zendesk.com/agent/tickets/2";
    const there = { ...content(), url: next, tab: { id: 7, url: next } };
    // A lookup from the new page starts the list again, before its report names what it badged.
    const lookup = { type: "lookup", identifiers: [{ kind: "domain", value: "globex.io" }], texts: [] };
    await background.handleMessage(lookup, there);
    expect(await recordedFor(7)).toMatchObject({ url: next, ids: [] });
    await background.handleMessage(report(["acc-2"]), there);
    expect(await recordedFor(7)).toMatchObject({ url: next, ids: ["acc-2"] });
  });

  it("sees a set the options page stored only after its set-replaced notice, and tells the tabs", async () => {
    const lookup = { type: "lookup", identifiers: [{ kind: "domain", value: "acme.com" }], texts: [] };
    await replaceBadgeSet(db, setOf([GLOBEX]), { kind: "file", fileName: "a.json" });
    expect(((await background.handleMessage(lookup, content())) as LookupReply).identifiers).toEqual([null]);
    await replaceBadgeSet(db, setOf([ACME]), { kind: "file", fileName: "b.json" });
    // The index is built once per wake, not on every lookup.
    expect(((await background.handleMessage(lookup, content())) as LookupReply).identifiers).toEqual([null]);
    expect(await background.handleMessage({ type: "set-replaced" }, extensionPage())).toEqual({ ok: true });
    expect(notify).toHaveBeenCalledTimes(1);
    expect(((await background.handleMessage(lookup, content())) as LookupReply).identifiers).toEqual(["acc-1"]);
  });

  it("answers repeated lookups from memory, and gives an account's new score once its set is replaced", async () => {
    const lookup = { type: "lookup", identifiers: [{ kind: "domain", value: "acme.com" }], texts: [] };
    await replaceBadgeSet(db, setOf([ACME]), { kind: "file", fileName: "a.json" });
    const first = (await background.handleMessage(lookup, content())) as LookupReply;
    expect(first.accounts.find((a) => a.id === "acc-1")?.shown).toBe(72);
    await replaceBadgeSet(db, setOf([{ ...ACME, score: 31, shown: 31, grade: "D", color: "red" }]), {
      kind: "file",
      fileName: "b.json",
    });
    // Until the notice, the account read in this set's life is answered again (an SPA asks batch after batch).
    expect(
      ((await background.handleMessage(lookup, content())) as LookupReply).accounts.find((a) => a.id === "acc-1")
        ?.shown,
    ).toBe(72);
    await background.handleMessage({ type: "set-replaced" }, extensionPage());
    const after = (await background.handleMessage(lookup, content())) as LookupReply;
    expect(after.accounts.find((a) => a.id === "acc-1")).toMatchObject({ shown: 31, grade: "D", color: "red" });
  });

  it("refuses set-replaced from a content script, and extension-page messages in a bad shape", async () => {
    expect(await background.handleMessage({ type: "set-replaced" }, content())).toBeUndefined();
    expect(
      await background.handleMessage({ type: "set-replaced" }, { url: browser.runtime.getURL("/options.html") }),
    ).toBeUndefined();
    expect(await background.handleMessage({ type: "wipe-everything" }, extensionPage())).toBeUndefined();
    expect(notify).not.toHaveBeenCalled();
  });

  describe("the bridge", () => {
    const appUrl = `${DEFAULT_APP_ORIGIN}/#/accounts`;
    const appSender = (): Sender => ({ id: browser.runtime.id, tab: { id: 3, url: appUrl }, url: appUrl });
    const pageSender = (url: string): Sender => ({ id: browser.runtime.id, tab: { id: 5, url }, url });
    const stream = (
      port: ReturnType<typeof fakePort>,
      set: ReturnType<typeof rawSet> & { pwaUrl?: string; demo?: boolean },
    ) => {
      port.send({ type: "set-begin", total: set.accounts.length });
      port.send({ type: "set-part", accounts: set.accounts });
      const { accounts: _, ...header } = set;
      port.send({ type: "set-end", header });
    };

    it("stores a streamed set from the app at the default address, with its origin, pairs with it and tells the tabs", async () => {
      const port = fakePort(appSender());
      await background.handleBridgePort(port);
      stream(port, rawSet([ACME, GLOBEX]));
      await vi.waitFor(() => expect(port.posted).toEqual([{ type: "stored", accounts: 2 }]));
      const info = await setInfo(db);
      expect(info).toMatchObject({
        source: { kind: "bridge", origin: DEFAULT_APP_ORIGIN },
        accounts: 2,
        pwaUrl: `${DEFAULT_APP_ORIGIN}/`,
      });
      expect(notify).toHaveBeenCalledTimes(1);
      expect(await pairingState()).toEqual({ origin: DEFAULT_APP_ORIGIN, paired: true, refused: undefined });
    });

    it("listens at once: a set posted while the origin is being checked is buffered, not lost", async () => {
      await pairWith("https://vitals.acme.io");
      const port = fakePort(pageSender("https://vitals.acme.io/"));
      // The content script streams right after connecting, before the background's (async) check is done.
      const handled = background.handleBridgePort(port);
      stream(port, rawSet([ACME, GLOBEX]));
      await handled;
      await vi.waitFor(() => expect(port.posted).toEqual([{ type: "stored", accounts: 2 }]));
      expect(await setInfo(db)).toMatchObject({ source: { kind: "bridge", origin: "https://vitals.acme.io" } });
    });

    it.each([
      ["a plain page on another 127.0.0.1 port", "http://127.0.0.1:31337/login"],
      ["the app's host on another port", "http://vitals.localhost:5173/"],
      ["localhost on the app's port", "http://localhost:8482/"],
      ["https on the app's host and port", "https://vitals.localhost:8482/"],
    ])("refuses a set from %s, stores nothing and records the refused origin", async (_name, url) => {
      await replaceBadgeSet(db, setOf([GLOBEX]), { kind: "file", fileName: "kept.json" });
      const port = fakePort(pageSender(url));
      const handled = background.handleBridgePort(port);
      stream(port, rawSet([{ ...ACME, name: "Re-authenticate at http://127.0.0.1:31337/login" }]));
      await handled;
      expect(port.disconnected).toBe(true);
      expect(port.posted).toEqual([]);
      expect(await setInfo(db)).toMatchObject({ source: { kind: "file", fileName: "kept.json" }, accounts: 1 });
      expect(notify).not.toHaveBeenCalled();
      expect((await pairingState()).refused).toMatchObject({ origin: new URL(url).origin, reason: "origin" });
    });

    it("refuses the default address once paired with another app, and takes the paired one", async () => {
      await pairWith("http://vitals.localhost:4300");
      const from = fakePort(appSender());
      await background.handleBridgePort(from);
      expect(from.disconnected).toBe(true);
      expect((await pairingState()).refused?.origin).toBe(DEFAULT_APP_ORIGIN);
      const paired = fakePort(pageSender("http://vitals.localhost:4300/"));
      await background.handleBridgePort(paired);
      stream(paired, rawSet([ACME]));
      await vi.waitFor(() => expect(paired.posted).toEqual([{ type: "stored", accounts: 1 }]));
    });

    it("refuses the demo portfolio over badges that are not the demo's, and says so", async () => {
      await replaceBadgeSet(db, setOf([ACME, GLOBEX]), { kind: "file", fileName: "mine.json" });
      const port = fakePort(appSender());
      await background.handleBridgePort(port);
      stream(port, { ...rawSet([badgeAccount({ id: "demo-1", name: "Demo Co" })]), demo: true });
      await vi.waitFor(() => expect(port.posted).toHaveLength(1));
      expect(port.posted[0]).toMatchObject({ type: "refused", problem: expect.stringContaining("demo portfolio") });
      expect(await setInfo(db)).toMatchObject({ source: { kind: "file", fileName: "mine.json" }, accounts: 2 });
      expect((await pairingState()).refused).toMatchObject({ origin: DEFAULT_APP_ORIGIN, reason: "demo" });
      // The user's own data from the app resolves it.
      stream(port, rawSet([ACME]));
      await vi.waitFor(() => expect(port.posted).toHaveLength(2));
      expect(port.posted[1]).toEqual({ type: "stored", accounts: 1 });
      expect((await pairingState()).refused).toBeUndefined();
    });

    it("takes the demo portfolio over nothing and over the demo's own badges", async () => {
      const port = fakePort(appSender());
      await background.handleBridgePort(port);
      stream(port, { ...rawSet([ACME]), demo: true });
      await vi.waitFor(() => expect(port.posted).toEqual([{ type: "stored", accounts: 1 }]));
      stream(port, { ...rawSet([ACME, GLOBEX]), demo: true });
      await vi.waitFor(() => expect(port.posted).toHaveLength(2));
      expect(port.posted[1]).toEqual({ type: "stored", accounts: 2 });
      expect(await setInfo(db)).toMatchObject({ demo: true, accounts: 2 });
    });

    it("refuses a port from a page that is not the app, before reading any message", async () => {
      const evil = "https://evil.example/";
      const port = fakePort({ id: browser.runtime.id, tab: { id: 4, url: evil }, url: evil });
      await background.handleBridgePort(port);
      expect(port.disconnected).toBe(true);
      stream(port, rawSet([ACME]));
      expect(await setInfo(db)).toBeUndefined();
    });

    it("refuses a port with another name or from another extension", async () => {
      const named = fakePort(appSender(), "something-else");
      await background.handleBridgePort(named);
      expect(named.disconnected).toBe(true);
      const other = fakePort({ ...appSender(), id: "other-extension" });
      await background.handleBridgePort(other);
      expect(other.disconnected).toBe(true);
    });

    it("refuses a set with a bad account and keeps the stored one", async () => {
      await replaceBadgeSet(db, setOf([GLOBEX]), { kind: "file", fileName: "kept.json" });
      const port = fakePort(appSender());
      await background.handleBridgePort(port);
      stream(port, rawSet([ACME, { ...GLOBEX, score: 140 }]));
      await vi.waitFor(() => expect(port.posted).toHaveLength(1));
      expect(port.posted[0]).toMatchObject({ type: "refused", problem: expect.stringContaining("accounts.1.score") });
      expect(await setInfo(db)).toMatchObject({ source: { kind: "file", fileName: "kept.json" }, accounts: 1 });
      expect(notify).not.toHaveBeenCalled();
    });

    it("closes the port on a malformed message and refuses a set that arrived incomplete", async () => {
      const port = fakePort(appSender());
      await background.handleBridgePort(port);
      port.send({ type: "set-begin", total: 2 });
      port.send({ type: "set-part", accounts: [ACME] });
      port.send({
        type: "set-end",
        header: { format: "vitals-badges", version: 1, generatedAt: "2026-11-20T10:00:00Z" },
      });
      expect(port.posted).toEqual([{ type: "refused", problem: "the set arrived incomplete" }]);
      port.send({ type: "set-part", accounts: "not a list" });
      expect(port.disconnected).toBe(true);
      expect(await setInfo(db)).toBeUndefined();
    });

    describe("a delta (a rating, an override or a note changed a few accounts)", () => {
      const header = { format: "vitals-badges", version: 1, generatedAt: "2026-11-21T09:00:00Z" } as const;
      const bridgeSet = async (accounts: BadgeAccountInput[]) => {
        const port = fakePort(appSender());
        await background.handleBridgePort(port);
        stream(port, rawSet(accounts));
        await vi.waitFor(() => expect(port.posted).toHaveLength(1));
        notify.mockClear();
      };
      const sendDelta = async (accounts: unknown[], head: object = header) => {
        const port = fakePort(appSender());
        await background.handleBridgePort(port);
        port.send({ type: "set-delta", header: head, accounts });
        await vi.waitFor(() => expect(port.posted).toHaveLength(1));
        return port;
      };
      const lookupAcme = async () =>
        (await background.handleMessage(
          { type: "lookup", identifiers: [{ kind: "domain", value: "acme.com" }], texts: [] },
          content(),
        )) as LookupReply;

      it("patches the changed account into the set from the same app, keeps the rest, and tells the tabs", async () => {
        await bridgeSet([ACME, GLOBEX]);
        expect((await lookupAcme()).accounts[0]?.shown).toBe(72);
        const rated = { ...ACME, score: 31, shown: 31, grade: "D", color: "red", delta: -41 };
        const port = await sendDelta([rated]);
        expect(port.posted).toEqual([{ type: "patched", accounts: 1 }]);
        expect(notify).toHaveBeenCalledTimes(1);
        // Found by the same domain (the index was kept), with the new score; the other account is as it was.
        const reply = await lookupAcme();
        expect(reply.accounts.map((a) => [a.id, a.shown, a.grade])).toEqual([["acc-1", 31, "D"]]);
        const stored = await badgeAccounts(db, ["acc-1", "acc-2"]);
        expect(stored.get("acc-2")?.shown).toBe(40);
        expect(await setInfo(db)).toMatchObject({
          source: { kind: "bridge", origin: DEFAULT_APP_ORIGIN },
          accounts: 2,
          generatedAt: "2026-11-21T09:00:00Z",
        });
      });

      it.each([
        ["an account the set does not have", [badgeAccount({ id: "acc-9", name: "Initech" })]],
        ["a changed domain (the index would be wrong)", [{ ...ACME, domains: ["acme.io"] }]],
        ["a changed name", [{ ...ACME, name: "Acme Holdings" }]],
      ])("asks for the whole set and changes nothing for %s", async (_what, accounts) => {
        await bridgeSet([ACME, GLOBEX]);
        const port = await sendDelta(accounts);
        expect(port.posted[0]).toMatchObject({ type: "needs-set" });
        expect(notify).not.toHaveBeenCalled();
        expect((await lookupAcme()).accounts.map((a) => [a.name, a.shown])).toEqual([["Acme Corp", 72]]);
      });

      it("asks for the whole set when the stored one came from a file, or none was stored", async () => {
        expect((await sendDelta([ACME])).posted[0]).toMatchObject({ type: "needs-set" });
        await replaceBadgeSet(db, setOf([ACME]), { kind: "file", fileName: "kept.json" });
        expect((await sendDelta([{ ...ACME, shown: 10, score: 10 }])).posted[0]).toMatchObject({ type: "needs-set" });
        expect((await badgeAccounts(db, ["acc-1"])).get("acc-1")?.shown).toBe(72);
        expect(await setInfo(db)).toMatchObject({ source: { kind: "file", fileName: "kept.json" } });
      });

      it("asks for the whole set when a demo delta meets badges that are not the demo's", async () => {
        await bridgeSet([ACME]);
        const port = await sendDelta([{ ...ACME, shown: 10, score: 10 }], { ...header, demo: true });
        expect(port.posted[0]).toMatchObject({ type: "needs-set" });
        expect((await badgeAccounts(db, ["acc-1"])).get("acc-1")?.shown).toBe(72);
      });

      it("refuses a delta with a bad account, naming it, and keeps the stored set", async () => {
        await bridgeSet([ACME, GLOBEX]);
        const port = await sendDelta([{ ...ACME, score: 140 }]);
        expect(port.posted[0]).toMatchObject({ type: "refused", problem: expect.stringContaining("accounts.0.score") });
        expect((await badgeAccounts(db, ["acc-1"])).get("acc-1")?.score).toBe(72.4);
        expect(notify).not.toHaveBeenCalled();
      });

      it("reads no delta from a page that is not the trusted app", async () => {
        await bridgeSet([ACME]);
        const port = fakePort(pageSender("http://127.0.0.1:31337/"));
        const handled = background.handleBridgePort(port);
        port.send({ type: "set-delta", header, accounts: [{ ...ACME, shown: 1, score: 1 }] });
        await handled;
        expect(port.disconnected).toBe(true);
        expect(port.posted).toEqual([]);
        expect((await badgeAccounts(db, ["acc-1"])).get("acc-1")?.shown).toBe(72);
      });
    });

    it("sends links only to the app that sent the set", async () => {
      const port = fakePort(appSender());
      await background.handleBridgePort(port);
      stream(port, { ...rawSet([ACME]), pwaUrl: "https://phishing.example/" });
      await vi.waitFor(() => expect(port.posted).toHaveLength(1));
      expect((await setInfo(db))?.pwaUrl).toBe(`${DEFAULT_APP_ORIGIN}/`);
    });
  });

  describe("Open in Vitals", () => {
    const lookup = { type: "lookup", identifiers: [{ kind: "domain", value: "acme.com" }], texts: [] };
    it.each([
      ["an https address elsewhere", "https://phishing.example/vitals/", undefined],
      ["the app's host on another port", "http://vitals.localhost:9999/", undefined],
      ["the paired app", `${DEFAULT_APP_ORIGIN}/`, `${DEFAULT_APP_ORIGIN}/`],
    ])("a badge file's address is a link only when it is the paired app: %s", async (_name, pwaUrl, link) => {
      await replaceBadgeSet(db, BadgeSet.parse({ ...rawSet([ACME]), pwaUrl }), { kind: "file", fileName: "f.json" });
      const reply = (await background.handleMessage(lookup, content())) as LookupReply;
      expect(reply.identifiers).toEqual(["acc-1"]);
      expect(reply.pwaUrl).toBe(link);
    });

    it("follows the paired app when it changes", async () => {
      await replaceBadgeSet(db, BadgeSet.parse({ ...rawSet([ACME]), pwaUrl: "https://vitals.acme.io/" }), {
        kind: "file",
        fileName: "f.json",
      });
      expect(((await background.handleMessage(lookup, content())) as LookupReply).pwaUrl).toBeUndefined();
      await pairWith("https://vitals.acme.io");
      await background.handleMessage({ type: "set-replaced" }, extensionPage());
      expect(((await background.handleMessage(lookup, content())) as LookupReply).pwaUrl).toBe(
        "https://vitals.acme.io/",
      );
    });
  });
});
