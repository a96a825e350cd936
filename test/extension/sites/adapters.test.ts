import { afterEach, describe, expect, it } from "vitest";
import type { Identifier } from "../../../extension/messages.ts";
import { freshdesk } from "../../../extension/sites/freshdesk.ts";
import { generic } from "../../../extension/sites/generic.ts";
import { gmail } from "../../../extension/sites/gmail.ts";
import { hubspot } from "../../../extension/sites/hubspot.ts";
import { intercom } from "../../../extension/sites/intercom.ts";
import { salesforce } from "../../../extension/sites/salesforce.ts";
import type { Candidate, SiteAdapter } from "../../../extension/sites/types.ts";
import { createVisibility } from "../../../extension/sites/visibility.ts";
import { zendesk } from "../../../extension/sites/zendesk.ts";
import { type LoadedFixture, loadFixture } from "./load-fixture.ts";

let page: LoadedFixture | undefined;
afterEach(async () => {
  await page?.close();
  page = undefined;
});

/** What an adapter found, readably: the anchor (its text, or its tag and test id) and identifiers as kind:value. */
function found(adapter: SiteAdapter, roots?: Node[], fresh = true): [string, string[]][] {
  const doc = page?.document as Document;
  const url = new URL(doc.location.href);
  return adapter
    .find(roots ?? [doc.body], {
      url,
      isFresh: () => fresh,
      visibility: createVisibility(doc),
      skipped: () => undefined,
    })
    .map((c: Candidate) => [
      describeAnchor(c.anchor),
      "identifiers" in c ? c.identifiers.map(describeId) : [`text:${c.text}`],
    ]);
}

function describeAnchor(node: Node): string {
  if (node.nodeType === 3) return `#text "${(node as Text).data.trim()}"`;
  const el = node as Element;
  const id = el.getAttribute("data-test-id") ?? el.getAttribute("data-selenium-test") ?? el.getAttribute("class");
  return `${el.localName}${id ? `[${id}]` : ""} "${el.textContent?.trim()}"`;
}

function describeId(id: Identifier): string {
  return `${id.kind}${id.system ? `/${id.system}` : ""}:${id.value}`;
}

describe("Zendesk adapter on the agent workspace fixture", () => {
  it("reads the organization crumb by name, the requester by the email in the context panel, the org link by id", async () => {
    page = await loadFixture("zendesk-ticket.html", "https://acme.zendesk.com/agent/tickets/4812");
    expect(found(zendesk)).toEqual([
      ['span[tabs-nav-item-organizations] "Northwind Traders"', ["name:Northwind Traders"]],
      ['div[ticket-system-field-requester-select] "Dana Whitfield"', ["email:dana@northwind.example"]],
      ['a[customer-context-organization] "Northwind Traders"', ["externalId/zendesk:360001", "name:Northwind Traders"]],
    ]);
  });

  it("reads no text hidden inside a field or panel: a hidden address is not the requester's", async () => {
    page = await loadFixture("zendesk-ticket.html", "https://acme.zendesk.com/agent/tickets/4812");
    const doc = page.document;
    const field = doc.querySelector('[data-test-id="ticket-system-field-requester-select"]') as Element;
    const pane = doc.querySelector('[data-test-id="customer-context-pane"]') as Element;
    for (const [attribute, value] of [
      ["hidden", ""],
      ["aria-hidden", "true"],
      ["style", "display: none"],
      ["style", "visibility: hidden"],
    ] as const) {
      const span = doc.createElement("span");
      span.setAttribute(attribute, value);
      span.textContent = " <lee@globex.example>";
      field.append(span);
      const note = span.cloneNode(true) as HTMLElement;
      pane.prepend(note);
      expect(
        found(zendesk, [field]).map(([, ids]) => ids),
        `${attribute}=${value}`,
      ).toEqual([["email:dana@northwind.example"]]);
      span.remove();
      note.remove();
    }
  });

  it("reads a requester's email from the field itself when Zendesk shows it there", async () => {
    page = await loadFixture("zendesk-injection.html", "https://acme.zendesk.com/agent/tickets/6660");
    expect(found(zendesk)).toEqual([
      ['span[tabs-nav-item-organizations] "<img src=x onerror=alert(1)>"', ["name:<img src=x onerror=alert(1)>"]],
      ['div[ticket-system-field-requester-select] "Mallory <mallory@evil.example>"', ["email:mallory@evil.example"]],
    ]);
  });

  it("finds a changed field from a root inside it (a re-render of the requester's name)", async () => {
    page = await loadFixture("zendesk-ticket.html", "https://acme.zendesk.com/agent/tickets/4812");
    const span = page.document.querySelector('[data-test-id="ticket-system-field-requester-select"] span') as Element;
    expect(found(zendesk, [span.firstChild as Node])).toEqual([
      ['div[ticket-system-field-requester-select] "Dana Whitfield"', ["email:dana@northwind.example"]],
    ]);
  });
});

describe("Salesforce adapter on the Lightning fixture", () => {
  const account = "https://acme.lightning.force.com/lightning/r/Account/001Dn00000NwTrdIAF/view";

  it("gives the account header the URL's id in both 18- and 15-character forms, and reads account links", async () => {
    page = await loadFixture("salesforce-lightning-spa.html", account);
    expect(found(salesforce)).toEqual([
      [
        'lightning-formatted-text "Northwind Traders"',
        ["externalId/salesforce:001Dn00000NwTrdIAF", "externalId/salesforce:001Dn00000NwTrd", "name:Northwind Traders"],
      ],
      [
        'a "Globex Corporation"',
        [
          "externalId/salesforce:001Dn00000GlBxQIAT",
          "externalId/salesforce:001Dn00000GlBxQ",
          "name:Globex Corporation",
        ],
      ],
      [
        'a "Initech"',
        ["externalId/salesforce:001Dn00000InTchIAE", "externalId/salesforce:001Dn00000InTch", "name:Initech"],
      ],
    ]);
  });

  it("gives a header still on screen from the record just left only its own name, not the new URL's id", async () => {
    page = await loadFixture("salesforce-lightning-spa.html", account);
    page.window.history.pushState({}, "", "/lightning/r/Account/001Dn00000GlBxQIAT/view");
    const header = found(salesforce, undefined, false)[0];
    expect(header).toEqual(['lightning-formatted-text "Northwind Traders"', ["name:Northwind Traders"]]);
  });

  it("finds a contact's account by the contact's email, only on the active page", async () => {
    page = await loadFixture("salesforce-lightning-spa.html", account);
    (page.document.querySelector('a[href*="003Dn00000DanaWIAA"]') as HTMLElement).click();
    await page.settle();
    expect(page.document.querySelectorAll(".oneContent")).toHaveLength(2);
    expect(found(salesforce)).toEqual([
      ['lightning-formatted-text "Dana Whitfield"', ["email:dana@northwind.example"]],
      // The cached Account page's links are still in the DOM (hidden) and still point at their accounts.
      [
        'a "Globex Corporation"',
        [
          "externalId/salesforce:001Dn00000GlBxQIAT",
          "externalId/salesforce:001Dn00000GlBxQ",
          "name:Globex Corporation",
        ],
      ],
      [
        'a "Initech"',
        ["externalId/salesforce:001Dn00000InTchIAE", "externalId/salesforce:001Dn00000InTch", "name:Initech"],
      ],
      [
        'a "Northwind Traders"',
        ["externalId/salesforce:001Dn00000NwTrdIAF", "externalId/salesforce:001Dn00000NwTrd", "name:Northwind Traders"],
      ],
    ]);
  });
});

describe("HubSpot adapter on the CRM fixture", () => {
  it("gives a company record's title the URL's HubSpot id and its name", async () => {
    page = await loadFixture("hubspot-crm-spa.html", "https://app.hubspot.com/contacts/4242/record/0-2/9001");
    expect(found(hubspot)).toEqual([
      ['span[highlightTitle] "Northwind Traders"', ["externalId/hubspot:9001", "name:Northwind Traders"]],
    ]);
  });

  it("finds a contact's account by the sidebar's email, and the associated company by its link", async () => {
    page = await loadFixture("hubspot-crm-spa.html", "https://app.hubspot.com/contacts/4242/record/0-2/9001");
    (page.window as unknown as { fixture: { openContact(): void } }).fixture.openContact();
    await page.settle();
    expect(found(hubspot)).toEqual([
      ['span[highlightTitle] "Lee Marsh"', ["email:lee@globex.example"]],
      ['a[company-chicklet-title-link] "Globex Corporation"', ["externalId/hubspot:9002", "name:Globex Corporation"]],
    ]);
  });
});

describe("Intercom adapter on the inbox fixture", () => {
  it("reads the person's email and their company link in the details sidebar, nothing in the conversation list", async () => {
    page = await loadFixture(
      "intercom-inbox-spa.html",
      "https://app.intercom.com/a/inbox/abc123/inbox/shared/all/conversation/215470000000777",
    );
    expect(found(intercom)).toEqual([
      ['a "Northwind Traders"', ["externalId/intercom:5f1e0c", "name:Northwind Traders"]],
      ['a "dana@northwind.example"', ["email:dana@northwind.example"]],
    ]);
  });
});

describe("Freshdesk adapter on the ticket fixture", () => {
  it("reads the requester's email in the contact widget and the company link by Freshdesk id", async () => {
    page = await loadFixture("freshdesk-ticket.html", "https://northwind-support.freshdesk.com/a/tickets/1234");
    expect(found(freshdesk)).toEqual([
      ['a[requester-email] "dana@northwind.example"', ["email:dana@northwind.example"]],
      ['a "Northwind Traders"', ["externalId/freshdesk:77", "name:Northwind Traders"]],
    ]);
  });
});

describe("Gmail adapter on the mail fixture", () => {
  it("reads each sender in the thread list by its email attribute", async () => {
    page = await loadFixture("gmail-inbox-spa.html", "https://mail.google.com/mail/u/0/#inbox");
    expect(found(gmail)).toEqual([
      ['span[zF] "Dana Whitfield"', ["email:dana@northwind.example"]],
      ['span[zF] "Lee Marsh"', ["email:lee@globex.example"]],
      ['span[zF] "Unlisted News"', ["email:news@unlisted.example"]],
    ]);
  });

  it("reads an opened thread's sender and every recipient", async () => {
    page = await loadFixture("gmail-inbox-spa.html", "https://mail.google.com/mail/u/0/#inbox/FMfcgzNorthwind");
    expect(found(gmail).map(([, ids]) => ids[0])).toEqual([
      "email:dana@northwind.example",
      "email:csm@vitals.example",
      "email:ops@initech.example",
      "email:dana.w@gmail.com",
    ]);
  });
});

describe("built-in adapters and links in what customers write", () => {
  /** Adds a link, as a customer's comment, note or email would hold it, inside `region` of the loaded page. */
  function customerLink(region: string, href: string): Element {
    const doc = page?.document as Document;
    const link = doc.createElement("a");
    link.setAttribute("href", href);
    link.textContent = "see this other company";
    const p = doc.createElement("p");
    p.append("A customer wrote: ", link);
    (doc.querySelector(region) as Element).append(p);
    return link;
  }

  it("Zendesk: an organization link in a ticket comment is not the ticket's organization", async () => {
    page = await loadFixture("zendesk-ticket.html", "https://acme.zendesk.com/agent/tickets/4812");
    const comment = page.document.querySelector('[data-test-id="omni-log-comment-item"]') as Element;
    expect(comment.querySelector('a[href="/agent/organizations/360002"]')).not.toBeNull();
    expect(found(zendesk, [comment])).toEqual([]);
  });

  it("Freshdesk, HubSpot and Salesforce: a company link in the conversation, the timeline or rich text gets nothing", async () => {
    page = await loadFixture("freshdesk-ticket.html", "https://northwind-support.freshdesk.com/a/tickets/1234");
    expect(found(freshdesk, [customerLink(".conversation", "/a/companies/78")])).toEqual([]);
    await page.close();

    page = await loadFixture("hubspot-crm-spa.html", "https://app.hubspot.com/contacts/4242/record/0-2/9001");
    expect(found(hubspot, [customerLink('[data-test-id="middle-pane"]', "/contacts/4242/record/0-2/9002")])).toEqual(
      [],
    );
    await page.close();

    page = await loadFixture(
      "salesforce-lightning-spa.html",
      "https://acme.lightning.force.com/lightning/r/Account/001Dn00000NwTrdIAF/view",
    );
    const doc = page.document;
    const rich = doc.createElement("lightning-formatted-rich-text");
    (doc.querySelector(".oneContent.active") as Element).append(rich);
    expect(
      found(salesforce, [customerLink("lightning-formatted-rich-text", "/lightning/r/001Dn00000GlBxQIAT/view")]),
    ).toEqual([]);
  });
});

describe("built-in adapters and the lists a CRM renders from its own records", () => {
  it("Salesforce: each row of an Accounts list view gets its account, by id and name", async () => {
    page = await loadFixture(
      "salesforce-lightning-spa.html",
      "https://acme.lightning.force.com/lightning/o/Account/list",
    );
    expect(found(salesforce)).toEqual([
      [
        'a "Northwind Traders"',
        ["externalId/salesforce:001Dn00000NwTrdIAF", "externalId/salesforce:001Dn00000NwTrd", "name:Northwind Traders"],
      ],
      [
        'a "Globex Corporation"',
        [
          "externalId/salesforce:001Dn00000GlBxQIAT",
          "externalId/salesforce:001Dn00000GlBxQ",
          "name:Globex Corporation",
        ],
      ],
    ]);
  });

  it("Salesforce: a link in rich text shown in a list view still gets nothing", async () => {
    page = await loadFixture(
      "salesforce-lightning-spa.html",
      "https://acme.lightning.force.com/lightning/o/Account/list",
    );
    const doc = page.document;
    const cell = doc.createElement("td");
    const rich = doc.createElement("lightning-formatted-rich-text");
    const link = doc.createElement("a");
    link.setAttribute("href", "/lightning/r/001Dn00000InTchIAE/view");
    link.textContent = "Initech";
    rich.append("Referred by ", link);
    cell.append(rich);
    (doc.querySelector("lst-common-list-internal tbody tr") as Element).append(cell);
    expect(found(salesforce, [cell])).toEqual([]);
  });

  it("HubSpot: each row of the companies index table gets its company, by id and name", async () => {
    page = await loadFixture(
      "hubspot-crm-spa.html",
      "https://app.hubspot.com/contacts/4242/objects/0-2/views/all/list",
    );
    expect(found(hubspot)).toEqual([
      ['a "Northwind Traders"', ["externalId/hubspot:9001", "name:Northwind Traders"]],
      ['a "Globex Corporation"', ["externalId/hubspot:9002", "name:Globex Corporation"]],
    ]);
  });

  it("Zendesk: each row of a view's table gets its organization; a comment quoted in a row still gets nothing", async () => {
    page = await loadFixture("zendesk-views.html", "https://acme.zendesk.com/agent/filters/360100");
    expect(found(zendesk)).toEqual([
      ['a "Northwind Traders"', ["externalId/zendesk:360001", "name:Northwind Traders"]],
      ['a "Globex Corporation"', ["externalId/zendesk:360002", "name:Globex Corporation"]],
    ]);
    const doc = page.document;
    const comment = doc.createElement("article");
    comment.setAttribute("data-test-id", "omni-log-comment-item");
    const link = doc.createElement("a");
    link.setAttribute("href", "/agent/organizations/360003");
    link.textContent = "Initech";
    comment.append("Ask ", link);
    (doc.querySelector('[data-test-id="generic-table-row"] td') as Element).append(comment);
    expect(found(zendesk, [comment])).toEqual([]);
  });

  it("Freshdesk: each row of the ticket list gets its company; a conversation in the list still gets nothing", async () => {
    page = await loadFixture("freshdesk-tickets.html", "https://northwind-support.freshdesk.com/a/tickets");
    expect(found(freshdesk)).toEqual([
      ['a "Northwind Traders"', ["externalId/freshdesk:77", "name:Northwind Traders"]],
      ['a "Globex Corporation"', ["externalId/freshdesk:78", "name:Globex Corporation"]],
    ]);
    const doc = page.document;
    const conversation = doc.createElement("div");
    conversation.setAttribute("class", "conversation");
    const link = doc.createElement("a");
    link.setAttribute("href", "/a/companies/79");
    link.textContent = "Initech";
    conversation.append("Ask ", link);
    (doc.querySelector(".ticket-row") as Element).append(conversation);
    expect(found(freshdesk, [conversation])).toEqual([]);
  });
});

describe("generic adapter on a help desk no adapter knows", () => {
  it("sends text and link targets, links' text and target on the link, and skips form fields", async () => {
    page = await loadFixture("generic-helpdesk.html", "https://support.example.org/tickets/42");
    const main = page.document.querySelector("main") as Element;
    expect(found(generic, [main])).toEqual([
      ['#text "Reported by"', ["text:Reported by "]],
      ['a "Dana Whitfield"', ["text:Dana Whitfield"]],
      ['#text "on Monday."', ["text: on Monday."]],
      ['#text "Their status page:"', ["text:Their status page: "]],
      ['a "status.globex.example"', ["text:status.globex.example"]],
      ['#text "Initech reported the same problem last week."', ["text:Initech reported the same problem last week."]],
      ['#text "CC: pat@unlisted.example"', ["text:CC: pat@unlisted.example"]],
      [
        '#text "Update from lee@globex.example: still failing."',
        ["text:Update from lee@globex.example: still failing."],
      ],
      ['a "Dana Whitfield"', ["text:mailto:dana@northwind.example"]],
      ['a "status.globex.example"', ["text:https://status.globex.example/incidents/7"]],
    ]);
  });

  it("sends only text the user can see: nothing hidden, aria-hidden or in a closed <details> leaves the page", async () => {
    page = await loadFixture("generic-hidden.html", "https://support.example.org/tickets/43");
    // Boxes that hide by their geometry (zero-size, clipped, off the page, font-size 0) need a layout engine: the e2e
    // test (extension-sites.spec.ts) checks them in Chromium on this same page.
    for (const id of ["zero", "clipped", "offpage", "tiny"]) page.document.getElementById(id)?.remove();
    expect(found(generic)).toEqual([
      ['#text "Renewal call with Initech on Friday."', ["text:Renewal call with Initech on Friday."]],
      ['#text "More details"', ["text:More details"]],
    ]);
    // Each hidden root on its own finds nothing either (a late change inside a hidden part).
    for (const id of ["probe", "invisible", "transparent", "attribute", "aria", "classed", "inside", "later"]) {
      const element = page.document.getElementById(id) as Element;
      expect(found(generic, [element]), id).toEqual([]);
      expect(found(generic, [element.firstChild as Node]), id).toEqual([]);
    }
  });

  it("reads a single changed text node on its own", async () => {
    page = await loadFixture("generic-helpdesk.html", "https://support.example.org/tickets/42");
    const text = page.document.getElementById("mention")?.firstChild as Node;
    expect(found(generic, [text])).toEqual([
      ['#text "Initech reported the same problem last week."', ["text:Initech reported the same problem last week."]],
    ]);
  });
});
