//! The texts a caller passes to a chart, already localised.

/// Title, axis titles, legend entries and the "no data" message of one chart, in the UI's language.
///
/// Charts write no words of their own; an empty string draws nothing (no caption, no axis title,
/// no legend entry). Which entry means what for each chart is listed on its `draw_*` function.
///
/// ```
/// use segscope::charts::ChartLabels;
/// let labels = ChartLabels::new("Monthly revenue")
///     .x_axis("Month")
///     .y_axis("Revenue")
///     .secondary_y_axis("Orders")
///     .series(["Revenue", "Orders"])
///     .no_data("No data");
/// assert_eq!(labels.series_name(1), "Orders");
/// assert_eq!(labels.series_name(5), "");
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ChartLabels {
    /// Caption above the plot.
    pub title: String,
    /// Horizontal axis title.
    pub x_axis: String,
    /// Left vertical axis title.
    pub y_axis: String,
    /// Vertical axis title used instead of `y_axis` when a chart puts that axis on a log scale
    /// (the histogram); empty means `y_axis`.
    pub y_axis_log_scale: String,
    /// Right (secondary) vertical axis title.
    pub secondary_y_axis: String,
    /// Legend entries, one per data series, in the order listed on the `draw_*` function.
    pub series: Vec<String>,
    /// Drawn in the middle of the area when there is nothing to plot.
    pub no_data: String,
}

impl ChartLabels {
    /// Labels with this title and everything else empty.
    pub fn new(title: impl Into<String>) -> Self {
        Self {
            title: title.into(),
            ..Self::default()
        }
    }

    /// Sets the horizontal axis title.
    #[must_use]
    pub fn x_axis(mut self, text: impl Into<String>) -> Self {
        self.x_axis = text.into();
        self
    }

    /// Sets the left vertical axis title.
    #[must_use]
    pub fn y_axis(mut self, text: impl Into<String>) -> Self {
        self.y_axis = text.into();
        self
    }

    /// Sets the vertical axis title for a log-scaled axis.
    #[must_use]
    pub fn y_axis_log_scale(mut self, text: impl Into<String>) -> Self {
        self.y_axis_log_scale = text.into();
        self
    }

    /// Sets the right vertical axis title.
    #[must_use]
    pub fn secondary_y_axis(mut self, text: impl Into<String>) -> Self {
        self.secondary_y_axis = text.into();
        self
    }

    /// Sets the legend entries.
    #[must_use]
    pub fn series<I, S>(mut self, names: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.series = names.into_iter().map(Into::into).collect();
        self
    }

    /// Sets the "no data" message.
    #[must_use]
    pub fn no_data(mut self, text: impl Into<String>) -> Self {
        self.no_data = text.into();
        self
    }

    /// Legend entry `index`, or "" when the caller gave none.
    pub fn series_name(&self, index: usize) -> &str {
        self.series.get(index).map_or("", String::as_str)
    }
}
