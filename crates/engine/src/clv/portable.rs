//! The elementary functions of the CLV models (fits and predictions), from the pure-Rust `libm` crate on every target.
//!
//! `f64::ln`, `exp`, `ln_1p`, `exp_m1` and `powf` call the platform's C library natively (glibc on
//! Linux, the system library on macOS and Windows) and a port of musl's on wasm32; they may differ
//! in the last bit. A BFGS fit amplifies such bits along a flat ridge, so the page (wasm) and the
//! CLI (native) could stop at different points of the same file. `libm` is the same Rust code
//! everywhere, so the same inputs give the same bits on every target (IEEE `+ − × ÷ sqrt` are
//! exact everywhere, and `powi` is compiler-builtins' loop on every target).

/// `ln`, `exp`, `ln_1p` and `exp_m1` by `libm`; call as `x.ln_p()` in place of `x.ln()`.
pub(crate) trait PortableMath {
    /// Natural logarithm.
    fn ln_p(self) -> f64;
    /// `e^x`.
    fn exp_p(self) -> f64;
    /// `ln(1 + x)`, accurate near 0.
    fn ln_1p_p(self) -> f64;
    /// `e^x − 1`, accurate near 0.
    fn exp_m1_p(self) -> f64;
}

impl PortableMath for f64 {
    fn ln_p(self) -> f64 {
        libm::log(self)
    }
    fn exp_p(self) -> f64 {
        libm::exp(self)
    }
    fn ln_1p_p(self) -> f64 {
        libm::log1p(self)
    }
    fn exp_m1_p(self) -> f64 {
        libm::expm1(self)
    }
}
