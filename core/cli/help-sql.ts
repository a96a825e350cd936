/** Help texts of `vitals sql` and `vitals badges` (docs/warehouse.md has the whole workflow). */

export const SQL_HELP = `vitals sql: compile scorecards to one SQL query that scores every account where the data lives

Usage:
  vitals sql [--scorecards card.json] [--dialect duckdb|postgres|clickhouse] [--as-of YYYY-MM-DD] [options]

The query reads the tables of docs/formats.md ("Warehouse tables"): accounts (id, name, parent_id, arr, and a
column per attribute the scorecards read; start_date for tenure), observations (account_id, metric, day,
value), and with the options below, covered and overrides. It returns the columns of
"vitals score --format csv" (score in points, coverage and delta unrounded) and score_exact, one row per account;
with --history N, one row per account, scorecard and day (account_id, scorecard, day, score, grade, color,
score_exact).

Options:
  --scorecards <file.json>         a bundle or a single scorecard (default: the three default scorecards)
  --dialect duckdb|postgres|clickhouse
                                   the SQL engine (default duckdb)
  --as-of YYYY-MM-DD               the day to score as of (default: the latest day in observations)
  --history <days>                 a daily score for the last <days> days, computed with window functions
  --covered                        read the covered table (metric, day_from, day_to): an events import's
                                   period, inside which sum and count are 0 rather than missing
  --overrides                      read the overrides table (account_id, scorecard_id, score, grade,
                                   created_on, expires_on, seq) for the override columns
  --out <file>                     write the query to a file instead of standard output

Exit codes: 0 compiled; 1 a scorecard cannot be compiled (the message names the scorecard and factor) or
has problems; 2 the command was called wrongly or a file is missing.
`;

export const BADGES_HELP = `vitals badges: turn a results CSV into the extension's badge file

Usage:
  vitals badges --results results.csv --as-of YYYY-MM-DD [--accounts accounts.csv] [--out badges.json]

The results file has the columns of "vitals score --format csv" (from vitals score, or from the query of
vitals sql run in any engine; a score_exact column is used when present). The badge file is what the app's
"Send to extension" gives the extension; load it in the extension's options page.

Options:
  --results <results.csv>          the results, one row per account
  --as-of YYYY-MM-DD               the day the results are as of (shown on each badge)
  --accounts <accounts.csv>        a Vitals accounts file: its domains, aliases and ids in other systems let the
                                   extension recognise the accounts on a page (without it, only names match)
  --out <file>                     write to a file instead of standard output

Exit codes: 0 written; 1 the results file has problems (file:line: column: reason); 2 the command was
called wrongly or a file is missing.
`;
