import type { BandCount, BandRef, PreviewSide, ScorecardPreview } from "../../../core/worker/portfolio-api.ts";
import { signed } from "../services.ts";

type Preview = Extract<ScorecardPreview, { ok: true }>;

const COLOR_WORDS: Record<string, string> = { green: "green", yellow: "yellow", red: "red", grey: "grey" };

/** A band as chip, grade and label: colour is never the only signal. */
function BandName({ band }: { band: Pick<BandCount, "grade" | "label" | "color"> }) {
  return (
    <span class="band-name">
      <span class={`chip chip-${band.color}`} aria-hidden="true" /> {band.grade} · {band.label}
      <span class="visually-hidden"> ({COLOR_WORDS[band.color] ?? band.color})</span>
    </span>
  );
}

/** Rows of the band table: the draft's bands in order, then saved bands the draft no longer has (matched by grade). */
function bandRows(saved: PreviewSide | null, draft: PreviewSide) {
  const rows = draft.bands.map((b) => ({
    band: b,
    draft: b.accounts,
    saved: saved ? (saved.bands.find((s) => s.grade === b.grade)?.accounts ?? 0) : null,
  }));
  for (const s of saved?.bands ?? []) {
    if (!draft.bands.some((b) => b.grade === s.grade)) rows.push({ band: s, draft: 0, saved: s.accounts });
  }
  return rows;
}

function ChangeLine({ from, to }: { from: BandRef | null; to: BandRef | null }) {
  return (
    <>
      {from ? <BandName band={from} /> : <span class="muted">not scored</span>}
      <span aria-hidden="true"> → </span>
      <span class="visually-hidden"> to </span>
      {to ? <BandName band={to} /> : <span class="muted">not scored</span>}
    </>
  );
}

const points = (p: number | null) => (p === null ? "—" : String(p));

/** The live preview beside the editor: the portfolio under the draft next to the saved scorecard. */
export function PreviewPanel(props: {
  preview: Preview | null;
  stale: boolean;
  pending: boolean;
  failed: string | null;
}) {
  const { preview: p, pending, failed } = props;
  return (
    <section class="card preview-panel" aria-labelledby="preview-title" aria-busy={pending ? "true" : "false"}>
      <h2 id="preview-title">Live preview</h2>
      <p class="muted small" role="status">
        {pending ? "Updating…" : p ? `Scores as of ${p.asOf}, computed in ${Math.max(1, Math.round(p.ms))} ms.` : ""}
      </p>
      {props.stale && !pending && (
        <p class="stale-note">The draft has problems to fix: this is the preview of its last valid state.</p>
      )}
      {failed && (
        <p class="error" role="alert">
          The preview failed: {failed}
        </p>
      )}
      {p === null ? (
        failed ? null : props.stale ? (
          <p>Fix the problems listed above to see what the draft does to the portfolio.</p>
        ) : (
          <p aria-busy="true">Scoring the portfolio with the draft…</p>
        )
      ) : (
        <PreviewBody p={p} />
      )}
    </section>
  );
}

function PreviewBody({ p }: { p: Preview }) {
  const rows = bandRows(p.saved, p.draft);
  const max = Math.max(1, ...p.draft.distribution, ...(p.saved?.distribution ?? []));
  const avg = (side: PreviewSide | null) => (side?.average == null ? "—" : String(Math.round(side.average)));
  return (
    <>
      <p class="preview-summary" aria-live="polite">
        Applies to <strong>{p.draft.applies.toLocaleString("en-US")}</strong> accounts
        {p.saved ? ` (saved: ${p.saved.applies.toLocaleString("en-US")})` : ""}; gives the badge's score of{" "}
        <strong>{p.draft.primary.toLocaleString("en-US")}</strong>
        {p.saved ? ` (saved: ${p.saved.primary.toLocaleString("en-US")})` : ""}; average score {avg(p.draft)}
        {p.saved ? ` (saved: ${avg(p.saved)})` : ""}.
      </p>
      <table class="data preview-bands">
        <caption>Accounts by band</caption>
        <thead>
          <tr>
            <th scope="col">Band</th>
            <th scope="col" class="num">
              {p.saved ? "Saved" : "Now"}
            </th>
            <th scope="col" class="num">
              Draft
            </th>
            <th scope="col" class="num">
              Change
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={`${r.band.grade}-${r.band.label}-${r.band.min}`}>
              <th scope="row">
                <BandName band={r.band} />
              </th>
              <td class="num">{r.saved === null ? "—" : r.saved.toLocaleString("en-US")}</td>
              <td class="num">{r.draft.toLocaleString("en-US")}</td>
              <td class="num">{signed(r.draft - (r.saved ?? 0))}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <table class="data preview-distribution">
        <caption>Score distribution (accounts per 10 points)</caption>
        <thead>
          <tr>
            <th scope="col">Points</th>
            <th scope="col">{p.saved ? "Saved" : "Now"}</th>
            <th scope="col">Draft</th>
          </tr>
        </thead>
        <tbody>
          {p.draft.distribution.map((d, i) => {
            const s = p.saved?.distribution[i] ?? null;
            return (
              <tr key={i}>
                <th scope="row">
                  {i * 10}–{i === 9 ? 100 : i * 10 + 9}
                </th>
                <td>
                  {s !== null && <span class="dist-bar dist-saved" style={{ width: `${(100 * s) / max}%` }} />}
                  <span class="dist-n">{s === null ? "—" : s}</span>
                </td>
                <td>
                  <span class="dist-bar dist-draft" style={{ width: `${(100 * d) / max}%` }} />
                  <span class="dist-n">{d}</span>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {p.warnings.length > 0 && (
        <div class="preview-warnings">
          <h3>Warnings</h3>
          <ul>
            {p.warnings.map((w) => (
              <li key={w.path}>
                <code>{w.path}</code>: {w.message}
              </li>
            ))}
          </ul>
        </div>
      )}
      <h3 id="changes-title">Accounts that would change grade ({p.changesTotal.toLocaleString("en-US")})</h3>
      {p.changesTotal === 0 ? (
        <p class="muted">No account changes grade.</p>
      ) : (
        <>
          <ul class="band-changes" aria-labelledby="changes-title">
            {p.changes.map((c) => (
              <li key={c.id}>
                <a href={`#/accounts/${encodeURIComponent(c.id)}`}>{c.name}</a>
                <span>
                  <ChangeLine from={c.from} to={c.to} />
                </span>
                <span class="muted change-points">
                  {points(c.before)} → {points(c.after)} points
                </span>
              </li>
            ))}
          </ul>
          {p.changesTotal > p.changes.length && (
            <p class="muted">
              The first {p.changes.length} of {p.changesTotal.toLocaleString("en-US")} are listed.
            </p>
          )}
        </>
      )}
    </>
  );
}
