//! The Leptos UI. Components wire signals to plain types; they compute nothing: every number
//! comes from the worker, every string from [`crate::i18n`].

mod baskets;
mod browser;
mod campaigns;
mod chart;
mod client;
mod customers;
mod dashboard;
mod lifecycle;
mod mapping;
mod overview;
mod predictions;
mod routes;
mod segments;
mod state;
mod upload;
mod warehouse;

use leptos::prelude::*;

use crate::engine::ingest::{IngestError, PreviewParams, TextEncoding};
use crate::engine::EngineError;
use crate::i18n::{describe_error, fill, stage_name, t, Lang, Text};
use crate::protocol::WorkerError;
pub use state::{AppState, Notice, Phase, UiError};

/// Entry point of the page binary: panic hook, worker, mount.
pub fn start() {
    std::panic::set_hook(Box::new(|info| {
        console_error_panic_hook::hook(info);
        show_panic(&info.to_string());
    }));
    leptos::mount::mount_to_body(App);
}

/// A panic on the UI thread leaves the reactive system unusable: write a plain error panel into
/// the DOM instead of leaving a dead page.
fn show_panic(message: &str) {
    let Some(doc) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let Ok(panel) = doc.create_element("div") else {
        return;
    };
    let _ = panel.set_attribute("data-testid", "error-panel");
    let _ = panel.set_attribute("class", "error-panel panic");
    let lang = browser::stored_lang();
    let text = match lang {
        Lang::En => format!("SegScope hit an internal error and must be reloaded ({message}). Your file was not uploaded anywhere."),
        Lang::Zh => format!("SegScope 发生内部错误，需要重新加载页面（{message}）。您的文件没有被上传到任何地方。"),
    };
    panel.set_text_content(Some(&text));
    if let Some(body) = doc.body() {
        let _ = body.prepend_with_node_1(&panel);
    }
}

/// `move || text in the current language`, for views.
pub(crate) fn tr(state: AppState, text: Text) -> impl Fn() -> &'static str + Copy + Send + Sync {
    move || text.get(state.lang.get())
}

/// An export's two buttons, CSV (`data-testid` = `testid`) and Excel (`{testid}-xlsx`), disabled
/// while a job runs; `export` asks for the file in the format clicked.
pub(crate) fn export_buttons(
    state: AppState,
    testid: &'static str,
    csv: Text,
    xlsx: Text,
    export: impl Fn(crate::engine::table_out::ExportFormat) + Copy + 'static,
) -> impl IntoView {
    use crate::engine::table_out::ExportFormat;
    view! {
        <div class="button-row">
            <button class="button" data-testid=testid disabled=move || state.busy.get() on:click=move |_| export(ExportFormat::Csv)>
                {tr(state, csv)}
            </button>
            <button class="button" data-testid=format!("{testid}-xlsx") disabled=move || state.busy.get() on:click=move |_| export(ExportFormat::Xlsx)>
                {tr(state, xlsx)}
            </button>
        </div>
    }
}

/// The whole page.
#[component]
pub fn App() -> impl IntoView {
    let state = AppState::new();
    provide_context(state);
    // Each feature's state is also its own context, so a page can take just its own.
    provide_context(state.overview);
    provide_context(state.customers);
    provide_context(state.predictions);
    provide_context(state.segments);
    provide_context(state.baskets);
    provide_context(state.lifecycle);
    provide_context(state.campaigns);
    browser::store_lang(state.lang.get_untracked());
    browser::store_dark(state.dark.get_untracked());
    if let Err(e) = client::start() {
        state.error.set(Some(UiError::WorkerStart(e)));
    }
    client::on_crash(move |message| state.worker_crashed(message));
    routes::follow_hash(state);
    // Redraw charts when the window is resized (the listener lives as long as the page).
    let on_resize = wasm_bindgen::closure::Closure::<dyn Fn()>::new(move || {
        state.redraw.update(|n| *n = n.wrapping_add(1));
    });
    if let Some(w) = web_sys::window() {
        use wasm_bindgen::JsCast as _;
        let _ = w.add_event_listener_with_callback("resize", on_resize.as_ref().unchecked_ref());
    }
    on_resize.forget();

    view! {
        <Header/>
        <main class="container">
            <ErrorPanel/>
            <Notice/>
            <ProgressBar/>
            {move || match state.phase.get() {
                Phase::Start | Phase::Opening => upload::Upload().into_any(),
                Phase::Mapping | Phase::Working => mapping::Mapping().into_any(),
                Phase::Dashboard => dashboard::Dashboard().into_any(),
            }}
        </main>
        <footer class="footer">{tr(state, t::FOOTER)}</footer>
    }
}

#[component]
fn Header() -> impl IntoView {
    let state = expect_context::<AppState>();
    let toggle_lang = move |_| {
        let lang = state.lang.get_untracked().other();
        state.lang.set(lang);
        browser::store_lang(lang);
    };
    let toggle_theme = move |_| {
        let dark = !state.dark.get_untracked();
        state.dark.set(dark);
        browser::store_dark(dark);
        state.redraw.update(|n| *n = n.wrapping_add(1));
    };
    view! {
        <header class="header">
            <div class="brand">
                <span class="logo" aria-hidden="true">"◔"</span>
                <span class="name">"SegScope"</span>
                <span class="tagline">{tr(state, t::APP_TAGLINE)}</span>
            </div>
            <div class="header-actions">
                <Show when=move || state.phase.get() == Phase::Dashboard>
                    <button class="link" data-testid="new-file" on:click=move |_| state.reset()>{tr(state, t::NEW_FILE)}</button>
                </Show>
                <button class="toggle" data-testid="theme-toggle" on:click=toggle_theme>
                    {move || if state.dark.get() { t::THEME_LIGHT.get(state.lang.get()) } else { t::THEME_DARK.get(state.lang.get()) }}
                </button>
                <button class="toggle" data-testid="lang-toggle" on:click=toggle_lang>{tr(state, t::LANG_SWITCH)}</button>
            </div>
        </header>
        <p class="privacy" data-testid="privacy-note">{tr(state, t::PRIVACY_NOTE)}</p>
    }
}

#[component]
fn ErrorPanel() -> impl IntoView {
    let state = expect_context::<AppState>();
    let message = move || {
        let lang = state.lang.get();
        state.error.with(|e| {
            e.as_ref().map(|e| match e {
                UiError::Worker(w) => describe_error(lang, w),
                UiError::WorkerStart(m) => fill(lang, t::ERR_WORKER_START, &[m]),
                UiError::Demo(m) => fill(lang, t::ERR_DEMO, &[m]),
                UiError::TooBigForTab { bytes } => fill(
                    lang,
                    t::ERR_TOO_BIG_FOR_TAB,
                    &[
                        &crate::format::bytes(*bytes),
                        &crate::format::bytes(state::MAX_TAB_FILE_BYTES),
                    ],
                ),
            })
        })
    };
    view! {
        <Show when=move || state.error.with(Option::is_some)>
            <div class="error-panel" role="alert" data-testid="error-panel">
                <strong>{tr(state, t::ERROR_TITLE)}</strong>
                <p data-testid="error-message">{message}</p>
                // "Not a text table": the encoding choice, so a file that is text after all
                // (UTF-16 without a byte-order mark…) can be read.
                <Show when=move || state.error.with(|e| matches!(e, Some(UiError::Worker(WorkerError::Engine(EngineError::Ingest(IngestError::Binary { .. }))))))>
                    <label>
                        {tr(state, t::READ_AS_ENCODING)}" "
                        <select data-testid="error-encoding-select" on:change=move |ev| {
                            let params = PreviewParams {
                                encoding: TextEncoding::from_name(&event_target_value(&ev)),
                                ..state.preview_params.get_untracked()
                            };
                            state.repreview(params);
                        }>
                            <option value="" selected=true>"—"</option>
                            {TextEncoding::ALL.into_iter().map(|e| view! { <option value=e.name()>{e.name()}</option> }).collect_view()}
                        </select>
                    </label>
                </Show>
                <button class="link" on:click=move |_| state.error.set(None)>{tr(state, t::DISMISS)}</button>
            </div>
        </Show>
    }
}

#[component]
fn Notice() -> impl IntoView {
    let state = expect_context::<AppState>();
    view! {
        <Show when=move || state.notice.with(Option::is_some)>
            <div class="notice" role="status" data-testid="notice">
                {move || {
                    let lang = state.lang.get();
                    match state.notice.get() {
                        Some(Notice::Cancelled) => t::CANCELLED.get(lang).to_string(),
                        Some(Notice::Exported { rows }) => fill(lang, t::EXPORTED, &[&rows.to_string()]),
                        None => String::new(),
                    }
                }}
                <button class="link" on:click=move |_| state.notice.set(None)>"×"</button>
            </div>
        </Show>
    }
}

#[component]
fn ProgressBar() -> impl IntoView {
    let state = expect_context::<AppState>();
    let label = move || {
        let lang = state.lang.get();
        match state.progress.get() {
            Some((stage, done, total)) if total > 1 => {
                format!(
                    "{} · {}%",
                    stage_name(lang, stage),
                    done.saturating_mul(100) / total.max(1)
                )
            }
            Some((stage, _, _)) => stage_name(lang, stage).to_string(),
            None => t::PROGRESS_STARTING.get(lang).to_string(),
        }
    };
    let fraction = move || match state.progress.get() {
        Some((_, done, total)) if total > 1 => (done as f64 / total as f64).clamp(0.0, 1.0),
        _ => 0.0,
    };
    view! {
        <Show when=move || state.busy.get() || state.phase.get() == Phase::Opening>
            <div class="progress" data-testid="progress" role="progressbar">
                <span class="progress-label">{label}</span>
                <progress max="1" prop:value=fraction></progress>
                <button data-testid="cancel-button" on:click=move |_| state.cancel()>{tr(state, t::CANCEL)}</button>
            </div>
        </Show>
    }
}
