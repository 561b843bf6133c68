//! Any text as a message from the page or the worker: decoding never panics, and whatever
//! decodes encodes and decodes again to the same message.
#![no_main]

use libfuzzer_sys::fuzz_target;
use segscope::protocol::{decode, encode, encode_response, Envelope, Request, Response};

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    if let Ok(request) = decode::<Envelope<Request>>(&text) {
        let again: Envelope<Request> = decode(&encode(&request)).expect("a decoded request re-encodes");
        assert_eq!(again, request);
    }
    if let Ok(response) = decode::<Envelope<Response>>(&text) {
        // The encoder's own guard: whatever it writes decodes.
        let json = encode_response(response.id, response.generation, &response.body);
        let _: Envelope<Response> = decode(&json).expect("encode_response always decodes");
    }
});
