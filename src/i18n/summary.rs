//! Per-customer summary files (reading one instead of transactions), the analyses a summary
//! cannot run, and the warehouse SQL that makes a summary where the data lives.

use super::{fill, t, Lang, Text};
use crate::engine::clv::TimeUnit;
use crate::engine::summary::{SummaryError, SummaryFacts};
use crate::engine::warehouse::WarehouseError;

catalog! {
    SUMMARY_DETECTED = "This looks like a per-customer summary (frequency, recency, T, monetary_value): one row per customer, as lifetimes, PyMC-Marketing, segscope summarize or the warehouse SQL write it.",
        "这看起来是按客户汇总的文件（frequency、recency、T、monetary_value）：每位客户一行，与 lifetimes、PyMC-Marketing、segscope summarize 或数据仓库 SQL 的输出格式相同。";
    SUMMARY_READ_AS = "Read it as a per-customer summary", "按客户汇总文件读取";
    SUMMARY_UNIT = "recency and T are in", "recency 和 T 的单位";
    SUMMARY_UNIT_GUESSED = "(guessed from the values: please check)", "（根据数值推测，请确认）";
    SUMMARY_AS_OF = "As-of date (the day T is counted to)", "截止日期（T 计算到的那一天）";
    SUMMARY_AS_OF_FROM_DATES = "Leave empty to take it from first_order + T.", "留空则按 first_order + T 推算。";
    SUMMARY_AS_OF_NEEDED = "The file has no first_order dates: choose the as-of date.", "文件没有 first_order 日期：请选择截止日期。";
    SUMMARY_COLUMNS = "Columns: customer id “{0}”, frequency “{1}”, recency “{2}”, T “{3}”, monetary value “{4}”.",
        "列：客户ID“{0}”、frequency“{1}”、recency“{2}”、T“{3}”、monetary value“{4}”。";
    SUMMARY_OPTIONAL_COLUMNS = "Also used: {0}.", "另外使用：{0}。";
    SUMMARY_FACTS = "Per-customer summary: {0} customers as of {1}; recency and T in {2}.",
        "按客户汇总：截至 {1} 共 {0} 位客户；recency 和 T 单位为{2}。";
    SUMMARY_REVENUE_ESTIMATED = "No revenue column: revenue is (frequency + 1) × monetary_value, so one-time buyers count 0 (lifetimes records no value for them).",
        "没有 revenue 列：收入按 (frequency + 1) × monetary_value 估算，因此只购买一次的客户计为 0（lifetimes 不记录其金额）。";
    SUMMARY_ORDERS_ESTIMATED = "No orders column: orders are frequency + 1 (one order per purchase day).",
        "没有 orders 列：订单数按 frequency + 1 计算（每个购买日一单）。";
    SUMMARY_CROWDED = "{0} rows have more repeat purchases than days of recency: their repeat purchases share days, so the models see fewer.",
        "{0} 行的复购次数多于 recency 天数：部分复购落在同一天，模型看到的复购次数会更少。";
    SUMMARY_ORDERS_RAISED = "{0} rows have fewer orders than purchase days (frequency + 1): counted as frequency + 1.",
        "{0} 行的订单数少于购买天数（frequency + 1）：按 frequency + 1 计。";
    SUMMARY_NEGATIVE_REVENUE = "{0} rows have a negative revenue: counted as 0.", "{0} 行收入为负：按 0 计。";
    SUMMARY_OFF_AS_OF = "{0} rows' first_order + T is not the as-of date: their T was counted to another day (or in another unit).",
        "{0} 行的 first_order + T 不等于截止日期：其 T 计算到了另一天（或使用了其他单位）。";
    SUMMARY_NO_MONTHS = "A per-customer summary has no order dates by month: the monthly chart needs the transactions.",
        "按客户汇总的数据没有按月的订单日期：月度图表需要交易明细。";
    NEEDS_LINES = "{0} needs the order lines, and this data is a per-customer summary. Load the transactions to use it (for data too big for the browser, run the CLI or the warehouse SQL described in the README).",
        "{0}需要订单明细，而当前数据是按客户汇总的文件。请加载交易明细后使用（数据太大无法在浏览器中处理时，可使用 README 中介绍的命令行工具或数据仓库 SQL）。";
    LINES_BASKETS = "Baskets", "购物篮分析";
    LINES_COHORTS = "Cohorts", "同期群分析";
    LINES_REPURCHASE = "Repurchase cycles", "复购周期";
    LINES_SENDTIME = "Send timing", "发送时机";
    LINES_TIERS = "Membership tiers", "会员等级";
    LINES_FORECAST = "The forecast", "预测";
    LINES_CONTACTS = "A contact list's outcomes", "联系名单的效果";
    LINES_HOLDOUT = "Holdout validation", "留出期验证";
    DROP_BAD_SUMMARY_VALUE = "a summary number that is missing, not a number, negative, not whole, or inconsistent (recency above T)",
        "汇总数值缺失、不是数字、为负、不是整数或前后矛盾（recency 大于 T）";
    DROP_REPEATED_CUSTOMER = "a customer id that repeats an earlier row's (the first row is kept)",
        "客户ID与前面某行重复（保留第一行）";
    ERR_SUMMARY_NO_PURCHASE = "No customer has a purchase on or before the as-of date.", "截止日期当天或之前没有任何客户购买。";
    ERR_SUMMARY_MISSING_COLUMN = "The summary has no “{0}” column (the columns are: {1}).", "汇总文件没有“{0}”列（现有列：{1}）。";
    ERR_SUMMARY_AS_OF = "The summary has no first_order dates: choose the as-of date (the day its T is counted to).",
        "汇总文件没有 first_order 日期：请选择截止日期（T 计算到的那一天）。";
    ERR_SUMMARY_PARSE = "The summary cannot be read at line {0}: {1}", "汇总文件第 {0} 行无法读取：{1}";
    ERR_SUMMARY_NO_ROW = "No usable row: {0} rows were left out (first: line {1}, column “{2}”, value “{3}”).",
        "没有可用的行：{0} 行被排除（第一处：第 {1} 行，“{2}”列，值“{3}”）。";
    ERR_SUMMARY_RFM = "The RFM totals could not be computed: {0}", "无法计算 RFM 汇总：{0}";
    SQL_TITLE = "Too big for this tab? Compute the summary where your data lives",
        "数据太大、浏览器无法处理？在数据所在的仓库中计算汇总";
    SQL_HELP = "SegScope writes one SQL query from the columns mapped above. Run it in your warehouse on a table with these columns, save the result as CSV and drop it here: it is a per-customer summary. The query holds no data, and nothing leaves this page.",
        "SegScope 会根据上面映射的列生成一条 SQL 查询。请在数据仓库中对含有这些列的表运行它，把结果保存为 CSV 后拖到此处：它就是按客户汇总的数据。查询中不含任何数据，也不会有任何内容离开此页面。";
    SQL_DIALECT = "Warehouse", "数据仓库";
    SQL_TABLE = "Table", "表名";
    SQL_AS_OF = "As-of date (empty: the table's last date)", "截止日期（留空则为表中最后日期）";
    SQL_WRITE = "Write the SQL", "生成 SQL";
    SQL_COPY_HINT = "Select all and copy it (Ctrl+A, Ctrl+C).", "全选并复制（Ctrl+A、Ctrl+C）。";
    SQL_TESTED = "DuckDB and Spark queries are run in SegScope's tests and equal segscope summarize to the cent; BigQuery, PostgreSQL and Snowflake queries are generated and checked by a SQL parser, not run against the live services.",
        "DuckDB 和 Spark 的查询在 SegScope 的测试中实际运行，结果与 segscope summarize 精确到分；BigQuery、PostgreSQL 和 Snowflake 的查询由 SQL 解析器检查，未在真实服务上运行。";
    SQL_WORD_TABLE = "table", "表";
    ERR_SQL_EMPTY_NAME = "The {0} name is empty.", "{0}名称为空。";
    ERR_SQL_EMPTY_PART = "The table name “{0}” has an empty part (part {1}; parts are separated by “.”).",
        "表名“{0}”中有空的部分（第 {1} 部分；各部分以“.”分隔）。";
    ERR_SQL_CONTROL = "The {0} name “{1}” holds a control character (U+{2}) at character {3}.",
        "{0}名称“{1}”的第 {3} 个字符是控制字符（U+{2}）。";
    ERR_SQL_SAME_COLUMN = "The column “{0}” is mapped to both {1} and {2}.", "列“{0}”同时被映射为{1}和{2}。";
}

/// A time unit's name, lower case.
pub fn unit_name(lang: Lang, unit: TimeUnit) -> &'static str {
    match unit {
        TimeUnit::Days => t::UNIT_DAYS,
        TimeUnit::Weeks => t::CLV_UNIT_WEEKS,
    }
    .get(lang)
}

/// The name of an analysis that needs lines, from its key in
/// [`SummaryError::NeedsTransactions`].
fn lines_analysis(lang: Lang, key: &str) -> &'static str {
    match key {
        "baskets" => t::LINES_BASKETS,
        "cohorts" => t::LINES_COHORTS,
        "repurchase" => t::LINES_REPURCHASE,
        "sendtime" => t::LINES_SENDTIME,
        "tiers" => t::LINES_TIERS,
        "forecast" => t::LINES_FORECAST,
        "holdout" => t::LINES_HOLDOUT,
        _ => t::LINES_CONTACTS,
    }
    .get(lang)
}

/// The message of a summary failure.
pub fn describe_summary_error(lang: Lang, e: &SummaryError) -> String {
    match e {
        SummaryError::NoPurchase => t::ERR_SUMMARY_NO_PURCHASE.get(lang).to_string(),
        SummaryError::Rfm(message) => fill(lang, t::ERR_SUMMARY_RFM, &[message]),
        SummaryError::MissingColumn { column, columns } => {
            fill(lang, t::ERR_SUMMARY_MISSING_COLUMN, &[column, columns])
        }
        SummaryError::AsOfRequired => t::ERR_SUMMARY_AS_OF.get(lang).to_string(),
        SummaryError::NeedsTransactions { analysis } => {
            fill(lang, t::NEEDS_LINES, &[lines_analysis(lang, analysis)])
        }
        SummaryError::Parse { line, message } => {
            fill(lang, t::ERR_SUMMARY_PARSE, &[&line.to_string(), message])
        }
        SummaryError::NoUsableRow {
            dropped,
            line,
            column,
            value,
        } => fill(
            lang,
            t::ERR_SUMMARY_NO_ROW,
            &[&dropped.to_string(), &line.to_string(), column, value],
        ),
    }
}

/// The lines the quality report shows for a summary file: what it is, then each caveat.
pub fn summary_fact_lines(lang: Lang, facts: &SummaryFacts) -> Vec<String> {
    let n = |v: u64| crate::format::grouped(v as f64, 0, ',');
    let mut lines = vec![fill(
        lang,
        t::SUMMARY_FACTS,
        &[
            &n(facts.customers),
            &crate::engine::calendar::iso_day(facts.as_of_day),
            unit_name(lang, facts.time_unit),
        ],
    )];
    if facts.revenue_estimated {
        lines.push(t::SUMMARY_REVENUE_ESTIMATED.get(lang).to_string());
    }
    if facts.orders_estimated {
        lines.push(t::SUMMARY_ORDERS_ESTIMATED.get(lang).to_string());
    }
    for (count, text) in [
        (facts.crowded_rows, t::SUMMARY_CROWDED),
        (facts.orders_raised, t::SUMMARY_ORDERS_RAISED),
        (facts.negative_revenue, t::SUMMARY_NEGATIVE_REVENUE),
        (facts.off_as_of, t::SUMMARY_OFF_AS_OF),
    ] {
        if count > 0 {
            lines.push(fill(lang, text, &[&n(count)]));
        }
    }
    lines
}

/// The message of a warehouse SQL failure (`what` names the table or a role's column).
pub fn describe_warehouse_error(lang: Lang, e: &WarehouseError) -> String {
    let what = |what: &str| match what {
        "table" => t::SQL_WORD_TABLE.get(lang).to_string(),
        other => other.to_string(),
    };
    match e {
        WarehouseError::EmptyName { what: w } => fill(lang, t::ERR_SQL_EMPTY_NAME, &[&what(w)]),
        WarehouseError::EmptyTablePart { table, part } => {
            fill(lang, t::ERR_SQL_EMPTY_PART, &[table, &part.to_string()])
        }
        WarehouseError::ControlCharacter {
            what: w,
            name,
            code,
            position,
        } => fill(
            lang,
            t::ERR_SQL_CONTROL,
            &[
                &what(w),
                name,
                &format!("{code:04X}"),
                &position.to_string(),
            ],
        ),
        WarehouseError::SameColumn {
            header,
            first,
            second,
        } => fill(lang, t::ERR_SQL_SAME_COLUMN, &[header, first, second]),
    }
}
