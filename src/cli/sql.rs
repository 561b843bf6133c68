//! `segscope sql`: the per-customer summary of `segscope summarize` as one SQL query for a
//! warehouse table, printed on stdout (the engine's `warehouse` module writes it).

use std::path::PathBuf;

use clap::{Args, ValueEnum};

use super::session::CliSession;
use super::{
    column_override, day, file_path, print, run_error, usage, BadValue, CliResult, ColumnOverride,
    InputArgs,
};
use crate::engine::baskets::ItemLevel;
use crate::engine::calendar;
use crate::engine::clv::TimeUnit;
use crate::engine::cohorts::CohortPeriod;
use crate::engine::ingest::ColumnRole;
use crate::engine::warehouse::{
    cohort_sql, pair_sql, summary_sql, Dialect, PairSqlParams, SqlParams,
};
use crate::engine::Day;

pub(super) const HELP: &str = "\
segscope sql — the per-customer summary, the cohort matrix or the item pairs as SQL for a
warehouse table

Usage: segscope sql --dialect DIALECT --table NAME --column customer_id=HEADER
                    --column date=HEADER --column amount=HEADER [options]
       segscope sql --dialect DIALECT --table NAME --file FILE [options]

Prints one query (no trailing semicolon) that computes, inside the warehouse, what the CLI writes
from the file (--query):
  summary   segscope summarize: one row per customer with customer_id, frequency, recency, T,
            monetary_value, orders, revenue, first_order, last_order, sorted by customer_id
  cohorts   segscope cohorts --out (no split): one row per cohort and period with cohort, period,
            customers, active_customers, active_share, orders, revenue, orders_per_customer,
            revenue_per_customer, cumulative_revenue_per_customer
  pairs     segscope baskets --pairs-out: one row per pair of items bought together with item_a,
            item_b, baskets, item_a_baskets, item_b_baskets, total_baskets (support =
            baskets / total_baskets, confidence = baskets / item_a_baskets, lift = baskets x
            total_baskets / (item_a_baskets x item_b_baskets)), the most baskets first
The table's columns are the file's headers; the query casts the date to DATE (ISO text, a DATE or
a TIMESTAMP) and the amount to an exact decimal. DuckDB and Spark are tested against the CLI
(Postgres too where a server can be started); BigQuery and Snowflake are generated and parsed by
sqlglot, not run against the live services.

Options:
  --dialect DIALECT        duckdb, spark, bigquery, postgres or snowflake (required)
  --table NAME             the table or view; '.' separates its parts (project.dataset.table),
                           each quoted (required)
  --query summary|cohorts|pairs
                           what the query computes (default summary)
  --column ROLE=HEADER     the column of a role (repeatable): customer_id, date and amount are
                           required without --file; order_id is optional; pairs read product
                           (or category, with --level category). Names are quoted, so they are
                           exact (Snowflake stores unquoted names in upper case)
  --file FILE              read the column names from FILE's header with the same detection as
                           segscope rfm FILE (--column overrides it)
  --as-of YYYY-MM-DD       the observation end, inclusive: lines after it are ignored
                           (default: the table's last date)
  --calibration-end YYYY-MM-DD
                           the same as --as-of (the summary has one observation end)
  --time-unit days|weeks   summary: the unit of recency and T (default days)
  --period month|week|quarter
                           cohorts: the cohort period (default month; a week starts on Monday)
  --level product|category pairs: what an item is (default product)
  --min-count N            pairs: leave out pairs in fewer than N baskets (default 1)
  --remove-duplicates      leave exact duplicate rows out of the orders (the default when an
                           order_id column is named); the summary's purchase-model columns keep
                           them
  --keep-duplicates        keep them (the default without order_id)
  -h, --help               this help";

/// `--query`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Query {
    Summary,
    Cohorts,
    Pairs,
}

impl Query {
    fn key(self) -> &'static str {
        match self {
            Self::Summary => "summary",
            Self::Cohorts => "cohorts",
            Self::Pairs => "pairs",
        }
    }
}

/// `--period`.
#[derive(Debug, Clone, Copy, ValueEnum)]
enum Period {
    Month,
    Week,
    Quarter,
}

/// `--level`.
#[derive(Debug, Clone, Copy, ValueEnum)]
enum Level {
    Product,
    Category,
}

/// `--dialect`.
fn dialect(text: &str) -> Result<Dialect, BadValue> {
    Dialect::from_key(text).ok_or_else(|| {
        BadValue(format!(
            "--dialect expects duckdb, spark, bigquery, postgres or snowflake, got '{text}'"
        ))
    })
}

/// The roles the queries read: customer_id, date, amount and order_id, and the pair query's item.
const USED_ROLES: [ColumnRole; 6] = [
    ColumnRole::CustomerId,
    ColumnRole::Date,
    ColumnRole::Amount,
    ColumnRole::OrderId,
    ColumnRole::Product,
    ColumnRole::Category,
];

/// `segscope sql --dialect D --table NAME [options]`.
#[derive(Debug, Args)]
pub(super) struct SqlArgs {
    /// `--dialect DIALECT`.
    #[arg(long, value_name = "DIALECT", required = true, value_parser = dialect)]
    dialect: Option<Dialect>,
    /// `--table NAME`.
    #[arg(long, value_name = "NAME", required = true, allow_hyphen_values = true)]
    table: Option<String>,
    /// `--column ROLE=HEADER`, repeatable.
    #[arg(long = "column", value_name = "ROLE=HEADER", allow_hyphen_values = true, value_parser = column_override)]
    columns: Vec<ColumnOverride>,
    /// `--file FILE`: take the headers from the file's detection.
    #[arg(long, value_name = "FILE", value_parser = file_path())]
    file: Option<PathBuf>,
    /// `--as-of YYYY-MM-DD` (alias `--calibration-end`).
    #[arg(long = "as-of", visible_alias = "calibration-end", value_name = "YYYY-MM-DD", allow_hyphen_values = true, value_parser = day("--as-of"))]
    as_of_day: Option<Day>,
    /// `--time-unit days|weeks`.
    #[arg(long, value_name = "UNIT", value_parser = super::clv::time_unit)]
    time_unit: Option<TimeUnit>,
    /// `--query summary|cohorts|pairs`.
    #[arg(long, value_enum)]
    query: Option<Query>,
    /// `--period month|week|quarter` (cohorts).
    #[arg(long, value_enum)]
    period: Option<Period>,
    /// `--level product|category` (pairs).
    #[arg(long, value_enum)]
    level: Option<Level>,
    /// `--min-count N` (pairs).
    #[arg(long = "min-count", value_name = "N", allow_hyphen_values = true, value_parser = super::number("--min-count", 1..=u64::MAX))]
    min_count: Option<u64>,
    /// `--remove-duplicates`.
    #[arg(long, conflicts_with = "keep_duplicates")]
    remove_duplicates: bool,
    /// `--keep-duplicates`.
    #[arg(long)]
    keep_duplicates: bool,
}

impl SqlArgs {
    pub(super) fn run(&self) -> CliResult<()> {
        let (Some(dialect), Some(table)) = (self.dialect, self.table.clone()) else {
            return Err(usage("sql needs --dialect DIALECT and --table NAME"));
        };
        let query = self.query.unwrap_or(Query::Summary);
        let level = match self.level {
            Some(Level::Category) => ItemLevel::Category,
            _ => ItemLevel::Product,
        };
        let item_role = match level {
            ItemLevel::Product => ColumnRole::Product,
            ItemLevel::Category => ColumnRole::Category,
        };
        for (flag, used, wanted) in [
            ("--period", self.period.is_some(), Query::Cohorts),
            ("--level", self.level.is_some(), Query::Pairs),
            ("--min-count", self.min_count.is_some(), Query::Pairs),
            ("--time-unit", self.time_unit.is_some(), Query::Summary),
        ] {
            if used && query != wanted {
                eprintln!(
                    "segscope: note: {flag} is not used: it is for --query {}",
                    wanted.key()
                );
            }
        }
        let reads = |role: ColumnRole| -> bool {
            matches!(
                role,
                ColumnRole::CustomerId
                    | ColumnRole::Date
                    | ColumnRole::Amount
                    | ColumnRole::OrderId
            ) || (query == Query::Pairs && role == item_role)
        };
        for ColumnOverride { role, header } in &self.columns {
            if !reads(*role) && !header.is_empty() {
                eprintln!(
                    "segscope: note: --column {}={header} is not used: this query reads \
                     customer_id, date, amount and order_id{}",
                    role.name(),
                    if query == Query::Pairs {
                        format!(" and {}", item_role.name())
                    } else {
                        String::new()
                    }
                );
            }
        }
        let header = |role: ColumnRole| -> Option<String> {
            self.columns
                .iter()
                .rev()
                .find(|c| c.role == role)
                .map(|c| c.header.clone())
                .filter(|h| !h.is_empty())
        };
        let headers: Vec<Option<String>> = match &self.file {
            Some(file) => self.headers_of(file)?,
            None => USED_ROLES.iter().map(|role| header(*role)).collect(),
        };
        let [customer, date, amount, order, product, category] =
            <[Option<String>; 6]>::try_from(headers)
                .map_err(|_| run_error("internal: six roles expected"))?;
        let missing: Vec<&str> = [
            (&customer, "customer_id"),
            (&date, "date"),
            (&amount, "amount"),
        ]
        .into_iter()
        .filter(|(h, _)| h.is_none())
        .map(|(_, role)| role)
        .collect();
        let (Some(customer), Some(date), Some(amount)) = (customer, date, amount) else {
            return Err(usage(format!(
                "sql needs the column of {} (--column ROLE=HEADER), or --file FILE to read them",
                missing.join(", ")
            )));
        };
        let params = SqlParams {
            table,
            customer,
            date,
            amount,
            order,
            as_of: self.as_of_day,
            time_unit: self.time_unit.unwrap_or_default(),
            remove_duplicates: match (self.remove_duplicates, self.keep_duplicates) {
                (true, _) => Some(true),
                (false, true) => Some(false),
                (false, false) => None,
            },
        };
        let sql = match query {
            Query::Summary => summary_sql(dialect, &params),
            Query::Cohorts => {
                let period = match self.period {
                    Some(Period::Week) => CohortPeriod::Week,
                    Some(Period::Quarter) => CohortPeriod::Quarter,
                    _ => CohortPeriod::Month,
                };
                cohort_sql(dialect, &params, period)
            }
            Query::Pairs => {
                let item = match level {
                    ItemLevel::Product => product,
                    ItemLevel::Category => category,
                };
                let Some(item) = item else {
                    return Err(usage(format!(
                        "sql --query pairs needs the {role} column (--column {role}=HEADER, or \
                         --file FILE with one)",
                        role = item_role.name()
                    )));
                };
                let pairs = PairSqlParams::new(level, item).min_count(self.min_count.unwrap_or(1));
                pair_sql(dialect, &params, &pairs)
            }
        }
        .map_err(|e| usage(e.to_string()))?;
        print(&sql)
    }

    /// The headers of the [`USED_ROLES`] in `file`, as `segscope rfm FILE`
    /// maps them (the detection, then the `--column` overrides).
    fn headers_of(&self, file: &std::path::Path) -> CliResult<Vec<Option<String>>> {
        let input = InputArgs {
            file: file.to_path_buf(),
            sheet: None,
            columns: self.columns.clone(),
            encoding: None,
            delimiter: None,
            date_order: None,
            keep_far_dates: false,
            summary_as_of: None,
            summary_unit: None,
            // The file holds the table's lines, whatever its header looks like.
            transactions: true,
        };
        let (_, preview) = CliSession::open(&input)?;
        if !preview.has_header {
            return Err(run_error(format!(
                "{}: the file has no header row, so the table's column names are unknown; \
                 name them with --column ROLE=HEADER",
                file.display()
            )));
        }
        let mapping = input.ingest_params(&preview)?.mapping;
        let headers: Vec<Option<String>> = USED_ROLES
            .iter()
            .map(|role| {
                mapping
                    .get(*role)
                    .and_then(|column| preview.columns.get(column).cloned())
            })
            .collect();
        // The query casts text dates with CAST(… AS DATE), which reads ISO dates.
        let date_column = mapping.date;
        let sample = preview
            .rows
            .iter()
            .filter_map(|row| row.get(date_column?))
            .find(|cell| !cell.trim().is_empty());
        if let Some(cell) = sample {
            let head = cell.trim().get(..10).unwrap_or(cell.trim());
            if calendar::parse_iso_day(head).is_none() {
                eprintln!(
                    "segscope: note: {} writes dates as '{cell}'; the query's CAST(… AS DATE) \
                     reads ISO dates (YYYY-MM-DD): load that column as a DATE",
                    file.display()
                );
            }
        }
        Ok(headers)
    }
}
