//! The cohort matrix as SQL: one definition with `segscope cohorts --out` (without a split; the
//! engine's is in [`crate::cohorts::analysis`]).
//!
//! One row per cohort and period since, oldest cohort first, with the columns `cohort, period,
//! customers, active_customers, active_share, orders, revenue, orders_per_customer,
//! revenue_per_customer, cumulative_revenue_per_customer`:
//!
//! - The lines and orders are the run's ([`super::lines`]): a customer's lines with one order id
//!   (or of one day without one), after the duplicate rule, dated on or before D. An order's day
//!   is its earliest line's; it is a purchase when its net is positive, or exactly 0 without a
//!   negative line (amounts summed as exact decimals).
//! - Periods: calendar months (`2024-03`), ISO weeks from Monday (named by their Monday,
//!   `2024-03-04`) or calendar quarters (`2024-Q1`). An order belongs to the period of its day.
//! - A customer's cohort is the period of their first purchase; customers without a purchase
//!   belong to none.
//! - The cells of a cohort run from period 0 to the run's last period, that of the latest order
//!   (a purchase or a return), empty ones included. Only the latest [`MAX_PERIODS`] cohorts are
//!   kept, as in the app.
//! - Period `p` of a cohort: `active_customers` are its customers with a purchase in the period
//!   `p` periods after their cohort's, `orders` their purchases, `revenue` the net of all their
//!   orders in it (returns included; orders before the first purchase's period are left out).
//!   `active_share`, `orders_per_customer` and `revenue_per_customer` divide by the cohort's
//!   customers, `cumulative_revenue_per_customer` divides the revenue of periods 0..=p.
//!
//! The app refuses a run whose cohorts all fall in its last period (one column); the query
//! returns that one column.

use std::fmt::Write as _;

use super::lines::{order_columns, order_ctes, settings_comment, write_run_lines};
use super::{Dialect, SqlParams, WarehouseError};
use crate::cohorts::{CohortPeriod, MAX_PERIODS};

/// The Monday that starts week number 0 ([`CohortPeriod::index`]).
const FIRST_MONDAY: &str = "DATE '1970-01-05'";

/// The period number of the date `date` ([`CohortPeriod::index`]: consecutive periods differ by 1).
fn period_index(dialect: Dialect, period: CohortPeriod, date: &str) -> String {
    match period {
        CohortPeriod::Month => format!(
            "CAST(EXTRACT(YEAR FROM {date}) * 12 + EXTRACT(MONTH FROM {date}) - 1 AS BIGINT)"
        ),
        CohortPeriod::Quarter => format!(
            "CAST(EXTRACT(YEAR FROM {date}) * 4 + EXTRACT(QUARTER FROM {date}) - 1 AS BIGINT)"
        ),
        CohortPeriod::Week => format!(
            "CAST(FLOOR({} / 7.0) AS BIGINT)",
            dialect.days_between(FIRST_MONDAY, date)
        ),
    }
}

/// The name of the period numbered `index` that holds the date `date` ([`CohortPeriod::label`]).
fn period_label(dialect: Dialect, period: CohortPeriod, index: &str, date: &str) -> String {
    let text = dialect.text_type();
    let part = |field: &str, width: u32| {
        format!("LPAD(CAST(CAST(EXTRACT({field} FROM {date}) AS INTEGER) AS {text}), {width}, '0')")
    };
    match period {
        CohortPeriod::Month => format!("{} || '-' || {}", part("YEAR", 4), part("MONTH", 2)),
        CohortPeriod::Quarter => format!("{} || '-Q' || {}", part("YEAR", 4), part("QUARTER", 1)),
        CohortPeriod::Week => {
            dialect.iso_text(&dialect.add_days(FIRST_MONDAY, &format!("7 * {index}")))
        }
    }
}

/// The cohort matrix of the table in `params` by `period` as one query in `dialect` (no trailing
/// semicolon). Fails when a name is empty or unusable ([`SqlParams::check`]).
pub fn cohort_sql(
    dialect: Dialect,
    params: &SqlParams,
    period: CohortPeriod,
) -> Result<String, WarehouseError> {
    params.check()?;
    let q = |name: &str| dialect.quote(name);
    let double = dialect.double_type();
    let mut sql = String::new();
    let period_name = match period {
        CohortPeriod::Month => "calendar months (2024-03)",
        CohortPeriod::Week => "ISO weeks from Monday, named by their Monday (2024-03-04)",
        CohortPeriod::Quarter => "calendar quarters (2024-Q1)",
    };
    let _ = writeln!(
        sql,
        "-- SegScope cohort matrix for {dialect_name}, written by `segscope sql --query cohorts` (the\n\
         -- same definition as `segscope cohorts --out`, without a split). One row per cohort (the\n\
         -- period of a customer's first purchase) and period since, oldest cohort first:\n\
         --   cohort, period, customers, active_customers, active_share, orders, revenue,\n\
         --   orders_per_customer, revenue_per_customer, cumulative_revenue_per_customer\n\
         -- Periods: {period_name}.\n\
         {settings}",
        dialect_name = dialect.key(),
        settings = settings_comment(dialect, params, None, None, "removed"),
    );
    let step = write_run_lines(&mut sql, dialect, params, None);
    let group_by = format!("customer_key, {}", order_columns(params));
    let order_period = format!(
        "        {} AS order_period,\n",
        period_index(dialect, period, "order_date")
    );
    let _ = writeln!(
        sql,
        "-- {step}. Orders: a customer's lines of one order, its day the earliest line's, its net the sum of\n\
         --    its lines; a purchase when the net is positive, or exactly 0 without a negative line\n\
         --    (a free sample); else a return. Its period is its day's.\n\
         {orders}",
        orders = order_ctes("run_lines", &group_by, &order_period),
    );
    let _ = writeln!(
        sql,
        "-- {s1}. The run's last period: that of its latest order (a purchase or a return).\n\
         last_period AS (\n\
         \x20   SELECT MAX(order_period) AS last_index\n\
         \x20   FROM classified_orders\n\
         ),\n\
         -- {s2}. Each customer's cohort: the period of their first purchase (customers without a purchase\n\
         --    belong to none). The latest {max} cohorts are kept, as in the app.\n\
         customer_cohorts AS (\n\
         \x20   SELECT\n\
         \x20       customer_key,\n\
         \x20       MIN(order_period) AS cohort_period,\n\
         \x20       MIN(order_date) AS first_purchase_date\n\
         \x20   FROM classified_orders\n\
         \x20   WHERE is_purchase = 1\n\
         \x20   GROUP BY customer_key\n\
         ),\n\
         kept_customers AS (\n\
         \x20   SELECT c.customer_key, c.cohort_period, c.first_purchase_date\n\
         \x20   FROM customer_cohorts AS c\n\
         \x20   CROSS JOIN last_period AS l\n\
         \x20   WHERE c.cohort_period > l.last_index - {max}\n\
         ),\n\
         cohorts AS (\n\
         \x20   SELECT\n\
         \x20       cohort_period,\n\
         \x20       MIN(first_purchase_date) AS cohort_date,\n\
         \x20       COUNT(*) AS customers\n\
         \x20   FROM kept_customers\n\
         \x20   GROUP BY cohort_period\n\
         ),\n\
         -- {s3}. Per cohort and period since: the customers with a purchase, the purchases, the net of every\n\
         --    order (returns included; orders before the cohort's period are left out).\n\
         cohort_activity AS (\n\
         \x20   SELECT\n\
         \x20       c.cohort_period,\n\
         \x20       o.order_period - c.cohort_period AS period_number,\n\
         \x20       COUNT(DISTINCT CASE WHEN o.is_purchase = 1 THEN o.customer_key END) AS active_customers,\n\
         \x20       SUM(o.is_purchase) AS purchases,\n\
         \x20       SUM(o.order_net) AS net\n\
         \x20   FROM kept_customers AS c\n\
         \x20   JOIN classified_orders AS o ON o.customer_key = c.customer_key\n\
         \x20   WHERE o.order_period >= c.cohort_period\n\
         \x20   GROUP BY c.cohort_period, o.order_period - c.cohort_period\n\
         ),\n\
         -- {s4}. Every cell: each cohort's periods from 0 to the run's last (at most {max}; no activity is 0).\n\
         digits AS (\n\
         \x20   SELECT 0 AS digit UNION ALL SELECT 1 UNION ALL SELECT 2 UNION ALL SELECT 3 UNION ALL SELECT 4\n\
         \x20   UNION ALL SELECT 5 UNION ALL SELECT 6 UNION ALL SELECT 7 UNION ALL SELECT 8 UNION ALL SELECT 9\n\
         ),\n\
         period_numbers AS (\n\
         \x20   SELECT h.digit * 100 + t.digit * 10 + u.digit AS period_number\n\
         \x20   FROM digits AS h\n\
         \x20   CROSS JOIN digits AS t\n\
         \x20   CROSS JOIN digits AS u\n\
         \x20   WHERE h.digit * 100 + t.digit * 10 + u.digit < {max}\n\
         ),\n\
         cells AS (\n\
         \x20   SELECT c.cohort_period, c.cohort_date, c.customers, n.period_number\n\
         \x20   FROM cohorts AS c\n\
         \x20   CROSS JOIN last_period AS l\n\
         \x20   CROSS JOIN period_numbers AS n\n\
         \x20   WHERE n.period_number <= l.last_index - c.cohort_period\n\
         )",
        s1 = step + 1,
        s2 = step + 2,
        s3 = step + 3,
        s4 = step + 4,
        max = MAX_PERIODS,
    );
    let revenue = format!("CAST(COALESCE(a.net, 0) AS {double})");
    let _ = write!(
        sql,
        "-- {s5}. One row per cohort and period, oldest cohort first.\n\
         SELECT\n\
         \x20   {label} AS {cohort},\n\
         \x20   x.period_number AS {period},\n\
         \x20   x.customers AS {customers},\n\
         \x20   COALESCE(a.active_customers, 0) AS {active_customers},\n\
         \x20   CAST(COALESCE(a.active_customers, 0) AS {double}) / x.customers AS {active_share},\n\
         \x20   COALESCE(a.purchases, 0) AS {orders},\n\
         \x20   {revenue} AS {revenue_name},\n\
         \x20   CAST(COALESCE(a.purchases, 0) AS {double}) / x.customers AS {orders_per_customer},\n\
         \x20   {revenue} / x.customers AS {revenue_per_customer},\n\
         \x20   CAST(SUM(COALESCE(a.net, 0)) OVER (\n\
         \x20       PARTITION BY x.cohort_period\n\
         \x20       ORDER BY x.period_number\n\
         \x20       ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW\n\
         \x20   ) AS {double}) / x.customers AS {cumulative}\n\
         FROM cells AS x\n\
         LEFT JOIN cohort_activity AS a\n\
         \x20   ON a.cohort_period = x.cohort_period AND a.period_number = x.period_number\n\
         ORDER BY x.cohort_period, x.period_number\n",
        s5 = step + 5,
        label = period_label(dialect, period, "x.cohort_period", "x.cohort_date"),
        cohort = q("cohort"),
        period = q("period"),
        customers = q("customers"),
        active_customers = q("active_customers"),
        active_share = q("active_share"),
        orders = q("orders"),
        revenue_name = q("revenue"),
        orders_per_customer = q("orders_per_customer"),
        revenue_per_customer = q("revenue_per_customer"),
        cumulative = q("cumulative_revenue_per_customer"),
    );
    Ok(sql)
}

#[cfg(test)]
mod tests {
    use super::super::lines::{assert_select_columns, test_params as params};
    use super::*;
    use crate::cohorts::COHORTS_HEADER;

    #[test]
    fn returns_the_export_columns_in_order() {
        for dialect in Dialect::ALL {
            let sql = cohort_sql(dialect, &params(), CohortPeriod::Week).unwrap();
            assert_select_columns(dialect, &sql, &COHORTS_HEADER);
        }
    }

    #[test]
    fn periods_are_numbered_like_the_engines() {
        let month = period_index(Dialect::DuckDb, CohortPeriod::Month, "d");
        assert_eq!(
            month,
            "CAST(EXTRACT(YEAR FROM d) * 12 + EXTRACT(MONTH FROM d) - 1 AS BIGINT)"
        );
        let week = period_index(Dialect::Spark, CohortPeriod::Week, "d");
        assert_eq!(
            week,
            "CAST(FLOOR(DATEDIFF(d, DATE '1970-01-05') / 7.0) AS BIGINT)"
        );
        // The engine's week 0 starts on that Monday.
        assert_eq!(CohortPeriod::Week.label(0), "1970-01-05");
        let quarter = period_label(Dialect::Postgres, CohortPeriod::Quarter, "i", "d");
        assert!(
            quarter.ends_with(
                "|| '-Q' || LPAD(CAST(CAST(EXTRACT(QUARTER FROM d) AS INTEGER) AS TEXT), 1, '0')"
            ),
            "{quarter}"
        );
    }

    #[test]
    fn keeps_the_latest_cohorts_as_the_app_does() {
        let sql = cohort_sql(Dialect::DuckDb, &params(), CohortPeriod::Month).unwrap();
        assert!(
            sql.contains(&format!("c.cohort_period > l.last_index - {MAX_PERIODS}")),
            "{sql}"
        );
    }
}
