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
    // One page per analysis; each page's state lives in signals, so switching keeps it.
    let page = move || match state.route.get() {
        Route::Overview => {
            drawn.set(0);
            view! { <super::overview::Overview/> }.into_any()
        }
        Route::Customers => view! { <super::customers::CustomersPage/> }.into_any(),
        Route::Predictions => view! { <super::predictions::Predictions/> }.into_any(),
        Route::Segments => view! { <super::segments::Clusters/> }.into_any(),
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

/// How many charts have drawn the current report (context for [`Chart`]).
#[derive(Clone, Copy)]
pub struct DrawnCharts(pub RwSignal<u32>);
