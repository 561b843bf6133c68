//! Any text as a saved segmentation file: loading never panics, and a model that loads saves and
//! loads again to the same model.
#![no_main]

use libfuzzer_sys::fuzz_target;
use segscope_engine::cluster::SegmentationModel;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    if let Ok(model) = SegmentationModel::from_json(&text) {
        let again = SegmentationModel::from_json(&model.to_json()).expect("a loaded model reloads");
        assert_eq!(again.to_json(), model.to_json());
    }
});
