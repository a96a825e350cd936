// Imported by the service worker (pwa/vite.config.ts, workbox importScripts). When a page of the app is navigated to,
// the service worker starts first (it answers the navigation), so opening the app's database here starts the
// browser's opening of its files tens of milliseconds before the page's own first script could (index.html): on a
// large store that open takes a few hundred milliseconds and is the cold start's longest wait. The same rules as the
// page's: never creates the database (a first run's data worker does), gives way to an upgrade or a deletion, and lets
// go after a few seconds (the page's data worker holds its own connection by then).
let opening = false;
function openStore() {
  if (opening) return;
  opening = true;
  const done = () => {
    opening = false;
  };
  try {
    const request = indexedDB.open("vitals");
    request.onupgradeneeded = () => request.transaction.abort();
    request.onerror = (event) => {
      event.preventDefault();
      done();
    };
    request.onsuccess = () => {
      const db = request.result;
      const close = () => {
        db.close();
        done();
      };
      db.onversionchange = close;
      setTimeout(close, 10000);
    };
  } catch {
    done();
  }
}
self.addEventListener("fetch", (event) => {
  if (event.request.mode === "navigate") openStore();
});
