//! The native CLI. (Implementation by the RFM work.)

fn main() {
    eprintln!("segscope: not implemented yet");
    std::process::exit(2);
}
