//! The overview page: settings, KPI cards, Pareto figures, the dashboard charts, RFM segments and their grid.

use super::{t, Lang, Text};
use crate::engine::rfm::Segment;

catalog! {
    SETTINGS_AS_OF = "As-of date", "基准日期";
    SETTINGS_AS_OF_HELP = "Recency is counted back from this day (default: the day after the last purchase).",
        "最近消费天数从该日期往回计算（默认：最后一笔交易的次日）。";
    KPI_CUSTOMERS = "Customers", "客户数";
    KPI_ORDERS = "Orders", "订单数";
    KPI_REVENUE = "Revenue", "销售额";
    KPI_AOV = "Average order value", "客单价";
    KPI_REPEAT = "Repeat-customer rate", "复购率";
    KPI_UNSCORED = "{0} customers in the file, {1} scored. Not scored: {2} with only returns, {3} whose every line is after the as-of date.",
        "文件中共 {0} 位客户，已评分 {1} 位。未评分：仅有退货 {2} 位，全部记录晚于基准日期 {3} 位。";
    PARETO_SENTENCE = "{0} of customers bring 80% of revenue.", "{0} 的客户贡献了 80% 的销售额。";
    PARETO_TOP = "Top {0}% of customers: {1} of revenue", "前 {0}% 的客户：贡献 {1} 的销售额";
    PARETO_GINI = "Gini coefficient: {0}", "基尼系数：{0}";
    CHART_TREND = "Monthly revenue and orders", "月度销售额与订单数";
    CHART_SEGMENTS = "Customers and revenue by segment", "各分层的客户与销售额占比";
    CHART_HEATMAP = "Customers by recency (R) and frequency (F) score", "按最近消费 (R) 与频次 (F) 评分的客户分布";
    CHART_LORENZ = "Revenue concentration (Lorenz curve)", "销售额集中度（洛伦兹曲线）";
    CHART_RECENCY = "Recency distribution", "最近消费天数分布";
    CHART_FREQUENCY = "Frequency distribution", "购买频次分布";
    CHART_MONETARY = "Monetary distribution", "消费金额分布";
    AXIS_MONTH = "Month", "月份";
    AXIS_REVENUE = "Revenue", "销售额";
    AXIS_ORDERS = "Orders", "订单数";
    AXIS_SHARE = "Share (%)", "占比 (%)";
    AXIS_CUSTOMER_SHARE = "Customers, smallest spenders first (%)", "客户（按消费从低到高，%）";
    AXIS_REVENUE_SHARE = "Cumulative revenue (%)", "累计销售额 (%)";
    AXIS_F_SCORE = "F score (frequency)", "F 评分（频次）";
    AXIS_R_SCORE = "R score (recency)", "R 评分（最近消费）";
    AXIS_RECENCY_DAYS = "Days since last order", "距上次购买天数";
    AXIS_FREQUENCY = "Orders per customer", "每位客户订单数";
    AXIS_FREQUENCY_TAIL = "Orders per customer (the last bar counts 20 or more)", "每位客户订单数（最后一栏为 20 单及以上）";
    AXIS_MONETARY = "Revenue per customer (log scale)", "每位客户消费额（对数刻度）";
    AXIS_MONETARY_LINEAR = "Revenue per customer", "每位客户消费额";
    AXIS_CUSTOMERS = "Customers", "客户数";
    AXIS_CUSTOMERS_LOG = "Customers (log scale)", "客户数（对数刻度）";
    LEGEND_CUSTOMERS = "Customers", "客户";
    LEGEND_REVENUE = "Revenue", "销售额";
    NO_DATA = "No data", "暂无数据";
    DOWNLOAD_PNG = "PNG", "PNG";
    DOWNLOAD_PNG_TITLE = "Download this chart as PNG", "将此图表下载为 PNG";
    READOUT_MONTH = "{0}: revenue {1}, {2} orders, {3} customers", "{0}：销售额 {1}，订单 {2} 笔，客户 {3} 位";
    READOUT_LORENZ = "Bottom {0} of customers bring {1} of revenue", "消费最低的 {0} 客户贡献 {1} 的销售额";
    SEGMENTS_TITLE = "RFM segments", "RFM 客户分层";
    COL_SEGMENT = "Segment", "分层";
    COL_CUSTOMERS = "Customers", "客户数";
    COL_CUSTOMER_SHARE = "% customers", "客户占比";
    COL_REVENUE = "Revenue", "销售额";
    COL_REVENUE_SHARE = "% revenue", "销售额占比";
    COL_MEAN_RECENCY = "Mean recency (days)", "平均最近消费（天）";
    COL_MEAN_FREQUENCY = "Mean orders", "平均订单数";
    COL_MEAN_MONETARY = "Mean revenue", "人均消费";
    COL_ACTION = "Suggested action", "建议动作";
    GRID_TITLE = "Segment rules (R × F grid per M score)", "分层规则（每个 M 评分下的 R × F 网格）";
    GRID_HELP = "Each of the 125 (R, F, M) score combinations belongs to exactly one segment. Change a cell to reassign it.",
        "125 种 (R, F, M) 评分组合各自恰好属于一个分层。修改单元格即可重新分配。";
    GRID_M = "M score", "M 评分";
    GRID_ALL_M = "all five (edits all)", "全部五个（统一修改）";
    GRID_RESET = "Reset to the default rules", "恢复默认规则";
    ERR_AS_OF = "The as-of date {0} is before the first purchase ({1}).", "基准日期 {0} 早于第一笔交易（{1}）。";
    ERR_GRID = "The segment rules are incomplete; reset them to the default.", "分层规则不完整，请恢复默认规则。";
    ERR_NO_CUSTOMERS = "No customer has a purchase left to score (all orders net to zero or less).",
        "没有可评分的客户（所有订单冲抵后金额均不大于零）。";
    SEG_CHAMPIONS = "Champions", "重要价值客户";
    SEG_LOYAL = "Loyal Customers", "忠诚客户";
    SEG_POTENTIAL = "Potential Loyalists", "潜力客户";
    SEG_NEW = "New Customers", "新客户";
    SEG_PROMISING = "Promising", "有望客户";
    SEG_NEED_ATTENTION = "Need Attention", "需要关注";
    SEG_ABOUT_TO_SLEEP = "About to Sleep", "即将沉睡";
    SEG_AT_RISK = "At Risk", "流失风险";
    SEG_CANT_LOSE = "Can't Lose Them", "不能失去的客户";
    SEG_HIBERNATING = "Hibernating", "沉睡客户";
    SEG_LOST = "Lost", "已流失";
    ACT_CHAMPIONS = "Reward them; ask for reviews and referrals; early access to new products.",
        "给予奖励；邀请评价和推荐；新品优先体验。";
    ACT_LOYAL = "Upsell higher-value products; loyalty programme; ask for reviews.",
        "推荐更高价值商品；会员忠诚计划；邀请评价。";
    ACT_POTENTIAL = "Offer membership or a loyalty programme; recommend related products.",
        "邀请加入会员或忠诚计划；推荐相关商品。";
    ACT_NEW = "Onboard well: welcome series, first-repeat incentive.", "做好新客引导：欢迎邮件序列、首次复购激励。";
    ACT_PROMISING = "Build brand awareness; free trials; a small second-order offer.",
        "提升品牌认知；免费试用；小额二次购买优惠。";
    ACT_NEED_ATTENTION = "Limited-time offers based on past purchases; reactivate before they slip.",
        "基于历史购买的限时优惠；在流失前重新激活。";
    ACT_ABOUT_TO_SLEEP = "Share popular products and discounts; reconnect now.", "推送热门商品和折扣；立即重新建立联系。";
    ACT_AT_RISK = "Personalised win-back emails; renewals; helpful reminders.", "个性化召回邮件；续费提醒；贴心回访。";
    ACT_CANT_LOSE = "Win them back with your best offers; talk to them; don't lose them to a competitor.",
        "用最优惠的方案挽回；主动沟通；别让竞争对手抢走。";
    ACT_HIBERNATING = "Offer other relevant products and special discounts; recreate value.",
        "推荐其他相关商品和专属折扣；重建价值感。";
    ACT_LOST = "Revive interest with a reach-out campaign, or stop spending on them.",
        "通过触达活动重新唤起兴趣，否则停止投入。";
}

/// The name of a segment.
pub fn segment_name(lang: Lang, s: Segment) -> &'static str {
    segment_text(s).0.get(lang)
}

/// The suggested action for a segment.
pub fn segment_action(lang: Lang, s: Segment) -> &'static str {
    segment_text(s).1.get(lang)
}

fn segment_text(s: Segment) -> (Text, Text) {
    match s {
        Segment::Champions => (t::SEG_CHAMPIONS, t::ACT_CHAMPIONS),
        Segment::LoyalCustomers => (t::SEG_LOYAL, t::ACT_LOYAL),
        Segment::PotentialLoyalists => (t::SEG_POTENTIAL, t::ACT_POTENTIAL),
        Segment::NewCustomers => (t::SEG_NEW, t::ACT_NEW),
        Segment::Promising => (t::SEG_PROMISING, t::ACT_PROMISING),
        Segment::NeedAttention => (t::SEG_NEED_ATTENTION, t::ACT_NEED_ATTENTION),
        Segment::AboutToSleep => (t::SEG_ABOUT_TO_SLEEP, t::ACT_ABOUT_TO_SLEEP),
        Segment::AtRisk => (t::SEG_AT_RISK, t::ACT_AT_RISK),
        Segment::CantLoseThem => (t::SEG_CANT_LOSE, t::ACT_CANT_LOSE),
        Segment::Hibernating => (t::SEG_HIBERNATING, t::ACT_HIBERNATING),
        Segment::Lost => (t::SEG_LOST, t::ACT_LOST),
    }
}
