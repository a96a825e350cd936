// The data worker's entry, kept to a few lines on purpose. Chromium compiles a worker's top-level script afresh on
// every start (it keeps no code cache for it: ~30–45 ms for the worker's code, and ~10 ms more to make a cache it
// never uses), while a module the worker imports is compiled from the code cache kept beside the service worker's
// precache. So the worker's code is imported (data-worker-main.ts), and the messages the page posts meanwhile (its
// first calls) are held and handed over once the API listens.

/**
 * Zod compiles a parser for each object schema (with `new Function`) on its first parse, unless configured jitless.
 * The worker's cold start parses each of its schemas once or twice (the stored scorecards, overrides, views), where
 * compiling costs more than it saves: the scorecards' first parse took 8–12 ms compiled against 3.5 ms without (Node,
 * the default scorecards), and a hundred parses later the two ran at the same speed. A schema reads the setting when
 * it is made, as its module loads, and the bundler does not keep a `z.config()` call ahead of the schema modules; zod
 * keeps its configuration on the global object, so it is set here, before any of zod loads
 * (test/core/worker/zod-config.test.ts checks zod still reads it there).
 */
(globalThis as { __zod_globalConfig?: Record<string, unknown> }).__zod_globalConfig = { jitless: true };

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
