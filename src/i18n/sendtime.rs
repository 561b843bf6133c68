//! The lifecycle page's send timing: settings, the heatmaps, the customer table's columns and
//! the errors.

use super::{fill, t, Lang, Text};
use crate::engine::sendtime::SendTimeError;

catalog! {
    SENDTIME_TITLE = "Send timing: when each customer buys", "发送时机：每位客户何时购买";
    SENDTIME_HELP = "From the weekday and time of day of each customer's orders, their best weekday and hour to send a message. A customer with few orders mostly gets the store's own pattern; one with many gets their own (empirical Bayes: the store's pattern counts as much as the number of orders shown below). Confidence is the chance that the hour (or weekday) shown really is the customer's best.", "根据每位客户下单的星期和时间，给出向其发送消息的最佳星期和时段。订单少的客户主要沿用全店的规律，订单多的客户则以自身规律为主（经验贝叶斯：全店规律相当于下方所示数量的订单）。置信度表示所示时段（或星期）确实是该客户最佳时段的概率。";
    SENDTIME_RUN = "Find the best times", "计算最佳时机";
    SENDTIME_SUMMARY = "{0} customers, {1} purchase orders ({2} with a time of day). The store's pattern counts as {3} orders for hours and {4} for weekdays: {5} customers are led mostly by their own orders for the hour.", "{0} 位客户，{1} 笔购买订单（其中 {2} 笔有时间）。全店规律在时段上相当于 {3} 笔订单，在星期上相当于 {4} 笔：{5} 位客户的最佳时段主要由自身订单决定。";
    SENDTIME_SUMMARY_WEEKDAYS = "{0} customers, {1} purchase orders. The store's pattern counts as {2} orders for weekdays: {3} customers are led mostly by their own orders.", "{0} 位客户，{1} 笔购买订单。全店规律在星期上相当于 {2} 笔订单：{3} 位客户的最佳星期主要由自身订单决定。";
    SENDTIME_NO_TIMES = "The file's dates have no time of day, so only weekdays are shown. Export times with the dates (e.g. 2024-03-05 14:02) to get hours.", "文件中的日期没有具体时间，因此只显示星期。导出数据时请带上时间（如 2024-03-05 14:02）以获得时段。";
    SENDTIME_VIEW = "Show", "显示";
    SENDTIME_STORE = "The whole store", "全店";
    SENDTIME_BEST_HOURS = "Customers by best hour", "按最佳时段的客户数";
    SENDTIME_BEST_WEEKDAYS = "Customers by best weekday", "按最佳星期的客户数";
    SENDTIME_CHART = "Orders by weekday and hour", "按星期和时段的订单分布";
    SENDTIME_CHART_WEEKDAYS = "Orders by weekday", "按星期的订单分布";
    SENDTIME_HOVER = "{0} {1}: {2} of orders", "{0} {1}：占订单 {2}";
    SENDTIME_HOVER_WEEKDAY = "{0}: {1} of orders", "{0}：占订单 {1}";
    SENDTIME_CHART_CARD = "When orders are placed", "下单时间分布";
    SENDTIME_HOUR_AXIS = "Hour of day", "时段";
    EXPORT_SENDTIME = "Send times (CSV)", "发送时机 (CSV)";
    EXPORT_SENDTIME_XLSX = "Send times (Excel)", "发送时机 (Excel)";
    WEEKDAY_MONDAY = "Monday", "星期一";
    WEEKDAY_TUESDAY = "Tuesday", "星期二";
    WEEKDAY_WEDNESDAY = "Wednesday", "星期三";
    WEEKDAY_THURSDAY = "Thursday", "星期四";
    WEEKDAY_FRIDAY = "Friday", "星期五";
    WEEKDAY_SATURDAY = "Saturday", "星期六";
    WEEKDAY_SUNDAY = "Sunday", "星期日";
    COL_SEND_WEEKDAY = "Best weekday", "最佳星期";
    COL_SEND_HOUR = "Best hour", "最佳时段";
    COL_SEND_CONFIDENCE = "Send-time confidence", "发送时机置信度";
    ERR_SENDTIME_NO_PURCHASES = "No purchase order to learn a time from.", "没有可用于学习时间的购买订单。";
    ERR_SENDTIME_PRIOR = "The store's weight must be a positive number of orders (up to 10,000), not {0}.", "全店规律的权重须为正的订单数（最多 10,000），不能是 {0}。";
    ERR_SENDTIME_MIN_ORDERS = "The minimum number of orders must be 1 to 10,000, not {0}.", "最少订单数须为 1 到 10,000，不能是 {0}。";
}

/// Weekday `w`'s name (0 = Monday).
pub fn weekday_name(lang: Lang, w: u8) -> &'static str {
    [
        t::WEEKDAY_MONDAY,
        t::WEEKDAY_TUESDAY,
        t::WEEKDAY_WEDNESDAY,
        t::WEEKDAY_THURSDAY,
        t::WEEKDAY_FRIDAY,
        t::WEEKDAY_SATURDAY,
        t::WEEKDAY_SUNDAY,
    ]
    .get(usize::from(w))
    .copied()
    .unwrap_or(t::WEEKDAY_MONDAY)
    .get(lang)
}

/// An hour as shown: `09:00`.
pub fn hour_text(hour: u8) -> String {
    format!("{hour:02}:00")
}

/// Title of a customer-table column the send timing registers; `None` for another key.
pub fn send_column_title(key: &str) -> Option<Text> {
    use crate::engine::customers::sendtime as columns;
    Some(match key {
        columns::SEND_WEEKDAY => t::COL_SEND_WEEKDAY,
        columns::SEND_HOUR => t::COL_SEND_HOUR,
        columns::SEND_CONFIDENCE => t::COL_SEND_CONFIDENCE,
        _ => return None,
    })
}

/// A band of a send-time column in words (weekdays; hours as `09:00`); `None` otherwise.
pub fn send_band_name(lang: Lang, key: &str, code: &str) -> Option<String> {
    use crate::engine::customers::sendtime as columns;
    match key {
        columns::SEND_WEEKDAY => {
            let w = (0..7u8).find(|&w| crate::engine::sendtime::weekday_key(w) == code)?;
            Some(weekday_name(lang, w).to_string())
        }
        columns::SEND_HOUR => code.parse::<u8>().ok().map(hour_text),
        _ => None,
    }
}

/// A send-timing error in the user's language.
pub fn describe_sendtime_error(lang: Lang, e: &SendTimeError) -> String {
    match e {
        SendTimeError::NoPurchases => t::ERR_SENDTIME_NO_PURCHASES.get(lang).to_string(),
        SendTimeError::InvalidPriorStrength { value } => fill(
            lang,
            t::ERR_SENDTIME_PRIOR,
            &[&crate::format::plain(*value, 2)],
        ),
        SendTimeError::InvalidMinOrders { value } => {
            fill(lang, t::ERR_SENDTIME_MIN_ORDERS, &[&value.to_string()])
        }
    }
}
