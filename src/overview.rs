//! The project at a glance, as figures a project manager or an editor
//! decides from: how far each document is, what reviewers did day by day
//! and who did how much, which checks and flags are still open. The
//! session gathers them; the app draws them and the report exports them.

use serde::{Deserialize, Serialize};

use crate::analysis::measure;
use crate::document::DocumentId;
use crate::qa::QaCheck;
use crate::revision::{CategoryCount, Status};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "bindings", derive(ts_rs::TS))]
pub struct StatusCount {
    pub status: Status,
    pub count: u32,
}

/// A translation's segments by current status, every status listed, and
/// how many are in conflict in a team project.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "bindings", derive(ts_rs::TS))]
pub struct DocumentProgress {
    pub document: DocumentId,
    pub title: String,
    pub segments: u32,
    pub statuses: Vec<StatusCount>,
    pub conflicts: u32,
}

/// Review decisions of one day (UTC), in translations.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "bindings", derive(ts_rs::TS))]
pub struct DayActivity {
    /// `YYYY-MM-DD`.
    pub date: String,
    pub reviewed: u32,
    pub approved: u32,
    pub rejected: u32,
}

/// What one person did on one day, in source words: segments they brought
/// to *translated*, and segments they reviewed, approved or rejected.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "bindings", derive(ts_rs::TS))]
pub struct PersonDay {
    pub author: String,
    pub date: String,
    pub translated_words: u32,
    pub reviewed_words: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "bindings", derive(ts_rs::TS))]
pub struct CheckCount {
    pub check: QaCheck,
    pub count: u32,
}

/// A summary's coverage and open flags.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "bindings", derive(ts_rs::TS))]
pub struct SummaryProgress {
    pub summary: DocumentId,
    pub title: String,
    pub claims: u32,
    pub supported: u32,
    pub passages: u32,
    pub cited: u32,
    pub open_flags: u32,
    pub approved: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "bindings", derive(ts_rs::TS))]
pub struct Overview {
    pub project: String,
    pub documents: Vec<DocumentProgress>,
    pub activity: Vec<DayActivity>,
    pub people: Vec<PersonDay>,
    /// Open QA warnings of every translation while translating, by check.
    pub qa: Vec<CheckCount>,
    /// Rejections in every translation, by error category.
    pub rejections: Vec<CategoryCount>,
    pub summaries: Vec<SummaryProgress>,
}

/// One revision as the per-person figures read it.
#[derive(Debug, Clone)]
pub struct RevisionFact {
    pub author: String,
    /// When it was made (ISO 8601); its first ten characters are the day.
    pub at: String,
    pub status: Status,
    /// The status of the revision it followed, if any.
    pub parent: Option<Status>,
    pub source: String,
}

/// Per person and day, in source words: a revision that brings a segment
/// to *translated* from anything less counts as translating it (saving it
/// again does not), a review decision as reviewing it.
pub fn people(revisions: &[RevisionFact]) -> Vec<PersonDay> {
    let mut days: std::collections::BTreeMap<(String, String), (u32, u32)> = Default::default();
    for revision in revisions {
        let words = measure(&revision.source).0;
        let day = revision.at.get(..10).unwrap_or(&revision.at).to_string();
        let entry = days.entry((revision.author.clone(), day)).or_default();
        match revision.status {
            Status::Translated if !revision.parent.is_some_and(Status::is_translated) => entry.0 += words,
            Status::Reviewed | Status::Approved | Status::Rejected => entry.1 += words,
            _ => {}
        }
    }
    days.into_iter()
        .filter(|(_, (translated, reviewed))| translated + reviewed > 0)
        .map(|((author, date), (translated_words, reviewed_words))| PersonDay {
            author,
            date,
            translated_words,
            reviewed_words,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fact(author: &str, at: &str, status: Status, parent: Option<Status>) -> RevisionFact {
        RevisionFact { author: author.into(), at: at.into(), status, parent, source: "Prices rose 3% in May.".into() }
    }

    #[test]
    fn a_segment_counts_once_as_translated_and_each_decision_as_reviewed() {
        let facts = [
            fact("ana", "2026-12-01T09:00:00Z", Status::Draft, None),
            fact("ana", "2026-12-01T09:01:00Z", Status::Translated, Some(Status::Draft)),
            fact("ana", "2026-12-01T09:02:00Z", Status::Translated, Some(Status::Translated)),
            fact("eve", "2026-12-02T10:00:00Z", Status::Rejected, Some(Status::Translated)),
            fact("eve", "2026-12-02T11:00:00Z", Status::Approved, Some(Status::Translated)),
        ];
        let days = people(&facts);
        assert_eq!(days.len(), 2);
        assert_eq!(
            (days[0].author.as_str(), days[0].date.as_str(), days[0].translated_words),
            ("ana", "2026-12-01", 5)
        );
        assert_eq!((days[1].author.as_str(), days[1].reviewed_words, days[1].translated_words), ("eve", 10, 0));
    }
}
