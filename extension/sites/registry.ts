import { MatchPattern } from "wxt/utils/match-patterns";
import { freshdesk } from "./freshdesk.ts";
import { generic } from "./generic.ts";
import { gmail } from "./gmail.ts";
import { hubspot } from "./hubspot.ts";
import { intercom } from "./intercom.ts";
import { salesforce } from "./salesforce.ts";
import type { SiteAdapter } from "./types.ts";
import { zendesk } from "./zendesk.ts";

/** Every site adapter, the generic one last. A test checks each adapter file in this folder is listed here. */
export const ADAPTERS: readonly SiteAdapter[] = [zendesk, salesforce, hubspot, intercom, freshdesk, gmail, generic];

const compiled = ADAPTERS.map((adapter) => ({ adapter, patterns: adapter.patterns.map((p) => new MatchPattern(p)) }));

/** The adapter for a page: the product whose patterns claim its address, or the generic one on any other host. */
export function adapterFor(url: URL | string): SiteAdapter {
  const href = typeof url === "string" ? url : url.href;
  return compiled.find(({ patterns }) => patterns.some((p) => p.includes(href)))?.adapter ?? generic;
}
