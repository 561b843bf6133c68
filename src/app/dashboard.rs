//! The dashboard shell: the navigation and one page per analysis (hash routes); each page's
//! state lives in its feature's signals, so switching pages keeps it.

use leptos::prelude::*;

use super::chart::ChartKind;
use super::routes::{Nav, Route};
use super::AppState;
use crate::format::plain;

/// The whole dashboard.
#[component]
pub fn Dashboard() -> impl IntoView {
    let state = expect_context::<AppState>();
    let drawn = RwSignal::new(0u32);
    provide_context(DrawnCharts(drawn));
    // A new report resets the count; each chart adds one when drawn.
    Effect::new(move |_| {
        state.overview.report.track();
        drawn.set(0);
    });
    // Ready: a report, no job running, and (on the overview) every chart drawn.
    let ready = move || {
        state.overview.report.with(Option::is_some)
            && !state.busy.get()
            && (state.route.get() != Route::Overview || drawn.get() >= ChartKind::ALL.len() as u32)
    };
    let is_summary = move || {
        state
            .overview
            .quality
            .with(|q| q.as_ref().is_some_and(|q| q.summary.is_some()))
    };
    // One page per analysis; each page's state lives in signals, so switching keeps it.
    let page = move || match state.route.get() {
        Route::Overview => {
            drawn.set(0);
            view! { <super::overview::Overview/> }.into_any()
        }
        Route::Customers => view! { <super::customers::CustomersPage/> }.into_any(),
        Route::Predictions => view! { <super::predictions::Predictions/> }.into_any(),
        Route::Segments => view! { <super::segments::Clusters/> }.into_any(),
        // A per-customer summary has no lines: these pages say so instead of running.
        Route::Baskets if is_summary() => view! { <NeedsLines key="baskets"/> }.into_any(),
        Route::Lifecycle if is_summary() => view! { <NeedsLines key="cohorts"/> }.into_any(),
        Route::Baskets => view! { <super::baskets::Baskets/> }.into_any(),
        Route::Lifecycle => view! { <super::lifecycle::Lifecycle/> }.into_any(),
        Route::Campaigns => view! { <super::campaigns::Campaigns/> }.into_any(),
    };
    view! {
        <Nav/>
        {page}
        <Show when=ready>
            <span data-testid="report-ready" data-elapsed-ms=move || plain(state.overview.elapsed_ms.get(), 1) hidden=true></span>
        </Show>
    }
}

/// In place of a page whose analyses need transaction lines, when the data is a per-customer
/// summary: why, and what to do (the engine refuses them the same way).
#[component]
fn NeedsLines(key: &'static str) -> impl IntoView {
    let state = expect_context::<AppState>();
    let text = move || {
        crate::i18n::describe_summary_error(
            state.lang.get(),
            &crate::engine::summary::SummaryError::NeedsTransactions {
                analysis: key.to_string(),
            },
        )
    };
    view! {
        <section class="card" data-testid="needs-lines" data-analysis=key>
            <p class="warning">{text}</p>
        </section>
    }
}

/// How many charts have drawn the current report (context for [`Chart`]).
#[derive(Clone, Copy)]
pub struct DrawnCharts(pub RwSignal<u32>);
