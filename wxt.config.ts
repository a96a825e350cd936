import { defineConfig } from "wxt";
import { SUPPORTED_SITE_MATCHES } from "./extension/sites/hosts.ts";

/** Sites the user may enable one at a time (asked at that moment); nothing is granted up front. */
const OPTIONAL_ORIGINS = ["https://*/*", "http://*/*"];

// WXT builds the extension from extension/ into .output/<browser>-mv<N>.
export default defineConfig({
  srcDir: "extension",
  outDir: ".output",
  publicDir: "extension/public",
  // Explicit imports keep the extension readable next to core/ and pwa/, which have no auto-imports.
  imports: false,
  // The options page and the popup are Preact, like the app.
  vite: () => ({ esbuild: { jsx: "automatic", jsxImportSource: "preact" } }),
  manifest: ({ browser, manifestVersion }) => ({
    name: "Vitals: customer health badges",
    short_name: "Vitals",
    description:
      "Customer health scores next to accounts on the CRM and support pages you already use. Local only: no network calls.",
    // Narrowest set (the README says why each is there): storage for the sites the user enabled and what each tab
    // showed (the popup), scripting to run the badges in a page once it has loaded, activeTab so the popup can read
    // the address of the tab it was opened on. The built-in sites are the only host permissions up front: no content
    // script runs there, the background runs the badges in a page of theirs once it has loaded (a content script,
    // even an empty one, cost a page's own load ~12 ms). Sites beyond them are asked for at the moment the user
    // enables them (optional host permissions, one origin at a time), never up front. No file is web-accessible.
    permissions: ["storage", "scripting", "activeTab"],
    host_permissions: [...SUPPORTED_SITE_MATCHES],
    // Manifest V2 (Firefox's default build) has no optional_host_permissions: origins go in optional_permissions.
    ...(manifestVersion === 3
      ? { optional_host_permissions: OPTIONAL_ORIGINS }
      : { optional_permissions: OPTIONAL_ORIGINS }),
    icons: { 16: "icon/16.png", 48: "icon/48.png", 128: "icon/128.png" },
    ...(browser === "firefox"
      ? {
          browser_specific_settings: {
            gecko: {
              id: "badges@vitals.invalid",
              // storage.session (the popup's per-tab lists) and scripting.registerContentScripts in Manifest V2.
              strict_min_version: "140.0",
              // Firefox asks add-ons to declare what they collect: nothing leaves the device.
              data_collection_permissions: { required: ["none"] },
            },
            // Firefox for Android reads data_collection_permissions from 142.
            gecko_android: { strict_min_version: "142.0" },
          },
        }
      : {}),
  }),
});
