//! The lines a run uses and its orders, as the first CTEs of the cohort and pair queries: the
//! rule of [`crate::lines`] (and of the summary's RFM columns) in SQL.
//!
//! A line takes part when it has a customer (trimmed, not empty), a readable date and amount,
//! and is dated on or before the observation end D; exact duplicate rows (all columns equal) are
//! left out when the run removes duplicates. An order is a customer's lines with one order id, or,
//! without one (no order id column, or an empty cell), a customer's lines of one day.

use std::fmt::Write as _;

use super::{Dialect, SqlParams};
use crate::calendar::iso_day;

/// An extra text column the query reads besides customer, date, amount and order id (the item
/// of the pair query): its role (for the header) and its name in the table.
#[derive(Debug, Clone, Copy)]
pub(super) struct ExtraColumn<'a> {
    /// The CLI's role name (`product`, `category`).
    pub(super) role: &'a str,
    /// The column's name in the table.
    pub(super) name: &'a str,
}

/// The purchase rule over a group's `net` and its count of negative lines `return_lines`.
pub(super) fn purchase_rule(net: &str, return_lines: &str) -> String {
    format!("{net} > 0 OR ({net} = 0 AND {return_lines} = 0)")
}

/// A typed line is readable: a customer, a date and an amount.
const READABLE: &str = "customer_key <> '' AND line_date IS NOT NULL AND line_amount IS NOT NULL";

/// The header's settings lines: the table and its columns, the observation end (followed by
/// `unit`, the summary's unit of recency and T, when given, the duplicate rule then on a line of
/// its own), the duplicate rule (`removed` describes removed duplicates). Each line starts with
/// `-- `.
pub(super) fn settings_comment(
    dialect: Dialect,
    params: &SqlParams,
    extra: Option<ExtraColumn<'_>>,
    unit: Option<&str>,
    removed: &str,
) -> String {
    let q = |name: &str| dialect.quote(name);
    let mut columns: Vec<String> = params
        .columns()
        .iter()
        .map(|(role, name)| format!("{role} = {}", q(name)))
        .collect();
    if let Some(extra) = extra {
        columns.push(format!("{} = {}", extra.role, q(extra.name)));
    }
    let end = match params.as_of {
        Some(day) => format!("{} (inclusive)", iso_day(day)),
        None => "the table's last date (inclusive)".to_string(),
    };
    let duplicates = if params.removes_duplicates() {
        removed
    } else {
        "kept"
    };
    let rule = format!("Exact duplicate rows (all columns equal): {duplicates}.");
    let end_line = match unit {
        Some(unit) => format!("Observation end: {end}. Unit of recency and T: {unit}.\n-- {rule}"),
        None => format!("Observation end: {end}. {rule}"),
    };
    format!(
        "-- Table {table}: {columns}.\n-- {end_line}",
        table = dialect.quote_table(&params.table),
        columns = columns.join(", "),
    )
}

/// The columns that, with `customer_key`, name an order of `run_lines`: the order id and, for
/// lines without one, the day (`order_day` is the day only where the order id is empty).
pub(super) fn order_columns(params: &SqlParams) -> &'static str {
    if params.order.is_some() {
        "order_key, order_day"
    } else {
        "line_date"
    }
}

/// The select list that types a row (`customer_key, line_date, line_amount`, with an order id
/// column `order_key`, with `item` `item_key`: the trimmed text, `NULL` when empty), and what it
/// adds to step 1's comment.
pub(super) fn typed_columns(
    dialect: Dialect,
    params: &SqlParams,
    item: Option<ExtraColumn<'_>>,
) -> (String, String) {
    let q = |name: &str| dialect.quote(name);
    let text = dialect.text_type();
    let mut typed = format!(
        "        TRIM(CAST({customer} AS {text})) AS customer_key,\n\
         \x20       CAST({date} AS DATE) AS line_date,\n\
         \x20       CAST({amount} AS {decimal}) AS line_amount",
        customer = q(&params.customer),
        date = q(&params.date),
        amount = q(&params.amount),
        decimal = dialect.decimal_type(),
    );
    let mut notes = String::new();
    if let Some(order) = &params.order {
        let _ = write!(
            typed,
            ",\n        NULLIF(TRIM(CAST({} AS {text})), '') AS order_key",
            q(order)
        );
        notes.push_str(", the order id (an empty one is no order id)");
    }
    if let Some(item) = item {
        let _ = write!(
            typed,
            ",\n        NULLIF(TRIM(CAST({} AS {text})), '') AS item_key",
            q(item.name)
        );
        let _ = write!(notes, ", the {} (an empty one is no item)", item.role);
    }
    (typed, notes)
}

/// Writes `WITH` and the CTEs `all_lines` (every row of `source` typed, [`typed_columns`];
/// `source_note` ends its comment) and `observation_end` (D), steps 1 and 2.
fn write_typed_lines(
    sql: &mut String,
    dialect: Dialect,
    params: &SqlParams,
    item: Option<ExtraColumn<'_>>,
    (source, source_note): (&str, &str),
) {
    let (typed, notes) = typed_columns(dialect, params, item);
    let (end_note, end_select) = match params.as_of {
        Some(day) => (
            "as given",
            format!("    SELECT DATE '{}' AS end_date", iso_day(day)),
        ),
        None => (
            "the last date of a readable line",
            format!(
                "    SELECT MAX(line_date) AS end_date\n    FROM all_lines\n    WHERE {READABLE}"
            ),
        ),
    };
    let _ = writeln!(
        sql,
        "WITH\n\
         -- 1. Every row typed: the customer id as trimmed text, the date as a DATE, the amount as an\n\
         --    exact decimal{notes}.{source_note}\n\
         all_lines AS (\n\
         \x20   SELECT\n\
         {typed}\n\
         \x20   FROM {source}\n\
         ),\n\
         -- 2. The observation end D ({end_note}); lines dated after it are ignored.\n\
         observation_end AS (\n\
         {end_select}\n\
         ),"
    );
}

/// The `FROM` and `WHERE` of a CTE that keeps the readable lines of `source` (typed) dated on or
/// before D (no trailing newline).
pub(super) fn lines_until_end(source: &str) -> String {
    format!(
        "    FROM {source} AS l\n\
         \x20   CROSS JOIN observation_end AS e\n\
         \x20   WHERE l.{readable}\n\
         \x20     AND l.line_date <= e.end_date",
        readable = READABLE.replace(" AND line_", " AND l.line_"),
    )
}

/// The CTEs `customer_orders` (the lines of `source` grouped by `group_by`: `customer_key`,
/// `order_date` the earliest line's, `order_net`, `return_lines`) and `classified_orders` (its
/// `is_purchase`, 1 or 0, by [`purchase_rule`]; `extra`, whole lines, after `order_date`), the
/// last line `),` without a newline.
pub(super) fn order_ctes(source: &str, group_by: &str, extra: &str) -> String {
    format!(
        "customer_orders AS (\n\
         \x20   SELECT\n\
         \x20       customer_key,\n\
         \x20       MIN(line_date) AS order_date,\n\
         \x20       SUM(line_amount) AS order_net,\n\
         \x20       SUM(CASE WHEN line_amount < 0 THEN 1 ELSE 0 END) AS return_lines\n\
         \x20   FROM {source}\n\
         \x20   GROUP BY {group_by}\n\
         ),\n\
         classified_orders AS (\n\
         \x20   SELECT\n\
         \x20       customer_key,\n\
         \x20       order_date,\n\
         {extra}\
         \x20       order_net,\n\
         \x20       CASE WHEN {purchase} THEN 1 ELSE 0 END AS is_purchase\n\
         \x20   FROM customer_orders\n\
         ),",
        purchase = purchase_rule("order_net", "return_lines"),
    )
}

/// Writes `WITH` and the CTEs `all_lines` (every row typed; the distinct rows when the run removes
/// duplicates), `observation_end` (D) and `run_lines` (the lines taking part: `customer_key,
/// line_date, line_amount`, with an order id column `order_key, order_day`, with `item`
/// `item_key`: the trimmed text, `NULL` when empty), numbered from step 1. Returns the next step's
/// number.
pub(super) fn write_run_lines(
    sql: &mut String,
    dialect: Dialect,
    params: &SqlParams,
    item: Option<ExtraColumn<'_>>,
) -> u32 {
    let table = dialect.quote_table(&params.table);
    let mut columns = "l.customer_key, l.line_date, l.line_amount".to_string();
    if params.order.is_some() {
        columns.push_str(
            ",\n\
             \x20       l.order_key,\n\
             \x20       CASE WHEN l.order_key IS NULL THEN l.line_date END AS order_day",
        );
    }
    if item.is_some() {
        columns.push_str(", l.item_key");
    }
    let (source, source_note) = if params.removes_duplicates() {
        (
            format!("(SELECT DISTINCT * FROM {table}) AS distinct_rows"),
            "\n--    Exact duplicate rows (all columns equal) are read once.",
        )
    } else {
        (table, "")
    };
    write_typed_lines(sql, dialect, params, item, (&source, source_note));
    let order_note = if params.order.is_some() {
        "a customer's lines with one order id; lines without an\n\
         --    order id form one order per customer and day (order_day)"
    } else {
        "a customer's lines of one day (no order id column)"
    };
    let _ = writeln!(
        sql,
        "-- 3. The lines used: a customer, a readable date and amount, dated on or before D. An order\n\
         --    is {order_note}.\n\
         run_lines AS (\n\
         \x20   SELECT\n\
         \x20       {columns}\n\
         {filter}\n\
         ),",
        filter = lines_until_end("all_lines"),
    );
    4
}

/// Writes `WITH` and the summary's first CTEs: `all_lines` (every row of the table typed) and
/// `observation_end` (D), steps 1 and 2.
pub(super) fn write_all_lines(sql: &mut String, dialect: Dialect, params: &SqlParams) {
    let table = dialect.quote_table(&params.table);
    write_typed_lines(sql, dialect, params, None, (&table, ""));
}

/// The parameters the generators' tests use: table `tx`, columns named by their roles, with an
/// order id.
#[cfg(test)]
pub(super) fn test_params() -> SqlParams {
    SqlParams::new("tx", "customer_id", "date", "amount").order("order_id")
}

/// Asserts the final `SELECT` of `sql` names `columns` in this order (quoted in `dialect`).
#[cfg(test)]
pub(super) fn assert_select_columns(dialect: Dialect, sql: &str, columns: &[&str]) {
    let select = sql.rsplit("\nSELECT\n").next().unwrap();
    let mut at = 0;
    for column in columns {
        let alias = format!("AS {},", dialect.quote(column));
        let alias_last = format!("AS {}\n", dialect.quote(column));
        let found = select[at..]
            .find(&alias)
            .or_else(|| select[at..].find(&alias_last))
            .unwrap_or_else(|| panic!("{dialect:?}: no {column} after byte {at}"));
        at += found + 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn duplicates_are_read_once_only_when_removed() {
        let mut sql = String::new();
        let p = SqlParams::new("tx", "c", "d", "a").order("o");
        write_run_lines(&mut sql, Dialect::DuckDb, &p, None);
        assert!(sql.contains("FROM (SELECT DISTINCT * FROM \"tx\") AS distinct_rows"));
        assert!(sql.contains("CASE WHEN l.order_key IS NULL THEN l.line_date END AS order_day"));
        let mut kept = String::new();
        write_run_lines(
            &mut kept,
            Dialect::DuckDb,
            &p.clone().remove_duplicates(false),
            None,
        );
        assert!(!kept.contains("DISTINCT"), "{kept}");
        assert_eq!(order_columns(&p), "order_key, order_day");
    }

    #[test]
    fn an_item_column_is_trimmed_text_or_null() {
        let mut sql = String::new();
        let p = SqlParams::new("tx", "c", "d", "a");
        let item = ExtraColumn {
            role: "product",
            name: "商品",
        };
        write_run_lines(&mut sql, Dialect::Spark, &p, Some(item));
        assert!(
            sql.contains("NULLIF(TRIM(CAST(`商品` AS STRING)), '') AS item_key"),
            "{sql}"
        );
        assert!(sql.contains("l.item_key"), "{sql}");
        assert_eq!(order_columns(&p), "line_date");
    }
}
