import { emailsIn, identifier, linkPath, mailtoOf, queryAll, textOf } from "./dom.ts";
import type { Candidate, SiteAdapter } from "./types.ts";

// Freshdesk agent portal (https://<helpdesk>.freshdesk.com/a/tickets/<id>). The ticket page's right-hand
// "Contact details" widget shows the requester (a link to /a/contacts/<id>), their email and their company (a
// link to /a/companies/<id>). Freshdesk's generated Ember markup has no documented test ids, so the adapter keys
// on the widget and on link paths. Fixtures: test/fixtures/pages/freshdesk-*.html.
// Evidence: the agent URLs /a/tickets/<id>, /a/contacts/<id>, /a/companies/<id> are the helpdesk's own addresses;
// we found no public code confirming the widget's test id or classes (2026-12), so they are unverified, and a page
// where none is found falls back to the generic matcher (sites/fallback.ts), which the popup reports.
const SELECTORS = {
  /** The requester info widget in the ticket sidebar ("Contact details"). */
  requesterWidget: '[data-test-id="requester-info"], .requester-info-widget',
  /** The requester's email inside the widget: a mailto link or the email line. */
  requesterEmail: 'a[href^="mailto:"], .requester-email',
  /** Links to company records, in the widget and in the ticket properties. */
  companyLink: 'a[href*="/a/companies/"]',
  /**
   * Where a company link is the ticket's own data (never the conversation, which customers write), and the ticket
   * list (/a/tickets), whose rows Freshdesk renders from its records, each linking the requester's company. The
   * list's class and test id are unverified against a live instance.
   */
  linkRegions:
    '[data-test-id="requester-info"], .requester-info-widget, .ticket-properties, [data-test-id="tickets-list"], .tickets-list',
  /** The conversation stays text a person wrote, wherever it is shown. */
  conversation: ".conversation",
} as const;

const COMPANY_PATH = /^\/a\/companies\/(\d+)/;

/** Freshdesk: the ticket requester (by email) and their company (by Freshdesk id or name). */
export const freshdesk: SiteAdapter = {
  id: "freshdesk",
  name: "Freshdesk",
  patterns: ["https://*.freshdesk.com/*"],
  find(roots, { url }) {
    const out: Candidate[] = [];
    for (const element of queryAll(roots, SELECTORS.requesterEmail)) {
      if (!element.closest(SELECTORS.requesterWidget)) continue;
      const email = mailtoOf(element) ?? emailsIn(textOf(element))[0];
      out.push({ anchor: element, identifiers: identifier("email", email) });
    }
    for (const link of queryAll(roots, SELECTORS.companyLink)) {
      if (!link.closest(SELECTORS.linkRegions) || link.closest(SELECTORS.conversation)) continue;
      const id = COMPANY_PATH.exec(linkPath(link, url) ?? "")?.[1];
      out.push({
        anchor: link,
        identifiers: [...identifier("externalId", id, "freshdesk"), ...identifier("name", textOf(link))],
      });
    }
    return out;
  },
};
