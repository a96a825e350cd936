import { count } from "../../../../core/text/words.ts";
import type { ValidationCase, ValidationReport } from "../../../../core/validate/validate.ts";
import { ScoreBadge } from "../../components/score-badge.tsx";
import { WideTable } from "../../components/wide-table.tsx";

/** Accounts the score got wrong, each linking to its page. */
export function CaseTable(props: {
  id: string;
  title: string;
  intro: string;
  empty: string;
  list: ValidationReport["missed"];
}) {
  const { list } = props;
  return (
    <section class="card" aria-labelledby={props.id}>
      <h2 id={props.id}>
        {props.title} <span class="muted small">({count(list.total)})</span>
      </h2>
      <p class="muted small">{props.intro}</p>
      {list.total === 0 ? (
        <p>{props.empty}</p>
      ) : (
        <>
          <WideTable label={props.title}>
            <table class="data">
              <thead>
                <tr>
                  <th scope="col">Account</th>
                  <th scope="col">Score then</th>
                  <th scope="col">Scored as of</th>
                  <th scope="col">Outcome</th>
                </tr>
              </thead>
              <tbody>
                {list.cases.map((c: ValidationCase) => (
                  <tr key={c.accountId}>
                    <th scope="row">
                      <a href={`#/accounts/${encodeURIComponent(c.accountId)}`}>{c.name}</a>
                    </th>
                    <td>
                      <ScoreBadge points={c.points} grade={c.grade} color={c.color} label={c.label} />
                    </td>
                    <td class="wrap">{c.asOf}</td>
                    <td class="wrap">
                      {c.kind} on {c.outcomeDay}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </WideTable>
          {list.total > list.cases.length && (
            <p class="muted small">The first {count(list.cases.length)} are listed.</p>
          )}
        </>
      )}
    </section>
  );
}
