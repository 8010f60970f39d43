//! dayopps: a static-site generator for public directories of day opportunities.
//!
//! The build is a pipeline, one folder a stage:
//! [`load`] reads the files, [`validate`] turns them into the [`model`] (reporting every
//! problem as [`diagnostics`]), [`render`] makes pages with the theme, and [`write`] puts the
//! site on disk atomically. [`build`] runs them in order.

pub mod build;
pub mod diagnostics;
pub mod export;
pub mod import;
pub mod init;
pub mod load;
pub mod memo;
pub mod model;
pub mod render;
pub mod report;
pub mod reuse;
pub mod scaffold;
pub mod schema;
pub mod search;
pub mod serve;
pub mod text;
pub mod timings;
pub mod tuning;
pub mod validate;
pub mod write;

pub use build::{BuildError, BuildOptions, Built, build, build_in_memory};
