//! Item-pair counts of the baskets as SQL: one definition with the engine's baskets
//! ([`crate::baskets::transactions`]) and `segscope baskets --pairs-out`.
//!
//! One row per pair of items bought together in at least `min_count` baskets, with the columns
//! `item_a, item_b, baskets, item_a_baskets, item_b_baskets, total_baskets`, sorted by `baskets`
//! (most first), then `item_a`, then `item_b` (text in byte order):
//!
//! - A basket is a purchase order of the run's lines ([`super::lines`]): a customer's lines with
//!   one order id (or of one day without one), after the duplicate rule, dated on or before D,
//!   whose net is positive, or exactly 0 without a negative line. An order that is not a purchase
//!   is no basket.
//! - Its items are the distinct products (or categories: the level) of its lines with a
//!   non-negative amount and a non-empty item; a return line adds no item, and a purchase with no
//!   item is no basket.
//! - `item_a < item_b`; `baskets` counts the baskets holding both, `item_a_baskets` and
//!   `item_b_baskets` the baskets holding each, `total_baskets` every basket. These are what
//!   the rule metrics need: support = `baskets / total_baskets`, confidence of a → b =
//!   `baskets / item_a_baskets`, lift = `baskets × total_baskets / (item_a_baskets ×
//!   item_b_baskets)`.

use std::fmt::Write as _;

use serde::{Deserialize, Serialize};

use super::lines::{order_columns, purchase_rule, settings_comment, write_run_lines, ExtraColumn};
use super::params::check_name;
use super::{Dialect, SqlParams, WarehouseError};
use crate::baskets::ItemLevel;

/// What the pair query counts: the item level, its column and the smallest count kept.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PairSqlParams {
    /// Products or categories (for the query's header).
    pub level: ItemLevel,
    /// The item column (the product or the category column).
    pub item: String,
    /// Pairs in fewer baskets are left out (0 counts as 1).
    pub min_count: u64,
}

impl PairSqlParams {
    /// Pairs of `level` items from the column `item`. Default: every pair bought together at
    /// least once (`min_count` 1).
    pub fn new(level: ItemLevel, item: impl Into<String>) -> Self {
        Self {
            level,
            item: item.into(),
            min_count: 1,
        }
    }

    /// With a smallest basket count.
    #[must_use]
    pub fn min_count(mut self, min_count: u64) -> Self {
        self.min_count = min_count;
        self
    }

    /// Checks the item column's name (not empty, no control character) and that no other role
    /// names it.
    fn check(&self, params: &SqlParams) -> Result<(), WarehouseError> {
        let role = self.level.key();
        check_name(&format!("{role} column"), &self.item)?;
        if let Some((first, _)) = params.columns().iter().find(|(_, n)| *n == self.item) {
            return Err(WarehouseError::SameColumn {
                header: self.item.clone(),
                first: (*first).to_string(),
                second: role.to_string(),
            });
        }
        Ok(())
    }
}

/// The item-pair counts of the table in `params` as one query in `dialect` (no trailing
/// semicolon). Fails when a name is empty or unusable ([`SqlParams::check`]), or the item column
/// is also another role's.
pub fn pair_sql(
    dialect: Dialect,
    params: &SqlParams,
    pairs: &PairSqlParams,
) -> Result<String, WarehouseError> {
    params.check()?;
    pairs.check(params)?;
    let q = |name: &str| dialect.quote(name);
    let role = pairs.level.key();
    let min_count = pairs.min_count.max(1);
    let item = ExtraColumn {
        role,
        name: &pairs.item,
    };
    let mut sql = String::new();
    let _ = writeln!(
        sql,
        "-- SegScope item pairs for {dialect_name}, written by `segscope sql --query pairs` (the same\n\
         -- baskets as `segscope baskets`; its --pairs-out writes these counts). One row per pair of\n\
         -- {role}s bought together in at least {min_count} basket(s), item_a < item_b:\n\
         --   item_a, item_b, baskets, item_a_baskets, item_b_baskets, total_baskets\n\
         -- support = baskets / total_baskets; confidence(a -> b) = baskets / item_a_baskets;\n\
         -- lift = baskets * total_baskets / (item_a_baskets * item_b_baskets).\n\
         {settings}",
        dialect_name = dialect.key(),
        settings = settings_comment(dialect, params, Some(item), None, "removed"),
    );
    let step = write_run_lines(&mut sql, dialect, params, Some(item));
    let order = format!("customer_key, {}", order_columns(params));
    let order_within_customer = order_columns(params);
    let purchase = purchase_rule("order_net", "return_lines");
    let (a, b) = (
        dialect.byte_order("a.item_key"),
        dialect.byte_order("b.item_key"),
    );
    let _ = write!(
        sql,
        "-- {s0}. Each line with its order's net and negative lines, and the order's number within the\n\
         --    customer.\n\
         order_lines AS (\n\
         \x20   SELECT\n\
         \x20       customer_key,\n\
         \x20       line_amount,\n\
         \x20       item_key,\n\
         \x20       SUM(line_amount) OVER (PARTITION BY {order}) AS order_net,\n\
         \x20       SUM(CASE WHEN line_amount < 0 THEN 1 ELSE 0 END) OVER (PARTITION BY {order}) AS return_lines,\n\
         \x20       DENSE_RANK() OVER (PARTITION BY customer_key ORDER BY {order_within_customer}) AS order_number\n\
         \x20   FROM run_lines\n\
         ),\n\
         -- {s1}. Baskets: purchase orders (net positive, or exactly 0 without a negative line), holding the\n\
         --    distinct {role}s of their lines with a non-negative amount; a purchase without one is no basket.\n\
         basket_items AS (\n\
         \x20   SELECT DISTINCT customer_key, order_number, item_key\n\
         \x20   FROM order_lines\n\
         \x20   WHERE ({purchase})\n\
         \x20     AND line_amount >= 0\n\
         \x20     AND item_key IS NOT NULL\n\
         ),\n\
         item_baskets AS (\n\
         \x20   SELECT item_key, COUNT(*) AS baskets\n\
         \x20   FROM basket_items\n\
         \x20   GROUP BY item_key\n\
         ),\n\
         basket_count AS (\n\
         \x20   SELECT COUNT(*) AS baskets\n\
         \x20   FROM (SELECT DISTINCT customer_key, order_number FROM basket_items) AS baskets\n\
         ),\n\
         -- {s2}. Pairs: two {role}s of one basket, the first before the second (text in byte order).\n\
         pair_baskets AS (\n\
         \x20   SELECT a.item_key AS item_a, b.item_key AS item_b, COUNT(*) AS baskets\n\
         \x20   FROM basket_items AS a\n\
         \x20   JOIN basket_items AS b\n\
         \x20     ON b.customer_key = a.customer_key\n\
         \x20    AND b.order_number = a.order_number\n\
         \x20    AND {a} < {b}\n\
         \x20   GROUP BY a.item_key, b.item_key\n\
         \x20   HAVING COUNT(*) >= {min_count}\n\
         )\n\
         -- {s3}. One row per pair, the most baskets first.\n\
         SELECT\n\
         \x20   p.item_a AS {item_a},\n\
         \x20   p.item_b AS {item_b},\n\
         \x20   p.baskets AS {baskets},\n\
         \x20   ia.baskets AS {item_a_baskets},\n\
         \x20   ib.baskets AS {item_b_baskets},\n\
         \x20   t.baskets AS {total_baskets}\n\
         FROM pair_baskets AS p\n\
         JOIN item_baskets AS ia ON ia.item_key = p.item_a\n\
         JOIN item_baskets AS ib ON ib.item_key = p.item_b\n\
         CROSS JOIN basket_count AS t\n\
         ORDER BY p.baskets DESC, {order_a}, {order_b}\n",
        s0 = step,
        s1 = step + 1,
        s2 = step + 2,
        s3 = step + 3,
        item_a = q("item_a"),
        item_b = q("item_b"),
        baskets = q("baskets"),
        item_a_baskets = q("item_a_baskets"),
        item_b_baskets = q("item_b_baskets"),
        total_baskets = q("total_baskets"),
        order_a = dialect.byte_order("p.item_a"),
        order_b = dialect.byte_order("p.item_b"),
    );
    Ok(sql)
}

#[cfg(test)]
mod tests {
    use super::super::lines::{assert_select_columns, test_params as params};
    use super::*;
    use crate::baskets::PAIRS_HEADER;

    #[test]
    fn refuses_an_item_column_of_another_role() {
        let pairs = PairSqlParams::new(ItemLevel::Product, "order_id");
        assert_eq!(
            pair_sql(Dialect::DuckDb, &params(), &pairs),
            Err(WarehouseError::SameColumn {
                header: "order_id".into(),
                first: "order_id".into(),
                second: "product".into(),
            })
        );
        let empty = PairSqlParams::new(ItemLevel::Category, "");
        assert_eq!(
            pair_sql(Dialect::DuckDb, &params(), &empty),
            Err(WarehouseError::EmptyName {
                what: "category column".into()
            })
        );
    }

    #[test]
    fn returns_the_pair_columns_and_keeps_the_min_count() {
        let pairs = PairSqlParams::new(ItemLevel::Product, "product").min_count(3);
        for dialect in Dialect::ALL {
            let sql = pair_sql(dialect, &params(), &pairs).unwrap();
            assert!(sql.contains("HAVING COUNT(*) >= 3"), "{sql}");
            assert_select_columns(dialect, &sql, &PAIRS_HEADER);
        }
        let zero = PairSqlParams::new(ItemLevel::Product, "product").min_count(0);
        let sql = pair_sql(Dialect::DuckDb, &params(), &zero).unwrap();
        assert!(sql.contains("HAVING COUNT(*) >= 1"), "{sql}");
    }

    #[test]
    fn postgres_orders_items_by_bytes() {
        let pairs = PairSqlParams::new(ItemLevel::Product, "product");
        let sql = pair_sql(Dialect::Postgres, &params(), &pairs).unwrap();
        assert!(
            sql.contains("a.item_key COLLATE \"C\" < b.item_key COLLATE \"C\""),
            "{sql}"
        );
    }
}
