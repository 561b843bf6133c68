//! The lifecycle page: cohorts by first purchase (later: repurchase cycles, send timing, tiers,
//! forecasts), their charts and errors.

use super::{fill, t, Lang, Text};
use crate::engine::cohorts::{CohortError, CohortPeriod, CohortSplit};
use crate::engine::repurchase::RepurchaseError;

catalog! {
    REPURCHASE_TITLE = "Repurchase cycles: who is due to buy again", "复购周期：谁该再次购买了";
    REPURCHASE_HELP = "For each item, how long customers take to buy it again (Kaplan–Meier: customers who have not bought again yet count until today). A customer's next purchase of an item is expected after the item's median cycle, or after their own when they have bought it again three times or more (pulled toward the item's).", "对每件商品，客户多久会再次购买（Kaplan–Meier 方法：尚未回购的客户计算到今天）。客户下次购买某商品的预期时间为该商品的中位周期；若其已回购三次及以上，则用其自身周期（向商品周期收缩）。";
    REPURCHASE_WINDOW = "Due within ± days", "到期窗口（± 天）";
    REPURCHASE_RUN = "Find who is due", "查找到期客户";
    REPURCHASE_SUMMARY = "{0} items bought again; {1} customer × item pairs with an expected next purchase; {2} due within {3} days of {4}.", "{0} 种商品有回购；{1} 个客户 × 商品组合有预期下次购买；其中 {2} 个在 {4} 前后 {3} 天内到期。";
    REPURCHASE_COL_ITEM = "Item", "商品";
    REPURCHASE_COL_CUSTOMERS = "Customers", "客户数";
    REPURCHASE_COL_REPEATS = "Repeat purchases", "回购次数";
    REPURCHASE_COL_MEDIAN = "Median days", "中位天数";
    REPURCHASE_COL_Q25 = "25 % within", "25% 在…天内";
    REPURCHASE_COL_Q75 = "75 % within", "75% 在…天内";
    REPURCHASE_NEVER = "not reached", "未达到";
    REPURCHASE_DUE_TITLE = "Due now", "当前到期";
    REPURCHASE_COL_CUSTOMER = "Customer", "客户";
    REPURCHASE_COL_LAST = "Last purchase", "上次购买";
    REPURCHASE_COL_EXPECTED = "Expected", "预期日期";
    REPURCHASE_COL_OVERDUE = "Days overdue", "逾期天数";
    REPURCHASE_COL_OWN = "Own cycles", "自身周期数";
    REPURCHASE_DUE_MORE = "The {0} most overdue of {1}; the export has all.", "显示逾期最久的 {0} 个（共 {1} 个）；导出文件包含全部。";
    REPURCHASE_OPEN_TABLE = "Open the due customers in the customer table", "在客户表中查看到期客户";
    COL_REPURCHASE_DUE = "Due to rebuy", "复购到期";
    COL_COHORT = "Cohort", "同期群";
    COHORTS_OPEN = "Open this cohort's customers in the customer table (all groups)", "在客户表中查看该同期群的客户（所有分组）";
    COL_REPURCHASE_EXPECTED = "Expected rebuy", "预期复购日";
    DUE_OVERDUE = "Overdue", "已逾期";
    DUE_SOON = "Due soon", "即将到期";
    EXPORT_DUE = "Due list (CSV)", "到期名单 (CSV)";
    EXPORT_DUE_XLSX = "Due list (Excel)", "到期名单 (Excel)";
    ERR_REPURCHASE_NO_PRODUCT = "The file has no product column, so there is no item to buy again. Map a column to Product (or Category).", "文件没有商品列，无法计算复购。请在列映射中设置“商品”（或“品类”）列。";
    ERR_REPURCHASE_NO_CATEGORY = "The file has no category column. Choose Product, or map a column to Category.", "文件没有品类列。请选择“商品”，或在列映射中设置“品类”列。";
    ERR_REPURCHASE_NO_REPEATS = "No customer bought the same item twice, so there is no cycle to measure.", "没有客户重复购买同一商品，无法计算复购周期。";
    ERR_REPURCHASE_WINDOW = "The due window must be 0 to 365 days, not {0}.", "到期窗口须为 0 到 365 天，不能是 {0}。";
    NAV_LIFECYCLE = "Lifecycle", "生命周期";
    PROGRESS_LIFECYCLE = "Following the customers through time", "正在按时间追踪客户";
    COHORTS_TITLE = "Cohorts: do customers come back?", "同期群：客户是否回购？";
    COHORTS_HELP = "A cohort is the customers whose first purchase fell in the same period. Each row follows one cohort: the share of its customers who bought again in each period after the first, and what they spent. Returns count in the revenue of the period they fall in.", "同期群指首次购买落在同一时期的客户。每一行追踪一个同期群：之后每个时期再次购买的客户占比及其消费。退货计入其发生时期的销售额。";
    COHORTS_PERIOD = "Period", "周期";
    COHORTS_PERIOD_MONTH = "Month", "月";
    COHORTS_PERIOD_WEEK = "Week", "周";
    COHORTS_PERIOD_QUARTER = "Quarter", "季度";
    COHORTS_SPLIT = "Split by first purchase's", "按首次购买的…拆分";
    COHORTS_SPLIT_NONE = "No split", "不拆分";
    COHORTS_SPLIT_PRODUCT = "Product", "商品";
    COHORTS_SPLIT_CATEGORY = "Category", "品类";
    COHORTS_SPLIT_REGION = "Region", "区域";
    COHORTS_SPLIT_CHANNEL = "Channel", "渠道";
    COHORTS_METRIC = "Show", "显示";
    COHORTS_METRIC_ACTIVE = "Share active", "活跃占比";
    COHORTS_METRIC_REVENUE = "Revenue per customer", "人均销售额";
    COHORTS_METRIC_LTV = "Cumulative revenue per customer (LTV)", "累计人均销售额 (LTV)";
    COHORTS_RUN = "Form cohorts", "生成同期群";
    COHORTS_GROUP = "Group", "分组";
    COHORTS_ALL = "All customers", "全部客户";
    COHORTS_OTHER = "other", "其他";
    COHORTS_SUMMARY = "{0} cohorts of {1} customers, up to {2}. Worker: {3} ms.", "共 {0} 个同期群、{1} 位客户，截至 {2}。耗时 {3} 毫秒。";
    COHORTS_WITHOUT = "{0} customers have no purchase (only returns) and belong to no cohort.", "{0} 位客户没有购买（只有退货），不属于任何同期群。";
    COHORTS_OLDER = "{0} customers of cohorts older than the {1} periods shown are left out.", "早于所显示 {1} 个周期的同期群共 {0} 位客户，未计入。";
    COHORTS_COL_COHORT = "Cohort", "同期群";
    COHORTS_COL_CUSTOMERS = "Customers", "客户数";
    COHORTS_COL_PERIOD = "+{0}", "+{0}";
    COHORTS_AVERAGE = "Average (weighted)", "加权平均";
    EXPORT_COHORTS = "Cohort matrix (CSV)", "同期群矩阵 (CSV)";
    EXPORT_COHORTS_XLSX = "Cohort matrix (Excel)", "同期群矩阵 (Excel)";
    CHART_COHORTS_HEATMAP = "Cohorts by periods since the first purchase", "各同期群首购后各期表现";
    CHART_COHORTS_CURVES = "Average curve by group", "各分组平均曲线";
    CHART_COHORTS_AXIS_PERIOD = "Periods since the first purchase", "首购后的周期数";
    CHART_COHORTS_AXIS_SHARE = "Share active (%)", "活跃占比 (%)";
    CHART_COHORTS_AXIS_MONEY = "Per customer", "人均";
    READOUT_COHORT_CELL = "{0}, +{1}: {2}", "{0}，+{1}：{2}";
    READOUT_COHORT_CURVE = "+{0}: {1}", "+{0}：{1}";
    ERR_COHORTS_NO_PURCHASES = "No customer has a purchase, so there is no cohort to form.", "没有客户有购买记录，无法形成同期群。";
    ERR_COHORTS_ONE_PERIOD = "Every purchase falls in one {0} ({1}): cohorts need at least two. Choose a shorter period.", "所有购买都在同一个{0}（{1}）内：同期群至少需要两个周期。请选择更短的周期。";
    ERR_COHORTS_NO_SPLIT_COLUMN = "The file has no {0} column to split by. Map one in the column mapping, or choose another split.", "文件没有可用于拆分的{0}列。请在列映射中设置，或选择其他拆分方式。";
    ERR_COHORTS_NO_GROUP = "That group is no longer in the cohorts: form them again.", "该分组已不在同期群中，请重新生成。";
    CHART_COHORTS_SCALE = "{0}: {1} – {2}", "{0}：{1} – {2}";
    CHART_REPURCHASE_TITLE = "Time to buy again: share of customers who have not yet", "再次购买所需时间：尚未回购的客户占比";
    CHART_REPURCHASE_AXIS_DAYS = "Days since the last purchase of the item", "距上次购买该商品的天数";
    CHART_REPURCHASE_AXIS_SHARE = "Not yet bought again (%)", "尚未再次购买 (%)";
    READOUT_REPURCHASE = "day {0}: {1}", "第 {0} 天：{1}";
}

/// The name of a period length ("month").
pub fn period_name(lang: Lang, period: CohortPeriod) -> &'static str {
    match period {
        CohortPeriod::Month => t::COHORTS_PERIOD_MONTH,
        CohortPeriod::Week => t::COHORTS_PERIOD_WEEK,
        CohortPeriod::Quarter => t::COHORTS_PERIOD_QUARTER,
    }
    .get(lang)
}

fn split_name(split: CohortSplit) -> Text {
    match split {
        CohortSplit::None => t::COHORTS_SPLIT_NONE,
        CohortSplit::FirstItem(crate::engine::baskets::ItemLevel::Product) => {
            t::COHORTS_SPLIT_PRODUCT
        }
        CohortSplit::FirstItem(crate::engine::baskets::ItemLevel::Category) => {
            t::COHORTS_SPLIT_CATEGORY
        }
        CohortSplit::FirstRegion => t::COHORTS_SPLIT_REGION,
        CohortSplit::FirstChannel => t::COHORTS_SPLIT_CHANNEL,
    }
}

/// A cohort error in the user's language.
pub fn describe_cohort_error(lang: Lang, e: &CohortError) -> String {
    match e {
        CohortError::NoPurchases => t::ERR_COHORTS_NO_PURCHASES.get(lang).to_string(),
        CohortError::OnePeriod { period, label } => fill(
            lang,
            t::ERR_COHORTS_ONE_PERIOD,
            &[&period_name(lang, *period).to_lowercase(), label],
        ),
        CohortError::NoSplitColumn { split } => fill(
            lang,
            t::ERR_COHORTS_NO_SPLIT_COLUMN,
            &[&split_name(*split).get(lang).to_lowercase()],
        ),
        CohortError::NoSuchGroup { .. } => t::ERR_COHORTS_NO_GROUP.get(lang).to_string(),
    }
}

/// A repurchase error in the user's language.
pub fn describe_repurchase_error(lang: Lang, e: &RepurchaseError) -> String {
    match e {
        RepurchaseError::NoItemColumn { level } => match level {
            crate::engine::baskets::ItemLevel::Product => t::ERR_REPURCHASE_NO_PRODUCT,
            crate::engine::baskets::ItemLevel::Category => t::ERR_REPURCHASE_NO_CATEGORY,
        }
        .get(lang)
        .to_string(),
        RepurchaseError::NoRepeats => t::ERR_REPURCHASE_NO_REPEATS.get(lang).to_string(),
        RepurchaseError::InvalidWindow { days } => {
            fill(lang, t::ERR_REPURCHASE_WINDOW, &[&days.to_string()])
        }
    }
}

/// Title of a customer-table column the cohorts or the due list register; `None` for another
/// key.
pub fn lifecycle_column_title(key: &str) -> Option<Text> {
    use crate::engine::customers::repurchase as columns;
    Some(match key {
        crate::engine::customers::cohorts::COHORT => t::COL_COHORT,
        columns::REPURCHASE_DUE => t::COL_REPURCHASE_DUE,
        columns::REPURCHASE_EXPECTED => t::COL_REPURCHASE_EXPECTED,
        _ => return None,
    })
}

/// A band of the due column in words; `None` otherwise.
pub fn due_band_name(lang: Lang, key: &str, code: &str) -> Option<&'static str> {
    if key != crate::engine::customers::repurchase::REPURCHASE_DUE {
        return None;
    }
    Some(
        match code {
            "overdue" => t::DUE_OVERDUE,
            "due_soon" => t::DUE_SOON,
            _ => return None,
        }
        .get(lang),
    )
}
