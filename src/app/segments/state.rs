//! The segments page's state (attributes file, segmentation settings and result, names) and its
//! intents.

use std::cell::RefCell;

use leptos::prelude::*;
use web_sys::Blob;

use crate::app::state::export_file_name;
use crate::app::{browser, client, AppState};
use crate::engine::cluster::{ClusterReport, ClusterSettings, FeatureKey};
use crate::engine::session as msg;
use crate::protocol::{AttributesSummary, Request, Response, Stage};

thread_local! {
    /// The attributes file, kept so a restarted worker can be given it again.
    static ATTRIBUTES_FILE: RefCell<Option<Blob>> = const { RefCell::new(None) };
    /// The demo's attributes file, fetched with the demo.
    static DEMO_ATTRIBUTES: RefCell<Option<Blob>> = const { RefCell::new(None) };
    /// The saved segmentation applied last (re-applied after a re-analysis or restart).
    static SEGMENTATION_FILE: RefCell<Option<Blob>> = const { RefCell::new(None) };
}

/// The segments page's state.
#[derive(Clone, Copy)]
pub struct SegmentsState {
    /// Name of the attributes file.
    pub attributes_name: RwSignal<String>,
    /// The loaded attributes file's summary.
    pub attributes: RwSignal<Option<AttributesSummary>>,
    /// Segmentation settings being edited.
    pub settings: RwSignal<ClusterSettings>,
    /// The segmentation on screen.
    pub report: RwSignal<Option<ClusterReport>>,
    /// The user's segment names by segment ("" = the automatic name).
    pub names: RwSignal<Vec<String>>,
    /// Worker milliseconds of the last segmentation.
    pub elapsed_ms: RwSignal<f64>,
    /// The segmentation on screen came from a saved file.
    pub applied: RwSignal<bool>,
    /// The open file is the demo, whose attributes file is at hand.
    pub demo_attributes: RwSignal<bool>,
}

impl SegmentsState {
    pub(crate) fn new() -> Self {
        Self {
            attributes_name: RwSignal::new(String::new()),
            attributes: RwSignal::new(None),
            settings: RwSignal::new(ClusterSettings::default()),
            report: RwSignal::new(None),
            names: RwSignal::new(Vec::new()),
            elapsed_ms: RwSignal::new(0.0),
            applied: RwSignal::new(false),
            demo_attributes: RwSignal::new(false),
        }
    }
}

impl AppState {
    /// Forgets the segmentation, the attributes and the profile (a new file).
    pub(crate) fn forget_segmentation(self) {
        DEMO_ATTRIBUTES.with(|f| *f.borrow_mut() = None);
        self.segments.demo_attributes.set(false);
        ATTRIBUTES_FILE.with(|f| *f.borrow_mut() = None);
        SEGMENTATION_FILE.with(|f| *f.borrow_mut() = None);
        self.segments.attributes.set(None);
        self.segments.attributes_name.set(String::new());
        self.segments.settings.set(ClusterSettings::default());
        self.segments.report.set(None);
        self.segments.names.set(Vec::new());
        self.segments.applied.set(false);
        self.customers.profile.set(None);
    }

    /// Re-runs (or re-applies) the segmentation on screen, if any.
    pub(crate) fn redo_segmentation(self) {
        if self.segments.report.with_untracked(Option::is_none) {
            return;
        }
        if self.segments.applied.get_untracked() {
            if let Some(blob) = SEGMENTATION_FILE.with(|f| f.borrow().clone()) {
                self.apply_segmentation(blob);
                return;
            }
        }
        self.cluster();
    }

    /// The demo was opened: keep its attributes file for the "use the demo attributes" button
    /// (`None` for any other file).
    pub fn set_demo_attributes(self, blob: Option<Blob>) {
        self.segments.demo_attributes.set(blob.is_some());
        DEMO_ATTRIBUTES.with(|f| *f.borrow_mut() = blob);
    }

    /// Join the demo's attributes file.
    pub fn open_demo_attributes(self) {
        if let Some(blob) = DEMO_ATTRIBUTES.with(|f| f.borrow().clone()) {
            self.open_attributes(blob, "customers.csv".to_string());
        }
    }

    /// An attributes file was chosen: keep it and join it to the customers.
    pub fn open_attributes(self, blob: Blob, name: String) {
        ATTRIBUTES_FILE.with(|f| *f.borrow_mut() = Some(blob.clone()));
        self.segments.attributes_name.set(name);
        let retry = blob.clone();
        if self.retry_when_lost(move || self.send_attributes(Some(retry), None)) {
            return;
        }
        self.send_attributes(Some(blob), None);
    }

    /// Join the kept attributes file again on another id column.
    pub fn set_attributes_id(self, id_column: String) {
        let blob = ATTRIBUTES_FILE.with(|f| f.borrow().clone());
        let (retry_blob, retry_id) = (blob.clone(), id_column.clone());
        if self.retry_when_lost(move || self.send_attributes(retry_blob, Some(retry_id))) {
            return;
        }
        // The blob goes along: a restarted worker may not hold it.
        self.send_attributes(blob, Some(id_column));
    }

    pub(crate) fn send_attributes(self, blob: Option<Blob>, id_column: Option<String>) {
        self.error.set(None);
        client::send(
            &Request::Segments(msg::segments::Request::OpenAttributes { id_column }),
            blob.as_ref(),
            move |response, _| match response {
                Response::Segments(msg::segments::Response::AttributesLoaded { attributes }) => {
                    // Attribute features the new file lacks are dropped from the settings.
                    let headers = attributes.headers.clone();
                    self.segments.settings.update(|s| {
                        s.features.retain(|f| match f {
                            FeatureKey::Attribute(h) => headers.contains(h),
                            FeatureKey::Behaviour(_) => true,
                        })
                    });
                    self.segments.attributes.set(Some(attributes));
                }
                Response::Failed { error } => {
                    ATTRIBUTES_FILE.with(|f| *f.borrow_mut() = None);
                    self.segments.attributes.set(None);
                    self.segments.attributes_name.set(String::new());
                    self.fail(error);
                }
                other => self.unexpected(&other),
            },
        );
    }

    /// Forget the attributes file (attribute features are dropped from the settings).
    pub fn clear_attributes(self) {
        ATTRIBUTES_FILE.with(|f| *f.borrow_mut() = None);
        self.segments.attributes.set(None);
        self.segments.attributes_name.set(String::new());
        self.segments
            .settings
            .update(|s| s.features.retain(|f| matches!(f, FeatureKey::Behaviour(_))));
        client::send(
            &Request::Segments(msg::segments::Request::ClearAttributes),
            None,
            move |response, _| {
                if let Response::Failed { error } = response {
                    self.fail(error);
                }
            },
        );
    }

    pub(crate) fn on_clustered(self, response: Response, applied: bool) {
        let Response::Segments(msg::segments::Response::Clustered {
            report,
            names,
            page,
            elapsed_ms,
        }) = response
        else {
            return;
        };
        let k = report.k;
        // Keep the user's names when the segments are re-made with the same k.
        let keep = !applied
            && self
                .segments
                .report
                .with_untracked(|r| r.as_ref().map(|r| r.k))
                == Some(k);
        if applied {
            let mut names = names;
            names.resize(k, String::new());
            self.segments.names.set(names);
        } else if !keep {
            self.segments.names.set(vec![String::new(); k]);
        }
        self.segments.applied.set(applied);
        self.segments.report.set(Some(report));
        self.customers.page.set(page);
        self.segments.elapsed_ms.set(elapsed_ms);
        self.refresh_tags();
    }

    /// Segment the customers with the current settings.
    pub fn cluster(self) {
        if self.retry_when_lost(move || self.cluster()) {
            return;
        }
        let settings = self.segments.settings.get_untracked();
        let mut query = self.customers.query.get_untracked();
        query.offset = 0;
        self.customers.query.set(query.clone());
        self.job(
            &Request::Segments(msg::segments::Request::Cluster { settings, query }),
            None,
            Some(Stage::Clustering(
                crate::engine::cluster::ClusterStage::Features,
            )),
            move |response, _| self.on_clustered(response, false),
        );
    }

    /// Score the customers with a saved segmentation file.
    pub fn apply_segmentation(self, blob: Blob) {
        SEGMENTATION_FILE.with(|f| *f.borrow_mut() = Some(blob.clone()));
        let retry = blob.clone();
        if self.retry_when_lost(move || self.apply_segmentation(retry)) {
            return;
        }
        let mut query = self.customers.query.get_untracked();
        query.offset = 0;
        self.customers.query.set(query.clone());
        self.job(
            &Request::Segments(msg::segments::Request::ApplySegmentation { query }),
            Some(&blob),
            None,
            move |response, _| self.on_clustered(response, true),
        );
    }

    /// Download the segmentation (with the user's names) as JSON.
    pub fn save_segmentation(self) {
        if self.retry_when_lost(move || self.save_segmentation()) {
            return;
        }
        let names = self.segments.names.get_untracked();
        client::send(
            &Request::Segments(msg::segments::Request::SaveSegmentation { names }),
            None,
            move |response, blob| match response {
                Response::Exported { .. } => {
                    if let Some(blob) = blob {
                        let name = export_file_name(
                            &self.file_name.get_untracked(),
                            "segmentation",
                            "json",
                        );
                        browser::download_blob(&blob, &name);
                    }
                }
                Response::Failed { error } => self.fail(error),
                other => self.unexpected(&other),
            },
        );
    }

    /// After the worker lost its state: give it the attributes file on screen again.
    pub(crate) fn restore_attributes(self) {
        if self.segments.attributes.with_untracked(Option::is_some) {
            if let Some(blob) = ATTRIBUTES_FILE.with(|f| f.borrow().clone()) {
                let id_column = self
                    .segments
                    .attributes
                    .with_untracked(|a| a.as_ref().map(|a| a.id_column.clone()));
                self.send_attributes(Some(blob), id_column);
            }
        }
    }
}
