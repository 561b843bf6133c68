//! The predictions page: models, scores, churn bands, validation, and their warnings and errors.

use super::{fill, t, Lang, Text};
use crate::engine::clv::{Boundary, ClvError, ClvWarning, HorizonUnit, InputProblem};

catalog! {
    CHART_CLV_P_ALIVE = "Probability alive by frequency and recency", "按购买频次与最近购买时间的存活概率";
    CHART_CLV_EXPECTED = "Expected purchases by frequency and recency", "按购买频次与最近购买时间的预期购买次数";
    CHART_CLV_DISTRIBUTION = "Customer lifetime value distribution", "客户生命周期价值分布";
    CHART_CLV_CHURN = "Churn risk by segment", "各分层的流失风险";
    CHART_CLV_HOLDOUT_FREQUENCY = "Holdout purchases by calibration frequency: actual vs predicted", "按校准期复购次数的验证期购买：实际与预测";
    CHART_CLV_HOLDOUT_CUMULATIVE = "Cumulative repeat purchases: actual vs predicted", "累计复购次数：实际与预测";
    AXIS_CLV_FREQUENCY = "Repeat purchases (frequency)", "复购次数（频次）";
    AXIS_CLV_RECENCY = "Recency: {0} from first to last purchase", "最近购买：首购至末次购买的间隔（{0}）";
    CLV_UNIT_WEEKS = "weeks", "周";
    LEGEND_CLV_P_ALIVE = "Probability alive", "存活概率";
    LEGEND_CLV_EXPECTED = "Expected purchases in the next {0} days", "未来 {0} 天的预期购买次数";
    AXIS_CLV_VALUE = "Customer lifetime value (log scale)", "客户生命周期价值（对数刻度）";
    AXIS_CLV_VALUE_LINEAR = "Customer lifetime value", "客户生命周期价值";
    LEGEND_CLV_RISK_LOW = "Low risk", "低风险";
    LEGEND_CLV_RISK_MEDIUM = "Medium risk", "中风险";
    LEGEND_CLV_RISK_HIGH = "High risk", "高风险";
    AXIS_CLV_CALIBRATION_FREQUENCY = "Repeat purchases in the calibration period", "校准期内的复购次数";
    AXIS_CLV_HOLDOUT_MEAN = "Holdout purchases per customer", "验证期人均购买次数";
    AXIS_CLV_CUMULATIVE = "Cumulative repeat purchases", "累计复购次数";
    AXIS_CLV_DATE = "Date", "日期";
    LEGEND_CLV_ACTUAL = "Actual", "实际";
    LEGEND_CLV_CALIBRATION_END = "Calibration end", "校准截止";
    NAV_PREDICTIONS = "Predictions", "预测";
    ERR_CLV_SETTINGS = "Prediction settings: {0}", "预测设置有误：{0}";
    ERR_CLV_ITERATIONS = "the iteration limit must be at least 1", "迭代次数上限至少为 1";
    ERR_CLV_TOLERANCE = "the tolerance must be a positive number (got {0})", "收敛容差必须为正数（当前为 {0}）";
    ERR_CLV_INITIAL = "the starting value of {0} must be positive (got {1})", "参数 {0} 的初始值必须为正数（当前为 {1}）";
    ERR_CLV_HORIZON = "the horizon must be between 1 and {0} {1} (got {2})", "预测期必须在 1 到 {0} {1} 之间（当前为 {2}）";
    ERR_CLV_DISCOUNT = "the monthly discount rate must be between 0 % and 100 % (got {0})", "月贴现率必须在 0% 到 100% 之间（当前为 {0}）";
    ERR_CLV_CHURN = "the churn thresholds must satisfy 0 < high-risk ≤ low-risk ≤ 1 (got {0} and {1})", "流失阈值必须满足 0 < 高风险阈值 ≤ 低风险阈值 ≤ 1（当前为 {0} 和 {1}）";
    ERR_CLV_TOO_FEW = "The prediction models need at least 2 customers with a purchase before the calibration end; there are {0}.",
        "预测模型至少需要 2 位在校准截止日前有购买的客户，当前只有 {0} 位。";
    ERR_CLV_NO_REPEATS = "Nobody bought twice before the calibration end, so repeat buying cannot be predicted. Choose a later calibration end or a file with a longer history.",
        "校准截止日前没有客户重复购买，无法预测复购。请选择更晚的校准截止日，或使用时间跨度更长的文件。";
    ERR_CLV_ROW = "Customer summary row {0} is invalid (frequency {1}, recency {2}, T {3}): {4}.",
        "客户汇总第 {0} 行无效（频次 {1}，最近购买 {2}，T {3}）：{4}。";
    ERR_CLV_NON_FINITE = "The {0} model broke down numerically at {1}. The data may be too small or too regular for it.",
        "{0} 模型在 {1} 处出现数值异常，数据可能过少或过于规律。";
    ERR_CLV_PREDICTION = "A prediction was asked outside the model's range (frequency {0}, recency {1}, T {2}, horizon {3}): {4}.",
        "预测输入超出模型范围（频次 {0}，最近购买 {1}，T {2}，预测期 {3}）：{4}。";
    CLV_INPUT_NOT_FINITE = "the values must be finite numbers", "数值必须为有限数";
    CLV_INPUT_FREQUENCY_WHOLE = "the repeat purchases must be a whole number ≥ 0", "复购次数必须为不小于 0 的整数";
    CLV_INPUT_FREQUENCY_NEGATIVE = "the repeat purchases must be ≥ 0", "复购次数必须不小于 0";
    CLV_INPUT_RECENCY = "the recency must lie between 0 and T", "最近购买必须介于 0 与 T 之间";
    CLV_INPUT_RECENCY_NO_REPEAT = "the recency must be 0 without a repeat purchase", "没有复购时最近购买必须为 0";
    CLV_INPUT_MONETARY_POSITIVE = "a repeat customer's mean spend must be positive", "复购客户的平均消费必须为正数";
    CLV_INPUT_MONETARY_FINITE = "the spend must be a finite number", "消费金额必须为有限数";
    CLV_INPUT_HORIZON = "the horizon must be ≥ 0", "预测期必须不小于 0";
    CLV_INPUT_2F1 = "a special function of the Pareto/NBD model did not converge for this customer", "该客户的 Pareto/NBD 模型特殊函数未收敛";
    CLV_INPUT_EXPECTATION = "the expected purchases are not a finite number at the fitted parameters", "在拟合参数下预期购买次数不是有限数";
    ERR_CLV_SPEND = "The spend model's mean order value is undefined (q = {0} is not above 1): spending varies too wildly between customers.",
        "消费金额模型的平均客单价无定义（q = {0} 不大于 1）：客户间消费差异过大。";
    ERR_CLV_CALIBRATION = "The calibration end {0} must lie after the first purchase ({1}) and not after {2}.",
        "校准截止日 {0} 必须晚于第一笔交易（{1}），且不晚于 {2}。";
    ERR_CLV_HOLDOUT = "The holdout end {0} must be after the calibration end {1}.", "验证期结束日 {0} 必须晚于校准截止日 {1}。";
    UNIT_DAYS = "days", "天";
    UNIT_MONTHS = "months", "个月";
    PROGRESS_FITTING = "Fitting the prediction models", "正在拟合预测模型";
    PREDICT_TITLE = "Predictions: who will buy again, and what they are worth", "预测：谁会再次购买，价值几何";
    PREDICT_HELP = "Probabilistic customer-base models (BG/NBD or Pareto/NBD for purchases, Gamma-Gamma for spend) fitted to this file by maximum likelihood. Purchases on the same day count as one.",
        "基于概率的客户行为模型（购买次数用 BG/NBD 或 Pareto/NBD，消费金额用 Gamma-Gamma），以最大似然法在此文件上拟合。同一天的多次购买计为一次。";
    PREDICT_RUN = "Run predictions", "运行预测";
    PREDICT_RERUN = "Update predictions", "更新预测";
    PREDICT_MODEL = "Purchase model", "购买模型";
    PREDICT_TIME_UNIT = "Time unit", "时间单位";
    UNIT_WEEKS = "weeks", "周";
    PREDICT_HORIZON = "Expected purchases over (days)", "预期购买的预测天数";
    PREDICT_CLV_MONTHS = "CLV horizon (months)", "CLV 期限（月）";
    PREDICT_DISCOUNT = "Monthly discount rate (%)", "月贴现率（%）";
    PREDICT_AS_OF = "Scores as of {0}", "评分基准日 {0}";
    PREDICT_ELAPSED = "Fitted and scored in {0} ms", "拟合与评分耗时 {0} 毫秒";
    COL_MODEL = "Model", "模型";
    COL_PARAMETERS = "Parameters (± standard error)", "参数（± 标准误）";
    COL_LOG_LIKELIHOOD = "Log-likelihood", "对数似然";
    COL_FIT_TIME = "Fit time", "拟合耗时";
    COL_CONVERGED = "Converged", "是否收敛";
    COL_CUSTOMERS_FITTED = "Customers fitted", "拟合客户数";
    YES = "yes", "是";
    NO = "no", "否";
    FIT_TIME_UNIT = "Time is counted in {0}.", "时间以{0}为单位。";
    SCORING_MODEL = "Scores come from {0}. The model with the higher log-likelihood fits this file better.", "评分来自 {0}。对数似然越高的模型与此文件拟合得越好。";
    KPI_EXPECTED_PURCHASES = "Expected purchases, next {0} days", "未来 {0} 天预期购买次数";
    KPI_MEAN_ALIVE = "Mean probability alive", "平均存活概率";
    KPI_TOTAL_CLV = "Total CLV, {0} months", "{0} 个月总 CLV";
    KPI_HIGH_RISK = "High churn risk", "高流失风险客户";
    KPI_PURCHASE_CHANCE = "Mean chance of a purchase, next {0} days", "未来 {0} 天内购买的平均概率";
    CHURN_RULE = "Churn risk is read from each customer's chance of at least one purchase in the next {0} days: high below {1}, low from {2}. Probability alive is not used for it: a customer can be alive and still buy too rarely to be seen again soon.",
        "流失风险依据每位客户在未来 {0} 天内至少购买一次的概率判定：低于 {1} 为高风险，不低于 {2} 为低风险。存活概率不用于判定：客户可能仍然存活，但购买太少，近期不会再出现。";
    KPI_HIGH_RISK_CLV = "{0} of CLV at stake", "涉及 CLV {0}";
    WARN_NOT_CONVERGED = "{0}: the optimiser stopped before reaching its tolerance; treat the estimates with care.", "{0}：优化器在达到收敛容差前停止，请谨慎看待估计值。";
    WARN_MODEL_FAILED = "{0} could not be fitted: {1}", "{0} 无法拟合：{1}";
    WARN_SCORED_WITH_FALLBACK = "{0} could not be fitted, so the scores come from {1}.", "{0} 无法拟合，因此评分来自 {1}。";
    WARN_UNSTABLE_MEAN_SPEND = "The spend model expects an average order of {0} from a customer without repeat purchases, far above the observed {1} (its q is close to 1): expected order values and CLV of customers with few purchases are unreliable.", "消费金额模型对无复购客户的预期平均订单金额为 {0}，远高于实际观测的 {1}（其 q 接近 1）：购买次数少的客户的预期订单金额和 CLV 不可靠。";
    WARN_DROPOUT_NOT_IDENTIFIED = "Dropout is hardly identified in this file: it spans {0} days, against a median of {1} days between a repeat customer's purchases and {2} days between purchases at the fitted mean purchase rate, and the fitted chance of leaving after a purchase is {3}. Probability alive and churn risk are optimistic here: a quiet customer may already be gone. A longer export helps.",
        "此文件几乎无法识别客户流失：文件跨度 {0} 天，而复购客户两次购买的中位间隔为 {1} 天，按拟合的平均购买率两次购买间隔为 {2} 天，拟合出的每次购买后流失概率为 {3}。此处的存活概率与流失风险偏乐观：沉默的客户可能已经流失。导出更长的时间段会有帮助。";
    DROPOUT_CAVEAT = "Churn risk may be optimistic for this file: see the warning on the Predictions page.", "此文件的流失风险可能偏乐观：见预测页上的提示。";
    WARN_AT_BOUNDARY = "{0}: {1} The fit is held at this limit, so the predictions are those of the simpler model.", "{0}：{1}拟合停在这一极限处，因此预测即为相应简化模型的预测。";
    BOUNDARY_NO_RATE_HETEROGENEITY = "customers' purchase rates hardly differ (r, α → ∞): one purchase rate (Poisson) for everyone.", "客户的购买频率几乎没有差异（r、α → ∞）：所有人使用同一个购买率（泊松）。";
    BOUNDARY_NO_DROPOUT = "almost nobody seems to drop out (dropout → 0): customers are treated as staying.", "几乎没有客户流失（流失率 → 0）：客户均视为持续活跃。";
    BOUNDARY_NO_DROPOUT_HETEROGENEITY = "the dropout chance hardly differs between customers: one dropout rate for everyone.", "客户之间的流失概率几乎没有差异：所有人使用同一个流失率。";
    BOUNDARY_NO_SPEND_HETEROGENEITY = "customers' typical order values hardly differ (q, v → ∞): one spend level for everyone.", "客户的典型订单金额几乎没有差异（q、v → ∞）：所有人使用同一消费水平。";
    BOUNDARY_PARAMETER = "the parameter {0} reached the limit of its range.", "参数 {0} 到达其取值范围的极限。";
    WARN_SPEND_FAILED = "No CLV: the spend model could not be used. {0}", "无法计算 CLV：消费金额模型不可用。{0}";
    WARN_SPEND_CORRELATED = "Purchase frequency and spend are correlated (ρ = {0}); the Gamma-Gamma model assumes they are independent, so CLV may be biased.", "购买频次与消费金额存在相关性（ρ = {0}）；Gamma-Gamma 模型假设二者独立，CLV 可能有偏差。";
    SPEND_CORRELATION = "Frequency–spend correlation among repeat customers: ρ = {0} (Gamma-Gamma assumes about 0).", "复购客户的频次与消费金额相关系数：ρ = {0}（Gamma-Gamma 模型假设接近 0）。";
    TOP_CLV_TITLE = "Top customers by CLV", "CLV 最高的客户";
    COL_P_ALIVE = "P(alive)", "存活概率";
    COL_EXPECTED = "Expected purchases", "预期购买次数";
    COL_CLV = "CLV", "客户终身价值";
    COL_PURCHASE_CHANCE = "Chance of a purchase in the horizon", "预测期内购买概率";
    COL_CHURN = "Churn risk", "流失风险";
    COL_NEXT_PURCHASE = "Next purchase", "预计下次购买";
    CHURN_LOW = "low", "低";
    CHURN_MEDIUM = "medium", "中";
    CHURN_HIGH = "high", "高";
    FILTER_CHURN = "Churn risk", "流失风险";
    PRESET_AT_RISK_VALUE = "High value, probably churning", "高价值但可能流失";
    EXPORT_SCORES = "Export scores (CSV)", "导出预测评分（CSV）";
    EXPORT_SCORES_XLSX = "Excel (.xlsx)", "导出 Excel (.xlsx)";
    VALIDATE_TITLE = "Check the models on a holdout period", "用验证期检验模型";
    VALIDATE_HELP = "Fit on the purchases up to the calibration end, predict the period after it, and compare with what happened.",
        "只用校准截止日之前的购买数据拟合模型，预测之后的时期，并与实际发生的情况比较。";
    VALIDATE_SPLIT = "Calibration end", "校准截止日";
    VALIDATE_HOLDOUT_END = "Holdout end", "验证期结束日";
    COL_CALIBRATION_FREQUENCY = "Repeat purchases in calibration", "校准期复购次数";
    COL_ACTUAL_MEAN = "Actual holdout purchases (mean)", "验证期实际购买（均值）";
    READOUT_CUMULATIVE = "{0}: actual {1}; {2}", "{0}：实际 {1}；{2}";
    VALIDATE_RUN = "Validate", "开始验证";
    VALIDATE_SUMMARY = "Holdout purchases of the {0} calibration customers: actual {1}; predicted {2}.", "{0} 位校准期客户在验证期的购买次数：实际 {1}；预测 {2}。";
    VALIDATE_ERRORS = "{0}: mean absolute error {1} per customer, {2} per frequency group.", "{0}：每位客户平均绝对误差 {1}，每个频次组平均绝对误差 {2}。";
    TAG_CHURN = "Churn risk", "流失风险";
}

/// A churn-risk band's name.
pub fn churn_name(lang: Lang, risk: crate::engine::clv::ChurnRisk) -> &'static str {
    use crate::engine::clv::ChurnRisk;
    match risk {
        ChurnRisk::Low => t::CHURN_LOW,
        ChurnRisk::Medium => t::CHURN_MEDIUM,
        ChurnRisk::High => t::CHURN_HIGH,
    }
    .get(lang)
}

/// Title of a customer-table column the predictions register ([`crate::engine::customers::
/// predictions::KEYS`]); `None` for another analysis's key.
pub fn prediction_column_title(key: &str) -> Option<Text> {
    use crate::engine::customers::predictions as columns;
    Some(match key {
        columns::PROBABILITY_ALIVE => t::COL_P_ALIVE,
        columns::EXPECTED_PURCHASES => t::COL_EXPECTED,
        columns::CLV => t::COL_CLV,
        columns::PURCHASE_CHANCE => t::COL_PURCHASE_CHANCE,
        columns::CHURN_RISK => t::COL_CHURN,
        columns::NEXT_PURCHASE => t::COL_NEXT_PURCHASE,
        _ => return None,
    })
}

/// A band of a prediction column in words (the churn risk's bands); `None` otherwise.
pub fn prediction_band_name(lang: Lang, key: &str, code: &str) -> Option<&'static str> {
    use crate::engine::clv::ChurnRisk;
    if key != crate::engine::customers::predictions::CHURN_RISK {
        return None;
    }
    let risk = ChurnRisk::ALL.into_iter().find(|r| r.name() == code)?;
    Some(churn_name(lang, risk))
}

/// A limit of a model's parameter space, in the user's language.
pub fn boundary_text(lang: Lang, boundary: &Boundary) -> String {
    match boundary {
        Boundary::NoRateHeterogeneity => t::BOUNDARY_NO_RATE_HETEROGENEITY.get(lang).to_string(),
        Boundary::NoDropout => t::BOUNDARY_NO_DROPOUT.get(lang).to_string(),
        Boundary::NoDropoutHeterogeneity => {
            t::BOUNDARY_NO_DROPOUT_HETEROGENEITY.get(lang).to_string()
        }
        Boundary::NoSpendHeterogeneity => t::BOUNDARY_NO_SPEND_HETEROGENEITY.get(lang).to_string(),
        Boundary::ParameterAtBound { parameter } => fill(lang, t::BOUNDARY_PARAMETER, &[parameter]),
    }
}

/// A prediction warning in the user's language.
pub fn clv_warning_text(lang: Lang, warning: &ClvWarning) -> String {
    match warning {
        ClvWarning::NotConverged { model } => fill(lang, t::WARN_NOT_CONVERGED, &[model]),
        ClvWarning::ScoredWithFallback { requested, used } => fill(
            lang,
            t::WARN_SCORED_WITH_FALLBACK,
            &[requested.name(), used.name()],
        ),
        ClvWarning::UnstableMeanSpend {
            population_mean,
            observed_mean,
        } => fill(
            lang,
            t::WARN_UNSTABLE_MEAN_SPEND,
            &[
                &crate::format::plain(*population_mean, 2),
                &crate::format::plain(*observed_mean, 2),
            ],
        ),
        ClvWarning::AtBoundary { model, boundary } => fill(
            lang,
            t::WARN_AT_BOUNDARY,
            &[model, &boundary_text(lang, boundary)],
        ),
        ClvWarning::ModelFailed { model, error } => fill(
            lang,
            t::WARN_MODEL_FAILED,
            &[model, &describe_clv_error(lang, error)],
        ),
        ClvWarning::SpendModelFailed { error } => fill(
            lang,
            t::WARN_SPEND_FAILED,
            &[&describe_clv_error(lang, error)],
        ),
        ClvWarning::DropoutNotIdentified {
            window_days,
            median_gap_days,
            model_gap_days,
            dropout_per_purchase,
        } => fill(
            lang,
            t::WARN_DROPOUT_NOT_IDENTIFIED,
            &[
                &window_days.to_string(),
                &crate::format::plain(*median_gap_days, 1),
                &crate::format::plain(*model_gap_days, 1),
                &crate::format::percent(*dropout_per_purchase),
            ],
        ),
        ClvWarning::SpendCorrelated { correlation } => fill(
            lang,
            t::WARN_SPEND_CORRELATED,
            &[&crate::format::plain(*correlation, 2)],
        ),
    }
}

/// What is wrong with a customer's model input, in words.
fn input_problem(problem: InputProblem) -> Text {
    match problem {
        InputProblem::NotFinite => t::CLV_INPUT_NOT_FINITE,
        InputProblem::FrequencyNotWhole => t::CLV_INPUT_FREQUENCY_WHOLE,
        InputProblem::NegativeFrequency => t::CLV_INPUT_FREQUENCY_NEGATIVE,
        InputProblem::RecencyOutsideAge => t::CLV_INPUT_RECENCY,
        InputProblem::RecencyWithoutRepeat => t::CLV_INPUT_RECENCY_NO_REPEAT,
        InputProblem::MonetaryNotPositive => t::CLV_INPUT_MONETARY_POSITIVE,
        InputProblem::MonetaryNotFinite => t::CLV_INPUT_MONETARY_FINITE,
        InputProblem::NegativeHorizon => t::CLV_INPUT_HORIZON,
        InputProblem::HypergeometricDiverged => t::CLV_INPUT_2F1,
        InputProblem::ExpectationNotFinite => t::CLV_INPUT_EXPECTATION,
    }
}

/// A CLV error in the user's language.
pub fn describe_clv_error(lang: Lang, e: &ClvError) -> String {
    let n = |v: f64| crate::format::plain(v, 4);
    let settings = |detail: String| fill(lang, t::ERR_CLV_SETTINGS, &[&detail]);
    match e {
        ClvError::ZeroIterations => settings(t::ERR_CLV_ITERATIONS.get(lang).to_string()),
        ClvError::InvalidTolerance { value } => {
            settings(fill(lang, t::ERR_CLV_TOLERANCE, &[&n(*value)]))
        }
        ClvError::InvalidInitialParameter { name, value } => {
            settings(fill(lang, t::ERR_CLV_INITIAL, &[name, &n(*value)]))
        }
        ClvError::InvalidHorizon { value, unit, max } => {
            let unit = match unit {
                HorizonUnit::Months => t::UNIT_MONTHS,
                HorizonUnit::Days => t::UNIT_DAYS,
            };
            settings(fill(
                lang,
                t::ERR_CLV_HORIZON,
                &[&max.to_string(), unit.get(lang), &value.to_string()],
            ))
        }
        ClvError::InvalidDiscountRate { value } => settings(fill(
            lang,
            t::ERR_CLV_DISCOUNT,
            &[&format!("{} %", crate::format::plain(value * 100.0, 2))],
        )),
        ClvError::InvalidChurnThresholds { high, low } => {
            settings(fill(lang, t::ERR_CLV_CHURN, &[&n(*high), &n(*low)]))
        }
        ClvError::TooFewCustomers { count } => {
            fill(lang, t::ERR_CLV_TOO_FEW, &[&count.to_string()])
        }
        ClvError::NoRepeatCustomers => t::ERR_CLV_NO_REPEATS.get(lang).to_string(),
        ClvError::InvalidSummaryRow {
            row,
            frequency,
            recency,
            age,
            reason,
            ..
        } => fill(
            lang,
            t::ERR_CLV_ROW,
            &[
                &(row + 1).to_string(),
                &n(*frequency),
                &n(*recency),
                &n(*age),
                input_problem(*reason).get(lang),
            ],
        ),
        ClvError::NonFiniteLikelihood { model, parameters } => {
            fill(lang, t::ERR_CLV_NON_FINITE, &[model, parameters])
        }
        ClvError::InvalidPredictionInput {
            frequency,
            recency,
            age,
            horizon,
            reason,
        } => fill(
            lang,
            t::ERR_CLV_PREDICTION,
            &[
                &n(*frequency),
                &n(*recency),
                &n(*age),
                &n(*horizon),
                input_problem(*reason).get(lang),
            ],
        ),
        ClvError::UndefinedMeanSpend { q } => fill(lang, t::ERR_CLV_SPEND, &[&n(*q)]),
        ClvError::CalibrationEndOutsideData {
            calibration_end_day,
            first_day,
            last_day,
        } => fill(
            lang,
            t::ERR_CLV_CALIBRATION,
            &[
                &crate::engine::calendar::iso_day(*calibration_end_day),
                &crate::engine::calendar::iso_day(*first_day),
                &crate::engine::calendar::iso_day(*last_day),
            ],
        ),
        ClvError::HoldoutEndBeforeCalibrationEnd {
            holdout_end_day,
            calibration_end_day,
        } => fill(
            lang,
            t::ERR_CLV_HOLDOUT,
            &[
                &crate::engine::calendar::iso_day(*holdout_end_day),
                &crate::engine::calendar::iso_day(*calibration_end_day),
            ],
        ),
    }
}
