//! The one catalog of UI strings, English and 简体中文, split per feature: `common` (the page
//! around the analyses), `ingest`, `overview`, `customers`, `predictions`, `segments`, `baskets`. Each part
//! holds its [`Text`] constants and the translations of its typed engine values (errors,
//! warnings, drop reasons, traits); all are reachable as `t::NAME` and from this module.
//!
//! Every string the page shows comes from here: plain [`Text`] constants, parameterised ones
//! through [`fill`] (`{0}`, `{1}` placeholders). The catalog is plain data, tested natively: every
//! entry of every part has both languages and the same placeholders in each. A new analysis adds
//! a part file and one line in `t` and in `t::PARTS`.

use crate::engine::{cluster::ClusterStage, rfm::RfmError, EngineError};
use crate::protocol::{Stage, WorkerError};

/// A UI language.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub enum Lang {
    /// English.
    #[default]
    En,
    /// 简体中文.
    Zh,
}

impl Lang {
    /// BCP 47 code for `<html lang>` and localStorage.
    pub fn code(self) -> &'static str {
        match self {
            Self::En => "en",
            Self::Zh => "zh-CN",
        }
    }
    /// Parses [`Lang::code`] (or any `zh*`).
    pub fn from_code(code: &str) -> Option<Self> {
        match code {
            "en" => Some(Self::En),
            c if c.starts_with("zh") => Some(Self::Zh),
            c if c.starts_with("en") => Some(Self::En),
            _ => None,
        }
    }
    /// The other language.
    pub fn other(self) -> Self {
        match self {
            Self::En => Self::Zh,
            Self::Zh => Self::En,
        }
    }
}

/// One string in both languages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Text {
    /// English.
    pub en: &'static str,
    /// 简体中文.
    pub zh: &'static str,
}

impl Text {
    /// The string in `lang`.
    pub const fn get(&self, lang: Lang) -> &'static str {
        match lang {
            Lang::En => self.en,
            Lang::Zh => self.zh,
        }
    }
}

/// Replaces `{0}`, `{1}`, ... in `text` (in `lang`) with `args`.
pub fn fill(lang: Lang, text: Text, args: &[&str]) -> String {
    let mut out = text.get(lang).to_string();
    for (i, a) in args.iter().enumerate() {
        out = out.replace(&format!("{{{i}}}"), a);
    }
    out
}

macro_rules! catalog {
    ($($(#[$doc:meta])* $name:ident = $en:expr, $zh:expr;)*) => {
        $( $(#[$doc])* #[allow(missing_docs)] pub const $name: Text = Text { en: $en, zh: $zh }; )*
        /// Every catalog entry with its name, for tests and audits.
        pub const ALL: &[(&str, Text)] = &[$((stringify!($name), $name)),*];
    };
}

mod baskets;
mod campaigns;
mod common;
mod customers;
mod forecast;
mod ingest;
mod lifecycle;
mod overview;
mod predictions;
mod segments;
mod sendtime;
mod summary;
mod tiers;

pub use baskets::{basket_warning_text, describe_basket_error, level_name, support_text};
pub use campaigns::{
    campaign_segment_name, campaign_warning_text, degenerate_text, describe_experiment_error,
    describe_power_error, dimension_name, model_problem_text,
};
pub use customers::{band_name, column_title};
pub use forecast::{describe_forecast_error, series_name};
use ingest::describe_ingest_error;
pub use ingest::{date_order_name, delimiter_name, drop_reason, guess_note_text, role_name};
pub use lifecycle::{describe_cohort_error, describe_repurchase_error, period_name};
pub use overview::{segment_action, segment_name};
pub use predictions::{boundary_text, churn_name, clv_warning_text, describe_clv_error};
pub use segments::{
    cluster_warning_text, describe_cluster_error, feature_label, feature_name, numbered_trait_name,
    trait_name,
};
pub use sendtime::{describe_sendtime_error, hour_text, weekday_name};
pub use summary::{
    describe_summary_error, describe_warehouse_error, summary_fact_lines, unit_name,
};
pub use tiers::{describe_tier_error, movement_name, tier_name, tier_words};

/// The catalog, one part per feature (`common`, `ingest`, `overview`, `customers`,
/// `predictions`, `segments`); every entry is reachable as `t::NAME`.
pub mod t {
    // Each part also has its own `ALL`; the parts' lists are `PARTS` here, so the clash of those
    // names is harmless (nothing uses `t::ALL`).
    #![allow(ambiguous_glob_reexports)]
    pub use super::baskets::*;
    pub use super::campaigns::*;
    pub use super::common::*;
    pub use super::customers::*;
    pub use super::forecast::*;
    pub use super::ingest::*;
    pub use super::lifecycle::*;
    pub use super::overview::*;
    pub use super::predictions::*;
    pub use super::segments::*;
    pub use super::sendtime::*;
    pub use super::summary::*;
    pub use super::tiers::*;

    /// Every part with its entries, for tests and audits.
    pub const PARTS: [(&str, &[(&str, super::Text)]); 13] = [
        ("common", super::common::ALL),
        ("ingest", super::ingest::ALL),
        ("overview", super::overview::ALL),
        ("customers", super::customers::ALL),
        ("predictions", super::predictions::ALL),
        ("segments", super::segments::ALL),
        ("baskets", super::baskets::ALL),
        ("lifecycle", super::lifecycle::ALL),
        ("tiers", super::tiers::ALL),
        ("sendtime", super::sendtime::ALL),
        ("forecast", super::forecast::ALL),
        ("campaigns", super::campaigns::ALL),
        ("summary", super::summary::ALL),
    ];
}

/// The label of a progress stage.
pub fn stage_name(lang: Lang, stage: Stage) -> &'static str {
    match stage {
        Stage::Reading => t::PROGRESS_READING,
        Stage::Scoring => t::PROGRESS_SCORING,
        Stage::Exporting => t::PROGRESS_EXPORTING,
        Stage::Fitting => t::PROGRESS_FITTING,
        Stage::Mining => t::PROGRESS_MINING,
        Stage::Lifecycle => t::PROGRESS_LIFECYCLE,
        Stage::Testing => t::PROGRESS_TESTING,
        Stage::Clustering(step) => match step {
            ClusterStage::Features => t::PROGRESS_CLUSTER_FEATURES,
            ClusterStage::Sweep => t::PROGRESS_CLUSTER_SWEEP,
            ClusterStage::Fit => t::PROGRESS_CLUSTER_FIT,
            ClusterStage::Stability => t::PROGRESS_CLUSTER_STABILITY,
            ClusterStage::Profiles => t::PROGRESS_CLUSTER_PROFILES,
        },
    }
    .get(lang)
}

/// A user-facing message for any failure the worker reports: names the problem and where.
pub fn describe_error(lang: Lang, error: &WorkerError) -> String {
    match error {
        WorkerError::Engine(EngineError::Ingest(e)) => describe_ingest_error(lang, e),
        WorkerError::Engine(EngineError::Rfm(e)) => match e {
            RfmError::AsOfBeforeData { as_of, first } => fill(lang, t::ERR_AS_OF, &[as_of, first]),
            RfmError::IncompleteGrid => t::ERR_GRID.get(lang).to_string(),
            RfmError::NoCustomers => t::ERR_NO_CUSTOMERS.get(lang).to_string(),
        },
        WorkerError::Engine(EngineError::Clv(e)) => describe_clv_error(lang, e),
        WorkerError::Engine(EngineError::Cluster(e)) => describe_cluster_error(lang, e),
        WorkerError::Engine(EngineError::Baskets(e)) => describe_basket_error(lang, e),
        WorkerError::Engine(EngineError::Cohorts(e)) => describe_cohort_error(lang, e),
        WorkerError::Engine(EngineError::Repurchase(e)) => describe_repurchase_error(lang, e),
        WorkerError::Engine(EngineError::Tiers(e)) => describe_tier_error(lang, e),
        WorkerError::Engine(EngineError::SendTime(e)) => describe_sendtime_error(lang, e),
        WorkerError::Engine(EngineError::Forecast(e)) => describe_forecast_error(lang, e),
        WorkerError::Engine(EngineError::Experiment(e)) => describe_experiment_error(lang, e),
        WorkerError::Engine(EngineError::Summary(e)) => describe_summary_error(lang, e),
        WorkerError::Engine(EngineError::Warehouse(e)) => describe_warehouse_error(lang, e),
        WorkerError::NothingLoaded { .. } => t::ERR_NOTHING_LOADED.get(lang).to_string(),
        WorkerError::Read { message } => fill(lang, t::ERR_READ, &[message]),
        WorkerError::TooManyRowsForExcel { rows } => fill(
            lang,
            t::ERR_TOO_MANY_ROWS_FOR_EXCEL,
            &[&crate::format::grouped(*rows as f64, 0, ',')],
        ),
        WorkerError::ExportFailed { message } => fill(lang, t::ERR_EXPORT_FAILED, &[message]),
        WorkerError::BadMessage { message } => fill(lang, t::ERR_BAD_MESSAGE, &[message]),
        WorkerError::NotFinite { message } => fill(lang, t::ERR_NOT_FINITE, &[message]),
        WorkerError::Cancelled => t::ERR_CANCELLED.get(lang).to_string(),
        WorkerError::Stale { .. } => t::ERR_STALE.get(lang).to_string(),
        WorkerError::Crashed { message } => fill(lang, t::CRASHED, &[message]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::{
        clv::{ClvError, HorizonUnit, InputProblem},
        ingest::{DropReason, IngestError},
        rfm::Segment,
    };

    #[test]
    fn every_part_has_entries_and_no_name_is_in_two_parts() {
        let mut seen: std::collections::HashMap<&str, &str> = std::collections::HashMap::new();
        for (part, entries) in t::PARTS {
            assert!(!entries.is_empty(), "{part} is empty");
            for (name, _) in entries {
                if let Some(other) = seen.insert(name, part) {
                    panic!("{name} is in {other} and {part}");
                }
            }
        }
    }

    fn placeholders(s: &str) -> Vec<usize> {
        let mut v: Vec<usize> = (0..10)
            .filter(|i| s.contains(&format!("{{{i}}}")))
            .collect();
        v.sort_unstable();
        v
    }

    #[test]
    fn every_entry_has_both_languages_with_the_same_placeholders() {
        assert!(t::PARTS.iter().map(|(_, p)| p.len()).sum::<usize>() > 100);
        for (name, text) in t::PARTS.iter().flat_map(|(_, p)| p.iter()) {
            assert!(!text.en.trim().is_empty(), "{name}: empty English");
            assert!(!text.zh.trim().is_empty(), "{name}: empty Chinese");
            assert_eq!(
                placeholders(text.en),
                placeholders(text.zh),
                "{name}: placeholders differ"
            );
        }
    }

    #[test]
    fn chinese_entries_are_translated() {
        // Entries that are legitimately identical in both languages.
        let same = [
            "FILE_SIZE",
            "DOWNLOAD_PNG",
            "COL_RFM",
            "LANG_SWITCH",
            "REQUIRED_MARK",
            "TRAIT_JOIN",
            "RULES_INFINITE",
            "RECS_COL_NDCG",
            "COHORTS_COL_PERIOD",
            "READOUT_COHORT_CELL",
            "READOUT_COHORT_CURVE",
            "CHART_COHORTS_SCALE",
            "FORECAST_HOVER_HISTORY",
            "FORECAST_HOVER_FORECAST",
            "CAMP_FOREST_SMALL_ROW",
        ]; // LANG_SWITCH names the other language
        for (name, text) in t::PARTS.iter().flat_map(|(_, p)| p.iter()) {
            if same.contains(name) {
                continue;
            }
            assert!(
                text.zh
                    .chars()
                    .any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
                "{name}: the Chinese text has no Chinese characters: {}",
                text.zh
            );
        }
    }

    #[test]
    fn errors_name_the_problem_and_where() {
        let e = WorkerError::Engine(EngineError::Ingest(IngestError::MostRowsBad {
            read: 10,
            dropped: 8,
            reason: DropReason::BadDate,
            column: "日期".into(),
            example_line: 3,
            example_value: "31/31/2024".into(),
        }));
        let en = describe_error(Lang::En, &e);
        assert!(
            en.contains("8 of 10") && en.contains("line 3") && en.contains("31/31/2024"),
            "{en}"
        );
        assert!(en.contains("日期") && en.contains("not a date"), "{en}");
        let zh = describe_error(Lang::Zh, &e);
        assert!(
            zh.contains("第 3 行") && zh.contains("不是有效日期"),
            "{zh}"
        );
    }

    #[test]
    fn every_clv_error_reads_in_both_languages_with_its_values() {
        let errors = [
            ClvError::ZeroIterations,
            ClvError::InvalidTolerance { value: -1.0 },
            ClvError::InvalidInitialParameter {
                name: "alpha".into(),
                value: 0.0,
            },
            ClvError::InvalidHorizon {
                value: 0,
                unit: HorizonUnit::Months,
                max: 120,
            },
            ClvError::InvalidDiscountRate { value: -0.05 },
            ClvError::InvalidChurnThresholds {
                high: 0.8,
                low: 0.5,
            },
            ClvError::TooFewCustomers { count: 1 },
            ClvError::NoRepeatCustomers,
            ClvError::InvalidSummaryRow {
                row: 4,
                frequency: 2.0,
                recency: 9.0,
                age: 5.0,
                monetary: 1.0,
                reason: InputProblem::RecencyOutsideAge,
            },
            ClvError::NonFiniteLikelihood {
                model: "BG/NBD".into(),
                parameters: "r=1".into(),
            },
            ClvError::InvalidPredictionInput {
                frequency: 1.0,
                recency: 2.0,
                age: 3.0,
                horizon: -1.0,
                reason: InputProblem::NegativeHorizon,
            },
            ClvError::UndefinedMeanSpend { q: 0.9 },
            ClvError::CalibrationEndOutsideData {
                calibration_end_day: 20000,
                first_day: 19000,
                last_day: 19500,
            },
            ClvError::HoldoutEndBeforeCalibrationEnd {
                holdout_end_day: 19000,
                calibration_end_day: 19500,
            },
        ];
        for e in &errors {
            for lang in [Lang::En, Lang::Zh] {
                let text = describe_error(lang, &WorkerError::Engine(EngineError::Clv(e.clone())));
                assert!(!text.contains('{'), "{text}");
            }
        }
        let zh = describe_clv_error(Lang::Zh, &errors[12]);
        assert!(
            zh.contains("2024-10-04") && zh.contains("校准截止日"),
            "{zh}"
        );
        let en = describe_clv_error(Lang::En, &errors[4]);
        assert!(en.contains("-5 %"), "{en}");
        let en = describe_clv_error(Lang::En, &errors[8]);
        assert!(
            en.contains("row 5") && en.contains("recency must lie"),
            "{en}"
        );
        // The reason is a typed value worded per language (it was an English sentence inside
        // the Chinese message).
        let zh = describe_clv_error(Lang::Zh, &errors[8]);
        assert!(
            zh.contains("最近购买必须介于 0 与 T 之间") && !zh.contains("recency"),
            "{zh}"
        );
        let zh = describe_clv_error(Lang::Zh, &errors[10]);
        assert!(
            zh.contains("预测期必须不小于 0") && !zh.contains("horizon"),
            "{zh}"
        );
    }

    // Regression: a saved segmentation's missing column showed its code ("missing_column") in
    // the Chinese message; every reason is now a typed value with words in both languages.
    #[test]
    fn every_unavailable_feature_reason_is_worded_in_both_languages() {
        use crate::engine::cluster::{ClusterError, Unavailable};
        let reasons = [
            Unavailable::NoProductColumn,
            Unavailable::NoRegionColumn,
            Unavailable::NoChannelColumn,
            Unavailable::NoPredictions,
            Unavailable::NoAttributes,
            Unavailable::NoSuchAttribute,
            Unavailable::MissingColumn,
            Unavailable::ColumnTypeChanged,
        ];
        for reason in reasons {
            for e in [
                ClusterError::FeatureUnavailable {
                    feature: "recency_days".into(),
                    reason,
                },
                ClusterError::ModelFeatureUnavailable {
                    feature: "recency_days".into(),
                    reason,
                },
            ] {
                let zh = describe_cluster_error(Lang::Zh, &e);
                assert!(!zh.contains(&reason.to_string()), "{zh}");
                assert!(!zh.chars().any(|c| c == '_'), "{zh}");
            }
        }
    }

    #[test]
    fn every_registered_customer_column_has_a_title_and_band_names_in_both_languages() {
        use crate::engine::clv::ChurnRisk;
        use crate::engine::customers::{predictions, Column, ColumnKind};
        for key in predictions::KEYS {
            let column = Column {
                key: key.to_string(),
                header: key.to_string(),
                kind: ColumnKind::Day,
                sortable: false,
            };
            for lang in [Lang::En, Lang::Zh] {
                assert_ne!(column_title(lang, &column), key, "{key} has no title");
            }
        }
        let churn = Column {
            key: predictions::CHURN_RISK.to_string(),
            header: String::new(),
            kind: ColumnKind::Day,
            sortable: false,
        };
        for risk in ChurnRisk::ALL {
            assert_eq!(
                band_name(Lang::Zh, &churn, risk.name()),
                churn_name(Lang::Zh, risk)
            );
        }
    }

    #[test]
    fn every_segment_has_a_name_and_an_action_in_both_languages() {
        for s in Segment::ALL {
            for lang in [Lang::En, Lang::Zh] {
                assert!(!segment_name(lang, s).is_empty());
                assert!(!segment_action(lang, s).is_empty());
            }
        }
        assert_eq!(
            segment_name(Lang::En, Segment::CantLoseThem),
            "Can't Lose Them"
        );
    }

    #[test]
    fn language_codes_round_trip() {
        for l in [Lang::En, Lang::Zh] {
            assert_eq!(Lang::from_code(l.code()), Some(l));
        }
        assert_eq!(Lang::from_code("zh-TW"), Some(Lang::Zh));
        assert_eq!(Lang::from_code("fr"), None);
    }
}
