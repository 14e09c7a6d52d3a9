//! Verso's core: projects, documents, segmentation, revisions and formats.
//!
//! Everything that knows about translation lives here and runs without a
//! window; the desktop shell and the `verso` command line are thin callers.

pub mod document;
pub mod formats;
pub mod lang;
pub mod revision;
pub mod segment;
pub mod store;
pub mod text;

pub use document::{DocumentId, DocumentKind, DocumentSummary, NewDocument, PassageKind, SegmentId, SourceFormat};
pub use lang::LangTag;
pub use revision::{Revision, RevisionId, SegmentRow, Status, TranslationEdit};
pub use store::{Project, StoreError};
pub mod align;
pub mod analysis;
pub mod bench;
pub mod diff;
pub mod glossary;
pub mod keys;
pub mod mt;
pub mod overview;
pub mod provenance;
pub mod qa;
pub mod recent;
pub mod sample;
pub mod search;
pub mod session;
pub mod spelling;
pub mod summary;
pub mod team;
pub mod tm;
