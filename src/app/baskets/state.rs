//! The baskets page's state (rule settings and results, the rule table's query, recommendations,
//! regional preferences) and its intents.

use leptos::prelude::*;

use crate::app::state::{export_file_name, Notice};
use crate::app::{browser, routes, AppState};
use crate::engine::baskets::{
    BasketParams, BasketReport, ItemLevel, ReasonWords, RecommendParams, RecommendReport,
    RegionParams, RegionReport, RulePage, RuleQuery,
};
use crate::engine::customers::{BoughtFilter, CustomerQuery};
use crate::engine::session as msg;
use crate::engine::table_out::ExportFormat;
use crate::i18n::t;
use crate::protocol::{Request, Response, Stage};
use crate::route::Route;

/// The baskets page's state.
#[derive(Clone, Copy)]
pub struct BasketsState {
    /// Rule settings being edited.
    pub params: RwSignal<BasketParams>,
    /// The rules run on screen.
    pub report: RwSignal<Option<BasketReport>>,
    /// The settings of the run on screen (its item level names the cross-sell filter).
    pub report_params: RwSignal<BasketParams>,
    /// Worker milliseconds of the last rules run.
    pub elapsed_ms: RwSignal<f64>,
    /// The rule table's query.
    pub query: RwSignal<RuleQuery>,
    /// The rule table's page.
    pub page: RwSignal<RulePage>,
    /// Recommendation settings being edited.
    pub rec_params: RwSignal<RecommendParams>,
    /// The settings of the recommendations on screen.
    pub rec_applied: RwSignal<RecommendParams>,
    /// The settings of the regional comparison on screen.
    pub region_applied: RwSignal<RegionParams>,
    /// The recommendations on screen.
    pub recommendations: RwSignal<Option<RecommendReport>>,
    /// Regional comparison settings being edited.
    pub region_params: RwSignal<RegionParams>,
    /// The regional comparison on screen.
    pub regions: RwSignal<Option<RegionReport>>,
}

impl BasketsState {
    pub(crate) fn new() -> Self {
        Self {
            params: RwSignal::new(BasketParams::new()),
            report: RwSignal::new(None),
            report_params: RwSignal::new(BasketParams::new()),
            elapsed_ms: RwSignal::new(0.0),
            query: RwSignal::new(RuleQuery::default()),
            page: RwSignal::new(RulePage::default()),
            rec_params: RwSignal::new(RecommendParams::new()),
            rec_applied: RwSignal::new(RecommendParams::new()),
            region_applied: RwSignal::new(RegionParams::default()),
            recommendations: RwSignal::new(None),
            region_params: RwSignal::new(RegionParams::default()),
            regions: RwSignal::new(None),
        }
    }

    /// Forgets the file's basket results and settings (a new file).
    pub(crate) fn forget(self) {
        self.report.set(None);
        self.page.set(RulePage::default());
        self.query.set(RuleQuery::default());
        self.recommendations.set(None);
        self.regions.set(None);
        self.params.set(BasketParams::new());
        self.rec_params.set(RecommendParams::new());
        self.region_params.set(RegionParams::default());
    }
}

impl AppState {
    /// Mine the itemsets and rules with the current settings.
    pub fn mine_rules(self) {
        if self.retry_when_lost(move || self.mine_rules()) {
            return;
        }
        let params = self.baskets.params.get_untracked();
        let mut query = self.baskets.query.get_untracked();
        query.offset = 0;
        self.baskets.query.set(query.clone());
        let applied = params.clone();
        let request = Request::Baskets(msg::baskets::Request::Rules { params, query });
        self.job(&request, None, Some(Stage::Mining), move |response, _| {
            if let Response::Baskets(msg::baskets::Response::Mined {
                report,
                page,
                elapsed_ms,
            }) = response
            {
                self.baskets.report.set(Some(report));
                self.baskets.report_params.set(applied.clone());
                self.baskets.page.set(page);
                self.baskets.elapsed_ms.set(elapsed_ms);
            }
        });
    }

    /// Show the rules of `query` (sort, filter, search, page): paged in the worker.
    pub fn set_rule_query(self, query: RuleQuery) {
        self.baskets.query.set(query.clone());
        // A restarted worker lost the rules: they are mined again as they were shown.
        if self.retry_when_lost(move || self.redo_baskets()) {
            return;
        }
        let request = Request::Baskets(msg::baskets::Request::RulePage { query });
        self.job(&request, None, None, move |response, _| {
            if let Response::Baskets(msg::baskets::Response::Rules { page }) = response {
                self.baskets.page.set(page);
            }
        });
    }

    /// Fit the recommendations (with their evaluation) with the current settings.
    pub fn recommend(self) {
        if self.retry_when_lost(move || self.recommend()) {
            return;
        }
        self.recommend_with(self.baskets.rec_params.get_untracked());
    }

    fn recommend_with(self, params: RecommendParams) {
        let applied = params.clone();
        let request = Request::Baskets(msg::baskets::Request::Recommend { params });
        self.job(&request, None, Some(Stage::Mining), move |response, _| {
            if let Response::Baskets(msg::baskets::Response::Recommended { report }) = response {
                self.baskets.recommendations.set(Some(report));
                self.baskets.rec_applied.set(applied.clone());
            }
        });
    }

    /// Compare the regions (or channels) with the current settings.
    pub fn compare_regions(self) {
        if self.retry_when_lost(move || self.compare_regions()) {
            return;
        }
        self.compare_regions_with(self.baskets.region_params.get_untracked());
    }

    fn compare_regions_with(self, params: RegionParams) {
        let applied = params.clone();
        let request = Request::Baskets(msg::baskets::Request::Regions { params });
        self.job(&request, None, Some(Stage::Mining), move |response, _| {
            if let Response::Baskets(msg::baskets::Response::Regions { report }) = response {
                self.baskets.regions.set(Some(report));
                self.baskets.region_applied.set(applied.clone());
            }
        });
    }

    /// Re-runs whatever basket result is on screen (after a re-analysis or a worker restart:
    /// the session dropped them), each with the settings it was made with. The results come off
    /// the screen first: if a re-run fails, nothing of the previous run's lines stays shown.
    pub(crate) fn redo_baskets(self) {
        if self.baskets.report.with_untracked(Option::is_some) {
            self.baskets.report.set(None);
            self.baskets
                .params
                .set(self.baskets.report_params.get_untracked());
            self.mine_rules();
        }
        if self.baskets.recommendations.with_untracked(Option::is_some) {
            self.baskets.recommendations.set(None);
            self.recommend_with(self.baskets.rec_applied.get_untracked());
        }
        if self.baskets.regions.with_untracked(Option::is_some) {
            self.baskets.regions.set(None);
            self.compare_regions_with(self.baskets.region_applied.get_untracked());
        }
    }

    /// "Customers who bought `bought` and not `not_bought`": the customer table with that filter.
    pub fn show_cross_sell(self, bought: Vec<String>, not_bought: Vec<String>) {
        let level: ItemLevel = self.baskets.report_params.get_untracked().level;
        // The other filters go (the list is "bought A, not B"); the page size stays.
        let query = CustomerQuery {
            bought: Some(BoughtFilter {
                level,
                bought,
                not_bought,
            }),
            limit: self.customers.query.get_untracked().limit,
            ..CustomerQuery::default()
        };
        self.set_query(query);
        routes::navigate(self, Route::Customers);
    }

    /// Download a basket result as CSV or `.xlsx`.
    fn export_basket(self, request: Request, what: &'static str, format: ExportFormat) {
        // A restarted worker lost the results: they are made again as shown, and the user clicks
        // again once they are back (as for the scores export).
        if self.retry_when_lost(move || self.redo_baskets()) {
            return;
        }
        self.job(&request, None, None, move |response, blob| {
            if let Response::Exported { rows } = response {
                if let Some(blob) = blob {
                    let name =
                        export_file_name(&self.file_name.get_untracked(), what, format.extension());
                    browser::download_blob(&blob, &name);
                }
                self.notice.set(Some(Notice::Exported { rows }));
            }
        });
    }

    /// Download the rules.
    pub fn export_rules(self, format: ExportFormat) {
        let request = Request::Baskets(msg::baskets::Request::ExportRules { format });
        self.export_basket(request, "rules", format);
    }

    /// Download the recommendations (`customer_id, rank, item, score, reason`, …), the reasons in
    /// the page's language.
    pub fn export_recommendations(self, format: ExportFormat) {
        let lang = self.lang.get_untracked();
        let words = ReasonWords {
            together: t::RECS_REASON_TOGETHER.get(lang).to_string(),
            popular: t::RECS_REASON_POPULAR.get(lang).to_string(),
        };
        let request =
            Request::Baskets(msg::baskets::Request::ExportRecommendations { format, words });
        self.export_basket(request, "recommendations", format);
    }

    /// Download the preference indexes.
    pub fn export_regions(self, format: ExportFormat) {
        let request = Request::Baskets(msg::baskets::Request::ExportRegions { format });
        self.export_basket(request, "preferences", format);
    }
}
