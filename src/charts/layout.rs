//! Where a chart put its plot and its points, for hover readouts (no web code).

/// The plot rectangle and each data point's pixel x, in the drawing backend's pixel space.
///
/// A default (empty) layout is returned when a chart had nothing to plot; every lookup on it
/// answers `None`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PlotLayout {
    /// Left edge of the plot area, pixels.
    pub plot_left_px: f64,
    /// Right edge of the plot area, pixels.
    pub plot_right_px: f64,
    /// Top edge of the plot area, pixels.
    pub plot_top_px: f64,
    /// Bottom edge of the plot area, pixels.
    pub plot_bottom_px: f64,
    /// Pixel x of each data point, in data order; NaN for a point that was not drawn (its
    /// value was not finite), so indices stay aligned with the input.
    pub point_x_px: Vec<f64>,
}

impl PlotLayout {
    /// Whether `x_px` lies within the plot area horizontally (edges included).
    pub fn contains_x(&self, x_px: f64) -> bool {
        x_px.is_finite()
            && self.plot_right_px > self.plot_left_px
            && (self.plot_left_px..=self.plot_right_px).contains(&x_px)
    }

    /// Where `x_px` lies across the plot area, 0 at the left edge to 1 at the right; `None`
    /// outside it. For charts with a linear 0..=1 x axis (Lorenz) this is the x value itself.
    pub fn x_fraction(&self, x_px: f64) -> Option<f64> {
        self.contains_x(x_px)
            .then(|| (x_px - self.plot_left_px) / (self.plot_right_px - self.plot_left_px))
    }
}

/// The index of the data point whose pixel x is nearest to `x_px` (the first on a tie);
/// `None` when `x_px` is outside the plot area, not finite, or there are no drawn points.
pub fn nearest_point(layout: &PlotLayout, x_px: f64) -> Option<usize> {
    if !layout.contains_x(x_px) {
        return None;
    }
    layout
        .point_x_px
        .iter()
        .enumerate()
        .filter(|(_, p)| p.is_finite())
        .fold(None, |best: Option<(usize, f64)>, (i, p)| {
            let d = (p - x_px).abs();
            match best {
                Some((_, bd)) if bd <= d => best,
                _ => Some((i, d)),
            }
        })
        .map(|(i, _)| i)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn layout() -> PlotLayout {
        PlotLayout {
            plot_left_px: 50.0,
            plot_right_px: 450.0,
            plot_top_px: 20.0,
            plot_bottom_px: 300.0,
            point_x_px: vec![100.0, 200.0, 300.0, 400.0],
        }
    }

    #[test]
    fn nearest_point_picks_the_closest_in_the_middle() {
        let l = layout();
        assert_eq!(nearest_point(&l, 190.0), Some(1));
        assert_eq!(nearest_point(&l, 260.0), Some(2));
        assert_eq!(nearest_point(&l, 300.0), Some(2));
        // Exactly halfway: the first wins.
        assert_eq!(nearest_point(&l, 250.0), Some(1));
    }

    #[test]
    fn nearest_point_at_the_edges_clamps_to_the_end_points() {
        let l = layout();
        assert_eq!(nearest_point(&l, 50.0), Some(0));
        assert_eq!(nearest_point(&l, 450.0), Some(3));
        assert_eq!(nearest_point(&l, 51.0), Some(0));
    }

    #[test]
    fn nearest_point_outside_the_plot_or_without_points_is_none() {
        let l = layout();
        assert_eq!(nearest_point(&l, 49.9), None);
        assert_eq!(nearest_point(&l, 450.1), None);
        assert_eq!(nearest_point(&l, f64::NAN), None);
        assert_eq!(nearest_point(&l, f64::INFINITY), None);
        assert_eq!(nearest_point(&PlotLayout::default(), 0.0), None);
        let empty = PlotLayout {
            point_x_px: vec![],
            ..layout()
        };
        assert_eq!(nearest_point(&empty, 200.0), None);
    }

    #[test]
    fn nearest_point_skips_points_that_were_not_drawn() {
        let l = PlotLayout {
            point_x_px: vec![100.0, f64::NAN, 300.0],
            ..layout()
        };
        assert_eq!(nearest_point(&l, 200.0), Some(0));
        assert_eq!(nearest_point(&l, 210.0), Some(2));
    }

    #[test]
    fn x_fraction_maps_the_plot_width_to_0_1() {
        let l = layout();
        assert_eq!(l.x_fraction(50.0), Some(0.0));
        assert_eq!(l.x_fraction(250.0), Some(0.5));
        assert_eq!(l.x_fraction(450.0), Some(1.0));
        assert_eq!(l.x_fraction(20.0), None);
        assert_eq!(PlotLayout::default().x_fraction(0.0), None);
    }
}
