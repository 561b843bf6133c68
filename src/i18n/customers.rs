//! The customers page: the customer table, tags and their filters, and the customer profile.

use super::{Lang, Text};
use crate::engine::customers::Column;

catalog! {
    PROFILE_INTERVAL = "{0}–{1} ({2} % interval)", "{0}–{1}（{2}% 区间）";
    CUSTOMERS_TITLE = "Customers", "客户列表";
    SEARCH_ID = "Search customer id", "搜索客户ID";
    FILTER_SEGMENT = "Segment", "分层";
    ALL_SEGMENTS = "All segments", "全部分层";
    COL_CUSTOMER_ID = "Customer id", "客户ID";
    COL_RECENCY = "Recency (days)", "最近消费（天）";
    COL_FREQUENCY = "Orders", "订单数";
    COL_MONETARY = "Revenue", "消费额";
    COL_AOV = "Avg order", "客单价";
    COL_RFM = "R F M", "R F M";
    COL_LAST_ORDER = "Last order", "最近下单";
    PAGE_OF = "{0}–{1} of {2}", "第 {0}–{1} 条，共 {2} 条";
    PREV = "Previous", "上一页";
    NEXT = "Next", "下一页";
    EXPORT = "Export target list (CSV)", "导出目标名单 (CSV)";
    EXPORT_XLSX = "Excel (.xlsx)", "导出 Excel (.xlsx)";
    EXPORTED = "Customers exported: {0}.", "已导出客户：{0} 位。";
    NO_MATCH = "No customer matches.", "没有符合条件的客户。";
    TAGS_TITLE = "Filter by tags", "按标签筛选";
    TAGS_CLEAR = "Clear tag filters", "清除标签筛选";
    TAG_VALUE_TIER = "Value tier", "价值等级";
    TAG_RFM = "RFM segment", "RFM 分层";
    TAG_CLUSTER = "Cluster", "聚类分群";
    TAG_CATEGORY = "Preferred product", "偏好商品";
    TAG_REGION = "Region", "地区";
    TAG_CHANNEL = "Channel", "渠道";
    TAG_CYCLE = "Purchase cycle", "购买周期";
    TAG_COLUMN = "Tags", "标签";
    TIER_TOP = "Top 20%", "头部 20%";
    TIER_MIDDLE = "Middle 30%", "腰部 30%";
    TIER_LOW = "Bottom 50%", "尾部 50%";
    CYCLE_MONTHLY = "Monthly buyer", "月度购买";
    CYCLE_QUARTERLY = "Quarterly buyer", "季度购买";
    CYCLE_YEARLY = "Yearly buyer", "年度购买";
    CYCLE_RARE = "Rare buyer", "低频购买";
    CYCLE_ONE_TIME = "One order", "仅一单";
    PROFILE_TITLE = "Customer profile", "客户画像";
    PROFILE_HELP = "Type a customer id to see the tags, RFM figures, scores and every order.", "输入客户ID，查看标签、RFM 指标、预测评分和全部订单。";
    PROFILE_SEARCH = "Customer id", "客户ID";
    PROFILE_SHOW = "Show", "查看";
    PROFILE_NOT_FOUND = "No customer has the id “{0}”.", "没有客户ID为“{0}”的客户。";
    PROFILE_SUGGEST = "Similar ids:", "相近的 ID：";
    PROFILE_TIMELINE = "Purchase timeline", "购买时间线";
    PROFILE_TIMELINE_TRUNCATED = "The latest {0} of {1} orders are listed.", "列出最近 {0} 笔订单（共 {1} 笔）。";
    PROFILE_FAVOURITES = "Favourite products", "最常购买的商品";
    PROFILE_COL_DATE = "Date", "日期";
    PROFILE_COL_AMOUNT = "Amount", "金额";
    PROFILE_COL_LINES = "Lines", "明细数";
    PROFILE_COL_PRODUCTS = "Products", "商品";
    PROFILE_FIRST = "First order", "首次购买";
    PROFILE_LAST = "Last order", "最近购买";
    PROFILE_MEAN_INTERVAL = "Days between orders", "平均购买间隔（天）";
    PROFILE_OPEN = "Open the profile of {0}", "打开 {0} 的客户画像";
}

/// The title of a column an analysis registered in the customer table: each analysis's catalog
/// part words its own keys (one line per analysis here); an unknown key shows as itself.
pub fn column_title(lang: Lang, column: &Column) -> String {
    let title = super::predictions::prediction_column_title(&column.key)
        .or_else(|| super::lifecycle::lifecycle_column_title(&column.key))
        .or_else(|| super::tiers::tier_column_title(&column.key))
        .or_else(|| super::sendtime::send_column_title(&column.key));
    title.map_or_else(|| column.key.clone(), |t| t.get(lang).to_string())
}

/// A band of a registered band column in words (one line per analysis here); an unknown band
/// shows as its code.
pub fn band_name(lang: Lang, column: &Column, code: &str) -> String {
    let name = super::predictions::prediction_band_name(lang, &column.key, code)
        .or_else(|| super::lifecycle::due_band_name(lang, &column.key, code))
        .or_else(|| super::tiers::tier_band_name(lang, &column.key, code))
        .map(str::to_string)
        .or_else(|| super::sendtime::send_band_name(lang, &column.key, code));
    name.unwrap_or_else(|| code.to_string())
}
