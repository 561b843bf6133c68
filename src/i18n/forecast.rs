//! The lifecycle page's revenue forecast: settings, the chart, the backtest and the errors.

use super::{fill, t, Lang, Text};
use crate::engine::forecast::{ForecastError, SeriesKind};

catalog! {
    FORECAST_TITLE = "Forecast: revenue and orders to come", "预测：未来的收入和订单";
    FORECAST_HELP = "Weekly or monthly revenue and orders, forecast with exponential smoothing (ETS: the model with the lowest AICc among trend and seasonal variants), with 80 % and 95 % prediction intervals. The backtest refits the model at earlier dates and compares its errors with a seasonal-naive forecast (the same period a season earlier): a MASE below 1 beats it.", "按周或按月的收入和订单，用指数平滑（ETS：在各种趋势和季节模型中选 AICc 最低者）预测，并给出 80% 和 95% 预测区间。回测在较早的时间点重新拟合模型，并与季节性朴素预测（上一季同期的值）比较误差：MASE 小于 1 即优于它。";
    FORECAST_PERIOD = "Period", "周期";
    FORECAST_HORIZON = "Periods ahead", "预测期数";
    FORECAST_RUN = "Forecast", "预测";
    FORECAST_SERIES = "Show", "显示";
    FORECAST_REVENUE = "Revenue", "收入";
    FORECAST_ORDERS = "Orders", "订单";
    FORECAST_SUMMARY = "{0} on {1} periods of history ({2}); season: {3}.", "模型 {0}，基于 {1} 期历史（{2}）；季节周期：{3}。";
    FORECAST_NO_SEASON = "none", "无";
    FORECAST_PARTIAL = "The as-of date's period ({0}) is not complete, so it is left out of the history and forecast with the rest.", "截止日所在的周期（{0}）尚未结束，因此不计入历史，而与其余周期一起预测。";
    FORECAST_BACKTEST = "Backtest over {0} origins, {1} periods ahead: MAPE {2} (seasonal naive {3}), MASE {4} (seasonal naive {5}).", "回测 {0} 个起点、向前 {1} 期：MAPE {2}（季节性朴素 {3}），MASE {4}（季节性朴素 {5}）。";
    FORECAST_BACKTEST_WORSE = "The model did not beat the seasonal-naive forecast in the backtest: read the forecast as a rough guide.", "回测中模型未优于季节性朴素预测：预测结果仅供粗略参考。";
    FORECAST_NO_BACKTEST = "Too little history for a backtest.", "历史太短，无法回测。";
    FORECAST_EXISTING = "Existing customers' expected orders (BG/NBD, from the predictions): {0} over the horizon, against {1} forecast for all orders.", "现有客户的预期订单（BG/NBD，来自预测页）：预测期内 {0}，全部订单的预测为 {1}。";
    FORECAST_EXISTING_NONE = "Run the predictions, then forecast again, to see the existing customers' expected orders beside this forecast.", "先运行预测页的模型，再重新预测，即可在此对照现有客户的预期订单。";
    FORECAST_COL_PERIOD = "Period", "周期";
    FORECAST_COL_MEAN = "Forecast", "预测值";
    FORECAST_COL_80 = "80 % interval", "80% 区间";
    FORECAST_COL_95 = "95 % interval", "95% 区间";
    FORECAST_COL_EXISTING = "Existing customers", "现有客户";
    FORECAST_CHART = "History and forecast", "历史与预测";
    FORECAST_LEGEND_HISTORY = "History", "历史";
    FORECAST_LEGEND_FORECAST = "Forecast", "预测";
    FORECAST_LEGEND_80 = "80 % interval", "80% 区间";
    FORECAST_LEGEND_95 = "95 % interval", "95% 区间";
    FORECAST_LEGEND_EXISTING = "Existing customers", "现有客户";
    FORECAST_HOVER_HISTORY = "{0}: {1}", "{0}：{1}";
    FORECAST_HOVER_FORECAST = "{0}: {1} (80 %: {2} – {3}; 95 %: {4} – {5})", "{0}：{1}（80%：{2} – {3}；95%：{4} – {5}）";
    FORECAST_HOVER_EXISTING = "{0}; existing customers: {1}", "{0}；现有客户：{1}";
    EXPORT_FORECAST = "Forecast (CSV)", "预测 (CSV)";
    EXPORT_FORECAST_XLSX = "Forecast (Excel)", "预测 (Excel)";
    ERR_FORECAST_NO_PURCHASES = "No purchase to forecast from.", "没有可用于预测的购买记录。";
    ERR_FORECAST_TOO_SHORT = "Only {0} complete {1}s of history; a forecast needs at least {2}. Choose weeks, or a file that covers more time.", "只有 {0} 个完整的{1}的历史；预测至少需要 {2} 个。请选择按周，或使用时间跨度更长的文件。";
    ERR_FORECAST_HORIZON_LONG = "A horizon of {0} periods is longer than the {1} periods of history. Forecast at most {1} ahead.", "预测 {0} 期超过了 {1} 期的历史长度。最多预测 {1} 期。";
    ERR_FORECAST_HORIZON_RANGE = "Periods ahead must be 1 to {1}, not {0}.", "预测期数须为 1 到 {1}，不能是 {0}。";
    ERR_FORECAST_ORIGINS = "At most {1} backtest origins, not {0}.", "回测起点最多 {1} 个，不能是 {0}。";
    ERR_FORECAST_NO_FIT = "No model could be fitted to the {0} series (it may be constant or hold extreme values).", "无法为{0}序列拟合模型（可能是常数或含极端值）。";
}

/// A series' name.
pub fn series_name(lang: Lang, kind: SeriesKind) -> &'static str {
    match kind {
        SeriesKind::Revenue => t::FORECAST_REVENUE,
        SeriesKind::Orders => t::FORECAST_ORDERS,
    }
    .get(lang)
}

/// A forecast error in the user's language.
pub fn describe_forecast_error(lang: Lang, e: &ForecastError) -> String {
    match e {
        ForecastError::NoPurchases => t::ERR_FORECAST_NO_PURCHASES.get(lang).to_string(),
        ForecastError::TooShort {
            periods,
            needed,
            period,
        } => fill(
            lang,
            t::ERR_FORECAST_TOO_SHORT,
            &[
                &periods.to_string(),
                &super::period_name(lang, period.cohort()).to_lowercase(),
                &needed.to_string(),
            ],
        ),
        ForecastError::HorizonTooLong { horizon, history } => fill(
            lang,
            t::ERR_FORECAST_HORIZON_LONG,
            &[&horizon.to_string(), &history.to_string()],
        ),
        ForecastError::HorizonOutOfRange { horizon, max } => fill(
            lang,
            t::ERR_FORECAST_HORIZON_RANGE,
            &[&horizon.to_string(), &max.to_string()],
        ),
        ForecastError::TooManyOrigins { origins, max } => fill(
            lang,
            t::ERR_FORECAST_ORIGINS,
            &[&origins.to_string(), &max.to_string()],
        ),
        ForecastError::NoFit { series } => fill(
            lang,
            t::ERR_FORECAST_NO_FIT,
            &[&series_name(lang, *series).to_lowercase()],
        ),
    }
}
