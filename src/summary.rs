//! Summaries traced to their sources. A summary is a document whose
//! sections are passages and whose sentences are segments, so it shares the
//! revisions, statuses, versions and diffs of translations. This module adds
//! what is particular to summaries: which source passages support each
//! sentence (from `provenance`, corrected by people's decisions), coverage,
//! and the rule that a summary with unresolved flags is not approved without
//! a recorded reason.

use std::collections::{HashMap, HashSet};
use std::ops::Range;

use serde::{Deserialize, Serialize};

use crate::align;
use crate::document::{DocumentId, SegmentId};
use crate::glossary::Lexicon;
use crate::lang::LangTag;
use crate::provenance::{Flag, FlagKind, Linker, SourceSegment};
use crate::revision::{RevisionId, Status};
use crate::store::{Project, StoreError};
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

/// Below this share of words in common with the text it had when a link was
/// confirmed, a sentence has changed enough that the confirmation is stale.
const STALE_BELOW: f32 = 0.8;

#[derive(Debug, thiserror::Error)]
pub enum SummaryError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(
        "the summary cannot be approved: {open} claim sentence(s) have unresolved flags, first \"{first}\" ({flag}); \
         fix them, mark them as commentary, or approve with a reason for overriding"
    )]
    Blocked { open: u32, first: String, flag: String },
    #[error("the summary has no sentences to approve")]
    Empty,
    #[error("segment {0} is not one of this summary's source passages")]
    NotASourcePassage(i64),
}

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
}

/// The source passages of a summary, indexed once for linking. Rebuilt
/// only when the sources change (see [`SourceIndex::is_current`]).
pub struct SourceIndex {
    summary: DocumentId,
    /// The summary's source documents (fixed when it is created).
    documents: Vec<DocumentId>,
    stamp: (i64, i64, i64),
    /// Of the glossary and memory the lexicon was built from.
    dictionary: (i64, i64),
    linker: Linker,
    passages: Vec<(DocumentId, SegmentId)>,
    by_id: HashMap<SegmentId, usize>,
}

impl SourceIndex {
    pub fn build(project: &Project, summary: DocumentId) -> Result<SourceIndex, SummaryError> {
        let documents = project.summary_sources(summary)?;
        let stamp = project.segments_stamp(&documents)?;
        let dictionary = project.dictionary_stamp()?;
        let mut sources = Vec::new();
        let mut passages = Vec::new();
        let mut languages = None;
        for &document in &documents {
            languages.get_or_insert(project.languages(document)?);
            for row in project.segments(document)? {
                passages.push((document, row.id));
                let translation = row.translation.filter(|t| !t.trim().is_empty());
                sources.push(SourceSegment { text: row.source, translation });
            }
        }
        let (source_lang, target_lang) = match languages {
            Some((source, target)) => (source, Some(target)),
            None => (project.languages(summary)?.0, None),
        };
        let by_id = passages.iter().enumerate().map(|(i, (_, id))| (*id, i)).collect();
        let lexicon = match &target_lang {
            Some(target) => lexicon(project, &source_lang, target)?,
            None => None,
        };
        let linker = Linker::with_lexicon(sources, source_lang, target_lang, lexicon);
        Ok(SourceIndex { summary, documents, stamp, dictionary, linker, passages, by_id })
    }

    /// Whether no source passage was added, joined or retranslated, and
    /// no glossary term or memory unit added or removed, since this index
    /// was built.
    pub fn is_current(&self, project: &Project, summary: DocumentId) -> Result<bool, SummaryError> {
        Ok(self.summary == summary
            && project.segments_stamp(&self.documents)? == self.stamp
            && project.dictionary_stamp()? == self.dictionary)
    }

    pub fn linker(&self) -> &Linker {
        &self.linker
    }
}

/// How many memory pairs word pairs are learned from: enough for the
/// words that recur, and quick to count (about 50 ms).
const LEXICON_MEMORY_PAIRS: usize = 2_000;

/// The glossary of the sources' language pair and word pairs learned from
/// its translation memory: how a summary sentence finds a source segment
/// nobody has translated yet.
fn lexicon(project: &Project, source: &LangTag, target: &LangTag) -> Result<Option<Lexicon>, SummaryError> {
    let terms = project.glossary(source, target)?;
    let memory = project.translation_pairs(source, target, LEXICON_MEMORY_PAIRS)?;
    let lexicon = Lexicon::from_terms(&terms, align::word_pairs(&memory), source, target);
    Ok((!lexicon.is_empty()).then_some(lexicon))
}

/// Byte ranges in `text` as character offsets.
fn char_spans(text: &str, ranges: &[Range<usize>]) -> Vec<Span> {
    let offset = |byte: usize| text.get(..byte).map_or(0, |prefix| prefix.chars().count()) as u32;
    ranges.iter().map(|r| Span { start: offset(r.start), end: offset(r.end) }).collect()
}

/// Share of words two texts have in common, in order.
fn similarity(a: &str, b: &str) -> f32 {
    similar::TextDiff::from_words(a, b).ratio()
}

/// Links and flags for every sentence of a summary, with coverage.
pub fn view(project: &Project, summary: DocumentId, index: &SourceIndex) -> Result<SummaryView, SummaryError> {
    let document = project.summary_document(summary)?;
    let lang = project.languages(summary)?.0;
    let kinds = project.sentence_kinds(summary)?;
    let mut decisions: HashMap<SegmentId, Vec<StoredDecision>> = HashMap::new();
    for decision in project.link_decisions(summary)? {
        decisions.entry(decision.sentence).or_default().push(decision);
    }
    let mut sections: Vec<SectionView> = project
        .summary_sections(summary)?
        .into_iter()
        .map(|s| SectionView { position: s.position, title: s.title, sentences: Vec::new() })
        .collect();
    let mut cited = HashSet::new();
    let mut coverage = Coverage { claims: 0, supported: 0, passages: index.passages.len() as u32, cited: 0 };
    let mut blocking = 0;
    let mut all_approved = true;
    let mut any = false;
    for row in project.segments(summary)? {
        let text = row.translation.clone().unwrap_or_default();
        let kind = kinds.get(&row.id).copied().unwrap_or(SentenceKind::Claim);
        let sentence = sentence_view(index, &lang, row.id, row.revision, text, row.status, kind, &decisions);
        if !sentence.text.trim().is_empty() {
            any = true;
            all_approved &= sentence.status == Status::Approved;
            if kind == SentenceKind::Claim {
                coverage.claims += 1;
                if !sentence.flags.iter().any(|f| f.kind == FlagKind::Unsupported) {
                    coverage.supported += 1;
                }
            }
            cited.extend(sentence.links.iter().map(|l| l.segment));
            blocking += u32::from(sentence.blocking);
        }
        if let Some(section) = sections.iter_mut().find(|s| s.position == row.passage) {
            section.sentences.push(sentence);
        }
    }
    coverage.cited = cited.len() as u32;
    Ok(SummaryView {
        id: summary,
        title: document.title,
        lang: lang.as_str().to_string(),
        sources: index
            .documents
            .iter()
            .map(|&id| Ok(SourceDocument { id, title: project.document(id)?.title }))
            .collect::<Result<_, StoreError>>()?,
        references: project.summary_references(summary)?,
        sections,
        coverage,
        blocking,
        approved: any && all_approved,
        approval: project.summary_approval(summary)?,
    })
}

#[allow(clippy::too_many_arguments)]
fn sentence_view(
    index: &SourceIndex,
    lang: &LangTag,
    id: SegmentId,
    revision: Option<RevisionId>,
    text: String,
    status: Status,
    kind: SentenceKind,
    decisions: &HashMap<SegmentId, Vec<StoredDecision>>,
) -> SentenceView {
    let mine = decisions.get(&id).map_or(&[][..], Vec::as_slice);
    let decided = |wanted: LinkDecision| -> Vec<(usize, &StoredDecision)> {
        mine.iter()
            .filter(|d| d.decision == wanted)
            .filter_map(|d| index.by_id.get(&d.source).map(|&i| (i, d)))
            .collect()
    };
    let confirmed = decided(LinkDecision::Confirmed);
    let rejected: Vec<usize> = decided(LinkDecision::Rejected).into_iter().map(|(i, _)| i).collect();
    let mut view = SentenceView {
        id,
        revision,
        text,
        status,
        kind,
        support: 0.0,
        links: Vec::new(),
        flags: Vec::new(),
        rejected: rejected.iter().map(|&i| index.passages[i].1).collect(),
        blocking: false,
    };
    if view.text.trim().is_empty() {
        return view;
    }
    let confirmed_indices: Vec<usize> = confirmed.iter().map(|(i, _)| *i).collect();
    let check = index.linker.check_decided(&view.text, lang, &confirmed_indices, &rejected);
    let mut human_support = false;
    for link in &check.links {
        let (document, segment) = index.passages[link.segment];
        let decision = confirmed.iter().find(|(i, _)| *i == link.segment).map(|(_, d)| d);
        let stale = decision.is_some_and(|d| similarity(&d.sentence_text, &view.text) < STALE_BELOW);
        human_support |= decision.is_some() && !stale;
        let source = &index.linker.sources()[link.segment];
        let passage_text = if link.in_translation { source.translation.as_deref().unwrap_or("") } else { &source.text };
        view.links.push(LinkView {
            document,
            segment,
            support: link.support,
            sentence_spans: char_spans(&view.text, &link.sentence_spans),
            passage_spans: char_spans(passage_text, &link.segment_spans),
            in_translation: link.in_translation,
            origin: if decision.is_some() { LinkOrigin::Confirmed } else { LinkOrigin::Found },
            stale,
        });
    }
    view.support = check.support;
    view.flags = check
        .flags
        .into_iter()
        .filter(|f| f.kind != FlagKind::Unsupported || (kind == SentenceKind::Claim && !human_support))
        .collect();
    view.blocking = kind == SentenceKind::Claim && !view.flags.is_empty();
    view
}

/// Approves every sentence of a summary, refusing while claim sentences
/// carry flags unless `override_reason` says why they may stand.
pub fn approve(
    project: &mut Project,
    summary: DocumentId,
    index: &SourceIndex,
    override_reason: Option<&str>,
    author: &str,
) -> Result<Approval, SummaryError> {
    let current = view(project, summary, index)?;
    let sentences: Vec<&SentenceView> =
        current.sections.iter().flat_map(|s| &s.sentences).filter(|s| !s.text.trim().is_empty()).collect();
    if sentences.is_empty() {
        return Err(SummaryError::Empty);
    }
    let reason = override_reason.map(str::trim).filter(|r| !r.is_empty());
    if current.blocking > 0 && reason.is_none() {
        let first = sentences.iter().find(|s| s.blocking).expect("a blocking sentence");
        return Err(SummaryError::Blocked {
            open: current.blocking,
            first: first.text.clone(),
            flag: first.flags.iter().map(|f| f.detail.as_str()).collect::<Vec<_>>().join("; "),
        });
    }
    let ids: Vec<SegmentId> = sentences.iter().map(|s| s.id).collect();
    Ok(project.approve_summary(summary, &ids, current.blocking, reason, author)?)
}

/// Records a person's decision on a link, after checking that the passage
/// is one of the summary's sources.
pub fn decide(
    project: &mut Project,
    index: &SourceIndex,
    sentence: SegmentId,
    source: SegmentId,
    decision: LinkDecision,
    author: &str,
) -> Result<(), SummaryError> {
    if !index.by_id.contains_key(&source) {
        return Err(SummaryError::NotASourcePassage(source.0));
    }
    let text = project.segment(sentence)?.translation.unwrap_or_default();
    project.decide_link(sentence, source, decision, &text, author)?;
    Ok(())
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

/// Creates a summary of `sources` from text (see [`outline`]): the default
/// sections, plus any other heading the text uses, all sentences claims.
pub fn create_from_text(
    project: &mut Project,
    title: &str,
    lang: LangTag,
    sources: Vec<DocumentId>,
    text: &str,
    author: &str,
) -> Result<DocumentId, SummaryError> {
    let parts = outline(text, &lang);
    let mut sections: Vec<String> = DEFAULT_SECTIONS.iter().map(|s| s.to_string()).collect();
    for (heading, _) in &parts {
        if !sections.iter().any(|s| s.eq_ignore_ascii_case(heading)) {
            sections.push(heading.clone());
        }
    }
    let summary = project.create_summary(&NewSummary {
        title: title.to_string(),
        lang,
        sources,
        sections: sections.clone(),
        references: Vec::new(),
    })?;
    for (heading, sentences) in &parts {
        let position = sections.iter().position(|s| s.eq_ignore_ascii_case(heading)).unwrap_or(0) as u32;
        project.add_summary_sentences(summary, position, sentences, SentenceKind::Claim, author)?;
    }
    Ok(summary)
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

    #[test]
    fn spans_count_characters_not_bytes() {
        let text = "Año 2023: 31 %";
        let start = text.find("2023").expect("found");
        let year = start..start + 4;
        assert_eq!(char_spans(text, std::slice::from_ref(&year)), [Span { start: 4, end: 8 }]);
    }

    #[test]
    fn a_small_edit_keeps_a_confirmation_and_a_rewrite_makes_it_stale() {
        let before = "Reservoirs fell to 31% in August after a dry summer.";
        assert!(similarity(before, "Reservoirs fell to 31% in August after a very dry summer.") >= STALE_BELOW);
        assert!(similarity(before, "The minister promised new plants by 2028.") < STALE_BELOW);
    }
}
