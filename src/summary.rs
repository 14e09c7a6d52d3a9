//! Summaries traced to their sources: the plain data. A summary is a
//! document whose sections are passages and whose sentences are segments,
//! so it shares the revisions, statuses, versions and diffs of
//! translations. This module holds what is particular to summaries (sentence
//! kinds, people's link decisions, the view with links, flags and coverage,
//! approvals) and how text is outlined into sections; linking, checking and
//! approving a stored summary are use cases in `session/summary.rs`.

use serde::{Deserialize, Serialize};

use crate::document::{DocumentId, SegmentId};
use crate::lang::LangTag;
use crate::provenance::Flag;
use crate::revision::{RevisionId, Status};
use crate::text::Span;

/// The sections a new summary starts with: the structure of a translated
/// news summary article. Writers may rename, add or leave any empty.
pub const DEFAULT_SECTIONS: [&str; 7] = [
    "News Summary",
    "Background and Context",
    "Expert Analysis",
    "Key points",
    "Additional Data",
    "Related News",
    "Summary",
];

/// Whether a sentence must be supported by a source or is the writer's own.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "bindings", derive(ts_rs::TS))]
pub enum SentenceKind {
    Claim,
    Commentary,
}

impl SentenceKind {
    pub fn as_str(self) -> &'static str {
        match self {
            SentenceKind::Claim => "claim",
            SentenceKind::Commentary => "commentary",
        }
    }

    pub fn parse(name: &str) -> Option<Self> {
        match name {
            "claim" => Some(SentenceKind::Claim),
            "commentary" => Some(SentenceKind::Commentary),
            _ => None,
        }
    }
}

/// A person's decision on one link; `Cleared` withdraws an earlier one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "bindings", derive(ts_rs::TS))]
pub enum LinkDecision {
    Confirmed,
    Rejected,
    Cleared,
}

impl LinkDecision {
    pub fn as_str(self) -> &'static str {
        match self {
            LinkDecision::Confirmed => "confirmed",
            LinkDecision::Rejected => "rejected",
            LinkDecision::Cleared => "cleared",
        }
    }

    pub fn parse(name: &str) -> Option<Self> {
        match name {
            "confirmed" => Some(LinkDecision::Confirmed),
            "rejected" => Some(LinkDecision::Rejected),
            "cleared" => Some(LinkDecision::Cleared),
            _ => None,
        }
    }
}

/// Where commentary facts come from when not from the sources.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "bindings", derive(ts_rs::TS))]
pub struct Reference {
    pub title: String,
    pub url: Option<String>,
}

/// A summary about to be created.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewSummary {
    pub title: String,
    pub lang: LangTag,
    pub sources: Vec<DocumentId>,
    pub sections: Vec<String>,
    pub references: Vec<Reference>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "bindings", derive(ts_rs::TS))]
pub struct Section {
    /// The section's place in the summary; sentences name it.
    pub position: u32,
    pub title: String,
}

/// The newest decision on one (sentence, source passage) pair.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredDecision {
    pub sentence: SegmentId,
    pub source: SegmentId,
    pub decision: LinkDecision,
    /// The sentence as it read when the decision was made.
    pub sentence_text: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "bindings", derive(ts_rs::TS))]
pub struct Approval {
    pub author: String,
    pub created_at: String,
    /// Claim sentences still flagged when it was approved.
    pub open_flags: u32,
    pub override_reason: Option<String>,
}

/// How a link came about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "bindings", derive(ts_rs::TS))]
pub enum LinkOrigin {
    /// Found by the linker.
    Found,
    /// Confirmed or added by a person.
    Confirmed,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "bindings", derive(ts_rs::TS))]
pub struct LinkView {
    pub document: DocumentId,
    pub segment: SegmentId,
    pub support: f32,
    /// Matched words in the sentence.
    pub sentence_spans: Vec<Span>,
    /// Matched words in the passage, or in its translation when `in_translation`.
    pub passage_spans: Vec<Span>,
    pub in_translation: bool,
    pub origin: LinkOrigin,
    /// Confirmed for a sentence that has changed substantially since.
    pub stale: bool,
    /// How the link was found (a person's decision first).
    pub reasons: Vec<crate::provenance::LinkReason>,
    /// The machine translation the `passage_spans` are in, when the link
    /// went through one (the passage has no translation to show them in).
    pub machine_translation: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "bindings", derive(ts_rs::TS))]
pub struct SentenceView {
    pub id: SegmentId,
    pub revision: Option<RevisionId>,
    pub text: String,
    pub status: Status,
    pub kind: SentenceKind,
    pub support: f32,
    pub links: Vec<LinkView>,
    pub flags: Vec<Flag>,
    /// Source passages a person rejected for this sentence.
    pub rejected: Vec<SegmentId>,
    /// Whether its flags keep the summary from being approved.
    pub blocking: bool,
    /// The claim check's verdict on it with its current evidence, if asked.
    pub verdict: Option<ModelVerdict>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "bindings", derive(ts_rs::TS))]
pub struct SectionView {
    pub position: u32,
    pub title: String,
    pub sentences: Vec<SentenceView>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "bindings", derive(ts_rs::TS))]
pub struct Coverage {
    pub claims: u32,
    /// Claims not flagged `unsupported`.
    pub supported: u32,
    pub passages: u32,
    /// Source passages at least one sentence links to.
    pub cited: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "bindings", derive(ts_rs::TS))]
pub struct SourceDocument {
    pub id: DocumentId,
    pub title: String,
}

/// Everything the summary screen and `verso summary check` show.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "bindings", derive(ts_rs::TS))]
pub struct SummaryView {
    pub id: DocumentId,
    pub title: String,
    pub lang: String,
    pub sources: Vec<SourceDocument>,
    pub references: Vec<Reference>,
    pub sections: Vec<SectionView>,
    pub coverage: Coverage,
    /// Claim sentences with unresolved flags.
    pub blocking: u32,
    /// Every sentence approved.
    pub approved: bool,
    pub approval: Option<Approval>,
    /// The machine-translation profile untranslated passages are linked
    /// through, when the user switched that on.
    pub link_mt: Option<String>,
    /// Which links an exported article cites, in words.
    pub citation_rule: String,
    /// The profile whose model checks claims, when switched on.
    pub judge: Option<String>,
}

/// An article cites the passages people confirmed, and links found
/// automatically only from this support on (the share of the claim's
/// content the passage covers), marked as automatic. Chosen on SuperPAL's
/// dev split, reported on its test split (`docs/benchmarks.md`).
pub const CITE_AUTOMATIC_FROM: f32 = 0.5;

/// The model that checks claims: a profile (OpenAI-compatible), its model
/// and the version of the prompt it is asked with; verdicts are kept under
/// all three.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClaimChecker {
    pub profile: String,
    pub model: String,
    pub prompt_version: u32,
}

/// What the user's model said of a claim with its evidence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "bindings", derive(ts_rs::TS))]
pub struct ModelVerdict {
    pub model: String,
    pub supported: bool,
}

/// Which machine translations a summary is linked through: a profile, its
/// model (empty for services that have none) and the language translated
/// into. Translations are kept per passage under all three.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MachineLink {
    pub profile: String,
    pub model: String,
    pub target_lang: LangTag,
}

/// A summary written as text: `#` headings name sections, other lines are
/// sentences (list markers dropped), split as the summary's language needs.
/// Returns (section title, sentences) in order; text before any heading
/// belongs to the first default section.
pub fn outline(text: &str, lang: &LangTag) -> Vec<(String, Vec<String>)> {
    let mut sections: Vec<(String, Vec<String>)> = vec![(DEFAULT_SECTIONS[0].to_string(), Vec::new())];
    let mut block = String::new();
    let flush = |block: &mut String, sections: &mut Vec<(String, Vec<String>)>| {
        let sentences: Vec<String> = crate::segment::split_text(block, lang)
            .map(|s| s.split_whitespace().collect::<Vec<_>>().join(" "))
            .collect();
        if let Some((_, current)) = sections.last_mut() {
            current.extend(sentences);
        }
        block.clear();
    };
    for line in text.lines() {
        let trimmed = line.trim();
        if let Some(heading) = trimmed.strip_prefix('#') {
            flush(&mut block, &mut sections);
            let title = heading.trim_start_matches('#').trim().to_string();
            if sections.len() == 1 && sections[0].1.is_empty() {
                sections[0].0 = title;
            } else {
                sections.push((title, Vec::new()));
            }
            continue;
        }
        let item = trimmed.strip_prefix("- ").or_else(|| trimmed.strip_prefix("* "));
        if item.is_some() || trimmed.is_empty() {
            flush(&mut block, &mut sections);
        }
        block.push_str(item.unwrap_or(trimmed));
        block.push('\n');
    }
    flush(&mut block, &mut sections);
    sections.retain(|(_, sentences)| !sentences.is_empty());
    sections
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_outline_follows_headings_and_bullets() {
        let text = "Plants will be built. They cost $1.2 billion.\n\n## Key points\n- Three plants.\n- By 2028.\n\n# Views\nGood.";
        let parts = outline(text, &"en".parse().expect("tag"));
        let titles: Vec<&str> = parts.iter().map(|(t, _)| t.as_str()).collect();
        assert_eq!(titles, ["News Summary", "Key points", "Views"]);
        assert_eq!(parts[0].1, ["Plants will be built.", "They cost $1.2 billion."]);
        assert_eq!(parts[1].1, ["Three plants.", "By 2028."]);
    }
}
