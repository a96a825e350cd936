import { z } from "zod";

// Zod compiles a parser for each object schema (with `new Function`) the first time it parses with it. The worker's
// cold start parses each of its schemas once or twice (the stored scorecards, overrides, views), where compiling
// costs more than it saves: the scorecards' first parse took 8–12 ms compiled against 3.5 ms without (Node, the
// default scorecards), and a hundred parses later the two run at the same speed. Imported first by the worker, before
// any schema parses.
z.config({ jitless: true });
