//! One page per analysis behind hash routes (`#/predictions`): back and forward move between
//! pages, a deep link opens its page once a file is analysed, and switching pages keeps every
//! page's state and results (they live in signals, not in the page's DOM).

use leptos::prelude::*;
use wasm_bindgen::{closure::Closure, JsCast as _};

use super::{tr, AppState};
use crate::i18n::t;
pub use crate::route::Route;

fn current_hash() -> String {
    web_sys::window()
        .and_then(|w| w.location().hash().ok())
        .unwrap_or_default()
}

/// Keeps `state.route` in step with the address bar: read now, then on every `hashchange`
/// (back, forward, a typed or pasted link). The listener lives as long as the page.
pub fn follow_hash(state: AppState) {
    state.route.set(Route::from_hash(&current_hash()));
    let on_change = Closure::<dyn Fn()>::new(move || {
        let route = Route::from_hash(&current_hash());
        if state.route.get_untracked() != route {
            state.route.set(route);
            state.redraw.update(|n| *n = n.wrapping_add(1));
        }
    });
    if let Some(w) = web_sys::window() {
        let _ =
            w.add_event_listener_with_callback("hashchange", on_change.as_ref().unchecked_ref());
    }
    on_change.forget();
}

/// Opens a page: a new history entry (so Back returns), and the page scrolled to its top.
pub fn navigate(state: AppState, route: Route) {
    if let Some(w) = web_sys::window() {
        if current_hash() != route.hash() {
            let _ = w.location().set_hash(&route.hash());
        }
        w.scroll_to_with_x_and_y(0.0, 0.0);
    }
    state.route.set(route);
}

/// The page navigation of the analysed file.
#[component]
pub fn Nav() -> impl IntoView {
    let state = expect_context::<AppState>();
    view! {
        <nav class="pages" data-testid="nav" aria-label=tr(state, t::NAV_LABEL)>
            {Route::ALL
                .into_iter()
                .map(|route| {
                    let current = move || state.route.get() == route;
                    view! {
                        <a
                            href=route.hash()
                            data-testid=format!("nav-{}", route.slug())
                            class:active=current
                            aria-current=move || current().then_some("page")
                        >
                            {tr(state, route.title())}
                        </a>
                    }
                })
                .collect_view()}
        </nav>
    }
}
