// `npm start`: builds the PWA and the extension, then serves the PWA's production build on
// http://localhost:5173 (or the next free port, which Vite prints).
import { spawn, spawnSync } from "node:child_process";
import { resolve } from "node:path";

for (const script of ["build:pwa", "build:ext"]) {
  const { status } = spawnSync("npm", ["run", "--silent", script], { stdio: "inherit" });
  if (status !== 0) {
    console.error(`\nnpm run ${script} failed (exit ${status}); nothing was started.`);
    process.exit(status ?? 1);
  }
}

console.log(`
Vitals is built.
  • The app: open the URL below. On first run it opens on a demo portfolio; "Clear demo data" in its banner removes it.
  • The browser extension (unpacked): ${resolve(".output/chrome-mv3")}
    Chrome/Chromium: chrome://extensions → Developer mode → Load unpacked → choose that folder.
`);

const server = spawn("npx", ["vite", "preview", "--config", "pwa/vite.config.ts", "--port", "5173"], {
  stdio: "inherit",
});
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => server.kill(signal));
server.on("exit", (code) => process.exit(code ?? 0));
