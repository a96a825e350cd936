// The data worker's entry, kept to a few lines on purpose. Chromium compiles a worker's top-level script afresh on
// every start (it keeps no code cache for it: ~30–45 ms for the worker's code, and ~10 ms more to make a cache it
// never uses), while a module the worker imports is compiled from the code cache kept beside the service worker's
// precache. So the worker's code is imported (data-worker-main.ts), and the messages the page posts meanwhile (its
// first calls) are held and handed over once the API listens.
const early: MessageEvent[] = [];
const hold = (event: MessageEvent) => early.push(event);
self.addEventListener("message", hold);
import("./data-worker-main.ts").then(
  (main) => {
    self.removeEventListener("message", hold);
    main.start(early);
  },
  (error: unknown) => {
    // Reported as the worker's error (the page's client then runs the API on its own thread), not left unhandled.
    setTimeout(() => {
      throw error;
    });
  },
);
