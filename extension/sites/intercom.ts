import { emailsIn, identifier, linkPath, mailtoOf, queryAll, textOf } from "./dom.ts";
import type { Candidate, SiteAdapter } from "./types.ts";

// Intercom inbox (https://app.intercom.com/a/inbox/<workspace>/inbox/…/conversation/<id>). The conversation's
// details sidebar lists the person (name, email) and their company. Intercom's markup carries no stable test
// attributes we could find documented, so this adapter relies on what links mean: the company is a link to
// /a/apps/<workspace>/companies/<id>, the person's email a mailto: link or an "Email" attribute row.
// Fixtures: test/fixtures/pages/intercom-*.html.
// Evidence: we searched Intercom's developer docs and public extensions (2026-12) and found no documented DOM
// hooks for the inbox; the adapter rests on link paths (a company's page under /a/apps/<workspace>/companies/<id>)
// and mailto: links, which mean the same whatever the markup. When they are absent the generic matcher reads the
// page (sites/fallback.ts), and the popup says so.
const SELECTORS = {
  /** The right-hand details sidebar of the open conversation (its landmark label is "Conversation details"). */
  sidebar: '[aria-label="Conversation details"]',
  /** The company link in the sidebar's company section and in the person's attributes. */
  companyLink: 'a[href*="/companies/"]',
  /** The person's email: a mailto link, or the value cell of the attribute row labelled "Email". */
  email: 'a[href^="mailto:"], [data-attribute-name="email"]',
} as const;

const COMPANY_PATH = /^\/a\/apps\/[^/]+\/companies\/([^/]+)/;

/** Intercom: the person (by email) and their company (by Intercom id or name) in the conversation sidebar. */
export const intercom: SiteAdapter = {
  id: "intercom",
  name: "Intercom",
  patterns: ["https://app.intercom.com/*"],
  find(roots, { url }) {
    const out: Candidate[] = [];
    for (const link of queryAll(roots, SELECTORS.companyLink)) {
      if (!link.closest(SELECTORS.sidebar)) continue;
      const id = COMPANY_PATH.exec(linkPath(link, url) ?? "")?.[1];
      out.push({
        anchor: link,
        identifiers: [...identifier("externalId", id, "intercom"), ...identifier("name", textOf(link))],
      });
    }
    for (const element of queryAll(roots, SELECTORS.email)) {
      if (!element.closest(SELECTORS.sidebar)) continue;
      const email = mailtoOf(element) ?? emailsIn(textOf(element))[0];
      out.push({ anchor: element, identifiers: identifier("email", email) });
    }
    return out;
  },
};
