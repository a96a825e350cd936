import type { LookupMessage, LookupReply, TabReportMessage } from "../messages.ts";
import type { ScanMode } from "../sites/fallback.ts";
import type { Candidate } from "../sites/types.ts";
import { anchorShown, type Visibility } from "../sites/visibility.ts";

// What the content script tells the popup about its page, so a user can report a page that is not badged in one
// sentence ("Zendesk adapter: found 3 people, 1 organization; matched 2"). Counted beside the scanner, from what
// the adapter found and what the background answered, without touching the badges. Only what the user can see is
// counted, as only that is badged: a hidden "Recently viewed" menu or a ticket tab kept hidden in the page counts
// once it shows. Beside the counts, how many badges each account has on the page (the popup's "in N places").

/** The most accounts whose places are reported (the popup's list keeps as many). */
const MAX_PLACES = 500;

type Kind = "person" | "organization" | "text";

const identifierKey = (id: { kind: string; system?: string | undefined; value: string }) =>
  `i\u0000${id.kind}\u0000${id.system ?? ""}\u0000${id.value}`;
const textKey = (text: string) => `t\u0000${text}`;

/** Counts a page's candidates by kind and which of them matched an account. */
export function createTally() {
  let anchors = new Map<Node, { kind: Kind; keys: string[] }>();
  let matched = new Map<string, boolean>();
  return {
    /**
     * What an adapter found in one pass, of which what `visibility` says shows is counted; a whole-page pass starts
     * the count again.
     */
    found(candidates: readonly Candidate[], wholePage: boolean, visibility: Visibility): void {
      if (wholePage) {
        anchors = new Map();
        matched = new Map();
      }
      for (const c of candidates) {
        // An anchor handed back with nothing to look up is forgotten, seen or not; anything else counts if it shows.
        const handedBack = !("identifiers" in c) && c.text === "";
        if (!handedBack && !anchorShown(visibility, c.anchor)) continue;
        if ("identifiers" in c) {
          if (c.identifiers.length === 0) continue;
          const kind: Kind = c.identifiers[0]?.kind === "email" ? "person" : "organization";
          anchors.set(c.anchor, { kind, keys: c.identifiers.map(identifierKey) });
        } else if (c.text !== "") {
          const entry = anchors.get(c.anchor);
          if (entry?.kind === "text") entry.keys.push(textKey(c.text));
          else anchors.set(c.anchor, { kind: "text", keys: [textKey(c.text)] });
        } else {
          anchors.delete(c.anchor);
        }
      }
    },
    /** What the background answered to one lookup. */
    answered(message: LookupMessage, reply: LookupReply | undefined): void {
      if (!reply) return;
      message.identifiers.forEach((id, i) => {
        matched.set(identifierKey(id), typeof reply.identifiers[i] === "string");
      });
      const hit = new Set(reply.texts.map((t) => t.text));
      message.texts.forEach((text, i) => {
        matched.set(textKey(text), hit.has(i));
      });
    },
    /** The counts over what is still on the page, with the badges each account has there (`placed`). */
    report(
      adapter: { id: string; name: string },
      mode: ScanMode,
      placed: ReadonlyMap<string, number>,
    ): TabReportMessage {
      const out: TabReportMessage = {
        type: "tab-report",
        adapter: adapter.id,
        name: adapter.name,
        mode,
        people: 0,
        organizations: 0,
        texts: 0,
        matched: 0,
        places: [...placed].slice(0, MAX_PLACES).map(([id, badges]) => ({ id, badges })),
      };
      for (const [anchor, { kind, keys }] of anchors) {
        if (!anchor.isConnected) continue;
        if (kind === "person") out.people++;
        else if (kind === "organization") out.organizations++;
        else out.texts++;
        if (keys.some((k) => matched.get(k) === true)) out.matched++;
      }
      return out;
    },
  };
}
