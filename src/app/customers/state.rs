//! The customers page's state (table page and query, tags, customer profile) and its intents.

use std::cell::RefCell;

use leptos::prelude::*;

use crate::app::state::{export_file_name, Notice};
use crate::app::{browser, client, AppState};
use crate::engine::customers::{CustomerPage, CustomerProfile, CustomerQuery, TagCounts};
use crate::engine::session as msg;
use crate::engine::table_out::ExportFormat;
use crate::protocol::{Request, Response, WorkerError};

/// A customer-profile answer, with the id asked for.
#[derive(Debug, Clone, PartialEq)]
pub struct ProfileView {
    /// The id as typed.
    pub customer_id: String,
    /// The profile, or `None` when not found.
    pub profile: Option<Box<CustomerProfile>>,
    /// Similar ids when not found.
    pub suggestions: Vec<String>,
}

thread_local! {
    /// Generation of the newest customer-page request; older answers are ignored.
    static LATEST_PAGE: RefCell<u64> = const { RefCell::new(0) };
    /// The tag counts on screen are older than the results.
    static TAGS_STALE: RefCell<bool> = const { RefCell::new(true) };
}

/// The results changed or the file was left: the tag counts on screen are stale.
pub(crate) fn mark_tags_stale() {
    TAGS_STALE.with(|s| *s.borrow_mut() = true);
}

/// The customers page's state.
#[derive(Clone, Copy)]
pub struct CustomersState {
    /// Current customer table page.
    pub page: RwSignal<CustomerPage>,
    /// Current customer table query.
    pub query: RwSignal<CustomerQuery>,
    /// The customer profile on screen.
    pub profile: RwSignal<Option<ProfileView>>,
    /// Tag values with customer counts, for the tag filter.
    pub tag_counts: RwSignal<TagCounts>,
    /// The tag filter is open (the tags are fetched only then: building them for a million
    /// customers takes seconds, which the first dashboard should not wait behind).
    pub tags_open: RwSignal<bool>,
}

impl CustomersState {
    pub(crate) fn new() -> Self {
        Self {
            page: RwSignal::new(CustomerPage::default()),
            query: RwSignal::new(CustomerQuery::default()),
            profile: RwSignal::new(None),
            tag_counts: RwSignal::new(TagCounts::default()),
            tags_open: RwSignal::new(false),
        }
    }

    /// Forgets the file's query and tag counts.
    pub(crate) fn forget(self) {
        self.tag_counts.set(TagCounts::default());
        self.query.set(CustomerQuery::default());
    }
}

impl AppState {
    /// The customer table query changed: fetch that page. Answers to older queries are ignored.
    pub fn set_query(self, query: CustomerQuery) {
        self.customers.query.set(query.clone());
        if !self.worker_has_dataset() {
            // The ingest answers with the page of the current query.
            self.confirm_mapping();
            return;
        }
        let generation = LATEST_PAGE.with(|l| {
            let mut l = l.borrow_mut();
            *l += 1;
            *l
        });
        client::send(
            &Request::Customers(msg::customers::Request::Page { query }),
            None,
            move |response, _| {
                if LATEST_PAGE.with(|l| *l.borrow()) != generation {
                    return;
                }
                match response {
                    Response::Customers(msg::customers::Response::Page { page }) => {
                        self.customers.page.set(page)
                    }
                    Response::Failed { error } => self.fail(error),
                    other => self.unexpected(&other),
                }
            },
        );
    }

    /// The results changed: the tags are stale; fetch them now if the tag filter is open.
    pub(crate) fn refresh_tags(self) {
        TAGS_STALE.with(|s| *s.borrow_mut() = true);
        if self.customers.tags_open.get_untracked() {
            self.fetch_tags();
        }
    }

    /// The tag filter was opened or closed.
    pub fn set_tags_open(self, open: bool) {
        self.customers.tags_open.set(open);
        if open && TAGS_STALE.with(|s| *s.borrow()) {
            self.fetch_tags();
        }
    }

    /// Ask for the tags of the results on screen (built in the worker) and the current page with
    /// its tag badges.
    pub(crate) fn fetch_tags(self) {
        if !self.worker_has_dataset() {
            return;
        }
        TAGS_STALE.with(|s| *s.borrow_mut() = false);
        let generation = LATEST_PAGE.with(|l| {
            let mut l = l.borrow_mut();
            *l += 1;
            *l
        });
        let query = self.customers.query.get_untracked();
        client::send(
            &Request::Customers(msg::customers::Request::Tags { query }),
            None,
            move |response, _| match response {
                Response::Customers(msg::customers::Response::Tagged { tag_counts, page }) => {
                    self.customers.tag_counts.set(tag_counts);
                    if LATEST_PAGE.with(|l| *l.borrow()) == generation {
                        self.customers.page.set(page);
                    }
                }
                // After a cancel the next intent reloads the dataset and asks again.
                Response::Failed {
                    error: WorkerError::NothingLoaded { .. },
                } => {}
                Response::Failed { error } => self.fail(error),
                other => self.unexpected(&other),
            },
        );
    }

    /// Export every customer matching the current filters as CSV or `.xlsx`.
    pub fn export(self, format: ExportFormat) {
        if self.retry_when_lost(move || self.export(format)) {
            return;
        }
        let query = self.customers.query.get_untracked();
        self.job(
            &Request::Customers(msg::customers::Request::Export { query, format }),
            None,
            None,
            move |response, blob| {
                if let Response::Exported { rows } = response {
                    if let Some(blob) = blob {
                        browser::download_blob(
                            &blob,
                            &export_file_name(
                                &self.file_name.get_untracked(),
                                "customers",
                                format.extension(),
                            ),
                        );
                    }
                    self.notice.set(Some(Notice::Exported { rows }));
                }
            },
        );
    }

    /// Show the profile of a customer id.
    pub fn show_profile(self, customer_id: String) {
        let customer_id = customer_id.trim().to_string();
        if customer_id.is_empty() {
            return;
        }
        let retry = customer_id.clone();
        if self.retry_when_lost(move || self.show_profile(retry)) {
            return;
        }
        let asked = customer_id.clone();
        client::send(
            &Request::Customers(msg::customers::Request::Profile { customer_id }),
            None,
            move |response, _| match response {
                Response::Customers(msg::customers::Response::Profile {
                    profile,
                    suggestions,
                }) => self.customers.profile.set(Some(ProfileView {
                    customer_id: asked.clone(),
                    profile,
                    suggestions,
                })),
                Response::Failed { error } => self.fail(error),
                other => self.unexpected(&other),
            },
        );
    }
}
