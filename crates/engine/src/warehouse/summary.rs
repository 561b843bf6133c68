//! The per-customer summary as SQL: one definition with `segscope summarize` (issue 16).
//!
//! One row per customer with at least one purchase day, sorted by customer id as text (byte
//! order), with the columns `customer_id, frequency, recency, T, monetary_value, orders, revenue,
//! first_order, last_order`:
//!
//! - The lines used: a customer (trimmed, not empty), a readable date and amount, dated on or
//!   before the observation end D (inclusive; default: the table's last date).
//! - The purchase rule, for days and orders alike: a group of lines is a purchase when its net
//!   (the sum of its amounts) is positive, or exactly 0 without a negative line (a free sample,
//!   a 100 % coupon); otherwise it is a return. Amounts are read as exact decimals with 6
//!   decimals (millionths) and summed exactly.
//! - Purchase-model columns (`lifetimes`' `summary_data_from_transaction_data`, `freq='D'`),
//!   over every line, exact duplicates kept: a customer's lines summed per calendar day; the
//!   purchase days give `frequency` (their count − 1), `recency` (last − first, days or weeks),
//!   `T` (D − first) and `monetary_value` (the mean net of the purchase days after the first,
//!   0 without one).
//! - RFM columns, over the lines after the duplicate rule (exact duplicate rows, all columns
//!   equal, removed when asked or by default when an order id column is named): an order is a
//!   customer's lines with one order id, or, without an order id (none mapped, or the cell
//!   empty), one day; its day is its earliest line's. `orders` counts the purchase orders,
//!   `revenue` sums every line (net of returns), `first_order` / `last_order` are the first and
//!   last purchase orders' days (`NULL` without one).
//!
//! `recency` and `T` are doubles (whole days, or days / 7), `revenue` and `monetary_value`
//! doubles converted from the exact sums, `frequency` and `orders` integers, `first_order` and
//! `last_order` dates.

use std::fmt::Write as _;

use super::lines::{lines_until_end, order_ctes, purchase_rule, settings_comment};
use super::lines::{typed_columns, write_all_lines};
use super::{Dialect, SqlParams, WarehouseError};
use crate::clv::TimeUnit;

/// The per-customer summary of the table in `params` as one query in `dialect` (no trailing
/// semicolon, so it can be wrapped in a `CREATE VIEW … AS`). Fails when a name is empty or
/// unusable ([`SqlParams::check`]).
pub fn summary_sql(dialect: Dialect, params: &SqlParams) -> Result<String, WarehouseError> {
    params.check()?;
    let q = |name: &str| dialect.quote(name);
    let double = dialect.double_type();
    let remove_duplicates = params.removes_duplicates();
    let has_order = params.order.is_some();

    let mut sql = String::new();
    // Header: what this query is and the settings it was written with.
    let unit = match params.time_unit {
        TimeUnit::Days => "days",
        TimeUnit::Weeks => "weeks (days / 7)",
    };
    let _ = writeln!(
        sql,
        "-- SegScope per-customer summary for {dialect_name}, written by `segscope sql` (the same\n\
         -- definition as `segscope summarize`). One row per customer with a purchase day:\n\
         --   customer_id, frequency, recency, T, monetary_value  the purchase models' summary\n\
         --                                                       (lifetimes' summary_data_from_transaction_data)\n\
         --   orders, revenue, first_order, last_order            the RFM columns\n\
         {settings}",
        dialect_name = dialect.key(),
        settings = settings_comment(
            dialect,
            params,
            None,
            Some(unit),
            "kept for the purchase-model columns, removed for the RFM columns"
        ),
    );

    write_all_lines(&mut sql, dialect, params);
    let line_columns = if has_order {
        "l.customer_key, l.line_date, l.line_amount, l.order_key"
    } else {
        "l.customer_key, l.line_date, l.line_amount"
    };
    let _ = writeln!(
        sql,
        "-- 3. The lines used: a customer, a readable date and amount, dated on or before D. Exact\n\
         --    duplicates are kept here (the purchase-model columns keep them, as lifetimes does).\n\
         used_lines AS (\n\
         \x20   SELECT {line_columns}\n\
         {filter}\n\
         ),",
        filter = lines_until_end("all_lines"),
    );
    let rfm_lines = if remove_duplicates {
        let _ = writeln!(
            sql,
            "-- 4. The same lines without exact duplicate rows (all columns equal), for the RFM columns.\n\
             distinct_lines AS (\n\
             \x20   SELECT\n\
             {typed}\n\
             \x20   FROM (SELECT DISTINCT * FROM {table}) AS distinct_rows\n\
             ),\n\
             rfm_lines AS (\n\
             \x20   SELECT {line_columns}\n\
             {filter}\n\
             ),",
            typed = typed_columns(dialect, params, None).0,
            table = dialect.quote_table(&params.table),
            filter = lines_until_end("distinct_lines"),
        );
        "rfm_lines"
    } else {
        let _ = writeln!(
            sql,
            "-- 4. (Exact duplicate rows are kept for the RFM columns too: they read used_lines.)"
        );
        "used_lines"
    };

    let day_purchase = purchase_rule("day_net", "return_lines");
    let _ = writeln!(
        sql,
        "-- 5. Purchase days: each customer's lines summed per calendar day. A day is a purchase when its\n\
         --    net is positive, or exactly 0 without a negative line (a free sample); else a return.\n\
         customer_days AS (\n\
         \x20   SELECT\n\
         \x20       customer_key,\n\
         \x20       line_date AS day_date,\n\
         \x20       SUM(line_amount) AS day_net,\n\
         \x20       SUM(CASE WHEN line_amount < 0 THEN 1 ELSE 0 END) AS return_lines\n\
         \x20   FROM used_lines\n\
         \x20   GROUP BY customer_key, line_date\n\
         ),\n\
         purchase_days AS (\n\
         \x20   SELECT\n\
         \x20       customer_key,\n\
         \x20       day_date,\n\
         \x20       day_net,\n\
         \x20       ROW_NUMBER() OVER (PARTITION BY customer_key ORDER BY day_date) AS day_number\n\
         \x20   FROM customer_days\n\
         \x20   WHERE {day_purchase}\n\
         ),\n\
         -- 6. Purchase-model columns per customer: repeat purchase days, the first and last purchase\n\
         --    days, the total net of the repeat days (NULL without one).\n\
         purchase_model AS (\n\
         \x20   SELECT\n\
         \x20       customer_key,\n\
         \x20       COUNT(*) - 1 AS frequency,\n\
         \x20       MIN(day_date) AS first_purchase_date,\n\
         \x20       MAX(day_date) AS last_purchase_date,\n\
         \x20       SUM(CASE WHEN day_number > 1 THEN day_net END) AS repeat_net\n\
         \x20   FROM purchase_days\n\
         \x20   GROUP BY customer_key\n\
         ),"
    );

    let (order_note, order_group) = if has_order {
        (
            "a customer's lines with one order id; lines without an order\n\
             --    id form one order per customer and day",
            "customer_key, order_key, CASE WHEN order_key IS NULL THEN line_date END",
        )
    } else {
        (
            "a customer's lines of one day (no order id column)",
            "customer_key, line_date",
        )
    };
    let _ = writeln!(
        sql,
        "-- 7. Orders (RFM columns): {order_note}. An order's day is its earliest line's; it is a\n\
         --    purchase by the rule of step 5.\n\
         {orders}\n\
         -- 8. RFM columns per customer: purchase orders, net revenue (every line, returns included),\n\
         --    the first and last purchase orders' days.\n\
         rfm AS (\n\
         \x20   SELECT\n\
         \x20       customer_key,\n\
         \x20       SUM(is_purchase) AS orders,\n\
         \x20       SUM(order_net) AS revenue,\n\
         \x20       MIN(CASE WHEN is_purchase = 1 THEN order_date END) AS first_order,\n\
         \x20       MAX(CASE WHEN is_purchase = 1 THEN order_date END) AS last_order\n\
         \x20   FROM classified_orders\n\
         \x20   GROUP BY customer_key\n\
         )",
        orders = order_ctes(rfm_lines, order_group, ""),
    );

    let in_unit = |days: String| match params.time_unit {
        TimeUnit::Days => format!("CAST({days} AS {double})"),
        TimeUnit::Weeks => format!("CAST({days} AS {double}) / 7"),
    };
    let recency = in_unit(dialect.days_between("p.first_purchase_date", "p.last_purchase_date"));
    let age = in_unit(dialect.days_between("p.first_purchase_date", "e.end_date"));
    let _ = write!(
        sql,
        "-- 9. One row per customer with a purchase day, sorted by customer id as text (byte order).\n\
         SELECT\n\
         \x20   p.customer_key AS {customer_id},\n\
         \x20   p.frequency AS {frequency},\n\
         \x20   {recency} AS {recency_name},\n\
         \x20   {age} AS {t},\n\
         \x20   CASE WHEN p.frequency = 0 THEN 0.0 ELSE CAST(p.repeat_net AS {double}) / p.frequency END AS {monetary_value},\n\
         \x20   COALESCE(r.orders, 0) AS {orders},\n\
         \x20   CAST(COALESCE(r.revenue, 0) AS {double}) AS {revenue},\n\
         \x20   r.first_order AS {first_order},\n\
         \x20   r.last_order AS {last_order}\n\
         FROM purchase_model AS p\n\
         CROSS JOIN observation_end AS e\n\
         LEFT JOIN rfm AS r ON r.customer_key = p.customer_key\n\
         ORDER BY {order_by}\n",
        customer_id = q("customer_id"),
        frequency = q("frequency"),
        recency_name = q("recency"),
        t = q("T"),
        monetary_value = q("monetary_value"),
        orders = q("orders"),
        revenue = q("revenue"),
        first_order = q("first_order"),
        last_order = q("last_order"),
        order_by = dialect.byte_order("p.customer_key"),
    );
    Ok(sql)
}

#[cfg(test)]
mod tests {
    use super::super::lines::{assert_select_columns, test_params as params};
    use super::*;
    use crate::calendar::day_from_ymd;
    use crate::summary::SUMMARY_HEADER;

    #[test]
    fn returns_the_summary_columns_in_order() {
        for dialect in Dialect::ALL {
            let sql = summary_sql(dialect, &params()).unwrap();
            assert_select_columns(dialect, &sql, &SUMMARY_HEADER);
        }
    }

    #[test]
    fn quotes_the_headers_of_the_file() {
        let p = SqlParams::new("my-project.sales.tx", "客户 ID", "下单 \"日期\"", "金额`")
            .order("order no");
        let duck = summary_sql(Dialect::DuckDb, &p).unwrap();
        assert!(
            duck.contains("TRIM(CAST(\"客户 ID\" AS VARCHAR))"),
            "{duck}"
        );
        assert!(
            duck.contains("CAST(\"下单 \"\"日期\"\"\" AS DATE)"),
            "{duck}"
        );
        assert!(
            duck.contains("FROM \"my-project\".\"sales\".\"tx\""),
            "{duck}"
        );
        let spark = summary_sql(Dialect::Spark, &p).unwrap();
        assert!(
            spark.contains("CAST(`金额``` AS DECIMAL(18, 6))"),
            "{spark}"
        );
        let bigquery = summary_sql(Dialect::BigQuery, &p).unwrap();
        assert!(
            bigquery.contains("CAST(`金额\\`` AS NUMERIC(18, 6))"),
            "{bigquery}"
        );
    }

    #[test]
    fn removes_exact_duplicates_only_for_the_rfm_columns() {
        let sql = summary_sql(Dialect::DuckDb, &params()).unwrap();
        assert!(sql.contains("FROM (SELECT DISTINCT * FROM \"tx\") AS distinct_rows"));
        assert!(sql.contains("FROM rfm_lines"));
        // The purchase days read every line.
        let days = sql.split("customer_days AS").nth(1).unwrap();
        let days = days.split("),").next().unwrap();
        assert!(days.contains("FROM used_lines"), "{days}");

        let kept = summary_sql(Dialect::DuckDb, &params().remove_duplicates(false)).unwrap();
        assert!(!kept.contains("DISTINCT"), "{kept}");
        let no_order = SqlParams::new("tx", "c", "d", "a");
        assert!(!summary_sql(Dialect::DuckDb, &no_order)
            .unwrap()
            .contains("DISTINCT"));
    }

    #[test]
    fn an_explicit_observation_end_is_a_date_literal() {
        let day = day_from_ymd(2024, 3, 5).unwrap();
        let sql = summary_sql(Dialect::Snowflake, &params().as_of(day)).unwrap();
        assert!(
            sql.contains("SELECT DATE '2024-03-05' AS end_date"),
            "{sql}"
        );
        let latest = summary_sql(Dialect::Snowflake, &params()).unwrap();
        assert!(
            latest.contains("SELECT MAX(line_date) AS end_date"),
            "{latest}"
        );
    }

    #[test]
    fn weeks_divide_recency_and_t_by_seven() {
        let sql = summary_sql(Dialect::Spark, &params().time_unit(TimeUnit::Weeks)).unwrap();
        assert!(
            sql.contains("CAST(DATEDIFF(e.end_date, p.first_purchase_date) AS DOUBLE) / 7 AS `T`")
        );
    }

    #[test]
    fn postgres_sorts_ids_by_bytes() {
        let sql = summary_sql(Dialect::Postgres, &params()).unwrap();
        assert!(
            sql.ends_with("ORDER BY p.customer_key COLLATE \"C\"\n"),
            "{sql}"
        );
    }

    #[test]
    fn without_order_ids_an_order_is_a_day() {
        let sql = summary_sql(Dialect::DuckDb, &SqlParams::new("tx", "c", "d", "a")).unwrap();
        assert!(!sql.contains("order_key"), "{sql}");
        assert!(
            sql.contains("GROUP BY customer_key, line_date\n),\nclassified_orders"),
            "{sql}"
        );
    }
}
