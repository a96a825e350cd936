// `npm start`: builds the PWA and the extension, then serves the PWA's production build at its one fixed address,
// http://vitals.localhost:8482. If that port is taken it stops and says so; it never moves to another port.
import { spawnSync } from "node:child_process";
import { resolve } from "node:path";
import { preview } from "vite";
// biome-ignore lint/correctness/useImportExtensions: the .mjs itself (its .d.mts only types it for the tests).
import { APP_HOST, APP_ORIGIN, APP_PORT, portTaken, portTakenMessage } from "./app-address.mjs";

const stopIfTaken = async () => {
  if (await portTaken(APP_PORT)) {
    console.error(portTakenMessage());
    process.exit(1);
  }
};

// Before the build, so a taken port is reported at once.
await stopIfTaken();
for (const script of ["build:pwa", "build:ext"]) {
  const { status } = spawnSync("npm", ["run", "--silent", script], { stdio: "inherit" });
  if (status !== 0) {
    console.error(`\nnpm run ${script} failed (exit ${status}); nothing was started.`);
    process.exit(status ?? 1);
  }
}
await stopIfTaken();

/**
 * The same server reached as localhost:8482 or 127.0.0.1:8482 is another origin with an empty database: send the
 * browser to the app's own address instead.
 */
const onlyTheAppsAddress = {
  name: "vitals-app-address",
  configurePreviewServer(server) {
    server.middlewares.use((req, res, next) => {
      const host = (req.headers.host ?? "").replace(/:\d+$/, "");
      if (host === APP_HOST) return next();
      res.writeHead(308, { Location: `${APP_ORIGIN}${req.url ?? "/"}` });
      res.end();
    });
  },
};

let server;
try {
  server = await preview({
    configFile: "pwa/vite.config.ts",
    preview: { port: APP_PORT, strictPort: true },
    plugins: [onlyTheAppsAddress],
  });
} catch (error) {
  // Taken between the check and now.
  console.error(/already in use/i.test(String(error)) ? portTakenMessage() : String(error));
  process.exit(1);
}

console.log(`
Vitals is built and served.
  • The app: ${APP_ORIGIN}/
    Open exactly this address: your data lives with it. On first run it opens on a demo portfolio; "Clear demo data"
    in its banner removes it.
  • The browser extension (unpacked): ${resolve(".output/chrome-mv3")}
    Chrome/Chromium: chrome://extensions → Developer mode → Load unpacked → choose that folder. It takes badge data
    from the app at ${APP_ORIGIN} only.
Stop with Ctrl+C.
`);
for (const signal of ["SIGINT", "SIGTERM"]) {
  process.on(signal, () => {
    void server.close().then(() => process.exit(0));
  });
}
