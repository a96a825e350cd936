/** Help texts of the `vitals` command, written for a CSM or an analyst at a terminal. */

export const MAIN_HELP = `vitals: customer health scores from CSV exports, on your machine

Usage:
  vitals score --as-of YYYY-MM-DD [--scorecards card.json] --accounts accounts.csv [data files] [options]
  vitals check <file.json>... [data files]
  vitals help [command]
  vitals --version

Commands:
  score   score every account as of a day; CSV (one row per account) or JSON (with explanations)
  check   validate bundles, scorecards and mapping files; print every problem with its JSON path

Run "vitals <command> --help" for a command's options.
Nothing is sent anywhere: every file is read and written on this machine.
`;

const DATA_OPTIONS = `Data files (any number, read in this order; later files may name accounts earlier ones created):
  --accounts <accounts.csv>        Vitals accounts file: an "id" column, then any of name, domains, aliases,
                                   salesforce_id, hubspot_id, zendesk_id, intercom_id, freshdesk_id, parent_id,
                                   plan, segment, stage, owner, industry, region, arr, seats, start_date,
                                   renewal_date (YYYY-MM-DD); other columns become custom attributes
  --data <export.csv> --mapping <mapping.json>
                                   any CSV export (CRM accounts, support tickets, product usage…) read with a
                                   mapping file: the same JSON the app's import wizard saves (wide, long or events)
  --observations <obs.csv>         Vitals observations file: account_id, metric, day (YYYY-MM-DD), value
  A bundle given with --scorecards may also carry accounts, observations, manual inputs and overrides.
  CSV files may use "," ";" or tab separators, quoted fields, and a byte-order mark.`;

export const SCORE_HELP = `vitals score: score every account as of a day

Usage:
  vitals score --as-of YYYY-MM-DD [--scorecards card.json] --accounts accounts.csv [data files] [options]

Options:
  --as-of YYYY-MM-DD               the day to score as of; nothing observed after it is read (required)
  --scorecards <file.json>         a bundle or a single scorecard (default: the three default scorecards)
  --format csv|json                csv (default): one row per account with its primary score;
                                   json: every result with coverage, factor explanations and top drags
  --all-scorecards                 every scorecard that applies to an account, not only the primary one
  --out <file>                     write to a file instead of standard output
  --skip-rejected                  score without the rows that could not be read (they are listed on stderr)
  --allow-missing-metrics          score even when a scorecard reads a metric the data does not have (its
                                   factor counts as missing); without it that is a problem, as it is most
                                   often a typo. With the default scorecards it is only a note.

${DATA_OPTIONS}

Exit codes: 0 scored; 1 the input has problems (each printed as file:line: column: reason or
file: $.json.path: reason; nothing is scored); 2 the command was called wrongly or a file is missing.

Example:
  vitals score --as-of 2025-03-01 --scorecards bundle.json --accounts accounts.csv \\
    --data tickets.csv --mapping tickets.mapping.json --observations usage.csv --format json
`;

export const CHECK_HELP = `vitals check: validate bundles, scorecards and mapping files

Usage:
  vitals check <file.json>... [data files]

Each file is read as a bundle (it has "format": "vitals-bundle"; older versions are upgraded), a mapping (it has a
"shape"), or a single scorecard. Every problem is printed with its file and JSON path, e.g.
  card.json: $.factors[2].rule.best: worst and best must differ (every value would score the same)

With data files, check also reads them and reports metrics the scorecards use that the data does not have, and
every row that could not be read.

${DATA_OPTIONS}

Exit codes: 0 every file is valid; 1 problems were found; 2 the command was called wrongly or a file is missing.
`;
