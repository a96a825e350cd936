import { emailsIn, identifier, linkPath, mailtoOf, queryAll, textOf } from "./dom.ts";
import type { Candidate, SiteAdapter } from "./types.ts";

// Zendesk agent workspace (https://<subdomain>.zendesk.com/agent/tickets/<id>). A React app that keeps one
// `.workspace` per open ticket tab in the page (the inactive ones hidden), so everything here is read from the
// element itself or its own workspace, never from the URL. Fixtures: test/fixtures/pages/zendesk-*.html.
// Evidence (searched 2026-12, public code that runs on the live agent workspace): open-source userscripts and
// browser tools read the requester from `[data-test-id="ticket-system-field-requester-select"]`, the assignee from
// `assignee-field-autocomplete-trigger`, and each conversation entry as `article[data-test-id="omni-log-comment-item"]`
// inside `omni-log-container` ("Zendesk Agent Workspace (Polaris) uses omni-log-comment-item ARTICLE elements");
// the /agent/tickets/<id> and /agent/organizations/<id> paths are the agent interface's own URLs (Zendesk's
// developer docs link records so). Stable hooks only: data-test-id and link paths, never Garden's generated classes.
// Where none of these places is on a page (a redesign), sites/fallback.ts lets the generic matcher read it.
const SELECTORS = {
  /** The organization crumb in the ticket header's location nav: the requester's organization, by name. */
  organizationTab: '[data-test-id="tabs-nav-item-organizations"]',
  /** The Requester field in the ticket properties sidebar: a combobox showing "Name <email>" or just the name. */
  requesterField: '[data-test-id="ticket-system-field-requester-select"]',
  /** One open ticket's whole workspace (header, properties, conversation, context panel). */
  workspace: ".workspace",
  /** The customer context panel beside the conversation: the requester's details, including the email. */
  contextPane: '[data-test-id="customer-context-pane"]',
  /** Links to an organization's page: the id in /agent/organizations/<id> is Zendesk's organization id. */
  organizationLink: 'a[href*="/agent/organizations/"]',
  /**
   * Where such a link is the ticket's own data: the customer context panel and the ticket's properties. Never the
   * conversation: a customer's comment can link any organization, and must not put another account's badge there.
   * Also the tables Zendesk renders from its own records: a view's ticket table and the organizations and users
   * list pages (data-test-id="generic-table", one row per record). That test id follows Zendesk's test-id naming
   * but is unverified against a live instance.
   */
  linkRegions:
    '[data-test-id="customer-context-pane"], [data-test-id="ticket-sidebar"], [data-test-id="generic-table"]',
  /** A comment stays text a person wrote, wherever it is shown (a row preview can quote one). */
  comment: '[data-test-id="omni-log-comment-item"], .zd-comment',
} as const;

const ORGANIZATION_PATH = /^\/agent\/organizations\/(\d+)/;

/** The requester's email: in the field itself when Zendesk shows it there, else in the context panel beside it. */
function requesterEmails(field: Element): string[] {
  const own = emailsIn(`${textOf(field)} ${field.getAttribute("title") ?? ""}`);
  if (own.length) return own;
  const pane = (field.closest(SELECTORS.workspace) ?? field.ownerDocument).querySelector(SELECTORS.contextPane);
  if (!pane) return [];
  const mailto = [...pane.querySelectorAll("a[href^='mailto:']")].map(mailtoOf).filter((e) => e !== undefined);
  return mailto.length ? mailto : emailsIn(textOf(pane)).slice(0, 1);
}

/** Zendesk agent workspace: the requester (by email) and the organization (by name or id). */
export const zendesk: SiteAdapter = {
  id: "zendesk",
  name: "Zendesk",
  patterns: ["https://*.zendesk.com/*"],
  find(roots, { url }) {
    const out: Candidate[] = [];
    for (const tab of queryAll(roots, SELECTORS.organizationTab)) {
      out.push({ anchor: tab, identifiers: identifier("name", textOf(tab)) });
    }
    for (const field of queryAll(roots, SELECTORS.requesterField)) {
      out.push({ anchor: field, identifiers: requesterEmails(field).flatMap((e) => identifier("email", e)) });
    }
    for (const link of queryAll(roots, SELECTORS.organizationLink)) {
      if (!link.closest(SELECTORS.linkRegions) || link.closest(SELECTORS.comment)) continue;
      const id = ORGANIZATION_PATH.exec(linkPath(link, url) ?? "")?.[1];
      out.push({
        anchor: link,
        identifiers: [...identifier("externalId", id, "zendesk"), ...identifier("name", textOf(link))],
      });
    }
    return out;
  },
};
