import { defineConfig } from "wxt";

// WXT builds the extension from extension/ into .output/<browser>-mv<N>.
export default defineConfig({
  srcDir: "extension",
  outDir: ".output",
  publicDir: "extension/public",
  // Explicit imports keep the extension readable next to core/ and pwa/, which have no auto-imports.
  imports: false,
  manifest: {
    name: "Vitals: customer health badges",
    short_name: "Vitals",
    description:
      "Customer health scores next to accounts on the CRM and support pages you already use. Local only: no network calls.",
    // Narrowest set: storage for the badge index. Sites beyond the built-in ones are asked for at the moment
    // the user enables them (optional host permissions), never up front.
    permissions: ["storage"],
    icons: { 16: "icon/16.png", 48: "icon/48.png", 128: "icon/128.png" },
  },
});
