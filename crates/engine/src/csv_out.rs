//! The one place that writes CSV for people's spreadsheets: the byte-order mark, formula
//! neutralisation of text cells, and machine-readable numbers. Every export goes through here.

use std::borrow::Cow;

/// UTF-8 byte-order mark written before every CSV export, so that Excel opens Chinese text
/// correctly.
pub const BOM: &str = "\u{feff}";

/// A plain machine-readable number for `data-value` attributes and CSV: no grouping, at most
/// `decimals` decimals, trailing zeros trimmed.
pub fn plain(value: f64, decimals: usize) -> String {
    let mut s = String::new();
    push_plain(&mut s, value, decimals);
    s
}

/// [`plain`], appended to `out` (an export's cells, without a `String` each).
///
/// The text is `format!("{value:.decimals$}")` with trailing zeros (and a bare `.`) trimmed and
/// `-0` written `0`. Most values take a shortcut with the same digits: `|value| · 10^decimals`,
/// rounded to an integer, when it is below 2^40 and its fraction is not within 2^-12 of ½ (the
/// product's rounding error is under 2^-13 there, so the integer is the correctly rounded one
/// that `format!` prints); near a tie, and for larger values, `format!` itself.
pub fn push_plain(out: &mut String, value: f64, decimals: usize) {
    if !value.is_finite() {
        return;
    }
    if let Some(scaled) = SCALES.get(decimals).map(|scale| value.abs() * scale) {
        let whole = scaled.floor();
        let fraction = scaled - whole;
        if scaled < FAST_LIMIT && (fraction - 0.5).abs() > TIE_MARGIN {
            let units = whole as u64 + u64::from(fraction > 0.5);
            push_fixed(out, units, value < 0.0, decimals);
            return;
        }
    }
    let start = out.len();
    {
        use std::fmt::Write;
        let _ = write!(out, "{value:.decimals$}");
    }
    if out[start..].contains('.') {
        while out.ends_with('0') {
            out.pop();
        }
        if out.ends_with('.') {
            out.pop();
        }
    }
    if &out[start..] == "-0" {
        out.truncate(start);
        out.push('0');
    }
}

/// 10^d for the decimals [`push_plain`]'s shortcut takes (exact in `f64`).
const SCALES: [f64; 10] = [1.0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9];
/// 2^40: below it the scaled value's rounding error is under 2^-13.
const FAST_LIMIT: f64 = 1_099_511_627_776.0;
/// 2^-12: scaled values whose fraction is this close to ½ go through `format!`.
const TIE_MARGIN: f64 = 1.0 / 4096.0;

/// `units / 10^decimals` in plain decimal notation, trailing zeros trimmed; `0` for no units.
fn push_fixed(out: &mut String, units: u64, negative: bool, decimals: usize) {
    if units == 0 {
        out.push('0');
        return;
    }
    if negative {
        out.push('-');
    }
    let mut digits = [0u8; 20];
    let mut n = units;
    let mut len = 0;
    while n > 0 || len <= decimals {
        if let Some(slot) = digits.get_mut(len) {
            *slot = b'0' + (n % 10) as u8;
        }
        n /= 10;
        len += 1;
    }
    // `digits[..len]` holds the units' digits, least significant first, with at least one digit
    // before the decimal point.
    let mut kept = 0;
    while kept < decimals && digits.get(kept) == Some(&b'0') {
        kept += 1;
    }
    for i in (decimals..len).rev() {
        out.push(char::from(digits.get(i).copied().unwrap_or(b'0')));
    }
    if kept < decimals {
        out.push('.');
        for i in (kept..decimals).rev() {
            out.push(char::from(digits.get(i).copied().unwrap_or(b'0')));
        }
    }
}

/// A number at full precision: the shortest text that reads back as the same `f64`, with an
/// exponent (`1.5e-121`) below 10⁻⁴; empty when not finite.
pub fn real(value: f64) -> String {
    if !value.is_finite() {
        String::new()
    } else if value != 0.0 && value.abs() < 1e-4 {
        format!("{value:e}")
    } else {
        format!("{}", value + 0.0)
    }
}

/// Neutralises spreadsheet formula injection in a text cell: text whose first visible character
/// is `=` `+` `-` `@` (or their full-width forms `＝` `＋` `－` `＠`), or that starts with a tab or
/// carriage return, gets a leading `'`, so spreadsheet programs show it as text. Leading spaces,
/// non-breaking spaces and zero-width characters do not hide a formula: spreadsheets skip them.
pub fn neutralize_formula(text: &str) -> Cow<'_, str> {
    // Most cells (ids, names) start with a letter or digit: nothing to look at.
    if text
        .as_bytes()
        .first()
        .is_some_and(u8::is_ascii_alphanumeric)
    {
        return Cow::Borrowed(text);
    }
    if text.starts_with(['\t', '\r']) {
        return Cow::Owned(format!("'{text}"));
    }
    let visible = text.trim_start_matches(|c: char| c.is_whitespace() || is_invisible(c));
    if visible.starts_with(['=', '+', '-', '@', '＝', '＋', '－', '＠']) {
        Cow::Owned(format!("'{text}"))
    } else {
        Cow::Borrowed(text)
    }
}

/// Zero-width and other invisible format characters a cell may start with.
fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{200B}'..='\u{200F}' | '\u{2060}'..='\u{2064}' | '\u{FEFF}' | '\u{00AD}' | '\u{180E}'
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_numbers_trim_zeros_and_never_print_minus_zero() {
        assert_eq!(plain(1234.50, 2), "1234.5");
        assert_eq!(plain(-0.0001, 2), "0");
        assert_eq!(plain(100.0, 2), "100");
        assert_eq!(plain(f64::NAN, 2), "");
    }

    /// The text of `format!` that [`push_plain`]'s shortcut stands for.
    fn by_format(value: f64, decimals: usize) -> String {
        if !value.is_finite() {
            return String::new();
        }
        let mut s = format!("{value:.decimals$}");
        if s.contains('.') {
            while s.ends_with('0') {
                s.pop();
            }
            if s.ends_with('.') {
                s.pop();
            }
        }
        if s == "-0" {
            s = "0".to_string();
        }
        s
    }

    #[test]
    fn plain_numbers_are_the_text_of_format() {
        let mut values = vec![
            0.0,
            -0.0,
            1.0,
            -1.0,
            0.5,
            1.5,
            2.5,
            -2.5,
            0.125,
            0.375,
            2.005,
            1.005,
            0.045,
            1e-5,
            -1e-5,
            0.000_05,
            0.000_049_999,
            0.999_95,
            9.999_95,
            99.995,
            1234.5,
            1e9,
            1.5e11,
            1_099_511_627_775.9,
            1_099_511_627_776.5,
            1e12,
            1e15,
            1e21,
            1e300,
            -1e300,
            5e-324,
            f64::MAX,
            f64::MIN_POSITIVE,
            f64::EPSILON,
            0.1,
            0.2,
            0.3,
            0.7,
            123_456.789_012_345,
        ];
        // A deterministic sweep over magnitudes and the values near decimal ties.
        let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
        for _ in 0..200_000 {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            let mantissa = (state >> 11) as f64 / (1u64 << 53) as f64;
            let exponent = ((state >> 3) % 24) as i32 - 8;
            let sign = if state & 1 == 0 { 1.0 } else { -1.0 };
            let value = sign * mantissa * 10f64.powi(exponent);
            values.push(value);
            // Near a tie at 2 and 4 decimals.
            let tie = ((state >> 20) % 1_000_000) as f64 / 1e4 + 0.000_05;
            values.extend([tie, tie * 100.0 / 100.0, (tie * 1e4).round() / 1e4 + 0.005]);
            values.push(f64::from_bits(state >> 2));
        }
        for value in values {
            for decimals in [0, 1, 2, 3, 4, 6, 9, 12] {
                assert_eq!(
                    plain(value, decimals),
                    by_format(value, decimals),
                    "{value:e} at {decimals} decimals"
                );
            }
        }
    }

    // Regression: leading non-breaking spaces, zero-width spaces and full-width ＝ before a
    // formula were not neutralised.
    #[test]
    fn formulas_behind_invisible_or_full_width_characters_are_neutralised() {
        for text in [
            "=1+1",
            " =1+1",
            "\u{a0}=1+1",
            "\u{200b}=HYPERLINK(\"x\")",
            "\u{feff}@SUM(A1)",
            "＝1+1",
            "　＋1",
            "-2",
            "\tx",
            "\rx",
        ] {
            assert_eq!(neutralize_formula(text), format!("'{text}"), "{text:?}");
        }
        for text in ["a=b", "C1", "1-2", "", "\u{a0}C1", "张三"] {
            assert_eq!(neutralize_formula(text), text, "{text:?}");
        }
    }
}
