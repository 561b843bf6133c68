//! The one catalog of UI strings, English and 简体中文.
