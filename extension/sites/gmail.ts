import { emailsIn, identifier, queryAll } from "./dom.ts";
import type { Candidate, SiteAdapter } from "./types.ts";

// Gmail (https://mail.google.com/mail/u/<n>/#inbox/<thread>). Class names are short and generated, but Gmail puts
// each correspondent's address in an `email` attribute on the name's span, which is what we read.
// Evidence (searched 2026-12): public Gmail scrapers, test suites and extensions read the sender as `span.gD[email]`
// ("has [email] and [name] attrs", with `h3 span[email]` as a fallback) and recipients as `span.g2`; the address
// in the attribute is the stable part, the class names are Gmail's and may change. On a Gmail page where no such
// span is found, sites/fallback.ts lets the generic matcher read the visible text (addresses included).
// Fixtures: test/fixtures/pages/gmail-*.html.
const SELECTORS = {
  /**
   * Correspondents with their address in `email`: `.gD` is a message's sender, `.g2` a recipient (To/Cc) in an
   * opened thread; `.yW` is the sender column of a row in the thread list.
   */
  person: "span.gD[email], span.g2[email], .yW span[email]",
} as const;

/** Gmail: each sender and recipient, by the email address in its `email` attribute. */
export const gmail: SiteAdapter = {
  id: "gmail",
  name: "Gmail",
  patterns: ["https://mail.google.com/*"],
  find(roots) {
    const out: Candidate[] = [];
    for (const span of queryAll(roots, SELECTORS.person)) {
      const email = emailsIn(span.getAttribute("email") ?? "")[0];
      out.push({ anchor: span, identifiers: identifier("email", email) });
    }
    return out;
  },
};
