//! Random draws for the simulations of the CLV tests (seeded, portable).

use rand::Rng as _;
use rand_pcg::Pcg64Mcg;

/// A standard normal draw (Box–Muller).
pub fn normal(rng: &mut Pcg64Mcg) -> f64 {
    let u: f64 = rng.random::<f64>().max(1e-300);
    let v: f64 = rng.random();
    (-2.0 * u.ln()).sqrt() * (std::f64::consts::TAU * v).cos()
}

/// Gamma(shape, rate) by Marsaglia and Tsang (shape < 1 boosted by U^(1/shape)).
pub fn gamma(rng: &mut Pcg64Mcg, shape: f64, rate: f64) -> f64 {
    if shape < 1.0 {
        let u: f64 = rng.random::<f64>().max(1e-300);
        return gamma(rng, shape + 1.0, rate) * u.powf(1.0 / shape);
    }
    let d = shape - 1.0 / 3.0;
    let c = 1.0 / (9.0 * d).sqrt();
    loop {
        let x = normal(rng);
        let v = (1.0 + c * x).powi(3);
        if v <= 0.0 {
            continue;
        }
        let u: f64 = rng.random::<f64>().max(1e-300);
        if u.ln() < 0.5 * x * x + d - d * v + d * v.ln() {
            return d * v / rate;
        }
    }
}

/// Beta(a, b) from two Gamma draws.
pub fn beta(rng: &mut Pcg64Mcg, a: f64, b: f64) -> f64 {
    let x = gamma(rng, a, 1.0);
    let y = gamma(rng, b, 1.0);
    x / (x + y)
}

/// An exponential draw of rate `rate`.
pub fn exponential(rng: &mut Pcg64Mcg, rate: f64) -> f64 {
    let u: f64 = rng.random::<f64>().max(1e-300);
    -u.ln() / rate
}
