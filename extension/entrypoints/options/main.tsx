import { render } from "preact";
import { useEffect, useState } from "preact/hooks";
import { DEFAULT_APP_ORIGIN } from "../../../core/schema/bridge.ts";
import { badgeDb, replaceBadgeSet } from "../../background/badge-store.ts";
import { sourceText, whenText } from "../../background/describe.ts";
import { appOrigin } from "../../background/pairing.ts";
import { readSetFile, setFileError } from "../../background/read-set-file.ts";
import { type Disabled, disableOrigin, originOf, registeredOrigins, removedText } from "../../background/sites.ts";
import { AppSource, pairWithApp } from "../../pages/app-source.tsx";
import { cannotEnable, enableSite } from "../../pages/enable-site.ts";
import { announceSetReplaced, useSetInfo } from "../../pages/shared.tsx";
import "../../pages/style.css";

type Outcome = { kind: "ok" | "error"; text: string } | null;

/** Import a badge file: parse, store whole, tell the background; a bad file changes nothing and says why. */
function ImportSection({ onImported }: { onImported: () => void }) {
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<Outcome>(null);
  const choose = async (input: HTMLInputElement) => {
    const file = input.files?.[0];
    if (!file) return;
    setBusy(true);
    setOutcome(null);
    try {
      const read = readSetFile(await file.text());
      if (!read.ok) {
        setOutcome({ kind: "error", text: setFileError(file.name, read.issues) });
        return;
      }
      const info = await replaceBadgeSet(badgeDb(), read.set, { kind: "file", fileName: file.name });
      await announceSetReplaced();
      setOutcome({
        kind: "ok",
        text: `Imported ${info.accounts.toLocaleString("en-US")} account${info.accounts === 1 ? "" : "s"} from ${file.name}, scores made ${whenText(info.generatedAt)}.`,
      });
      onImported();
    } catch (error) {
      setOutcome({
        kind: "error",
        text: `${file.name} was not imported; the badges you had are kept.\n${(error as Error).message}`,
      });
    } finally {
      setBusy(false);
      // Choosing the same file again (after fixing it) must fire another change.
      input.value = "";
    }
  };
  return (
    <section aria-labelledby="import-title">
      <h2 id="import-title">Import a badge file</h2>
      <p class="muted">
        In the Vitals app, open <strong>Data</strong> and choose <strong>Export for the extension</strong>. The file
        replaces the badges stored here. When the app runs in this browser, it updates them by itself.
      </p>
      <label>
        Import bundle{" "}
        <input
          type="file"
          accept=".json,application/json"
          disabled={busy}
          onChange={(e) => void choose(e.currentTarget)}
        />
      </label>
      {busy && <p aria-busy="true">Reading the file…</p>}
      {outcome?.kind === "ok" && <p role="status">{outcome.text}</p>}
      {outcome?.kind === "error" && (
        <p role="alert" class="error">
          {outcome.text}
        </p>
      )}
    </section>
  );
}

/**
 * The sites the user enabled, each with Remove, and a form to add one by address (the popup's "Enable on this site"
 * needs the toolbar click on that site; this works from here).
 */
function SiteList({ version, onChange }: { version: number; onChange: () => void }) {
  const [origins, setOrigins] = useState<string[] | null>(null);
  const [app, setApp] = useState<string | null>(null);
  const [address, setAddress] = useState("");
  const [outcome, setOutcome] = useState<Outcome>(null);
  useEffect(() => {
    void registeredOrigins("site").then(setOrigins, (e: unknown) =>
      setOutcome({ kind: "error", text: (e as Error).message }),
    );
    void appOrigin().then(setApp);
  }, [version]);
  const remove = async (origin: string) => {
    setOutcome(null);
    let disabled: Disabled;
    try {
      disabled = await disableOrigin("site", origin);
    } catch (e) {
      setOutcome({ kind: "error", text: `${origin} was not removed: ${(e as Error).message}` });
      return;
    }
    // Its open pages look their badges up again, and the background no longer answers them.
    await announceSetReplaced().catch(() => undefined);
    setOutcome({ kind: "ok", text: removedText(origin, disabled) });
    onChange();
  };
  const add = (event: Event) => {
    event.preventDefault();
    setOutcome(null);
    const typed = address.trim();
    const problem = app === null ? "Still loading; try again." : cannotEnable(typed, app);
    const origin = originOf(typed);
    if (problem || !origin) {
      setOutcome({ kind: "error", text: problem ?? `"${typed}" is not a web address.` });
      return;
    }
    // Straight from the submit's handler: the browser asks for the permission only during a user gesture.
    enableSite(origin).then(
      () => {
        setOutcome({
          kind: "ok",
          text: `Badges are on for ${origin} (this address only): its pages get them as they load.`,
        });
        setAddress("");
        onChange();
      },
      (e: unknown) => setOutcome({ kind: "error", text: `Not enabled on ${origin}: ${(e as Error).message}.` }),
    );
  };
  return (
    <>
      {origins === null ? (
        <p aria-busy="true">Loading…</p>
      ) : origins.length === 0 ? (
        <p class="muted">None yet.</p>
      ) : (
        <ul class="plain" aria-label="Sites you enabled">
          {origins.map((origin) => (
            <li key={origin}>
              <span>{origin}</span>
              <button type="button" onClick={() => void remove(origin)} aria-label={`Remove ${origin}`}>
                Remove
              </button>
            </li>
          ))}
        </ul>
      )}
      <form class="row" onSubmit={add}>
        <label>
          Site address{" "}
          <input
            type="url"
            placeholder="https://help.example.com"
            value={address}
            onInput={(e) => setAddress(e.currentTarget.value)}
          />
        </label>
        <button type="submit">Add site</button>
      </form>
      {outcome?.kind === "ok" && <p role="status">{outcome.text}</p>}
      {outcome?.kind === "error" && (
        <p role="alert" class="error">
          {outcome.text}
        </p>
      )}
    </>
  );
}

/**
 * The app at another address (deployed, or served elsewhere): it becomes the one app the badges come from, after
 * the browser's permission for that one origin; the app at the previous address is refused from then on.
 */
function AppAddress({ version, onChanged }: { version: number; onChanged: () => void }) {
  const [address, setAddress] = useState("");
  const [outcome, setOutcome] = useState<Outcome>(null);
  const [current, setCurrent] = useState<string | null>(null);
  useEffect(() => {
    void appOrigin().then(setCurrent);
  }, [version]);
  const use = async (origin: string) => {
    try {
      await pairWithApp(origin);
      setOutcome({ kind: "ok", text: `Badges now come from the Vitals app at ${origin}: open it and they follow it.` });
      setAddress("");
      onChanged();
    } catch (e) {
      setOutcome({ kind: "error", text: `Not switched to ${origin}: ${(e as Error).message}.` });
    }
  };
  const submit = (event: Event) => {
    event.preventDefault();
    setOutcome(null);
    const origin = originOf(address.trim());
    if (!origin) {
      setOutcome({ kind: "error", text: `"${address}" is not a web address (https://vitals.example.com).` });
      return;
    }
    // In the submit's handler: the browser asks for the permission only during a user gesture.
    void use(origin);
  };
  return (
    <>
      <form class="row" onSubmit={submit}>
        <label>
          The app's address{" "}
          <input
            type="url"
            placeholder="https://vitals.example.com"
            value={address}
            onInput={(e) => setAddress(e.currentTarget.value)}
          />
        </label>
        <button type="submit">Use this address</button>
      </form>
      {current !== null && current !== DEFAULT_APP_ORIGIN && (
        <p>
          <button type="button" onClick={() => void use(DEFAULT_APP_ORIGIN)}>
            Use {DEFAULT_APP_ORIGIN} again
          </button>
        </p>
      )}
      {outcome?.kind === "ok" && <p role="status">{outcome.text}</p>}
      {outcome?.kind === "error" && (
        <p role="alert" class="error">
          {outcome.text}
        </p>
      )}
    </>
  );
}

/** The options page: where the badges come from, importing a file, and the sites and app addresses enabled. */
function Options() {
  const [version, setVersion] = useState(0);
  const bump = () => setVersion((v) => v + 1);
  const state = useSetInfo(version);
  return (
    <main>
      <h1>Vitals options</h1>
      <section aria-labelledby="source-title">
        <h2 id="source-title">Badge data</h2>
        {state === null ? <p aria-busy="true">Loading…</p> : <p data-testid="source">{sourceText(state.info)}</p>}
      </section>
      <ImportSection onImported={bump} />
      <section aria-labelledby="sites-title">
        <h2 id="sites-title">Sites you enabled</h2>
        <p class="muted">
          Badges show on Zendesk, Salesforce, HubSpot, Intercom, Freshdesk and Gmail. For any other site, enter its
          address here, or choose <strong>Enable on this site</strong> in the Vitals toolbar button on it. Each is one
          address (scheme, host and port), asked of the browser alone.
        </p>
        <SiteList version={version} onChange={bump} />
      </section>
      <section aria-labelledby="app-title">
        <h2 id="app-title">The Vitals app</h2>
        <AppSource version={version} onChange={bump}>
          <p class="muted">
            The badges trust one app address (scheme, host and port), so no other page on this computer can change them.
            If you use the app at another address, enter it here (the browser asks for that one address).
          </p>
          <AppAddress version={version} onChanged={bump} />
        </AppSource>
      </section>
    </main>
  );
}

const root = document.getElementById("app");
if (root) render(<Options />, root);
