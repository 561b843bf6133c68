//! Segment profiles and automatic names. SKELETON.
