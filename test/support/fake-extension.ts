import { fakeBrowser } from "wxt/testing/fake-browser";

/** A content script registered at run time, as the fake scripting API keeps it. */
export type FakeScript = {
  id: string;
  matches?: string[];
  js?: string[];
  css?: string[];
  persistAcrossSessions?: boolean;
};

/**
 * The scripting and permissions APIs (not in WXT's fake browser) as small in-memory fakes: the registered scripts,
 * and the `granted` origins (permissions.remove takes them away). The manifest is the extension's name and version,
 * with `contentScripts` as its content_scripts when given. Returns both, for a test to look into.
 */
export function fakeExtensionApis(
  granted: string[],
  contentScripts?: { matches: string[]; js: string[] }[],
): { scripts: FakeScript[]; origins: Set<string> } {
  const scripts: FakeScript[] = [];
  const origins = new Set(granted);
  fakeBrowser.scripting = {
    ...fakeBrowser.scripting,
    getRegisteredContentScripts: async (filter?: { ids?: string[] }) =>
      scripts.filter((s) => !filter?.ids || filter.ids.includes(s.id)),
    registerContentScripts: async (list: FakeScript[]) => {
      scripts.push(...list);
    },
    unregisterContentScripts: async (filter?: { ids?: string[] }) => {
      for (const id of filter?.ids ?? [])
        scripts.splice(
          scripts.findIndex((s) => s.id === id),
          1,
        );
    },
  } as unknown as typeof fakeBrowser.scripting;
  fakeBrowser.permissions = {
    ...fakeBrowser.permissions,
    contains: async (p: { origins?: string[] }) => (p.origins ?? []).every((o) => origins.has(o)),
    remove: async (p: { origins?: string[] }) => {
      for (const o of p.origins ?? []) origins.delete(o);
      return true;
    },
  } as unknown as typeof fakeBrowser.permissions;
  fakeBrowser.runtime.getManifest = () =>
    ({
      manifest_version: 3,
      name: "Vitals",
      version: "0.1.0",
      ...(contentScripts ? { content_scripts: contentScripts } : {}),
    }) as ReturnType<typeof fakeBrowser.runtime.getManifest>;
  return { scripts, origins };
}
