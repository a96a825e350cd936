import { emailsIn, identifier, linkPath, mailtoOf, queryAll, textOf } from "./dom.ts";
import type { Candidate, SiteAdapter } from "./types.ts";

// HubSpot CRM records (https://app.hubspot.com/contacts/<portal>/record/<type>/<id>; 0-1 is a contact, 0-2 a
// company; older links use /contacts/<portal>/company/<id>). Class names are generated (styled-components), so
// only HubSpot's own test attributes and link paths are used. Fixtures: test/fixtures/pages/hubspot-*.html.
// Evidence: HubSpot's developer docs give the object type ids in record paths (0-1 contacts, 0-2 companies:
// developers.hubspot.com/docs/guides/crm/using-object-apis, "Object type IDs"), and public write-ups show the
// company page as app.hubspot.com/contacts/<portal id>/company/<company id> (the older form matched here too).
// The `data-selenium-test` and `data-test-id` hooks are HubSpot's test attributes as seen in its pages; we found no
// public code confirming these exact values, so a page without them falls back to the generic matcher
// (sites/fallback.ts) rather than showing nothing.
const SELECTORS = {
  /** The record's name at the top of the left sidebar (company name, or the contact's full name). */
  recordTitle: '[data-selenium-test="highlightTitle"]',
  /** The left sidebar of a record page: its highlight and "About" properties (a contact's email among them). */
  leftSidebar: '[data-test-id="left-sidebar"]',
  /** Links to company records: association cards ("company chicklets"), index tables, the right sidebar. */
  companyLink: 'a[href*="/record/0-2/"], a[href*="/company/"]',
  /**
   * Where a company link is the record's own data: its sidebars (association cards), and the index pages' table
   * (data-test-id="crm-object-table", one row per record, rendered from the CRM's own records). Never the middle
   * pane's timeline, where emails and notes written by customers can link any company.
   */
  linkRegions:
    '[data-test-id="left-sidebar"], [data-test-id="records-right-sidebar"], [data-test-id="crm-object-table"]',
} as const;

const RECORD_PATH = /^\/contacts\/\d+\/(?:record\/(0-1|0-2)|(contact|company))\/(\d+)/;

/** The object ("company" or "contact") and id a HubSpot path points at. */
function recordOf(path: string): { object: "company" | "contact"; id: string } | undefined {
  const match = RECORD_PATH.exec(path);
  if (!match?.[3]) return undefined;
  const type = match[1] ?? match[2];
  return { object: type === "0-2" || type === "company" ? "company" : "contact", id: match[3] };
}

/** The contact's email as the left sidebar shows it (a mailto link, or the Email property's text). */
function contactEmails(title: Element): string[] {
  const sidebar = title.closest(SELECTORS.leftSidebar);
  if (!sidebar) return [];
  const links = [...sidebar.querySelectorAll("a[href^='mailto:']")].map(mailtoOf).filter((e) => e !== undefined);
  return links.length ? links : emailsIn(textOf(sidebar)).slice(0, 1);
}

/** HubSpot: the company or contact record on screen, and every link to a company record. */
export const hubspot: SiteAdapter = {
  id: "hubspot",
  name: "HubSpot",
  patterns: ["https://app.hubspot.com/*"],
  find(roots, { url, isFresh }) {
    const out: Candidate[] = [];
    const record = recordOf(url.pathname);
    for (const title of queryAll(roots, SELECTORS.recordTitle)) {
      const identifiers = [];
      if (record?.object === "company") {
        if (isFresh(title)) identifiers.push(...identifier("externalId", record.id, "hubspot"));
        identifiers.push(...identifier("name", textOf(title)));
      } else if (record?.object === "contact") {
        for (const email of contactEmails(title)) identifiers.push(...identifier("email", email));
      }
      out.push({ anchor: title, identifiers });
    }
    for (const link of queryAll(roots, SELECTORS.companyLink)) {
      if (!link.closest(SELECTORS.linkRegions)) continue;
      const linked = recordOf(linkPath(link, url) ?? "");
      if (linked?.object !== "company") continue;
      out.push({
        anchor: link,
        identifiers: [...identifier("externalId", linked.id, "hubspot"), ...identifier("name", textOf(link))],
      });
    }
    return out;
  },
};
