//! Differences between two texts, and between two states of a document,
//! as typed spans the UI renders and reports count.
//!
//! Tokens are words for space-delimited scripts and characters for
//! Chinese, Japanese, Thai and other scripts written without spaces; the
//! target language decides, never a guess from the text. A semantic
//! cleanup folds tiny equal runs between changes into the change, so a
//! rewritten phrase reads as one deletion and one insertion.

use serde::{Deserialize, Serialize};
use similar::{Algorithm, DiffTag};

use crate::document::SegmentId;
use crate::lang::LangTag;
use crate::revision::{RevisionId, Status};
use crate::text::TokenKind;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "bindings", derive(ts_rs::TS))]
pub enum Granularity {
    Word,
    Character,
}

/// Diff algorithms offered. `Auto` is what Verso uses: measured on real
/// revisions (docs/benchmarks.md), Myers and Patience read the same on
/// sentences and Myers is faster, while on long texts Patience anchors on
/// unique words and gives far fewer, more readable changes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DiffAlgorithm {
    Auto,
    Myers,
    Patience,
    Histogram,
}

/// Above this many tokens on both sides together, `Auto` uses Patience.
const LONG_TEXT_TOKENS: usize = 400;

impl DiffAlgorithm {
    fn similar(self, tokens: usize) -> Algorithm {
        match self {
            DiffAlgorithm::Auto if tokens > LONG_TEXT_TOKENS => Algorithm::Patience,
            DiffAlgorithm::Auto | DiffAlgorithm::Myers => Algorithm::Myers,
            DiffAlgorithm::Patience => Algorithm::Patience,
            DiffAlgorithm::Histogram => Algorithm::Histogram,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "bindings", derive(ts_rs::TS))]
pub enum SpanKind {
    Equal,
    Insert,
    Delete,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "bindings", derive(ts_rs::TS))]
pub struct DiffSpan {
    pub kind: SpanKind,
    pub text: String,
}

/// The difference between two texts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "bindings", derive(ts_rs::TS))]
pub struct TextDiff {
    pub spans: Vec<DiffSpan>,
    pub words_inserted: u32,
    pub words_deleted: u32,
    /// Token-level edit distance as a share of the longer text (0–100):
    /// how much a reviewer changed.
    pub edit_percent: f32,
}

impl TextDiff {
    pub fn is_changed(&self) -> bool {
        self.spans.iter().any(|span| span.kind != SpanKind::Equal)
    }
}

/// Characters for scripts written without spaces between words.
pub fn granularity_for(lang: &LangTag) -> Granularity {
    if lang.facts().words_unspaced { Granularity::Character } else { Granularity::Word }
}

/// Splits text into tokens whose concatenation is the text. In word mode
/// these are the shared tokenizer's tokens (`text::tokens`: words, whole
/// figures, codes, single punctuation marks) with hyphenated compounds
/// joined, so "well-known" → "little-known" is one replacement, and the runs
/// of white space between them; in character mode every non-space
/// character is a token.
fn tokens(text: &str, granularity: Granularity) -> Vec<&str> {
    let mut out = Vec::new();
    fn push_space<'t>(out: &mut Vec<&'t str>, text: &'t str, from: usize, to: usize) {
        if from < to {
            out.push(&text[from..to]);
        }
    }
    match granularity {
        Granularity::Word => {
            let found = crate::text::tokens(text);
            let mut at = 0;
            let mut i = 0;
            while i < found.len() {
                let start = found[i].byte;
                let mut end = found[i].bytes().end;
                let mut j = i + 1;
                // word '-' word, with nothing between them
                while found[j - 1].kind == TokenKind::Word
                    && found.get(j).is_some_and(|t| t.text == "-" && t.byte == end)
                    && found.get(j + 1).is_some_and(|t| t.kind == TokenKind::Word && t.byte == end + 1)
                {
                    end = found[j + 1].bytes().end;
                    j += 2;
                }
                push_space(&mut out, text, at, start);
                out.push(&text[start..end]);
                at = end;
                i = j;
            }
            push_space(&mut out, text, at, text.len());
        }
        Granularity::Character => {
            let mut space_from = None;
            for (at, c) in text.char_indices() {
                if c.is_whitespace() {
                    space_from.get_or_insert(at);
                    continue;
                }
                if let Some(from) = space_from.take() {
                    push_space(&mut out, text, from, at);
                }
                out.push(&text[at..at + c.len_utf8()]);
            }
            if let Some(from) = space_from {
                push_space(&mut out, text, from, text.len());
            }
        }
    }
    out
}

fn is_word(token: &str) -> bool {
    token.chars().any(|c| !c.is_whitespace())
}

/// Diffs two texts.
pub fn diff_text(old: &str, new: &str, granularity: Granularity, algorithm: DiffAlgorithm) -> TextDiff {
    if old == new {
        let spans =
            if old.is_empty() { Vec::new() } else { vec![DiffSpan { kind: SpanKind::Equal, text: old.into() }] };
        return TextDiff { spans, words_inserted: 0, words_deleted: 0, edit_percent: 0.0 };
    }
    let old_tokens = tokens(old, granularity);
    let new_tokens = tokens(new, granularity);
    let ops =
        similar::capture_diff_slices(algorithm.similar(old_tokens.len() + new_tokens.len()), &old_tokens, &new_tokens);
    // Raw runs: (kind, tokens).
    let mut runs: Vec<(SpanKind, Vec<&str>)> = Vec::new();
    for op in ops {
        let (tag, old_range, new_range) = op.as_tag_tuple();
        match tag {
            DiffTag::Equal => runs.push((SpanKind::Equal, old_tokens[old_range].to_vec())),
            DiffTag::Delete => runs.push((SpanKind::Delete, old_tokens[old_range].to_vec())),
            DiffTag::Insert => runs.push((SpanKind::Insert, new_tokens[new_range].to_vec())),
            DiffTag::Replace => {
                runs.push((SpanKind::Delete, old_tokens[old_range].to_vec()));
                runs.push((SpanKind::Insert, new_tokens[new_range].to_vec()));
            }
        }
    }
    // Semantic cleanup: an equal run that is only spaces or one short token,
    // between two changes, joins the change on both sides.
    let is_small = |tokens: &[&str]| {
        let words = tokens.iter().filter(|t| is_word(t)).count();
        words == 0 || (words == 1 && tokens.iter().map(|t| t.chars().count()).sum::<usize>() <= 2)
    };
    let mut hunks: Vec<(SpanKind, String, String)> = Vec::new(); // (Equal|change, deleted/equal, inserted)
    let mut index = 0;
    while index < runs.len() {
        let (kind, ref toks) = runs[index];
        if kind == SpanKind::Equal {
            let between_changes = index > 0 && index + 1 < runs.len();
            let merge = between_changes && is_small(toks) && hunks.last().is_some_and(|h| h.0 != SpanKind::Equal);
            let text = toks.concat();
            if merge {
                if let Some(last) = hunks.last_mut() {
                    last.1.push_str(&text);
                    last.2.push_str(&text);
                }
            } else {
                hunks.push((SpanKind::Equal, text, String::new()));
            }
        } else {
            if hunks.last().is_none_or(|h| h.0 == SpanKind::Equal) {
                hunks.push((SpanKind::Delete, String::new(), String::new()));
            }
            if let Some(last) = hunks.last_mut() {
                let target = if kind == SpanKind::Delete { &mut last.1 } else { &mut last.2 };
                target.push_str(&toks.concat());
            }
        }
        index += 1;
    }
    let count = |text: &str| tokens(text, granularity).into_iter().filter(|t| is_word(t)).count() as u32;
    let mut spans = Vec::new();
    let (mut inserted, mut deleted, mut distance) = (0u32, 0u32, 0u32);
    for (kind, removed, added) in hunks {
        if kind == SpanKind::Equal {
            spans.push(DiffSpan { kind, text: removed });
            continue;
        }
        let (d, i) = (count(&removed), count(&added));
        deleted += d;
        inserted += i;
        distance += d.max(i);
        if !removed.is_empty() {
            spans.push(DiffSpan { kind: SpanKind::Delete, text: removed });
        }
        if !added.is_empty() {
            spans.push(DiffSpan { kind: SpanKind::Insert, text: added });
        }
    }
    let longest = count(old).max(count(new)).max(1);
    TextDiff {
        spans,
        words_inserted: inserted,
        words_deleted: deleted,
        edit_percent: (100.0 * distance as f32 / longest as f32).min(100.0),
    }
}

/// One segment's state in a document snapshot (a version, or now).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SegmentState {
    pub segment: SegmentId,
    pub position: u32,
    pub source: String,
    pub text: Option<String>,
    pub status: Status,
    pub revision: Option<RevisionId>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "bindings", derive(ts_rs::TS))]
pub struct SegmentChange {
    pub segment: SegmentId,
    pub position: u32,
    pub source: String,
    pub old_text: Option<String>,
    pub new_text: Option<String>,
    pub old_status: Status,
    pub new_status: Status,
    pub diff: TextDiff,
    pub is_changed: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "bindings", derive(ts_rs::TS))]
pub struct DiffStats {
    pub segments: u32,
    pub segments_changed: u32,
    pub words_inserted: u32,
    pub words_deleted: u32,
    /// Mean edit percentage over the changed segments.
    pub mean_edit_percent: f32,
}

/// Two states of one document compared segment by segment.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "bindings", derive(ts_rs::TS))]
pub struct DocumentDiff {
    pub from: String,
    pub to: String,
    pub granularity: Granularity,
    pub segments: Vec<SegmentChange>,
    pub stats: DiffStats,
}

/// Compares two snapshots of a document. Segments are matched by id; the
/// order and sources are those of `new`, and segments only in `old`
/// (joined away since) are left out.
pub fn diff_documents(
    from: &str,
    old: &[SegmentState],
    to: &str,
    new: &[SegmentState],
    granularity: Granularity,
    algorithm: DiffAlgorithm,
) -> DocumentDiff {
    let before: std::collections::HashMap<SegmentId, &SegmentState> = old.iter().map(|s| (s.segment, s)).collect();
    let mut stats = DiffStats::default();
    let mut edit_total = 0.0f32;
    let segments = new
        .iter()
        .map(|now| {
            let then = before.get(&now.segment);
            let old_text = then.and_then(|s| s.text.clone());
            let old_status = then.map_or(Status::New, |s| s.status);
            let diff =
                diff_text(old_text.as_deref().unwrap_or(""), now.text.as_deref().unwrap_or(""), granularity, algorithm);
            let is_changed = diff.is_changed() || old_status != now.status;
            stats.segments += 1;
            if is_changed {
                stats.segments_changed += 1;
                stats.words_inserted += diff.words_inserted;
                stats.words_deleted += diff.words_deleted;
                edit_total += diff.edit_percent;
            }
            SegmentChange {
                segment: now.segment,
                position: now.position,
                source: now.source.clone(),
                old_text,
                new_text: now.text.clone(),
                old_status,
                new_status: now.status,
                diff,
                is_changed,
            }
        })
        .collect();
    stats.mean_edit_percent = if stats.segments_changed > 0 { edit_total / stats.segments_changed as f32 } else { 0.0 };
    DocumentDiff { from: from.into(), to: to.into(), granularity, segments, stats }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Renders spans as `[-deleted-]{+inserted+}` for compact expectations.
    fn render(old: &str, new: &str, granularity: Granularity) -> String {
        diff_text(old, new, granularity, DiffAlgorithm::Patience)
            .spans
            .into_iter()
            .map(|span| match span.kind {
                SpanKind::Equal => span.text,
                SpanKind::Delete => format!("[-{}-]", span.text),
                SpanKind::Insert => format!("{{+{}+}}", span.text),
            })
            .collect()
    }

    #[test]
    fn english_and_spanish_diffs_are_whole_words() {
        assert_eq!(
            render("The plan costs $1.2 billion.", "The plan will cost $1.5 billion.", Granularity::Word),
            "The plan [-costs $1.2-]{+will cost $1.5+} billion."
        );
        assert_eq!(
            render(
                "Las plantas abastecerán a 450.000 hogares.",
                "Las plantas darán agua a 450.000 hogares.",
                Granularity::Word
            ),
            "Las plantas [-abastecerán-]{+darán agua+} a 450.000 hogares."
        );
    }

    #[test]
    fn a_rewritten_phrase_reads_as_one_change_not_interleaved_words() {
        assert_eq!(
            render("he said that it was fine", "she claimed this was fine", Granularity::Word),
            "[-he said that it-]{+she claimed this+} was fine"
        );
    }

    #[test]
    fn chinese_and_japanese_diff_by_character() {
        assert_eq!(
            render("我们明天去北京。", "我们后天去上海。", Granularity::Character),
            "我们[-明-]{+后+}天去[-北京-]{+上海+}。"
        );
        assert_eq!(
            render("会議は午後に始まった。", "会議は朝に始まった。", Granularity::Character),
            "会議は[-午後-]{+朝+}に始まった。"
        );
        assert_eq!(granularity_for(&"zh-Hant".parse().expect("tag")), Granularity::Character);
        assert_eq!(granularity_for(&"es".parse().expect("tag")), Granularity::Word);
    }

    #[test]
    fn counts_words_and_edit_share() {
        let diff = diff_text("one two three four", "one 2 three four five", Granularity::Word, DiffAlgorithm::Patience);
        assert_eq!((diff.words_deleted, diff.words_inserted), (1, 2));
        assert!((diff.edit_percent - 40.0).abs() < 0.01, "{}", diff.edit_percent);
        let same = diff_text("same", "same", Granularity::Word, DiffAlgorithm::Myers);
        assert!(!same.is_changed() && same.edit_percent == 0.0);
    }

    proptest::proptest! {
        /// Applying a diff to its old side gives its new side.
        #[test]
        fn spans_rebuild_both_sides(old in "[a-z ,.]{0,40}", new in "[a-z ,.]{0,40}") {
            for granularity in [Granularity::Word, Granularity::Character] {
                let diff = diff_text(&old, &new, granularity, DiffAlgorithm::Patience);
                let side = |skip: SpanKind| diff.spans.iter().filter(|s| s.kind != skip).map(|s| s.text.as_str()).collect::<String>();
                proptest::prop_assert_eq!(side(SpanKind::Insert), old.clone());
                proptest::prop_assert_eq!(side(SpanKind::Delete), new.clone());
            }
        }
    }
}
