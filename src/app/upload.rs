//! The first screen: drop zone, file input, demo button.

use leptos::{prelude::*, task::spawn_local};
use wasm_bindgen::JsCast as _;
use web_sys::{Blob, DragEvent, File, HtmlInputElement};

use super::{browser, tr, AppState, UiError};
use crate::i18n::{fill, t};

fn open(state: AppState, file: File) {
    let name = file.name();
    let blob: Blob = file.unchecked_into();
    state.open_file(blob, name);
}

/// Upload area and demo button.
#[component]
pub fn Upload() -> impl IntoView {
    let state = expect_context::<AppState>();
    let dragging = RwSignal::new(false);
    let on_change = move |ev: web_sys::Event| {
        let input = ev
            .target()
            .and_then(|t| t.dyn_into::<HtmlInputElement>().ok());
        if let Some(file) = input
            .as_ref()
            .and_then(HtmlInputElement::files)
            .and_then(|f| f.get(0))
        {
            open(state, file);
        }
        // Let the same file be chosen again later.
        if let Some(input) = input {
            input.set_value("");
        }
    };
    let on_drop = move |ev: DragEvent| {
        ev.prevent_default();
        dragging.set(false);
        if let Some(file) = ev
            .data_transfer()
            .and_then(|d| d.files())
            .and_then(|f| f.get(0))
        {
            open(state, file);
        }
    };
    let on_demo = move |_| {
        state.error.set(None);
        spawn_local(async move {
            match browser::fetch_demo().await {
                Ok(blob) => {
                    // Fetched now, so using it later makes no request.
                    let attributes = browser::fetch_demo_attributes().await.ok();
                    let campaign = browser::fetch_demo_campaign().await.ok();
                    state.open_file(blob, "segscope-demo.csv".to_string());
                    state.set_demo_attributes(attributes);
                    state.set_demo_campaign(campaign);
                }
                Err(e) => state.error.set(Some(UiError::Demo(e))),
            }
        });
    };
    let opening = move || state.phase.get() == super::Phase::Opening;
    view! {
        <section class="upload">
            <label
                class="dropzone"
                class:dragging=move || dragging.get()
                on:dragover=move |ev: DragEvent| { ev.prevent_default(); dragging.set(true); }
                on:dragleave=move |_| dragging.set(false)
                on:drop=on_drop
            >
                <span class="drop-title">{tr(state, t::DROP_TITLE)}</span>
                <span class="drop-or">{tr(state, t::DROP_OR)}</span>
                <span class="button primary">{tr(state, t::CHOOSE_FILE)}</span>
                <input
                    type="file"
                    class="visually-hidden"
                    accept=".csv,.tsv,.txt,.xlsx,.xlsm,.xlsb,.xls,.ods,text/csv,text/tab-separated-values"
                    data-testid="upload-input"
                    on:change=on_change
                />
            </label>
            <div class="demo">
                <button class="button" data-testid="demo-button" on:click=on_demo disabled=opening>
                    {tr(state, t::TRY_DEMO)}
                </button>
                <p class="hint">{tr(state, t::DEMO_HINT)}</p>
            </div>
            <Show when=opening>
                <p class="hint">{move || fill(state.lang.get(), t::READING_FILE, &[&state.file_name.get()])}</p>
            </Show>
            <p class="hint format-hint">{tr(state, t::FORMAT_HINT)}</p>
        </section>
    }
}
