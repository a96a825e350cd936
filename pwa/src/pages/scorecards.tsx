import { useState } from "preact/hooks";
import { issuesInWords } from "../../../core/schema/issues.ts";
import { appliesWords } from "../components/scorecard-text.ts";
import { ScoredElsewhereBanner } from "../components/scored-elsewhere.tsx";
import { WideTable } from "../components/wide-table.tsx";
import { client, dataChanged, useLoad } from "../services.ts";
import { ScorecardFilesSection } from "./scorecard-import.tsx";

/** The scorecards page (`#/scorecards`): every live scorecard, with New, Duplicate, Edit, Print and Delete. */
export function ScorecardsPage() {
  const loaded = useLoad(() => client.scorecards(), []);
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ text: string; error: boolean } | null>(null);

  const remove = async (id: string, name: string) => {
    if (!confirm(`Delete the scorecard “${name}”? Its accounts are scored by the other scorecards that apply.`)) return;
    setBusy(true);
    setMessage(null);
    const refused = (why: string) => setMessage({ text: `${name} was not deleted: ${why}`, error: true });
    try {
      const deleted = await client.deleteScorecard(id);
      if (!deleted.ok) return refused(issuesInWords(deleted.issues));
      setMessage({ text: `${name} was deleted; every score was recomputed.`, error: false });
      dataChanged();
    } catch (error) {
      refused((error as Error).message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <h1>Scorecards</h1>
      <ScoredElsewhereBanner />
      <p class="muted">
        A scorecard turns an account's data into a health score: weighted factors, bands, and the accounts it applies
        to. When several apply, the one with the highest priority gives the badge's score.
      </p>
      <div class="filters">
        <a class="button" href="#/scorecards/new">
          New scorecard
        </a>
      </div>
      {message && (
        <p role={message.error ? "alert" : "status"} class={message.error ? "error" : ""}>
          {message.text}
        </p>
      )}
      {loaded.state === "loading" && <p aria-busy="true">Loading scorecards…</p>}
      {loaded.state === "error" && (
        <p role="alert" class="error">
          The scorecards could not be loaded: {loaded.message}
        </p>
      )}
      {loaded.state === "ready" && (
        <WideTable label="Live scorecards">
          <table class="data scorecards-table">
            <caption class="visually-hidden">Live scorecards</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Factors</th>
                <th scope="col">Applies to</th>
                <th scope="col" class="num">
                  Priority
                </th>
                <th scope="col" class="num">
                  Version
                </th>
                <th scope="col">Updated</th>
                <th scope="col">
                  <span class="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {loaded.value.map(({ scorecard: c, version, updatedAt }) => (
                <tr key={c.id}>
                  <th scope="row">
                    <a href={`#/scorecards/${encodeURIComponent(c.id)}`}>{c.name}</a>
                  </th>
                  <td class="wrap" title={c.factors.map((f) => f.label).join(", ")}>
                    {c.factors.length}: {c.factors.map((f) => f.label).join(", ")}
                  </td>
                  <td class="wrap">{appliesWords(c.appliesTo)}</td>
                  <td class="num">{c.priority}</td>
                  <td class="num">{version}</td>
                  <td>{new Date(updatedAt).toLocaleString()}</td>
                  <td>
                    <span class="row-actions">
                      <a href={`#/scorecards/${encodeURIComponent(c.id)}`} aria-label={`Edit ${c.name}`}>
                        Edit
                      </a>
                      <a
                        href={`#/scorecards/new?from=${encodeURIComponent(c.id)}`}
                        aria-label={`Duplicate ${c.name}`}
                        title="Make a variant of it (for another segment or stage)"
                      >
                        Duplicate
                      </a>
                      <a href={`#/scorecards/${encodeURIComponent(c.id)}/print`} aria-label={`Print ${c.name}`}>
                        Print
                      </a>
                      <a
                        href={`#/scorecards/${encodeURIComponent(c.id)}/validate`}
                        aria-label={`Validate ${c.name}`}
                        title="How well it predicted churn, and suggested weights"
                      >
                        Validate
                      </a>
                      <button
                        type="button"
                        class="secondary"
                        aria-label={`Delete ${c.name}`}
                        disabled={busy || loaded.value.length === 1}
                        title={loaded.value.length === 1 ? "The last scorecard cannot be deleted" : undefined}
                        onClick={() => void remove(c.id, c.name)}
                      >
                        Delete
                      </button>
                    </span>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </WideTable>
      )}
      <ScorecardFilesSection />
    </>
  );
}
