//! Chart palettes: the only place chart colours are written.
//!
//! Both palettes are built from colour-blind-aware sets: the eleven series colours are Paul Tol's
//! "muted" (light theme) and "light" (dark theme) qualitative schemes, completed with Okabe–Ito
//! hues; the accent pair (bars / lines) is blue against orange, which stays distinct under the
//! common red–green deficiencies; the heatmap ramp is a single-hue sequential scale (light to dark
//! blue on light pages, dark blue to yellow on dark pages) so order is read from lightness alone.

use plotters::style::RGBColor;

/// Colours and font of every chart; pass one to each `draw_*` function.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ChartTheme {
    /// Fill behind the whole chart.
    pub background: RGBColor,
    /// Titles, tick labels, annotations.
    pub text: RGBColor,
    /// Mesh lines and the equality diagonal.
    pub grid: RGBColor,
    /// Axis lines and tick marks.
    pub axis: RGBColor,
    /// One colour per segment, in [`crate::engine::rfm::Segment::ALL`] order.
    pub series: [RGBColor; 11],
    /// The first data series (revenue bars, customer share, Lorenz curve, histogram bars).
    pub accent: RGBColor,
    /// The second data series (orders line, revenue share, the 80% marker).
    pub accent2: RGBColor,
    /// Churn-risk bands, in [`crate::engine::clv::ChurnRisk::ALL`] order: low (green),
    /// medium (amber), high (red). Told apart by lightness too, and always drawn with a legend.
    pub risk: [RGBColor; 3],
    /// One colour per k-means segment (up to [`crate::engine::cluster::MAX_K`] = 20), by segment
    /// number. The first ten are far apart (Okabe–Ito first); all keep a readable contrast with
    /// the background. See [`ChartTheme::cluster_color`].
    pub clusters: [RGBColor; 20],
    /// Heatmap colour of an empty cell.
    pub heat_low: RGBColor,
    /// Heatmap colour of the fullest cell.
    pub heat_high: RGBColor,
    /// CSS font family list (the canvas and SVG both take it as is).
    pub font_family: &'static str,
}

impl ChartTheme {
    /// The palette for light pages.
    pub fn light() -> Self {
        Self {
            background: RGBColor(0xFF, 0xFF, 0xFF),
            text: RGBColor(0x22, 0x27, 0x2E),
            grid: RGBColor(0xE3, 0xE6, 0xEA),
            axis: RGBColor(0x6B, 0x72, 0x7B),
            series: [
                RGBColor(0x33, 0x22, 0x88), // indigo
                RGBColor(0x88, 0xCC, 0xEE), // cyan
                RGBColor(0x44, 0xAA, 0x99), // teal
                RGBColor(0x11, 0x77, 0x33), // green
                RGBColor(0x99, 0x99, 0x33), // olive
                RGBColor(0xDD, 0xCC, 0x77), // sand
                RGBColor(0xCC, 0x66, 0x77), // rose
                RGBColor(0x88, 0x22, 0x55), // wine
                RGBColor(0xAA, 0x44, 0x99), // purple
                RGBColor(0xE6, 0x9F, 0x00), // Okabe–Ito orange
                RGBColor(0x77, 0x77, 0x77), // grey
            ],
            accent: RGBColor(0x00, 0x72, 0xB2),  // Okabe–Ito blue
            accent2: RGBColor(0xD5, 0x5E, 0x00), // Okabe–Ito vermillion
            risk: [
                RGBColor(0x22, 0x88, 0x33), // Tol bright green
                RGBColor(0xDD, 0xAA, 0x33), // Tol high-contrast yellow (amber)
                RGBColor(0xBB, 0x33, 0x22), // brick red
            ],
            // Okabe–Ito, then hues picked greedily for the largest CIELAB distance to those before
            // (lightness 32–66, contrast with white ≥ 2.2:1).
            clusters: [
                RGBColor(0x00, 0x72, 0xB2),
                RGBColor(0xD5, 0x5E, 0x00),
                RGBColor(0x00, 0x9E, 0x73),
                RGBColor(0xCC, 0x79, 0xA7),
                RGBColor(0xE6, 0x9F, 0x00),
                RGBColor(0x66, 0x55, 0x22),
                RGBColor(0x66, 0x33, 0xAA),
                RGBColor(0x77, 0xAA, 0x11),
                RGBColor(0xCC, 0x00, 0x44),
                RGBColor(0xBB, 0x00, 0x88),
                RGBColor(0x44, 0xAA, 0xBB),
                RGBColor(0xDD, 0x77, 0x66),
                RGBColor(0x66, 0x88, 0xFF),
                RGBColor(0xDD, 0x77, 0xEE),
                RGBColor(0x00, 0x66, 0x00),
                RGBColor(0x88, 0x33, 0x44),
                RGBColor(0x66, 0x44, 0x77),
                RGBColor(0xAA, 0x99, 0x33),
                RGBColor(0x88, 0x33, 0x11),
                RGBColor(0x88, 0x99, 0x66),
            ],
            heat_low: RGBColor(0xF1, 0xF6, 0xFB),
            heat_high: RGBColor(0x08, 0x30, 0x6B),
            font_family: "system-ui, sans-serif",
        }
    }

    /// The palette for dark pages.
    pub fn dark() -> Self {
        Self {
            background: RGBColor(0x16, 0x1A, 0x20),
            text: RGBColor(0xE6, 0xE9, 0xED),
            grid: RGBColor(0x2E, 0x35, 0x3E),
            axis: RGBColor(0x9A, 0xA3, 0xAE),
            series: [
                RGBColor(0x77, 0xAA, 0xDD), // light blue
                RGBColor(0xEE, 0x88, 0x66), // orange
                RGBColor(0xEE, 0xDD, 0x88), // light yellow
                RGBColor(0xFF, 0xAA, 0xBB), // pink
                RGBColor(0x99, 0xDD, 0xFF), // light cyan
                RGBColor(0x44, 0xBB, 0x99), // mint
                RGBColor(0xBB, 0xCC, 0x33), // pear
                RGBColor(0xAA, 0xAA, 0x00), // olive
                RGBColor(0xCC, 0x99, 0xEE), // lilac
                RGBColor(0x56, 0xB4, 0xE9), // Okabe–Ito sky blue
                RGBColor(0xBB, 0xBB, 0xBB), // grey
            ],
            accent: RGBColor(0x56, 0xB4, 0xE9), // Okabe–Ito sky blue
            accent2: RGBColor(0xE6, 0x9F, 0x00), // Okabe–Ito orange
            risk: [
                RGBColor(0x66, 0xCC, 0x77), // light green
                RGBColor(0xEE, 0xCC, 0x66), // light amber
                RGBColor(0xEE, 0x66, 0x77), // Tol bright red
            ],
            // Okabe–Ito and Tol "light", then hues picked greedily for the largest CIELAB distance
            // (lightness 62–88, contrast with the background ≥ 5:1).
            clusters: [
                RGBColor(0x56, 0xB4, 0xE9),
                RGBColor(0xE6, 0x9F, 0x00),
                RGBColor(0x44, 0xBB, 0x99),
                RGBColor(0xFF, 0xAA, 0xBB),
                RGBColor(0xEE, 0xDD, 0x88),
                RGBColor(0xBB, 0x88, 0xEE),
                RGBColor(0xEE, 0x77, 0x55),
                RGBColor(0x77, 0xAA, 0x33),
                RGBColor(0xFF, 0x66, 0xAA),
                RGBColor(0x00, 0xEE, 0xFF),
                RGBColor(0xDD, 0xCC, 0xFF),
                RGBColor(0x44, 0x99, 0xFF),
                RGBColor(0x66, 0xEE, 0x99),
                RGBColor(0x99, 0x99, 0x66),
                RGBColor(0xAA, 0x99, 0x22),
                RGBColor(0xEE, 0xBB, 0x99),
                RGBColor(0xAA, 0xDD, 0x99),
                RGBColor(0xFF, 0xAA, 0xEE),
                RGBColor(0xFF, 0x77, 0x88),
                RGBColor(0x00, 0xAA, 0xBB),
            ],
            heat_low: RGBColor(0x1C, 0x2B, 0x3F),
            heat_high: RGBColor(0xFD, 0xE7, 0x25),
            font_family: "system-ui, sans-serif",
        }
    }

    /// The series colour of segment `index` (wraps around past 11).
    pub fn series_color(&self, index: usize) -> RGBColor {
        self.series[index % self.series.len()]
    }

    /// The colour of k-means segment `segment` (wraps around past 20).
    pub fn cluster_color(&self, segment: usize) -> RGBColor {
        self.clusters[segment % self.clusters.len()]
    }
}

impl Default for ChartTheme {
    fn default() -> Self {
        Self::light()
    }
}

/// The heatmap colour at `t` in 0..=1 (clamped; NaN counts as 0), interpolated linearly from
/// `theme.heat_low` to `theme.heat_high`.
pub fn heat(theme: &ChartTheme, t: f64) -> RGBColor {
    let t = if t.is_nan() { 0.0 } else { t.clamp(0.0, 1.0) };
    let mix = |a: u8, b: u8| -> u8 {
        let v = f64::from(a) + (f64::from(b) - f64::from(a)) * t;
        // In 0..=255 by construction (a convex combination of two u8 values).
        v.round().clamp(0.0, 255.0) as u8
    };
    let (lo, hi) = (theme.heat_low, theme.heat_high);
    RGBColor(mix(lo.0, hi.0), mix(lo.1, hi.1), mix(lo.2, hi.2))
}

/// A diverging colour at `t` in -1..=1 (clamped; NaN counts as 0): the theme's background at
/// 0, moving towards `theme.accent` (blue) above and `theme.accent2` (orange) below, fully there
/// at ±1. For values read around a neutral middle (lift around 1, an index around 100); blue
/// against orange stays apart under the common red–green deficiencies.
pub fn diverging(theme: &ChartTheme, t: f64) -> RGBColor {
    let t = if t.is_nan() { 0.0 } else { t.clamp(-1.0, 1.0) };
    let end = if t >= 0.0 {
        theme.accent
    } else {
        theme.accent2
    };
    toward_background(theme, end, 1.0 - t.abs())
}

/// `color` moved towards the theme's background by `t` in 0..=1 (clamped; NaN counts as 0): a
/// paler (light theme) or darker (dark theme) version of it, for de-emphasised marks.
pub fn toward_background(theme: &ChartTheme, color: RGBColor, t: f64) -> RGBColor {
    let t = if t.is_nan() { 0.0 } else { t.clamp(0.0, 1.0) };
    let mix = |a: u8, b: u8| -> u8 {
        let v = f64::from(a) + (f64::from(b) - f64::from(a)) * t;
        // In 0..=255 by construction (a convex combination of two u8 values).
        v.round().clamp(0.0, 255.0) as u8
    };
    let bg = theme.background;
    RGBColor(mix(color.0, bg.0), mix(color.1, bg.1), mix(color.2, bg.2))
}

/// Of the theme's text and background colours, the one that reads best on `fill` (for labels
/// drawn inside heatmap cells and bars).
pub fn text_on(theme: &ChartTheme, fill: RGBColor) -> RGBColor {
    let l = luminance(fill);
    let (a, b) = (theme.text, theme.background);
    if (luminance(a) - l).abs() >= (luminance(b) - l).abs() {
        a
    } else {
        b
    }
}

/// Relative luminance (WCAG), 0..=1.
fn luminance(c: RGBColor) -> f64 {
    let lin = |v: u8| {
        let s = f64::from(v) / 255.0;
        if s <= 0.040_45 {
            s / 12.92
        } else {
            ((s + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * lin(c.0) + 0.7152 * lin(c.1) + 0.0722 * lin(c.2)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn heat_interpolates_and_clamps() {
        let theme = ChartTheme::light();
        assert_eq!(heat(&theme, 0.0), theme.heat_low);
        assert_eq!(heat(&theme, 1.0), theme.heat_high);
        assert_eq!(heat(&theme, -3.0), theme.heat_low);
        assert_eq!(heat(&theme, 7.0), theme.heat_high);
        assert_eq!(heat(&theme, f64::NAN), theme.heat_low);
        assert_eq!(heat(&theme, f64::INFINITY), theme.heat_high);
        let mid = heat(&theme, 0.5);
        let (lo, hi) = (theme.heat_low, theme.heat_high);
        let between = |m: u8, a: u8, b: u8| (a.min(b)..=a.max(b)).contains(&m);
        assert!(between(mid.0, lo.0, hi.0) && between(mid.1, lo.1, hi.1));
        assert!(between(mid.2, lo.2, hi.2));
        // Halfway: (0xF1 + 0x08) / 2 = 124.5, rounded to 125.
        assert_eq!(mid.0, 0x7D);
    }

    #[test]
    fn themes_differ_and_text_contrasts_with_background() {
        let (light, dark) = (ChartTheme::light(), ChartTheme::dark());
        assert_ne!(light.background, dark.background);
        for theme in [light, dark] {
            assert!((luminance(theme.text) - luminance(theme.background)).abs() > 0.6);
            assert_eq!(text_on(&theme, theme.background), theme.text);
            // Eleven distinct series colours.
            let mut colours: Vec<_> = theme.series.iter().map(|c| (c.0, c.1, c.2)).collect();
            colours.sort_unstable();
            colours.dedup();
            assert_eq!(colours.len(), 11);
        }
        assert_eq!(text_on(&light, light.heat_high), light.background);
        assert_eq!(text_on(&light, light.heat_low), light.text);
        assert_eq!(light.series_color(11), light.series[0]);
    }

    #[test]
    fn toward_background_ends_at_the_colour_and_the_background() {
        let theme = ChartTheme::dark();
        let c = theme.cluster_color(3);
        assert_eq!(toward_background(&theme, c, 0.0), c);
        assert_eq!(toward_background(&theme, c, 1.0), theme.background);
        assert_eq!(toward_background(&theme, c, f64::NAN), c);
        assert_eq!(toward_background(&theme, c, 5.0), theme.background);
    }

    #[test]
    fn diverging_runs_from_orange_through_the_background_to_blue() {
        for theme in [ChartTheme::light(), ChartTheme::dark()] {
            assert_eq!(diverging(&theme, 0.0), theme.background);
            assert_eq!(diverging(&theme, f64::NAN), theme.background);
            assert_eq!(diverging(&theme, 1.0), theme.accent);
            assert_eq!(diverging(&theme, 9.0), theme.accent);
            assert_eq!(diverging(&theme, -1.0), theme.accent2);
            assert_eq!(diverging(&theme, f64::NEG_INFINITY), theme.accent2);
            assert_ne!(diverging(&theme, 0.5), diverging(&theme, -0.5));
        }
    }

    #[test]
    fn cluster_palette_has_twenty_distinct_colours_readable_on_the_background() {
        for (theme, min_contrast) in [(ChartTheme::light(), 2.2), (ChartTheme::dark(), 5.0)] {
            let mut colours: Vec<_> = theme.clusters.iter().map(|c| (c.0, c.1, c.2)).collect();
            colours.sort_unstable();
            colours.dedup();
            assert_eq!(colours.len(), 20);
            let bg = luminance(theme.background);
            for c in theme.clusters {
                let l = luminance(c);
                let contrast = (l.max(bg) + 0.05) / (l.min(bg) + 0.05);
                assert!(contrast >= min_contrast, "{c:?}: {contrast:.2}");
            }
            assert_eq!(theme.cluster_color(20), theme.clusters[0]);
            assert_eq!(theme.cluster_color(19), theme.clusters[19]);
        }
    }
}
