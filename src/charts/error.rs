//! The charts' error type.

use plotters::drawing::DrawingAreaErrorKind;

/// A chart could not be drawn. The backend error is kept as text so the type does not depend on
/// which backend (canvas, SVG) was used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ChartError {
    /// The drawing backend or plotters' layout failed.
    #[error("chart drawing failed: {0}")]
    Drawing(String),
}

/// The result of a `draw_*` function.
pub type ChartResult<T> = Result<T, ChartError>;

impl<E: std::error::Error + Send + Sync> From<DrawingAreaErrorKind<E>> for ChartError {
    fn from(err: DrawingAreaErrorKind<E>) -> Self {
        Self::Drawing(err.to_string())
    }
}
