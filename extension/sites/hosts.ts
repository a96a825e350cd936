/**
 * Match patterns of the sites Vitals badges out of the box, one per supported product.
 * Each adapter in this folder narrows these to the pages and elements it understands.
 */
export const SUPPORTED_SITE_MATCHES = [
  "https://*.zendesk.com/*",
  "https://*.lightning.force.com/*",
  "https://app.hubspot.com/*",
  "https://app.intercom.com/*",
  "https://*.freshdesk.com/*",
  "https://mail.google.com/*",
] as const;

/**
 * Whether an address is on a site Vitals badges out of the box (the manifest's content script patterns). Small and
 * free of imports: the content script that starts the badges on every page load uses it.
 */
export function isBuiltInSite(address: string, patterns: readonly string[]): boolean {
  const url = URL.canParse(address) ? new URL(address) : undefined;
  if (!url) return false;
  return patterns.some((pattern) => {
    const m = /^(https?):\/\/(\*\.)?([^/]+)\//.exec(pattern);
    if (!m || `${m[1]}:` !== url.protocol) return false;
    const host = m[3] as string;
    return m[2] ? url.hostname === host || url.hostname.endsWith(`.${host}`) : url.hostname === host;
  });
}
