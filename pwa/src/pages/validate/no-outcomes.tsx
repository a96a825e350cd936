/** What to import, and how, when there is nothing to validate against. */
export function NoOutcomes() {
  return (
    <section class="card empty-state" aria-labelledby="no-outcomes-title">
      <h2 id="no-outcomes-title">No outcomes yet</h2>
      <p>
        Validation compares the scores with what really happened to your accounts. Import your outcomes first: a CSV
        file with one row per account and event, saying which account, on what day, and what happened (churned, renewed,
        expanded or downgraded). For example:
      </p>
      <pre class="example">{"account_id,day,kind\nacme-corp,2025-03-31,churned\nglobex,2025-04-15,renewed\n"}</pre>
      <p>
        On the Data page, choose the file and “Outcomes”. A CRM or churn-dataset export with a yes/no churn column works
        too: choose “One row per account” and make that column the “Churn flag”.
      </p>
      <a class="button" href="#/data">
        Go to the Data page
      </a>
    </section>
  );
}
