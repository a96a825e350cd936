import { emailsIn, identifier, linkPath, mailtoOf, queryAll, textOf } from "./dom.ts";
import type { Candidate, SiteAdapter } from "./types.ts";

// Salesforce Lightning Experience (https://<org>.lightning.force.com/lightning/r/<Object>/<id>/view). Lightning
// keeps the pages of recently visited records in the DOM (hidden) and marks the one on screen `.oneContent.active`;
// record ids come from the URL (the header) and from record links (lookups, related lists).
// Fixtures: test/fixtures/pages/salesforce-*.html.
// Evidence: the /lightning/r/<Object>/<id>/view record URL is Lightning's standard__recordPage address
// (developer.salesforce.com/docs/platform/lwc/guide/use-navigate; "Lightning Experience URL Hack Alternatives",
// gitlab.com/marktuk/lex-url-hack-alternatives), and ids are 15- or 18-character with the object's key prefix
// (001 Account, 003 Contact). Salesforce warns that its URL structure may change, and the LWC element names used
// here (records-lwc-highlights-panel, force-lookup, lst-*) are its components' tags, not a documented contract:
// a page where none is found falls back to the generic matcher (sites/fallback.ts).
const SELECTORS = {
  /** The page on screen; cached pages of other records stay in the DOM without `.active`. */
  activePage: ".oneContent.active",
  /** The record's name in the highlights panel at the top of a record page. */
  recordTitle:
    "records-lwc-highlights-panel h1 lightning-formatted-text, records-lwc-highlights-panel h1 .uiOutputText",
  /** A field in the record detail layout; `field-label` is the field's label ("Email", "Account Name"). */
  emailField: 'records-record-layout-item[field-label="Email"]',
  /** Links to Account records: lookups ("Account Name" on a contact), related lists, list views. */
  accountLink: 'a[href*="/lightning/r/Account/"], a[href*="/lightning/r/001"]',
  /**
   * Where an account link is record data: a lookup field, a related list, and a list view (an object's list views,
   * lst-list-view-manager with its lst-common-list-internal grid, or the Aura forceListViewManager; a related list's
   * "View All" page, lst-related-list-view-manager), whose rows the CRM renders from its own records. Never a feed
   * post or a logged email, which customers can write and which can link any account.
   */
  linkRegions:
    "force-lookup, lst-related-list-single-container, lst-list-view-manager, lst-common-list-internal, " +
    "lst-related-list-view-manager, .forceListViewManager",
  /** Rich text (a Description or notes field) stays text a person wrote, even shown in a list or related list. */
  richText: "lightning-formatted-rich-text",
} as const;

/** /lightning/r/Account/001…/view or the short form /lightning/r/001…/view. */
const RECORD_PATH = /^\/lightning\/r\/(?:(Account|Contact)\/)?([a-zA-Z0-9]{15}(?:[a-zA-Z0-9]{3})?)\/view/;

/** A record's object and id from a Lightning path; the object is inferred from the id's prefix when absent. */
function recordOf(path: string): { object: "Account" | "Contact"; id: string } | undefined {
  const match = RECORD_PATH.exec(path);
  if (!match?.[2]) return undefined;
  const id = match[2];
  const object = match[1] ?? (id.startsWith("001") ? "Account" : id.startsWith("003") ? "Contact" : undefined);
  return object === "Account" || object === "Contact" ? { object, id } : undefined;
}

/** A Salesforce id as stored elsewhere: the 18-character form and the 15-character one it extends. */
function idForms(id: string) {
  return id.length === 18
    ? [...identifier("externalId", id, "salesforce"), ...identifier("externalId", id.slice(0, 15), "salesforce")]
    : identifier("externalId", id, "salesforce");
}

/** Salesforce Lightning: the account or contact record on screen, and every link to an account record. */
export const salesforce: SiteAdapter = {
  id: "salesforce",
  name: "Salesforce",
  patterns: ["https://*.lightning.force.com/*"],
  find(roots, { url, isFresh }) {
    const out: Candidate[] = [];
    const record = recordOf(url.pathname);
    for (const title of queryAll(roots, SELECTORS.recordTitle)) {
      const page = title.closest(".oneContent");
      if (page && !page.matches(SELECTORS.activePage)) continue;
      const identifiers = [];
      if (record?.object === "Account" && isFresh(title)) identifiers.push(...idForms(record.id));
      if (record?.object === "Contact" && isFresh(title)) {
        // A contact's account is found by the contact's email, shown in the detail layout of the same page.
        const scope = page ?? title.ownerDocument;
        for (const field of scope.querySelectorAll(SELECTORS.emailField)) {
          const link = field.querySelector("a[href^='mailto:']");
          for (const email of link ? [mailtoOf(link)] : emailsIn(textOf(field))) {
            identifiers.push(...identifier("email", email));
          }
        }
      }
      if (record?.object === "Account") identifiers.push(...identifier("name", textOf(title)));
      out.push({ anchor: title, identifiers });
    }
    for (const link of queryAll(roots, SELECTORS.accountLink)) {
      if (!link.closest(SELECTORS.linkRegions) || link.closest(SELECTORS.richText)) continue;
      const linked = recordOf(linkPath(link, url) ?? "");
      if (linked?.object !== "Account") continue;
      out.push({ anchor: link, identifiers: [...idForms(linked.id), ...identifier("name", textOf(link))] });
    }
    return out;
  },
};
