import { spawn } from "node:child_process";
import { createServer, type Server } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { APP_HOST, APP_PORT, DEFAULT_APP_ORIGIN } from "../../core/schema/bridge.ts";
// biome-ignore lint/correctness/useImportExtensions: a script's own .mjs, typed by its .d.mts beside it.
import * as address from "../../scripts/app-address.mjs";

/** Listens on a loopback port (or finds it already taken by someone else, which is as good). */
function occupy(port: number, host: string): Promise<Server | undefined> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once("error", () => resolve(undefined));
    server.listen({ port, host }, () => resolve(server));
  });
}

describe("npm start's one address", () => {
  let held: Server | undefined;
  afterEach(() => held?.close());

  it("is the address the extension trusts before pairing", () => {
    expect(address.APP_HOST).toBe(APP_HOST);
    expect(address.APP_PORT).toBe(APP_PORT);
    expect(address.APP_ORIGIN).toBe(DEFAULT_APP_ORIGIN);
    expect(new URL(DEFAULT_APP_ORIGIN).hostname.endsWith(".localhost")).toBe(true);
  });

  it("sees a port taken on the IPv4 loopback", async () => {
    held = await occupy(0, "127.0.0.1");
    if (!held) throw new Error("no free port");
    const port = (held.address() as { port: number }).port;
    expect(await address.portTaken(port)).toBe(true);
    held?.close();
    held = undefined;
    await new Promise((r) => setTimeout(r, 50));
    expect(await address.portTaken(port)).toBe(false);
  });

  it("stops before building when its port is taken, naming the port, why it matters and how to free it", async () => {
    held = await occupy(APP_PORT, "127.0.0.1");
    const child = spawn(process.execPath, ["scripts/start.mjs"], { stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    child.stdout.on("data", (d) => {
      out += d;
    });
    child.stderr.on("data", (d) => {
      out += d;
    });
    const code = await new Promise<number | null>((resolve) => child.on("exit", resolve));
    expect(code).toBe(1);
    expect(out).toContain(`port ${APP_PORT} is already in use`);
    expect(out).toContain(`${DEFAULT_APP_ORIGIN}/`);
    expect(out).toContain("empty");
    expect(out).toContain(`lsof -nP -iTCP:${APP_PORT}`);
    expect(out).toContain("never moves to another port");
    // Nothing was built or served.
    expect(out).not.toMatch(/vite v\d|built in/);
  });
});
