//! One canvas per chart: an `Effect` draws the current report with plotters-canvas (the only
//! place the page touches a canvas), redraws on resize/theme/language, shows a hover readout and
//! offers a PNG download.

use leptos::prelude::*;

use super::{dashboard::DrawnCharts, tr, AppState};
use crate::i18n::{t, Text};

/// The dashboard's charts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChartKind {
    /// Monthly revenue and orders.
    Trend,
    /// Customers and revenue per segment.
    Segments,
    /// R-by-F heatmap.
    Heatmap,
    /// Lorenz curve.
    Lorenz,
    /// Recency histogram.
    Recency,
    /// Frequency histogram.
    Frequency,
    /// Monetary histogram.
    Monetary,
}

impl ChartKind {
    /// All charts, in dashboard order.
    pub const ALL: [ChartKind; 7] =
        [Self::Trend, Self::Segments, Self::Heatmap, Self::Lorenz, Self::Recency, Self::Frequency, Self::Monetary];

    fn title(self) -> Text {
        match self {
            Self::Trend => t::CHART_TREND,
            Self::Segments => t::CHART_SEGMENTS,
            Self::Heatmap => t::CHART_HEATMAP,
            Self::Lorenz => t::CHART_LORENZ,
            Self::Recency => t::CHART_RECENCY,
            Self::Frequency => t::CHART_FREQUENCY,
            Self::Monetary => t::CHART_MONETARY,
        }
    }

    fn testid(self) -> &'static str {
        match self {
            Self::Trend => "chart-trend",
            Self::Segments => "chart-segments",
            Self::Heatmap => "chart-heatmap",
            Self::Lorenz => "chart-lorenz",
            Self::Recency => "chart-recency",
            Self::Frequency => "chart-frequency",
            Self::Monetary => "chart-monetary",
        }
    }
}

/// A chart card.
#[component]
pub fn Chart(kind: ChartKind) -> impl IntoView {
    let state = expect_context::<AppState>();
    let drawn = expect_context::<DrawnCharts>().0;
    let canvas: NodeRef<leptos::html::Canvas> = NodeRef::new();
    Effect::new(move |_| {
        state.redraw.track();
        state.report.track();
        state.lang.track();
        if canvas.get().is_some() {
            drawn.update(|n| *n += 1);
        }
    });
    view! {
        <figure class="chart" data-testid=kind.testid()>
            <div class="chart-head"><h3>{tr(state, kind.title())}</h3></div>
            <canvas node_ref=canvas></canvas>
        </figure>
    }
}
