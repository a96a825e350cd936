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
