/** Help texts of the `vitals` command, written for a CSM or an analyst at a terminal. */

export const MAIN_HELP = `vitals: customer health scores from CSV exports, on your machine

Usage:
  vitals score [--as-of YYYY-MM-DD] [--scorecards card.json] --accounts accounts.csv [data files] [options]
  vitals check <file.json>... [data files]
  vitals validate [--scorecard card.json] --accounts accounts.csv [data files] --outcomes outcomes.csv [options]
  vitals sql [--scorecards card.json] [--dialect duckdb|postgres|clickhouse] [options]
  vitals badges --results results.csv --as-of YYYY-MM-DD [--accounts accounts.csv]
  vitals diff <a.json> <b.json>
  vitals merge <mine.json> <theirs.json> [--base base.json] [-o out.json]
  vitals backup verify|restore <backup.vitals.gz> [-o bundle.json] [--scorecard-files folder]
  vitals help [command]
  vitals --version

Commands:
  score   score every account as of a day; CSV (one row per account) or JSON (with explanations)
  check   validate bundles, scorecards and mapping files; print every problem with its JSON path
  validate  backtest scorecards against what happened (churned, renewed…): AUC, churn by band, missed
          accounts, false alarms, and suggested weights with their cross-validated AUC
  sql     compile scorecards to one SQL query (DuckDB, PostgreSQL, ClickHouse) that scores every account
          where the data lives, with the same results as score
  badges  turn a results CSV (from score or from the sql query) into the extension's badge file
  diff    what changed between two scorecard files, in words, with JSON paths
  merge   a three-way merge of two scorecard files from their common version; lists conflicts
  backup  check a backup file from the app (counts, checksum), or restore its data as a bundle to score

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
                                   mapping file: the same JSON the app's import wizard saves (wide, long, events,
                                   outcomes or links); give a links file (e.g. subscriptions: account_id,
                                   subscription_id) before the files keyed by its ids; an events file's accounts
                                   with no event in its period count 0
  --observations <obs.csv>         Vitals observations file: account_id, metric, day (YYYY-MM-DD), value
  A bundle given with --scorecards may also carry accounts, observations, manual inputs and overrides.
  CSV files may use "," ";" or tab separators, quoted fields, and a byte-order mark.`;

export const SCORE_HELP = `vitals score: score every account as of a day

Usage:
  vitals score [--as-of YYYY-MM-DD] [--scorecards card.json] --accounts accounts.csv [data files] [options]

Options:
  --as-of YYYY-MM-DD               the day to score as of; nothing observed after it is read (default: the
                                   data's last day, the latest day of any observation in the data files or
                                   the bundle; a bundle's manual ratings never move it, and a rating dated
                                   after that day counts on it)
  --scorecards <file.json>         a bundle or a single scorecard (default: the three default scorecards)
  --format csv|json                csv (default): one row per account with its primary score;
                                   json: every result with coverage, factor explanations and top drags
  --all-scorecards                 every scorecard that applies to an account, not only the primary one
  --out <file>                     write to a file instead of standard output
  --engine node|duckdb             duckdb: run the compiled SQL (vitals sql) in embedded DuckDB straight from
                                   --accounts and --observations files, CSV or Parquet, streamed rather than
                                   held in memory (for files too big for the default engine; CSV output only,
                                   rows by account id; no --data files, ratings or overrides)
  --skip-rejected                  score without the rows that could not be read (they are listed on stderr;
                                   when no row is left, nothing is scored and the command says so)
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
  card.json: $.factors[2].rule.best: factor "nps": worst and best must differ (every value would score the same)

With data files, check also reads them and reports metrics the scorecards use that the data does not have, and
every row that could not be read; and it warns (exit 0) of what would leave a factor quietly missing, naming the
nearest matches and how many accounts have them: an attribute no account has (names are case-sensitive), a
category the card maps that no account has, a category the accounts have that the card does not map, values a
rule cannot read. score and validate print the same warnings. A mapping checked alone lists the columns it reads
and what check cannot know without the export (give it as --data <export.csv> --mapping <mapping.json>).

${DATA_OPTIONS}

Exit codes: 0 every file is valid; 1 problems were found; 2 the command was called wrongly or a file is missing.
`;

export const VALIDATE_HELP = `vitals validate: does the scorecard predict churn?

Usage:
  vitals validate [--scorecard card.json] --accounts accounts.csv [data files] --outcomes outcomes.csv [options]

Each account with an outcome is scored as of its outcome's day minus the horizon (nothing observed later is
read), or as of --snapshot-day. The report: how well the score ranks churn (ROC AUC), churn rate per band (with a
warning where it does not fall band by band), churned accounts caught in red, the accounts missed (churned while
green) and the false alarms (red that renewed), band thresholds that split churn best, and suggested weights from
a regularised logistic regression with their out-of-sample AUC by k-fold cross-validation beside the current
scorecard's. Then the scorecard builder: points fitted per value (each category, yes/no, and monotone numeric
steps), every attribute and metric not on the card ranked by the AUC it would add, a reference regression on every
column, a suggested card of at most --max-factors factors, and red thresholds by purpose with how many churned
accounts each catches and how many false alarms it raises. Every AUC is out-of-sample: bins and points are fitted
on the training folds only. Nothing is changed: --draft-out writes a suggestion as a scorecard to review.

Outcomes (at least one source):
  --outcomes <outcomes.csv>        Vitals outcomes file: account_id, day (YYYY-MM-DD), kind (churned, renewed,
                                   expanded, downgraded; also lost, renewal, upsell…); repeatable
  --churn-column <column>          a yes/no column of the --accounts file saying whether the account churned (a
                                   snapshot such as a churn dataset): yes is churned, no renewed; needs --snapshot-day
  --data <file.csv> --mapping <m.json>  a mapping with the "outcomes" shape, or a wide one with a churn flag
  A bundle given with --scorecard may carry outcomes too.

Options:
  --scorecard <file.json>          a bundle or a single scorecard (default: the three default scorecards);
                                   --scorecards is the same option
  --id <scorecard-id>              validate only this scorecard of the file
  --horizon <days>                 days between the score and the outcome (default 90)
  --snapshot-day YYYY-MM-DD        score every account as of this day instead; also the as-of day of a --data
                                   mapping with a churn flag and no "asOf"
  --unlisted stayed|not-renewed    what the accounts with no outcome row in the period are (default: leave-out,
                                   they are not cases). stayed: a churn-events export lists every churn, so an
                                   account with no churn event in the period stayed (scored as of the period's
                                   end minus the horizon). not-renewed: a renewals export lists every renewal, so
                                   an account whose renewal date falls in the period with no row did not renew
                                   (churned on that day); accounts renewing outside the period are left out
  --period-from YYYY-MM-DD         the period the outcomes cover, for --unlisted (default: the first outcome's
  --period-to YYYY-MM-DD           day to the last one's); outcome rows outside it are not used
  --folds <k>                      k of the cross-validation (default 5; fewer when fewer accounts churned)
  --seed <number>                  seed of the cross-validation's shuffle (default 1): same seed, same report
  --format text|json               text (default): a report to read; json: every number, for a spreadsheet or a script
  --list <n>                       how many missed accounts and false alarms to list (default 10; json 100)
  --out <file>                     write the report to a file instead of standard output
  --draft-out <file.json>          write a suggested scorecard, with its bands, under a new id and name marked as a
                                   suggestion (one scorecard: see --id)
  --draft suggested|fitted|weights which one: the suggested card (default), the card's own factors with fitted
                                   points, or the card with suggested weights (and the bands that split churn best)
  --red <15%|3x>                   the draft's red band: the 15% most at risk (default; also 5%, 10%, 20%, 30%), or
                                   red churning at 2x or 3x the base rate
  --max-factors <n>                the suggested card has at most n factors (default 7)
  --skip-rejected                  validate without the rows that could not be read (listed on stderr)
  --allow-missing-metrics          as for vitals score

${DATA_OPTIONS}

Exit codes: 0 validated; 1 the input has problems (each printed as file:line: column: reason); 2 the command was
called wrongly or a file is missing.

Example:
  vitals validate --scorecard card.json --accounts accounts.csv --observations usage.csv \\
    --outcomes outcomes.csv --horizon 90 --folds 5
`;
