//! Browser tests, run by wasm-bindgen-test in headless Chromium (`./test`): what only a browser
//! can show. The engine gives the native answers when compiled to wasm32, every dashboard chart
//! draws real pixels on a canvas (text measured by the browser), and the app mounts with its
//! documented test ids and switches language. The full user flow is in tests/e2e (Playwright).
#![cfg(target_arch = "wasm32")]
// Helpers outside test functions are test code too: a failed expect is a failed test.
#![allow(clippy::expect_used, clippy::unwrap_used)]

#[path = "common/mod.rs"]
mod common;

use plotters::prelude::IntoDrawingArea as _;
use plotters_canvas::CanvasBackend;
use segscope::charts::{draw_dashboard_chart, ChartKind, ChartTheme};
use segscope::engine::ingest::{self, IngestParams, PreviewParams};
use segscope::engine::rfm::{self, RfmParams};
use segscope::i18n::Lang;
use wasm_bindgen::JsCast as _;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

// Hand-checked: A has orders 1 (100) and 2 (50, plus a 10 return line), B has order 3 (20),
// C's only order 4 is fully returned (30 - 30). Revenue = 140 + 20 + 0 = 160; orders = 3
// (order 4 nets to zero); scored customers = 2.
const CSV: &[u8] = b"customer_id,order_id,date,amount\n\
A,1,2024-01-05,100\n\
A,2,2024-02-05,50\n\
A,2,2024-02-05,-10\n\
B,3,2024-02-10,\"20,00\"\n\
C,4,2024-02-11,30\n\
C,4,2024-02-12,-30\n";

fn analysed() -> (segscope::engine::Dataset, rfm::Analysis) {
    let preview = ingest::preview(CSV, &PreviewParams::default()).expect("preview");
    let params = IngestParams::from_preview(&preview);
    let (dataset, quality) =
        ingest::ingest(CSV, CSV.len() as u64, &params, &mut |_| {}).expect("ingest");
    assert_eq!(quality.rows_read, 6);
    assert_eq!(quality.customers, 3);
    let analysis = rfm::analyze(&dataset, &RfmParams::default()).expect("analyze");
    (dataset, analysis)
}

#[wasm_bindgen_test]
fn the_engine_gives_the_hand_computed_answers_in_wasm() {
    let (_, a) = analysed();
    let k = &a.report.kpis;
    assert_eq!(k.customers, 2);
    assert_eq!(k.orders, 3);
    assert!((k.revenue - 160.0).abs() < 1e-9, "revenue {}", k.revenue);
    assert_eq!(a.report.fully_returned_orders, 1);
    assert_eq!(a.report.customers_without_purchase, 1);
}

fn canvas(width: u32, height: u32) -> web_sys::HtmlCanvasElement {
    let doc = web_sys::window()
        .and_then(|w| w.document())
        .expect("document");
    let canvas: web_sys::HtmlCanvasElement = doc
        .create_element("canvas")
        .expect("canvas")
        .unchecked_into();
    canvas.set_width(width);
    canvas.set_height(height);
    doc.body()
        .expect("body")
        .append_child(&canvas)
        .expect("append");
    canvas
}

fn painted_pixels(canvas: &web_sys::HtmlCanvasElement) -> usize {
    let ctx: web_sys::CanvasRenderingContext2d = canvas
        .get_context("2d")
        .ok()
        .flatten()
        .expect("2d")
        .unchecked_into();
    let data = ctx
        .get_image_data(
            0.0,
            0.0,
            f64::from(canvas.width()),
            f64::from(canvas.height()),
        )
        .expect("image data")
        .data();
    let first = [data[0], data[1], data[2]];
    data.chunks_exact(4)
        .filter(|p| [p[0], p[1], p[2]] != first)
        .count()
}

#[wasm_bindgen_test]
fn every_dashboard_chart_draws_on_a_canvas_in_both_themes_and_languages() {
    let (_, a) = analysed();
    for (theme, lang) in [
        (ChartTheme::light(), Lang::En),
        (ChartTheme::dark(), Lang::Zh),
    ] {
        for kind in ChartKind::ALL {
            let c = canvas(600, 320);
            let backend = CanvasBackend::with_canvas_object(c.clone()).expect("backend");
            let area = backend.into_drawing_area();
            draw_dashboard_chart(&area, kind, &a.report, lang, &theme, true).expect("draw");
            area.present().expect("present");
            let painted = painted_pixels(&c);
            assert!(painted > 1_000, "{kind:?} painted only {painted} pixels");
            c.remove();
        }
    }
}

#[wasm_bindgen_test]
async fn the_app_mounts_with_its_test_ids_and_switches_language() {
    let window = web_sys::window().expect("window");
    if let Ok(Some(storage)) = window.local_storage() {
        let _ = storage.set_item("segscope.lang", "en");
    }
    leptos::mount::mount_to_body(segscope::app::App);
    gloo_timers::future::TimeoutFuture::new(50).await;
    let doc = window.document().expect("document");
    for id in ["upload-input", "demo-button", "lang-toggle", "privacy-note"] {
        assert!(
            doc.query_selector(&format!("[data-testid={id}]"))
                .ok()
                .flatten()
                .is_some(),
            "missing data-testid={id}"
        );
    }
    let text = |id: &str| {
        doc.query_selector(&format!("[data-testid={id}]"))
            .ok()
            .flatten()
            .and_then(|e| e.text_content())
            .unwrap_or_default()
    };
    assert_eq!(text("demo-button").trim(), "Try the demo data");
    let toggle: web_sys::HtmlElement = doc
        .query_selector("[data-testid=lang-toggle]")
        .ok()
        .flatten()
        .expect("toggle")
        .unchecked_into();
    toggle.click();
    gloo_timers::future::TimeoutFuture::new(50).await;
    assert_eq!(text("demo-button").trim(), "试用演示数据");
    let lang_attr = doc.document_element().and_then(|e| e.get_attribute("lang"));
    assert_eq!(lang_attr.as_deref(), Some("zh-CN"));
    let stored = window
        .local_storage()
        .ok()
        .flatten()
        .and_then(|s| s.get_item("segscope.lang").ok().flatten());
    assert_eq!(stored.as_deref(), Some("zh-CN"));
}

/// k-means in wasm: scikit-learn's partition of the golden blobs, and the same seeded result as
/// natively (the RNG draws are width-independent; `tests/cluster_kmeans.rs` pins the same k = 6
/// inertia natively), so a segmentation saved in the page is the CLI's.
#[wasm_bindgen_test]
fn kmeans_in_wasm_matches_sklearn_and_the_native_run() {
    use segscope::engine::cluster::kmeans::{self, KMeansParams};
    use segscope::engine::cluster::metrics::adjusted_rand_index;
    let golden: serde_json::Value =
        serde_json::from_str(include_str!("fixtures/cluster/golden_kmeans.json")).expect("json");
    let matrix = |v: &serde_json::Value| {
        let rows: Vec<Vec<f64>> = serde_json::from_value(v.clone()).expect("points");
        let cols = rows[0].len();
        ndarray::Array2::from_shape_vec((rows.len(), cols), rows.into_iter().flatten().collect())
            .expect("shape")
    };
    let blobs = &golden["blobs"];
    let model = kmeans::fit(matrix(&blobs["points"]).view(), &KMeansParams::new(5)).expect("fit");
    let reference: Vec<u32> = serde_json::from_value(blobs["labels"].clone()).expect("labels");
    assert!(adjusted_rand_index(&model.labels, &reference) >= 0.99);
    let rfm = matrix(&golden["rfm"]["points"]);
    let k6 = kmeans::fit(rfm.view(), &KMeansParams::new(6)).expect("fit");
    assert!(
        (k6.inertia - NATIVE_K6_INERTIA).abs() <= 1e-9 * NATIVE_K6_INERTIA,
        "wasm k=6 inertia {} vs native {NATIVE_K6_INERTIA}",
        k6.inertia
    );
}

/// The k = 6, seed 42 inertia of the golden RFM-like points, as the native build computes it
/// (asserted there too, in `tests/cluster_kmeans.rs`).
const NATIVE_K6_INERTIA: f64 = 1643.897862753891;

/// "Native = wasm": the demo's three fits and score sums in wasm equal the native ones to 1e-9
/// (pinned natively in `tests/clv_analysis.rs`; the CLV maths uses `libm` on both).
#[wasm_bindgen_test]
fn predictions_in_wasm_match_the_native_run() {
    common::assert_demo_predictions_pinned();
}

/// The worker's reader of a file gives its bytes whole and in order: into its own buffer (a
/// byte stream's "bring your own buffer" reads, which Chromium offers) and with the stream's own
/// chunks (the fallback); an empty file gives nothing.
#[wasm_bindgen_test]
async fn the_workers_blob_reader_gives_every_byte_in_order() {
    use segscope::worker::stream::Chunks;
    let bytes: Vec<u8> = (0..3_000_003u32).map(|i| (i * 7 % 251) as u8).collect();
    for data in [&bytes[..], &b""[..]] {
        let parts = js_sys::Array::of1(&js_sys::Uint8Array::from(data));
        let blob = web_sys::Blob::new_with_u8_array_sequence(&parts).expect("blob");
        for own in [true, false] {
            let mut chunks = if own {
                Chunks::of(&blob)
            } else {
                Chunks::of_default(&blob)
            };
            assert_eq!(chunks.own_buffer(), own);
            let (mut read, mut pieces) = (Vec::new(), 0);
            while let Some(piece) = chunks.next().await.expect("read") {
                read.extend_from_slice(&piece);
                pieces += 1;
            }
            assert_eq!(read.len(), data.len(), "own buffer: {own}");
            assert!(read == data, "own buffer: {own}: other bytes");
            assert!(
                !own || data.is_empty() || pieces >= 3,
                "{pieces} reads of 3 MB"
            );
            assert_eq!(chunks.next().await.expect("after the end"), None);
        }
    }
}

/// The worker's rehearsal (`engine::session::warm`) with its own settings, in the browser: it
/// answers with an analysis of every line (a failure here would fail in every page load).
#[wasm_bindgen_test]
fn the_workers_rehearsal_answers_in_the_browser() {
    use segscope::engine::session::{overview, warm, Job, Response, Stage};
    let file = warm::rehearsal_file(warm::ROWS);
    let mut progress = |_: Stage, _: u64, _: u64| {};
    let mut now_ms = js_sys::Date::now;
    let cancelled = || false;
    let mut job = Job {
        progress: &mut progress,
        now_ms: &mut now_ms,
        cancelled: &cancelled,
    };
    let reply = warm::rehearse(&file, warm::PIECE_BYTES, &mut job).expect("rehearsal");
    // Encoded as the worker encodes it (a failure to encode is a `Failed` answer).
    let encoded = segscope::protocol::encode_response(0, 0, &reply.response);
    assert!(
        encoded.contains("\"Analyzed\""),
        "{}",
        &encoded[..encoded.len().min(300)]
    );
    let Response::Overview(overview::Response::Analyzed { quality, .. }) = reply.response else {
        panic!("not an analysis");
    };
    assert_eq!(quality.expect("quality").rows_kept, warm::ROWS as u64);
}

/// The page's cancel on the wire: its id and generation come back, and no other message (a
/// request, a message without the flag, `cancel: false`) reads as a cancel.
#[wasm_bindgen_test]
fn a_cancel_message_reads_back_and_nothing_else_reads_as_one() {
    use segscope::wire::{pack, pack_cancel, unpack_cancel};
    let cancel = pack_cancel(41, 7);
    assert_eq!(unpack_cancel(&cancel), Some((41, 7)));
    assert_eq!(unpack_cancel(&pack("{\"id\":41}".to_string(), None)), None);
    let not = js_sys::Object::new();
    js_sys::Reflect::set(&not, &"cancel".into(), &wasm_bindgen::JsValue::FALSE).unwrap();
    js_sys::Reflect::set(&not, &"id".into(), &wasm_bindgen::JsValue::from_f64(41.0)).unwrap();
    assert_eq!(unpack_cancel(&not), None);
    assert_eq!(unpack_cancel(&wasm_bindgen::JsValue::NULL), None);
}

/// The two workers' messages on the wire: a part request and its answer (rows or an error) read
/// back, and neither reads as the other nor as a cancel.
#[wasm_bindgen_test]
fn part_messages_read_back_and_nothing_else_reads_as_one() {
    use segscope::wire::{
        pack, pack_cancel, pack_part, pack_part_rows, part_rows_id, unpack_cancel, unpack_part,
        unpack_part_rows,
    };
    let blob = web_sys::Blob::new().unwrap();
    let request = pack_part(3, "{\"rows\":1}".to_string(), &blob, 1_000, 5_000);
    let read = unpack_part(&request).expect("a part request");
    assert_eq!(
        (read.id, read.plan.as_str(), read.start, read.end),
        (3, "{\"rows\":1}", 1_000, 5_000)
    );
    assert_eq!(unpack_cancel(&request), None);
    assert!(unpack_part_rows(&request).is_none());

    let bytes = js_sys::Uint8Array::from(&b"SGPART01"[..]);
    let rows = pack_part_rows(3, Ok(&bytes));
    assert_eq!(part_rows_id(&rows), Some(3));
    let (id, unpacked) = unpack_part_rows(&rows).expect("an answer");
    let unpacked = unpacked.expect("rows");
    assert_eq!((id, unpacked.to_vec()), (3, b"SGPART01".to_vec()));
    // The join reads the array in pieces, within its bounds only.
    let source = segscope::wire::JsBytes(unpacked);
    let mut piece = [0u8; 3];
    segscope::engine::ingest::PartSource::read_at(&source, 5, &mut piece);
    assert_eq!(&piece, b"T01");
    let mut past = [9u8; 4];
    segscope::engine::ingest::PartSource::read_at(&source, 6, &mut past);
    assert_eq!(past, [9; 4]);
    assert_eq!(segscope::engine::ingest::PartSource::len(&source), 8);
    let failed = pack_part_rows(4, Err("no"));
    let (id, unpacked) = unpack_part_rows(&failed).expect("an answer");
    assert_eq!((id, unpacked.err()), (4, Some("no".to_string())));
    assert!(unpack_part(&rows).is_none());

    for other in [
        pack("{\"id\":3}".to_string(), Some(&blob)),
        pack_cancel(3, 1),
    ] {
        assert!(unpack_part(&other).is_none());
        assert_eq!(part_rows_id(&other), None);
    }
}
