//! Translations as append-only revisions: every save adds a row naming its
//! parent, so no state of a segment is ever overwritten. The current
//! translation is the newest revision of a segment.

use serde::{Deserialize, Serialize};

use crate::document::{DocumentId, PassageKind, SegmentId};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "bindings", derive(ts_rs::TS))]
pub struct RevisionId(pub i64);

/// Where a segment stands in the workflow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "bindings", derive(ts_rs::TS))]
pub enum Status {
    New,
    Draft,
    Translated,
    Reviewed,
    Approved,
    Rejected,
}

impl Status {
    pub const ALL: [Status; 6] =
        [Status::New, Status::Draft, Status::Translated, Status::Reviewed, Status::Approved, Status::Rejected];

    pub fn as_str(self) -> &'static str {
        match self {
            Status::New => "new",
            Status::Draft => "draft",
            Status::Translated => "translated",
            Status::Reviewed => "reviewed",
            Status::Approved => "approved",
            Status::Rejected => "rejected",
        }
    }

    pub fn parse(name: &str) -> Option<Self> {
        Status::ALL.into_iter().find(|status| status.as_str() == name)
    }

    /// Whether a segment in this status counts as done for progress.
    pub fn is_translated(self) -> bool {
        matches!(self, Status::Translated | Status::Reviewed | Status::Approved)
    }
}

/// One stored state of a segment's translation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "bindings", derive(ts_rs::TS))]
pub struct Revision {
    pub id: RevisionId,
    pub segment: SegmentId,
    pub parent: Option<RevisionId>,
    pub text: String,
    pub status: Status,
    pub author: String,
    pub created_at: String,
    /// Where the text came from when not typed: `aligned`, …
    pub origin: Option<String>,
}

/// A request to store a new translation of one segment.
///
/// `base` names the revision the editor started from; if the segment has
/// moved on since (another window or process saved), the store refuses the
/// save instead of silently overwriting that work.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "bindings", derive(ts_rs::TS))]
pub struct TranslationEdit {
    pub segment: SegmentId,
    pub text: String,
    pub status: Status,
    pub base: Option<RevisionId>,
    /// Where the text came from when not typed: `tm:<percent>` for an
    /// inserted memory match, `mt:<provider>` for machine translation.
    #[serde(default)]
    pub origin: Option<String>,
}

/// What a reviewer decides about a segment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "bindings", derive(ts_rs::TS))]
pub enum Decision {
    Reviewed,
    Approved,
    Rejected,
}

impl Decision {
    pub fn status(self) -> Status {
        match self {
            Decision::Reviewed => Status::Reviewed,
            Decision::Approved => Status::Approved,
            Decision::Rejected => Status::Rejected,
        }
    }
}

/// What kind of error a reviewer rejects a translation for: a small set
/// after MQM's top-level dimensions (accuracy, fluency, terminology, style,
/// locale conventions), with numbers on their own because figures are what
/// news translation gets wrong most visibly. Counted per document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "bindings", derive(ts_rs::TS))]
pub enum ErrorCategory {
    Accuracy,
    Fluency,
    Terminology,
    Style,
    Locale,
    Numbers,
}

impl ErrorCategory {
    pub const ALL: [ErrorCategory; 6] = [
        ErrorCategory::Accuracy,
        ErrorCategory::Fluency,
        ErrorCategory::Terminology,
        ErrorCategory::Style,
        ErrorCategory::Locale,
        ErrorCategory::Numbers,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ErrorCategory::Accuracy => "accuracy",
            ErrorCategory::Fluency => "fluency",
            ErrorCategory::Terminology => "terminology",
            ErrorCategory::Style => "style",
            ErrorCategory::Locale => "locale",
            ErrorCategory::Numbers => "numbers",
        }
    }

    pub fn parse(text: &str) -> Option<ErrorCategory> {
        ErrorCategory::ALL.into_iter().find(|c| c.as_str() == text)
    }
}

/// How many rejections of one category a document has had.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "bindings", derive(ts_rs::TS))]
pub struct CategoryCount {
    pub category: ErrorCategory,
    pub count: u32,
}

/// How a bulk review went: segments decided, and segments skipped because
/// they had no translation to decide on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "bindings", derive(ts_rs::TS))]
pub struct BulkOutcome {
    pub changed: u32,
    pub skipped: u32,
}

/// A remark on a segment, in a thread ordered by time.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "bindings", derive(ts_rs::TS))]
pub struct Comment {
    pub id: i64,
    pub segment: SegmentId,
    pub revision: Option<RevisionId>,
    pub author: String,
    pub text: String,
    /// For a rejection, the kind of error the reviewer named.
    pub category: Option<ErrorCategory>,
    pub created_at: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "bindings", derive(ts_rs::TS))]
pub struct VersionId(pub i64);

/// A named snapshot of a document's translation ("Draft 1", "Final").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "bindings", derive(ts_rs::TS))]
pub struct Version {
    pub id: VersionId,
    pub document: DocumentId,
    pub name: String,
    pub author: String,
    pub created_at: String,
    pub segments: u32,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_names_round_trip() {
        for status in Status::ALL {
            assert_eq!(Status::parse(status.as_str()), Some(status));
        }
        assert_eq!(Status::parse("done"), None);
    }
}

/// One row of the side-by-side editor: a source sentence and its current
/// translation (the newest revision), with the passage it belongs to.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "bindings", derive(ts_rs::TS))]
pub struct SegmentRow {
    pub id: SegmentId,
    pub document_id: DocumentId,
    pub passage: u32,
    pub passage_kind: PassageKind,
    pub passage_level: u8,
    pub position: u32,
    pub source: String,
    pub translation: Option<String>,
    pub status: Status,
    pub revision: Option<RevisionId>,
    /// Comments in the segment's thread.
    pub comments: u32,
    /// Where the current translation came from when not typed (`aligned`).
    pub origin: Option<String>,
    /// For a segment paired by the aligner: how sure it was (0–1).
    pub confidence: Option<f32>,
    /// Locked against new translations until unlocked.
    pub locked: bool,
}
