import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";

/**
 * The data worker's entry (core/worker/data-worker.ts) configures zod before zod loads, through the global object
 * zod keeps its configuration on, so that every schema is made jitless (a bundler may move a `z.config()` call after
 * the modules that make schemas). If zod stops reading that global, this fails.
 */
describe("zod's configuration set before zod loads", () => {
  it("is the configuration zod's schemas are made with", () => {
    const script = `
      globalThis.__zod_globalConfig = { jitless: true };
      const { z } = await import("zod");
      let compiled = 0;
      const RealFunction = globalThis.Function;
      globalThis.Function = new Proxy(RealFunction, { construct(target, args) { compiled++; return Reflect.construct(target, args); } });
      const schema = z.object({ id: z.string(), weight: z.number(), tags: z.array(z.object({ name: z.string() })) });
      schema.parse({ id: "a", weight: 1, tags: [{ name: "x" }] });
      console.log(JSON.stringify({ jitless: z.config().jitless === true, compiled }));
    `;
    const out = execFileSync(process.execPath, ["--input-type=module", "-e", script], { encoding: "utf8" });
    expect(JSON.parse(out)).toEqual({ jitless: true, compiled: 0 });
  });

  it("compiles parsers without it (the check above can tell)", () => {
    const script = `
      const { z } = await import("zod");
      let compiled = 0;
      const RealFunction = globalThis.Function;
      globalThis.Function = new Proxy(RealFunction, { construct(target, args) { compiled++; return Reflect.construct(target, args); } });
      const schema = z.object({ id: z.string(), weight: z.number() });
      schema.parse({ id: "a", weight: 1 });
      console.log(JSON.stringify({ compiled: compiled > 0 }));
    `;
    const out = execFileSync(process.execPath, ["--input-type=module", "-e", script], { encoding: "utf8" });
    expect(JSON.parse(out)).toEqual({ compiled: true });
  });
});
