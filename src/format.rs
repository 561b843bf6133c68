//! Pure human formatting shared by the UI, charts and CLI: numbers, shares and sizes for people.
//! Calendar maths lives in the engine ([`crate::engine::calendar`]); machine-readable numbers for
//! exports in [`crate::engine::csv_out`].

pub use crate::engine::csv_out::plain;

/// Groups the integer part with `sep` every three digits: 1234567.891 → "1,234,567.89".
pub fn grouped(value: f64, decimals: usize, sep: char) -> String {
    if !value.is_finite() {
        return "–".to_string();
    }
    let text = format!("{:.*}", decimals, value.abs());
    let (int_part, frac) = text
        .split_once('.')
        .map_or((text.as_str(), None), |(a, b)| (a, Some(b)));
    let mut out = String::with_capacity(text.len() + text.len() / 3 + 1);
    if value < 0.0 && text.chars().any(|c| c.is_ascii_digit() && c != '0') {
        out.push('-');
    }
    let digits = int_part.len();
    for (i, c) in int_part.chars().enumerate() {
        if i > 0 && (digits - i) % 3 == 0 {
            out.push(sep);
        }
        out.push(c);
    }
    if let Some(frac) = frac {
        out.push('.');
        out.push_str(frac);
    }
    out
}

/// A compact number for axes and cards: 950, 12.3k, 4.56M, 7.8B.
pub fn compact(value: f64) -> String {
    let a = value.abs();
    let (v, suffix) = if a >= 1e9 {
        (value / 1e9, "B")
    } else if a >= 1e6 {
        (value / 1e6, "M")
    } else if a >= 1e4 {
        (value / 1e3, "k")
    } else {
        return grouped(value, if a < 10.0 && a.fract() != 0.0 { 2 } else { 0 }, ',');
    };
    let decimals = if v.abs() >= 100.0 {
        0
    } else if v.abs() >= 10.0 {
        1
    } else {
        2
    };
    format!("{v:.decimals$}{suffix}")
}

/// [`compact`], but values below 1 keep two significant digits (0.001, 0.012, 0.5) instead of
/// rounding to "0.00": for log-scale axes, whose ticks run down to tiny values.
pub fn compact_small(value: f64) -> String {
    let a = value.abs();
    if !value.is_finite() || a >= 1.0 || a == 0.0 {
        return compact(value);
    }
    let decimals = ((-a.log10()).floor() as usize + 2).min(9);
    let mut text = format!("{value:.decimals$}");
    while text.ends_with('0') {
        text.pop();
    }
    if text.ends_with('.') {
        text.pop();
    }
    text
}

/// A share 0..=1 as a percentage with one decimal: 0.1234 → "12.3%".
pub fn percent(share: f64) -> String {
    if share.is_finite() {
        let text = format!("{:.1}%", share * 100.0);
        // -0 and tiny negatives that round to zero read as zero (`--discount-monthly -0`).
        if text == "-0.0%" {
            "0.0%".to_string()
        } else {
            text
        }
    } else {
        "–".to_string()
    }
}

/// A file size for people: 1536 → "1.5 KB".
pub fn bytes(bytes: u64) -> String {
    let b = bytes as f64;
    if b >= 1024.0 * 1024.0 * 1024.0 {
        format!("{:.1} GB", b / 1024.0 / 1024.0 / 1024.0)
    } else if b >= 1024.0 * 1024.0 {
        format!("{:.1} MB", b / 1024.0 / 1024.0)
    } else if b >= 1024.0 {
        format!("{:.1} KB", b / 1024.0)
    } else {
        format!("{bytes} B")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_format_for_people_and_machines() {
        assert_eq!(grouped(1_234_567.891, 2, ','), "1,234,567.89");
        assert_eq!(grouped(-999.0, 0, ','), "-999");
        assert_eq!(grouped(-0.001, 2, ','), "0.00");
        assert_eq!(compact(12_345.0), "12.3k");
        assert_eq!(compact(4_560_000.0), "4.56M");
        assert_eq!(compact(950.0), "950");
        // Regression: the CLV histogram's log axis read "0.00, 0.00, 0.01".
        assert_eq!(compact_small(0.001), "0.001");
        assert_eq!(compact_small(0.0123), "0.012");
        assert_eq!(compact_small(0.5), "0.5");
        assert_eq!(compact_small(12_345.0), "12.3k");
        assert_eq!(percent(0.1234), "12.3%");
        // Regression: `--discount-monthly -0` printed "-0.0%".
        assert_eq!(percent(-0.0), "0.0%");
        assert_eq!(percent(-0.00001), "0.0%");
        assert_eq!(percent(-0.5), "-50.0%");
        assert_eq!(plain(1234.50, 2), "1234.5");
        assert_eq!(plain(-0.0001, 2), "0");
        assert_eq!(plain(100.0, 2), "100");
        assert_eq!(bytes(1536), "1.5 KB");
        assert_eq!(bytes(46 * 1024 * 1024), "46.0 MB");
        assert_eq!(bytes(3_100_000_000), "2.9 GB");
    }
}
