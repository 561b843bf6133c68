//! Baskets: association rules, cross-sell recommendations, regional preferences and their
//! exports.

use serde::{Deserialize, Serialize};

use super::{export_download, nothing, Job, Reply, Session, SessionError, Stage};
use crate::baskets::{
    BasketAnalysis, BasketParams, BasketReport, ItemLevel, Preferences, ReasonWords,
    RecommendParams, RecommendReport, Recommender, RegionParams, RegionReport, RulePage, RuleQuery,
    Transactions,
};
use crate::table_out::ExportFormat;
use crate::EngineError;

/// What the page asks of this feature.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Request {
    /// Mine the itemsets and rules; answers with the report and the first page of rules.
    Rules {
        /// Settings.
        params: BasketParams,
        /// The rule page to return with it.
        query: RuleQuery,
    },
    /// Another page of the current rules (sort, filter, search, page).
    RulePage {
        /// The page.
        query: RuleQuery,
    },
    /// Fit the recommendations (and evaluate them when asked).
    Recommend {
        /// Settings.
        params: RecommendParams,
    },
    /// Compare the regions (or channels).
    Regions {
        /// Settings.
        params: RegionParams,
    },
    /// The current rules as a file.
    ExportRules {
        /// The file format.
        #[serde(default)]
        format: ExportFormat,
    },
    /// The current recommendations as a file: `customer_id, rank, item, score, reason`, ….
    ExportRecommendations {
        /// The file format.
        #[serde(default)]
        format: ExportFormat,
        /// The reasons' words, in the user's language.
        words: ReasonWords,
    },
    /// The current preference indexes as a file.
    ExportRegions {
        /// The file format.
        #[serde(default)]
        format: ExportFormat,
    },
}

/// What this feature answers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[allow(clippy::large_enum_variant)]
pub enum Response {
    /// A rules run finished.
    Mined {
        /// What the page draws.
        report: BasketReport,
        /// The first page of rules.
        page: RulePage,
        /// Milliseconds spent in the worker.
        elapsed_ms: f64,
    },
    /// A page of rules.
    Rules {
        /// The page.
        page: RulePage,
    },
    /// Recommendations fitted.
    Recommended {
        /// What the page draws.
        report: RecommendReport,
    },
    /// Regions compared.
    Regions {
        /// What the page draws.
        report: RegionReport,
    },
}

impl From<Response> for Reply {
    fn from(response: Response) -> Self {
        super::Response::Baskets(response).into()
    }
}

/// The basket results a session holds (all dropped by a new ingest or RFM run: they read its
/// lines).
#[derive(Default)]
pub(super) struct BasketResults {
    /// Baskets per item level, built on first use, with the milliseconds it took.
    transactions: Vec<(Transactions, f64)>,
    /// The last rules run.
    pub(super) rules: Option<BasketAnalysis>,
    /// The last recommendations.
    pub(super) recommender: Option<Recommender>,
    /// The last regional comparison and its settings.
    pub(super) preferences: Option<(RegionParams, Preferences)>,
}

impl BasketResults {
    fn of_level(&self, level: ItemLevel) -> Option<&Transactions> {
        self.transactions
            .iter()
            .map(|(t, _)| t)
            .find(|t| t.level == level)
    }
}

impl Session {
    /// The current rules run, if any.
    pub fn basket_rules(&self) -> Option<&BasketAnalysis> {
        self.baskets.rules.as_ref()
    }

    /// The current recommendations, if any.
    pub fn recommendations(&self) -> Option<&Recommender> {
        self.baskets.recommender.as_ref()
    }

    /// The baskets at `level`, if a basket request built them.
    pub fn basket_transactions(&self, level: ItemLevel) -> Option<&Transactions> {
        self.baskets.of_level(level)
    }

    /// The current regional (or channel) preferences, if any.
    pub fn preferences(&self) -> Option<&Preferences> {
        self.baskets.preferences.as_ref().map(|(_, p)| p)
    }

    /// The baskets at `level`, built from the current analysis's lines when not yet held (and the
    /// milliseconds building them took).
    fn transactions(
        &mut self,
        level: ItemLevel,
        job: &mut Job<'_>,
    ) -> Result<(&Transactions, f64), SessionError> {
        if self.baskets.of_level(level).is_none() {
            let (Some(d), Some(a)) = (self.dataset.as_ref(), self.analysis.as_ref()) else {
                return Err(nothing("analysis"));
            };
            let started = (job.now_ms)();
            let t = Transactions::build(d, a, level).map_err(EngineError::from)?;
            let ms = (job.now_ms)() - started;
            self.baskets.transactions.push((t, ms));
        }
        self.baskets
            .transactions
            .iter()
            .find(|(t, _)| t.level == level)
            .map(|(t, ms)| (t, *ms))
            .ok_or_else(|| nothing("baskets"))
    }
}

/// Answers one request of this feature.
pub(super) fn handle(
    session: &mut Session,
    request: Request,
    _attachment: Option<Box<dyn super::Source>>,
    job: &mut Job<'_>,
) -> Result<Reply, SessionError> {
    session.needs_lines("baskets")?;
    match request {
        Request::Rules { params, query } => {
            let started = (job.now_ms)();
            job.stage(Stage::Mining)?;
            let has_categories = session
                .dataset
                .as_ref()
                .is_some_and(|d| !d.category.is_empty());
            let (t, baskets_ms) = session.transactions(params.level, job)?;
            let analysis = BasketAnalysis::run(t, &params, baskets_ms, has_categories, job.now_ms)
                .map_err(EngineError::from)?;
            let page = crate::baskets::report::rule_page(
                &analysis.rules,
                &t.items,
                analysis.baskets,
                &query,
            );
            let report = analysis.report.clone();
            session.baskets.rules = Some(analysis);
            Ok(Response::Mined {
                report,
                page,
                elapsed_ms: (job.now_ms)() - started,
            }
            .into())
        }
        Request::RulePage { query } => {
            let analysis = session
                .baskets
                .rules
                .as_ref()
                .ok_or_else(|| nothing("rules"))?;
            let t = session
                .baskets
                .of_level(analysis.params.level)
                .ok_or_else(|| nothing("baskets"))?;
            let page = crate::baskets::report::rule_page(
                &analysis.rules,
                &t.items,
                analysis.baskets,
                &query,
            );
            Ok(Response::Rules { page }.into())
        }
        Request::Recommend { params } => {
            let started = (job.now_ms)();
            job.stage(Stage::Mining)?;
            let customers = session.dataset.as_ref().map_or(0, |d| d.customer_count());
            let (t, _) = session.transactions(params.level, job)?;
            let recommender = Recommender::fit(t, customers, &params).map_err(EngineError::from)?;
            let report = RecommendReport::new(t, &recommender, (job.now_ms)() - started);
            session.baskets.recommender = Some(recommender);
            Ok(Response::Recommended { report }.into())
        }
        Request::Regions { params } => {
            let started = (job.now_ms)();
            job.stage(Stage::Mining)?;
            session.transactions(params.level, job)?;
            let t = session
                .baskets
                .of_level(params.level)
                .ok_or_else(|| nothing("baskets"))?;
            let d = session.dataset.as_ref().ok_or_else(|| nothing("dataset"))?;
            let preferences = Preferences::compute(t, d, params.by).map_err(EngineError::from)?;
            let report = RegionReport::new(t, &preferences, (job.now_ms)() - started);
            session.baskets.preferences = Some((params, preferences));
            Ok(Response::Regions { report }.into())
        }
        Request::ExportRules { format } => {
            job.stage(Stage::Exporting)?;
            let analysis = session
                .baskets
                .rules
                .as_ref()
                .ok_or_else(|| nothing("rules"))?;
            let t = session
                .baskets
                .of_level(analysis.params.level)
                .ok_or_else(|| nothing("baskets"))?;
            let rows = analysis.rules.len() as u64;
            let download = export_download(session.spreadsheets, format, "rules", rows, |sink| {
                analysis.export_rules(&t.items, sink)
            })?;
            Ok(Reply::exported(rows, download))
        }
        Request::ExportRecommendations { format, words } => {
            job.stage(Stage::Exporting)?;
            let r = session
                .baskets
                .recommender
                .as_ref()
                .ok_or_else(|| nothing("recommendations"))?;
            let t = session
                .baskets
                .of_level(r.params.level)
                .ok_or_else(|| nothing("baskets"))?;
            let d = session.dataset.as_ref().ok_or_else(|| nothing("dataset"))?;
            // At most k rows a customer (fewer when the catalogue is small): the bound decides
            // whether a sheet can hold them; the rows written are reported.
            let bound = r.customers().saturating_mul(r.params.k as u64);
            let mut written = 0;
            let download = export_download(
                session.spreadsheets,
                format,
                "recommendations",
                bound,
                |sink| {
                    written = r.export(t, d, &words, sink);
                    written
                },
            )?;
            let rows = written;
            Ok(Reply::exported(rows, download))
        }
        Request::ExportRegions { format } => {
            job.stage(Stage::Exporting)?;
            let (params, p) = session
                .baskets
                .preferences
                .as_ref()
                .ok_or_else(|| nothing("regions"))?;
            let t = session
                .baskets
                .of_level(params.level)
                .ok_or_else(|| nothing("baskets"))?;
            let rows = p.cells.len() as u64;
            let download =
                export_download(session.spreadsheets, format, "preferences", rows, |sink| {
                    p.export(t, sink)
                })?;
            Ok(Reply::exported(rows, download))
        }
    }
}
