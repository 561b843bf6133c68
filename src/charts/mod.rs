//! One drawing function per chart, generic over plotters' `DrawingBackend`: the page draws on a
//! canvas, native tests and the CLI draw SVG. Colours live only in [`theme`].

pub mod theme;
