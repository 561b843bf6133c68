//! The lifecycle page's membership tiers: settings, tables, the migration chart, the customer
//! table's tier columns and the errors.

use super::{fill, t, Lang, Text};
use crate::engine::tiers::{Movement, TierError};

catalog! {
    TIERS_TITLE = "Membership tiers: who moved up, who slipped", "会员等级：谁升级了，谁降级了";
    TIERS_HELP = "Each customer's tier comes from their spend over the trailing window (returns deducted), at the as-of date and one window earlier. Tiers move both ways: customers who spend less drop a tier, and customers with no purchase in the window have no tier. Edit the thresholds to see at once how many customers and how much revenue each tier would hold.", "每位客户的等级由其在滚动窗口内的消费额（扣除退货）决定，分别在分析截止日和一个窗口之前计算。等级可升可降：消费减少的客户会降级，窗口内没有购买的客户没有等级。修改门槛即可立即看到各等级的客户数和收入占比。";
    TIERS_BASIS = "Rank on", "排名依据";
    TIERS_BASIS_SPEND = "Spend", "消费额";
    TIERS_BASIS_POINTS = "Points", "积分";
    TIERS_RATE = "Points per unit spent", "每单位消费积分";
    TIERS_WINDOW = "Window (months)", "窗口（月）";
    TIERS_THRESHOLD = "From", "起点";
    TIERS_ADD = "Add a tier", "增加等级";
    TIERS_REMOVE = "Remove the top tier", "删除最高等级";
    TIERS_SUGGEST = "Suggest from quantiles", "按分位数建议";
    TIERS_RUN = "Assign tiers", "计算等级";
    TIERS_SUMMARY = "{0} customers with a tier on {1} (of {2} who ever bought); {3} one window earlier, on {4}.", "截至 {1} 有等级的客户 {0} 位（曾购买客户共 {2} 位）；一个窗口之前（{4}）为 {3} 位。";
    TIERS_PARTIAL = "The file starts inside the earlier window, so the earlier tiers count less spend than customers really had: read the movements with care.", "文件起始日期晚于上一窗口的开始，上一期等级少计了客户的实际消费，请谨慎解读等级变动。";
    TIERS_SUGGESTED = "Suggested thresholds (50 %, 80 % and 95 % of current spend): {0}.", "建议门槛（当前消费额的 50%、80%、95% 分位）：{0}。";
    TIERS_COL_TIER = "Tier", "等级";
    TIERS_COL_RANGE = "Range", "区间";
    TIERS_COL_NOW = "Customers now", "当前客户数";
    TIERS_COL_SHARE = "Share of customers", "客户占比";
    TIERS_COL_SPEND = "Spend in window", "窗口内消费";
    TIERS_COL_SPEND_SHARE = "Share of revenue", "收入占比";
    TIERS_COL_BEFORE = "One window earlier", "上一期客户数";
    TIERS_MOVEMENTS = "Movements since one window earlier", "与上一期相比的变动";
    TIERS_MATRIX = "Migration matrix (rows: one window earlier; columns: now)", "迁移矩阵（行：上一期；列：当前）";
    TIERS_OPEN = "Open in the customer table", "在客户表中查看";
    TIERS_CHART = "Tier migration", "等级迁移";
    TIERS_HOVER = "{0} → {1}: {2} customers", "{0} → {1}：{2} 位客户";
    TIERS_HOVER_BEFORE = "{0}, one window earlier: {1} customers", "上一期{0}：{1} 位客户";
    TIERS_HOVER_NOW = "{0} now: {1} customers", "当前{0}：{1} 位客户";
    EXPORT_TIERS = "Tiers (CSV)", "等级 (CSV)";
    EXPORT_TIERS_XLSX = "Tiers (Excel)", "等级 (Excel)";
    TIER_0 = "Member", "普通会员";
    TIER_1 = "Silver", "银卡";
    TIER_2 = "Gold", "金卡";
    TIER_3 = "Platinum", "铂金卡";
    TIER_4 = "Diamond", "钻石卡";
    TIER_INACTIVE = "No purchase", "无购买";
    TIER_NOT_YET = "Not yet a customer", "尚未成为客户";
    MOVE_NEW = "New", "新客户";
    MOVE_UP = "Up", "升级";
    MOVE_SAME = "Same", "不变";
    MOVE_DOWN = "Down", "降级";
    MOVE_LAPSED = "Lapsed", "流失";
    MOVE_REACTIVATED = "Reactivated", "重新激活";
    MOVE_DORMANT = "Dormant", "沉睡";
    COL_TIER = "Tier", "会员等级";
    COL_TIER_MOVEMENT = "Tier movement", "等级变动";
    COL_TIER_SPEND = "Spend in tier window", "等级窗口消费";
    ERR_TIERS_ORDER = "Threshold {0} ({1}) must be above threshold {2} ({3}): put the thresholds in increasing order.", "门槛 {0}（{1}）必须高于门槛 {2}（{3}）：请按从低到高的顺序填写门槛。";
    ERR_TIERS_THRESHOLD = "Threshold {0} must be a positive number.", "门槛 {0} 必须是正数。";
    ERR_TIERS_TOO_MANY = "At most {0} thresholds (five tiers).", "最多 {0} 个门槛（五个等级）。";
    ERR_TIERS_RATE = "Points per unit spent must be a positive number.", "每单位消费积分必须是正数。";
    ERR_TIERS_WINDOW = "The window must be 1 to 36 months, not {0}.", "窗口须为 1 到 36 个月，不能是 {0}。";
    ERR_TIERS_NO_SPEND = "No customer bought anything in the last window, so there is no spend to rank.", "最近一个窗口内没有客户购买，无法按消费分级。";
}

/// Tier `t`'s name (five at most).
pub fn tier_name(lang: Lang, tier: u8) -> &'static str {
    match tier {
        0 => t::TIER_0,
        1 => t::TIER_1,
        2 => t::TIER_2,
        3 => t::TIER_3,
        _ => t::TIER_4,
    }
    .get(lang)
}

/// A movement's name.
pub fn movement_name(lang: Lang, m: Movement) -> &'static str {
    match m {
        Movement::New => t::MOVE_NEW,
        Movement::Up => t::MOVE_UP,
        Movement::Same => t::MOVE_SAME,
        Movement::Down => t::MOVE_DOWN,
        Movement::Lapsed => t::MOVE_LAPSED,
        Movement::Reactivated => t::MOVE_REACTIVATED,
        Movement::Dormant => t::MOVE_DORMANT,
    }
    .get(lang)
}

/// Title of a customer-table column the tiers register; `None` for another analysis's key.
pub fn tier_column_title(key: &str) -> Option<Text> {
    use crate::engine::customers::tiers as columns;
    Some(match key {
        columns::TIER => t::COL_TIER,
        columns::TIER_MOVEMENT => t::COL_TIER_MOVEMENT,
        columns::TIER_SPEND => t::COL_TIER_SPEND,
        _ => return None,
    })
}

/// A band of a tier column in words; `None` otherwise.
pub fn tier_band_name(lang: Lang, key: &str, code: &str) -> Option<&'static str> {
    use crate::engine::customers::tiers as columns;
    match key {
        columns::TIER => {
            if code == "inactive" {
                return Some(t::TIER_INACTIVE.get(lang));
            }
            let t: u8 = code.strip_prefix("tier_")?.parse().ok()?;
            Some(tier_name(lang, t))
        }
        columns::TIER_MOVEMENT => {
            let m = Movement::ALL.into_iter().find(|m| m.code() == code)?;
            Some(movement_name(lang, m))
        }
        _ => None,
    }
}

/// The export's words in `lang` for `tiers` tiers.
pub fn tier_words(lang: Lang, tiers: usize) -> crate::engine::tiers::TierWords {
    crate::engine::tiers::TierWords {
        tiers: (0..tiers)
            .map(|t| tier_name(lang, t as u8).to_string())
            .collect(),
        inactive: t::TIER_INACTIVE.get(lang).to_string(),
        not_yet: t::TIER_NOT_YET.get(lang).to_string(),
        movements: Movement::ALL
            .iter()
            .map(|&m| movement_name(lang, m).to_string())
            .collect(),
    }
}

/// A tier error in the user's language.
pub fn describe_tier_error(lang: Lang, e: &TierError) -> String {
    let number = |v: f64| crate::format::plain(v, 2);
    match e {
        TierError::ThresholdsOutOfOrder {
            position,
            value,
            previous,
        } => fill(
            lang,
            t::ERR_TIERS_ORDER,
            &[
                &position.to_string(),
                &number(*value),
                &(position - 1).to_string(),
                &number(*previous),
            ],
        ),
        TierError::InvalidThreshold { position, .. } => {
            fill(lang, t::ERR_TIERS_THRESHOLD, &[&position.to_string()])
        }
        TierError::TooManyTiers { max, .. } => {
            fill(lang, t::ERR_TIERS_TOO_MANY, &[&max.to_string()])
        }
        TierError::InvalidRate { .. } => t::ERR_TIERS_RATE.get(lang).to_string(),
        TierError::InvalidWindow { months } => {
            fill(lang, t::ERR_TIERS_WINDOW, &[&months.to_string()])
        }
        TierError::NoSpend => t::ERR_TIERS_NO_SPEND.get(lang).to_string(),
    }
}
