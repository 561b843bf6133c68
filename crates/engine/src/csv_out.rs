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

/// Neutralises spreadsheet formula injection in a text cell: text starting with `=` `+` `-` `@`,
/// tab or carriage return gets a leading `'`, so spreadsheet programs show it as text.
pub fn neutralize_formula(text: &str) -> Cow<'_, str> {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        Cow::Owned(format!("'{text}"))
    } else {
        Cow::Borrowed(text)
    }
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
}
