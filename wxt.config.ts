import { defineConfig } from "wxt";

// WXT builds the extension from extension/ into .output/<browser>-mv<N>.
export default defineConfig({
  srcDir: "extension",
  outDir: ".output",
  publicDir: "extension/public",
  // Explicit imports keep the extension readable next to core/ and pwa/, which have no auto-imports.
  imports: false,
  // The options page and the popup are Preact, like the app.
  vite: () => ({ esbuild: { jsx: "automatic", jsxImportSource: "preact" } }),
  manifest: {
    name: "Vitals: customer health badges",
    short_name: "Vitals",
    description:
      "Customer health scores next to accounts on the CRM and support pages you already use. Local only: no network calls.",
    // Narrowest set (the README says why each is there): storage for what each tab showed (the popup),
    // scripting to run the content script on a site the user enabled, activeTab so the popup can read the address of
    // the tab it was opened on. Sites beyond the built-in ones are asked for at the moment the user enables them
    // (optional host permissions, one origin at a time), never up front.
    permissions: ["storage", "scripting", "activeTab"],
    optional_host_permissions: ["https://*/*", "http://*/*"],
    icons: { 16: "icon/16.png", 48: "icon/48.png", 128: "icon/128.png" },
  },
});
