// The editor's versions panel: every saved version of the scorecard, with revert.
import { useEffect, useState } from "preact/hooks";
import type { ScorecardVersionRow } from "../../../../core/store/db.ts";
import { WideTable } from "../../components/wide-table.tsx";
import { client } from "../../services.ts";

export function VersionsPanel(props: { id: string; live: number; onRevert: (version: number) => void; busy: boolean }) {
  const [versions, setVersions] = useState<ScorecardVersionRow[] | null>(null);
  useEffect(() => {
    let live = true;
    void client.scorecardVersions(props.id).then((v) => live && setVersions(v));
    return () => {
      live = false;
    };
  }, [props.id, props.live]);
  return (
    <section class="card" aria-labelledby="versions-title">
      <h2 id="versions-title">Versions</h2>
      {versions === null ? (
        <p aria-busy="true">Loading versions…</p>
      ) : (
        <WideTable label="Versions">
          <table class="data versions">
            <thead>
              <tr>
                <th scope="col" class="num">
                  Version
                </th>
                <th scope="col">Saved</th>
                <th scope="col">Message</th>
                <th scope="col">
                  <span class="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {[...versions].reverse().map((v) => (
                <tr key={v.version}>
                  <td class="num">{v.version}</td>
                  <td>{new Date(v.savedAt).toLocaleString()}</td>
                  <td class="wrap">{v.message}</td>
                  <td>
                    {v.version === props.live ? (
                      <span class="pill">live</span>
                    ) : (
                      <button
                        type="button"
                        class="secondary"
                        disabled={props.busy}
                        onClick={() => props.onRevert(v.version)}
                      >
                        Revert to version {v.version}
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </WideTable>
      )}
    </section>
  );
}
