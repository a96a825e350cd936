// The web manifest's link, added once the first screen is up rather than written in index.html. A page that links a
// manifest has the browser fetch it and then fetch and decode its icon on the page's own thread, to judge whether
// the app can be installed: in traced cold starts at tier M that was a 20-40 ms task landing while the data worker's
// answer was due (issue 14). The build leaves the link out of index.html (pwa/vite.config.ts, manifestLater); the
// app adds it after its first screen, and the app stays installable.

/** Where the build writes the web manifest (vite-plugin-pwa's default file name), relative to index.html. */
export const MANIFEST_HREF = "./manifest.webmanifest";

/** Links the web manifest in `doc`'s head, unless a manifest is linked already. */
export function linkManifest(doc: Document = document): void {
  if (doc.querySelector('link[rel="manifest"]')) return;
  const link = doc.createElement("link");
  link.rel = "manifest";
  link.href = MANIFEST_HREF;
  doc.head.append(link);
}
