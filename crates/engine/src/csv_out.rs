//! The one place that writes CSV for people's spreadsheets: the byte-order mark, formula
//! neutralisation of text cells, and machine-readable numbers. Every export goes through here.

use std::borrow::Cow;

/// UTF-8 byte-order mark written before every CSV export, so that Excel opens Chinese text
/// correctly.
pub const BOM: &str = "\u{feff}";

/// A plain machine-readable number for `data-value` attributes and CSV: no grouping, at most
/// `decimals` decimals, trailing zeros trimmed.
pub fn plain(value: f64, decimals: usize) -> String {
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
