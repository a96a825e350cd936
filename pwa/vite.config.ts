import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import preact from "@preact/preset-vite";
import { defineConfig, type Plugin } from "vite";
import { VitePWA } from "vite-plugin-pwa";
import { APP_PORT } from "../core/schema/bridge.ts";
import { MANIFEST_HREF } from "./src/manifest-link.ts";

const root = fileURLToPath(new URL(".", import.meta.url));

/**
 * Puts the JSON Schemas (schemas/, generated from the zod schemas) in the build at schemas/<name>.schema.json: the
 * address every file Vitals writes names in its "$schema", so an editor can fetch it from the running app.
 */
function jsonSchemas(): Plugin {
  const dir = fileURLToPath(new URL("../schemas/", import.meta.url));
  return {
    name: "vitals-json-schemas",
    generateBundle() {
      for (const name of readdirSync(dir).filter((n) => n.endsWith(".schema.json"))) {
        this.emitFile({ type: "asset", fileName: `schemas/${name}`, source: readFileSync(`${dir}${name}`, "utf8") });
      }
    },
  };
}

/**
 * Starts the data worker from index.html's first script, before the app's modules load (a cold start's critical
 * path: the worker's start, its code and its first reads, then the page's render). The built page names the worker's
 * entry file (its name carries a content hash, known only once bundled); `pwa/src/services.ts` takes that worker
 * (`window.vitalsEarlyWorker`) rather than starting another. Only in a build: the dev server starts the worker from
 * the app's code as before.
 */
function earlyWorker(): Plugin {
  return {
    name: "vitals-early-worker",
    apply: "build",
    transformIndexHtml: {
      order: "post",
      handler(_html, ctx) {
        const files = Object.keys(ctx.bundle ?? {}).filter((f) => /(^|\/)data-worker-[\w-]+\.js$/.test(f));
        const entry = files.find((f) => !f.includes("data-worker-main-"));
        if (!entry)
          throw new Error(`vitals-early-worker: no data worker entry among ${files.join(", ") || "no files"}`);
        const script = [
          "try {",
          `  const worker = new Worker(${JSON.stringify(`./${entry}`)}, { type: "module", name: location.hash || "#/" });`,
          '  worker.addEventListener("error", () => (window.vitalsEarlyWorker = undefined), { once: true });',
          "  window.vitalsEarlyWorker = worker;",
          "} catch {}",
        ].join("\n");
        return [{ tag: "script", children: script, injectTo: "head-prepend" }];
      },
    },
  };
}

/**
 * Leaves the web manifest's link out of the built index.html (vite-plugin-pwa writes it there): the app adds it once
 * its first screen is up (pwa/src/manifest-link.ts says why). Listed after VitePWA, so it runs after its injection;
 * a build whose page has no such link to remove fails, rather than shipping two or none.
 */
function manifestLater(): Plugin {
  const tag = `<link rel="manifest" href="${MANIFEST_HREF}">`;
  return {
    name: "vitals-manifest-later",
    apply: "build",
    enforce: "post",
    transformIndexHtml: {
      order: "post",
      handler(html) {
        if (html.split(tag).length !== 2) throw new Error(`vitals-manifest-later: index.html has no single ${tag}`);
        return html.replace(tag, "");
      },
    },
  };
}

/** The PWA: a Preact app served from its production build, precached by a Workbox service worker. */
export default defineConfig({
  root,
  base: "./",
  publicDir: "public",
  build: {
    outDir: fileURLToPath(new URL("../dist/pwa", import.meta.url)),
    emptyOutDir: true,
    target: "es2022",
  },
  worker: { format: "es" },
  // `npm start` serves the app here, and only here: its data lives with its address (scripts/start.mjs).
  preview: { port: APP_PORT, strictPort: true },
  server: { port: 5173 },
  plugins: [
    preact(),
    jsonSchemas(),
    earlyWorker(),
    VitePWA({
      // The app asks before switching to a new version, so an edit in progress is never lost to a reload.
      registerType: "prompt",
      injectRegister: false,
      includeAssets: ["favicon.png", "icons/apple-touch-icon.png"],
      manifest: {
        id: "./",
        name: "Vitals — customer health scores",
        short_name: "Vitals",
        description: "Local-first customer health scores. Your data never leaves this device.",
        start_url: "./",
        scope: "./",
        display: "standalone",
        background_color: "#f8fafc",
        theme_color: "#0f766e",
        icons: [
          { src: "icons/icon-192.png", sizes: "192x192", type: "image/png" },
          { src: "icons/icon-512.png", sizes: "512x512", type: "image/png" },
          { src: "icons/maskable-512.png", sizes: "512x512", type: "image/png", purpose: "maskable" },
        ],
      },
      workbox: {
        globPatterns: ["**/*.{js,css,html,png,svg,webmanifest,woff2}"],
        navigateFallback: "index.html",
        cleanupOutdatedCaches: true,
        // Opens the app's database as a navigation arrives (public/open-store.js: a cold start's longest wait).
        importScripts: ["open-store.js"],
      },
    }),
    manifestLater(),
  ],
});
