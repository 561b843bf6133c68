//! Small wrappers over browser APIs: localStorage, downloads, the demo file.

use wasm_bindgen::{JsCast as _, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{Blob, HtmlAnchorElement, Url};

use crate::i18n::Lang;

const LANG_KEY: &str = "segscope.lang";
const THEME_KEY: &str = "segscope.theme";

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

/// The remembered language, else the browser's, else English.
pub fn stored_lang() -> Lang {
    let stored = storage().and_then(|s| s.get_item(LANG_KEY).ok().flatten());
    let browser = web_sys::window().and_then(|w| w.navigator().language());
    stored
        .or(browser)
        .and_then(|c| Lang::from_code(&c))
        .unwrap_or_default()
}

/// Remembers the language and sets `<html lang>`.
pub fn store_lang(lang: Lang) {
    if let Some(s) = storage() {
        let _ = s.set_item(LANG_KEY, lang.code());
    }
    if let Some(el) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.document_element())
    {
        let _ = el.set_attribute("lang", lang.code());
    }
}

/// The remembered theme, else the system preference.
pub fn stored_dark() -> bool {
    match storage()
        .and_then(|s| s.get_item(THEME_KEY).ok().flatten())
        .as_deref()
    {
        Some("dark") => true,
        Some("light") => false,
        _ => web_sys::window()
            .and_then(|w| w.match_media("(prefers-color-scheme: dark)").ok().flatten())
            .is_some_and(|m| m.matches()),
    }
}

/// Remembers the theme and sets `<html data-theme>`.
pub fn store_dark(dark: bool) {
    let name = if dark { "dark" } else { "light" };
    if let Some(s) = storage() {
        let _ = s.set_item(THEME_KEY, name);
    }
    if let Some(el) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.document_element())
    {
        let _ = el.set_attribute("data-theme", name);
    }
}

/// Saves `href` (a blob: or data: URL) under `file_name` through a temporary `<a download>`.
pub fn download_url(href: &str, file_name: &str) {
    let Some(doc) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let Ok(a) = doc.create_element("a") else {
        return;
    };
    let Ok(a) = a.dyn_into::<HtmlAnchorElement>() else {
        return;
    };
    a.set_href(href);
    a.set_download(file_name);
    a.click();
}

/// Saves a Blob as a file.
pub fn download_blob(blob: &Blob, file_name: &str) {
    if let Ok(url) = Url::create_object_url_with_blob(blob) {
        download_url(&url, file_name);
        // Revoke after the click has been handled.
        let revoke = wasm_bindgen::closure::Closure::once_into_js(move || {
            let _ = Url::revoke_object_url(&url);
        });
        if let Some(w) = web_sys::window() {
            let _ = w.set_timeout_with_callback_and_timeout_and_arguments_0(
                revoke.unchecked_ref(),
                10_000,
            );
        }
    }
}

/// Fetches the bundled demo CSV (same origin, relative URL) as a Blob.
pub async fn fetch_demo() -> Result<Blob, String> {
    fetch_blob("demo/transactions.csv").await
}

/// The demo's customer attributes file (fetched with the demo, before any file of the user's).
pub async fn fetch_demo_attributes() -> Result<Blob, String> {
    fetch_blob("demo/customers.csv").await
}

/// The demo's campaign results file (fetched with the demo, before any file of the user's).
pub async fn fetch_demo_campaign() -> Result<Blob, String> {
    fetch_blob("demo/campaign.csv").await
}

async fn fetch_blob(path: &str) -> Result<Blob, String> {
    let text = |e: JsValue| {
        e.dyn_ref::<js_sys::Error>()
            .map(|e| String::from(e.message()))
            .or_else(|| e.as_string())
            .unwrap_or_else(|| format!("{e:?}"))
    };
    let window = web_sys::window().ok_or("no window")?;
    let response = JsFuture::from(window.fetch_with_str(path))
        .await
        .map_err(text)?;
    let response: web_sys::Response = response.dyn_into().map_err(text)?;
    if !response.ok() {
        return Err(format!("HTTP {}", response.status()));
    }
    let blob = JsFuture::from(response.blob().map_err(text)?)
        .await
        .map_err(text)?;
    blob.dyn_into::<Blob>().map_err(text)
}
