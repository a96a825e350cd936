import { afterEach, describe, expect, it } from "vitest";
import { badgeRoot } from "../../../extension/badge/badge.ts";
import { createScanner, type Scanner } from "../../../extension/content/scanner.ts";
import { withFallback } from "../../../extension/sites/fallback.ts";
import { adapterFor } from "../../../extension/sites/registry.ts";
import { type LoadedFixture, loadFixture } from "../sites/load-fixture.ts";
import { account, type FakeBackground, FIXTURE_ACCOUNTS, fakeBackground } from "./fake-background.ts";

let page: LoadedFixture | undefined;
let scanner: Scanner | undefined;
afterEach(async () => {
  scanner?.stop();
  scanner = undefined;
  await page?.close();
  page = undefined;
});

async function open(fixture: string, url: string, options: { settle?: boolean; background?: FakeBackground } = {}) {
  page = await loadFixture(fixture, url, { settle: options.settle ?? true });
  const background = options.background ?? fakeBackground(FIXTURE_ACCOUNTS, "https://vitals.example/app/");
  const doc = page.document;
  scanner = createScanner({ doc, adapter: adapterFor(url), lookup: background.lookup });
  scanner.start();
  await scanner.idle();
  return { doc, background, scanner };
}

/** Every badge on the page as [the text of the element before it, what the badge shows]. */
function badges(doc: Document, within: ParentNode = doc): [string, string][] {
  return [...within.querySelectorAll("vitals-badge")].map((host) => [
    (host.previousSibling?.textContent ?? "").trim(),
    badgeRoot(host)?.querySelector(".pill")?.textContent ?? "",
  ]);
}

/** Waits for the page's timers, the observer's callbacks and the scans they start. */
async function settle() {
  await page?.settle();
  await new Promise((resolve) => setTimeout(resolve, 0));
  await scanner?.idle();
}

describe("content scanner", () => {
  it("badges each element right after it, with the account's score in its preferred form, in one lookup", async () => {
    const { doc, background } = await open("zendesk-ticket.html", "https://acme.zendesk.com/agent/tickets/4812");
    expect(badges(doc)).toEqual([
      ["Northwind Traders", "72 B"],
      ["Dana Whitfield", "72 B"],
      ["Northwind Traders", "72 B"],
    ]);
    expect(background.messages).toHaveLength(1);
    expect(background.messages[0]?.identifiers).toEqual([
      { kind: "name", value: "Northwind Traders" },
      { kind: "email", value: "dana@northwind.example" },
      { kind: "externalId", value: "360001", system: "zendesk" },
    ]);
  });

  it("badges content that renders late, and leaves the page's structure around it as it was", async () => {
    const { doc } = await open("zendesk-workspace-spa.html", "https://acme.zendesk.com/agent/tickets/4812", {
      settle: false,
    });
    expect(badges(doc)).toEqual([]);
    await settle();
    expect(badges(doc)).toHaveLength(3);
    const field = doc.querySelector('[data-test-id="ticket-system-field-requester-select"]') as Element;
    expect(field.nextElementSibling?.localName).toBe("vitals-badge");
    expect(field.textContent?.trim()).toBe("Dana Whitfield");
  });

  it("adds no duplicate and sends no new lookup when the page re-renders the same content", async () => {
    const { doc, background } = await open("zendesk-workspace-spa.html", "https://acme.zendesk.com/agent/tickets/4812");
    await settle();
    const before = background.messages.length;
    const fixture = ((page as LoadedFixture).window as unknown as { fixture: { rerender(): void } }).fixture;
    for (let i = 0; i < 3; i++) {
      fixture.rerender();
      await settle();
    }
    expect(badges(doc)).toHaveLength(3);
    expect(background.messages.length).toBe(before);
  });

  it("follows in-app navigation: the new ticket's workspace gets its own account's badges", async () => {
    const { doc, scanner } = await open("zendesk-workspace-spa.html", "https://acme.zendesk.com/agent/tickets/4812");
    await settle();
    (doc.getElementById("open-4813") as HTMLElement).click();
    scanner.navigate();
    await settle();
    const second = doc.querySelector('[data-ticket-id="4813"]') as Element;
    expect(badges(doc, second)).toEqual([
      ["Globex Corporation", "D"],
      ["Lee Marsh", "D"],
      ["Globex Corporation", "D"],
    ]);
    // The first ticket's workspace, hidden but still in the page, keeps one badge per element.
    expect(badges(doc, doc.querySelector('[data-ticket-id="4812"]') as Element)).toHaveLength(3);
  });

  it("never gives a record header still on screen the id of the record navigated to", async () => {
    const url = "https://acme.lightning.force.com/lightning/r/Account/001Dn00000NwTrdIAF/view";
    const { doc, scanner } = await open("salesforce-lightning-spa.html", url);
    await settle();
    const header = () => doc.querySelector(".oneContent.active lightning-formatted-text") as Element;
    expect(badges(doc, header().parentElement as Element)).toEqual([["Northwind Traders", "72 B"]]);
    (doc.querySelector('a[href="/lightning/r/001Dn00000GlBxQIAT/view"]') as HTMLElement).click();
    scanner.navigate();
    await scanner.idle();
    // The URL now names Globex, but Northwind's header is still the page on screen: it keeps Northwind's badge.
    expect(doc.location.pathname).toBe("/lightning/r/001Dn00000GlBxQIAT/view");
    expect(badges(doc, header().parentElement as Element)).toEqual([["Northwind Traders", "72 B"]]);
    await settle();
    expect(header().textContent).toBe("Globex Corporation");
    expect(badges(doc, header().parentElement as Element)).toEqual([["Globex Corporation", "D"]]);
  });

  it("updates badges in place when the data changes, and removes those whose account is gone", async () => {
    const background = fakeBackground(FIXTURE_ACCOUNTS);
    const { doc, scanner } = await open("zendesk-ticket.html", "https://acme.zendesk.com/agent/tickets/4812", {
      background,
    });
    const host = doc.querySelector("vitals-badge");
    background.set([
      account({
        id: "northwind",
        name: "Northwind Traders",
        domains: ["northwind.example"],
        shown: 35,
        score: 35,
        grade: "D",
        color: "red",
        label: "At risk",
      }),
    ]);
    scanner.refresh();
    await scanner.idle();
    expect(badges(doc)).toEqual([
      ["Northwind Traders", "35 D"],
      ["Dana Whitfield", "35 D"],
      ["Northwind Traders", "35 D"],
    ]);
    expect(doc.querySelector("vitals-badge")).toBe(host);
    expect(badgeRoot(host as Element)?.querySelector(".pill")?.className).toBe("pill red");
    background.set(FIXTURE_ACCOUNTS.filter((a) => a.id !== "northwind"));
    scanner.refresh();
    await scanner.idle();
    expect(badges(doc)).toEqual([]);
  });

  it("leaves a page with no known account exactly as it was", async () => {
    page = await loadFixture("zendesk-unknown.html", "https://acme.zendesk.com/agent/tickets/5100");
    const before = page.document.documentElement.outerHTML;
    const background = fakeBackground(FIXTURE_ACCOUNTS);
    scanner = createScanner({
      doc: page.document,
      adapter: adapterFor(page.document.location.href),
      lookup: background.lookup,
    });
    scanner.start();
    await scanner.idle();
    expect(background.messages).toHaveLength(1);
    expect(page.document.documentElement.outerHTML).toBe(before);
  });

  it("shows an account named with markup as text: no element from it reaches the page or the badge", async () => {
    const { doc } = await open("zendesk-injection.html", "https://acme.zendesk.com/agent/tickets/6660");
    expect(badges(doc)).toHaveLength(2);
    const host = doc.querySelector("vitals-badge") as Element;
    ((badgeRoot(host) as ShadowRoot).querySelector(".pill") as HTMLElement).focus();
    const card = badgeRoot(host)?.querySelector(".card") as Element;
    expect(card.querySelector(".name")?.textContent).toBe("<img src=x onerror=alert(1)>");
    expect(card.querySelector(".drags li")?.textContent).toBe("<script>window.pwned = true</script>");
    expect(badgeRoot(host)?.querySelectorAll("img, script, b")).toHaveLength(0);
    expect([...(badgeRoot(host)?.querySelectorAll("svg") ?? [])].map((s) => s.getAttribute("class"))).toEqual([]);
    expect(doc.querySelectorAll("img, svg")).toHaveLength(0);
  });

  it("removes every badge and stops when the extension goes away, leaving the page as before", async () => {
    page = await loadFixture("zendesk-ticket.html", "https://acme.zendesk.com/agent/tickets/4812");
    const before = page.document.body.innerHTML;
    const { doc, scanner } = await open("zendesk-ticket.html", "https://acme.zendesk.com/agent/tickets/4812");
    expect(badges(doc)).toHaveLength(3);
    scanner.stop();
    expect(doc.body.innerHTML).toBe(before);
  });

  it("gets no badge and no error when the background does not answer", async () => {
    const silent = { ...fakeBackground([]), lookup: async () => undefined };
    const { doc } = await open("zendesk-ticket.html", "https://acme.zendesk.com/agent/tickets/4812", {
      background: silent,
    });
    expect(badges(doc)).toEqual([]);
  });

  it("records each pass as a vitals:scan measure with how many elements and matches", async () => {
    performance.clearMeasures("vitals:scan");
    await open("zendesk-ticket.html", "https://acme.zendesk.com/agent/tickets/4812");
    const measures = performance.getEntriesByName("vitals:scan") as PerformanceMeasure[];
    expect(measures.map((m) => m.detail)).toEqual([{ elements: 3, matches: 3 }]);
  });

  it("badges free text on other sites after the text or its link, and never inside a form field", async () => {
    const { doc } = await open("generic-helpdesk.html", "https://support.example.org/tickets/42", { settle: false });
    await settle();
    expect(badges(doc)).toEqual([
      ["Dana Whitfield", "72 B"],
      ["status.globex.example", "D"],
      ["Initech", "Watch"],
      ["Update from lee@globex.example", "D"],
    ]);
    // The badge goes right after the words that name the account; the rest of the sentence follows it.
    expect(doc.getElementById("mention")?.textContent).toBe("Initech reported the same problem last week.");
    expect(doc.getElementById("reply")?.nextElementSibling?.localName).not.toBe("vitals-badge");
  });

  it("puts each account's badge right after its first mention in a text that names several, and follows the page rewriting the text", async () => {
    const { doc } = await open("generic-helpdesk.html", "https://support.example.org/tickets/42");
    // A message of its own (a region): Globex is badged elsewhere on the page, not in it.
    const message = doc.createElement("article");
    const mention = doc.createElement("p");
    const text = doc.createTextNode("Initech and Globex Corporation both reported it; Initech twice.");
    mention.append(text);
    message.append(mention);
    doc.querySelector("main")?.append(message);
    await settle();
    expect(badges(doc, mention)).toEqual([
      ["Initech", "Watch"],
      ["and Globex Corporation", "D"],
    ]);
    expect(mention.textContent).toBe("Initech and Globex Corporation both reported it; Initech twice.");
    // The page rewrites its text node (as a framework does): the old split and badges go, the new text is badged.
    text.data = "Globex Corporation reported it.";
    await settle();
    expect(badges(doc, mention)).toEqual([["Globex Corporation", "D"]]);
    expect(mention.textContent).toBe("Globex Corporation reported it.");
  });

  it("reads a known site's page it does not recognise as a generic page, and gives those badges back, text joined, once the adapter recognises it", async () => {
    const url = "https://acme.zendesk.com/agent/tickets/4813";
    page = await loadFixture("zendesk-changed-layout.html", url, { settle: true });
    const doc = page.document;
    const site = withFallback(adapterFor(url));
    scanner = createScanner({ doc, adapter: site, lookup: fakeBackground(FIXTURE_ACCOUNTS).lookup });
    scanner.start();
    await settle();
    expect(site.mode()).toBe("fallback");
    // The generic matcher's regions: the header and the customer context each get Northwind's badge.
    expect(badges(doc)).toEqual([
      ["Northwind Traders", "72 B"],
      ["dana@northwind.example", "72 B"],
    ]);
    // A message naming Northwind twice and Globex once: each badge after its first mention, once in the message.
    const said = "Northwind Traders asked again; Globex Corporation too, and Northwind Traders once more.";
    const comment = doc.createElement("article");
    const text = doc.createElement("p");
    text.textContent = said;
    comment.append(text);
    doc.querySelector("main")?.append(comment);
    await settle();
    expect(badges(doc, comment)).toEqual([
      ["Northwind Traders", "72 B"],
      ["asked again; Globex Corporation", "D"],
    ]);
    // Zendesk's organization tab is back: the adapter alone reads the page, the generic matcher's badges go and the
    // message's text is one node again, as the page wrote it.
    const tab = doc.createElement("div");
    tab.setAttribute("data-test-id", "tabs-nav-item-organizations");
    tab.textContent = "Northwind Traders";
    doc.querySelector("header")?.append(tab);
    await settle();
    expect(site.mode()).toBe("adapter");
    expect(badges(doc)).toEqual([["Northwind Traders", "72 B"]]);
    expect(doc.querySelector("vitals-badge")?.previousSibling).toBe(tab);
    expect(text.childNodes).toHaveLength(1);
    expect(text.textContent).toBe(said);
  });

  it("counts a known site as recognised only by what shows: its known places all hidden, the generic matcher reads the page", async () => {
    const url = "https://acme.zendesk.com/agent/tickets/4813";
    page = await loadFixture("zendesk-changed-layout.html", url, { settle: true });
    const doc = page.document;
    // An inactive ticket tab kept in the page, hidden: Zendesk's organization tab for Globex is there, unseen.
    const hiddenTab = doc.createElement("div");
    hiddenTab.hidden = true;
    const crumb = doc.createElement("span");
    crumb.setAttribute("data-test-id", "tabs-nav-item-organizations");
    crumb.textContent = "Globex Corporation";
    hiddenTab.append(crumb);
    doc.body.append(hiddenTab);
    const site = withFallback(adapterFor(url));
    scanner = createScanner({ doc, adapter: site, lookup: fakeBackground(FIXTURE_ACCOUNTS).lookup });
    scanner.start();
    await settle();
    expect(site.mode()).toBe("fallback");
    expect(badges(doc)).toEqual([
      ["Northwind Traders", "72 B"],
      ["dana@northwind.example", "72 B"],
    ]);
    // The tab shows: now the adapter recognises the page, and alone badges it.
    hiddenTab.hidden = false;
    await settle();
    expect(site.mode()).toBe("adapter");
    expect(badges(doc)).toEqual([["Globex Corporation", "D"]]);
  });

  it("looks a known place the page hides up while it works out what shows, badges only what shows, and the rest once it shows", async () => {
    const { doc, background } = await open("zendesk-hidden-tab.html", "https://acme.zendesk.com/agent/tickets/4812");
    const hidden = doc.querySelector<HTMLElement>('[data-ticket-id="4790"]') as HTMLElement;
    // The first pass's one lookup carries the hidden tab's places too (Globex's organization link, by its id)…
    expect(background.messages).toHaveLength(1);
    expect(background.messages[0]?.identifiers).toContainEqual({
      kind: "externalId",
      system: "zendesk",
      value: "360002",
    });
    // …but only what shows gets a badge: the ticket on screen, Northwind's three places.
    expect(badges(doc).map(([, text]) => text)).toEqual(["72 B", "72 B", "72 B"]);
    expect(hidden.querySelector("vitals-badge")).toBeNull();
    // The agent switches back to ticket #4790: its places are looked up again, and badged.
    hidden.style.display = "";
    await settle();
    expect(badges(doc, hidden).map(([, text]) => text)).toEqual(["D", "D", "D"]);
    expect(background.messages).toHaveLength(2);
  });

  it("keeps badging after a pass fails (an adapter meeting a page it did not expect)", async () => {
    page = await loadFixture("zendesk-workspace-spa.html", "https://acme.zendesk.com/agent/tickets/4812", {
      settle: false,
    });
    const real = adapterFor(page.document.location.href);
    let calls = 0;
    const flaky = {
      ...real,
      find: (...args: Parameters<typeof real.find>) => {
        if (++calls === 1) throw new Error("unexpected page");
        return real.find(...args);
      },
    };
    scanner = createScanner({ doc: page.document, adapter: flaky, lookup: fakeBackground(FIXTURE_ACCOUNTS).lookup });
    scanner.start();
    await settle();
    expect(calls).toBeGreaterThan(1);
    expect(badges(page.document)).toHaveLength(3);
  });

  it("never sends hidden text to the background, and badges it once the page or the user shows it", async () => {
    page = await loadFixture("generic-hidden.html", "https://support.example.org/tickets/43");
    const doc = page.document;
    // Boxes hidden by their geometry need a layout engine: the e2e test checks them in Chromium on this page.
    for (const id of ["zero", "clipped", "offpage", "tiny"]) doc.getElementById(id)?.remove();
    const background = fakeBackground(FIXTURE_ACCOUNTS);
    scanner = createScanner({ doc, adapter: adapterFor(doc.location.href), lookup: background.lookup });
    scanner.start();
    await settle();
    expect(badges(doc)).toEqual([["Renewal call with Initech", "Watch"]]);
    const sent = () => background.messages.flatMap((m) => m.texts).join("\n");
    for (const secret of ["globex", "northwind", "contoso", "unlisted"]) expect(sent()).not.toMatch(secret);
    // The page shows a paragraph (its hidden attribute goes), the user opens the <details>, a class stops hiding one.
    doc.getElementById("later")?.removeAttribute("hidden");
    await settle();
    expect(badges(doc).map(([, text]) => text)).toEqual(["Watch", "72 B"]);
    doc.getElementById("more")?.setAttribute("open", "");
    await settle();
    expect(badges(doc).map(([, text]) => text)).toEqual(["Watch", "D", "72 B"]);
    doc.getElementById("classed")?.classList.remove("gone");
    await settle();
    expect(badges(doc).map(([, text]) => text)).toEqual(["Watch", "D", "D", "72 B"]);
    // Still hidden: the probe list, and every other hidden Globex.
    expect(sent()).not.toMatch("contoso");
  });
});
