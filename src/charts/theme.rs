//! Chart palettes: the only place chart colours are written.
