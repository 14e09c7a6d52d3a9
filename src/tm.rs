//! Translation memory: what was translated before, found again. This
//! module holds the memory's types, how its words are indexed and how a
//! match is scored; the queries live in `store/memory.rs` and TMX files in
//! `formats::tmx`.
//!
//! Units live in the project file (`tm_units`), indexed by SQLite FTS5
//! (`tm_index`). A fuzzy lookup never scans the memory: it asks the index
//! for units sharing the *rarest* words of the sentence, takes the few
//! dozen sharing most, and scores only those exactly with
//! [`score::percent`]. A unit
//! reaching 70% shares most of the sentence's words, so it shares one of
//! its rare ones; the NTREX test checks that the index finds what a full
//! scan finds.

pub mod score;

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use crate::diff::TextDiff;
use crate::lang::LangTag;

/// The memory every confirmed segment goes into.
pub const PROJECT_MEMORY: MemoryId = MemoryId(1);

/// Matches below this percentage are not shown unless asked for.
pub const DEFAULT_THRESHOLD: u8 = 70;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "bindings", derive(ts_rs::TS))]
pub struct MemoryId(pub i64);

/// A memory and how many units it holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "bindings", derive(ts_rs::TS))]
pub struct Memory {
    pub id: MemoryId,
    pub name: String,
    pub priority: i64,
    pub read_only: bool,
    #[cfg_attr(feature = "bindings", ts(type = "number"))]
    pub units: u64,
}

/// One fuzzy match for a sentence.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "bindings", derive(ts_rs::TS))]
pub struct TmMatch {
    #[cfg_attr(feature = "bindings", ts(type = "number"))]
    pub unit: i64,
    pub memory: MemoryId,
    pub memory_name: String,
    /// 0–100, see [`score`].
    pub percent: u8,
    /// A 100% match whose neighbouring source sentences are the same too.
    pub in_context: bool,
    pub source: String,
    pub target: String,
    pub author: String,
    pub created_at: String,
    /// From the stored source to the sentence being translated: what the
    /// translator must change in the stored target.
    pub source_diff: TextDiff,
}

/// A sentence to look up, with its neighbours for in-context matches.
#[derive(Debug, Clone, Copy)]
pub struct Query<'a> {
    pub source: &'a str,
    pub source_lang: &'a LangTag,
    pub target_lang: &'a LangTag,
    pub before: Option<&'a str>,
    pub after: Option<&'a str>,
}

/// A concordance hit: where the words sit in a unit's source and target.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "bindings", derive(ts_rs::TS))]
pub struct ConcordanceHit {
    #[cfg_attr(feature = "bindings", ts(type = "number"))]
    pub unit: i64,
    pub memory_name: String,
    pub source_lang: String,
    pub target_lang: String,
    pub source: String,
    pub target: String,
    pub source_spans: Vec<crate::text::Span>,
    pub target_spans: Vec<crate::text::Span>,
}

/// Where a concordance search looks: both sides of a unit, or one.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "bindings", derive(ts_rs::TS))]
pub enum SearchIn {
    #[default]
    Both,
    Source,
    Target,
}

/// A stable 64-bit FNV-1a hash of a neighbouring sentence, for context.
pub(crate) fn context_hash(text: Option<&str>) -> Option<i64> {
    text.map(|text| {
        let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
        for byte in text.trim().bytes() {
            hash ^= u64::from(byte);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
        hash as i64
    })
}

/// Text as the word index reads it: each run of Han or kana characters
/// becomes its overlapping character pairs ("経済政策" → "経済 済政 政策"),
/// since Chinese and Japanese leave no spaces between words and a whole
/// run as one word would match almost nothing. A single character stays
/// itself. The store gives the index this text (SQL `verso_index_text`).
pub fn index_text(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.chars().any(crate::text::stands_alone) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() * 2);
    let mut run: Vec<char> = Vec::new();
    let flush = |run: &mut Vec<char>, out: &mut String| {
        match run.len() {
            0 => {}
            1 => out.push(run[0]),
            _ => {
                for (i, pair) in run.windows(2).enumerate() {
                    if i > 0 {
                        out.push(' ');
                    }
                    out.extend(pair);
                }
            }
        }
        run.clear();
    };
    for c in text.chars() {
        if crate::text::stands_alone(c) {
            // A run starts a word of its own ("3月" is "3" and "月").
            if run.is_empty() && out.ends_with(|p: char| p.is_alphanumeric()) {
                out.push(' ');
            }
            run.push(c);
        } else {
            if !run.is_empty() {
                flush(&mut run, &mut out);
                out.push(' ');
            }
            out.push(c);
        }
    }
    flush(&mut run, &mut out);
    std::borrow::Cow::Owned(out)
}

/// Calls `f` with each distinct word of `text` as the index sees it
/// (alphanumeric runs of [`index_text`], lowercased), reusing one buffer:
/// this runs for every unit of an import.
pub(crate) fn for_each_index_word(text: &str, mut f: impl FnMut(&str)) {
    let mut seen: Vec<String> = Vec::new();
    let mut lowered = String::new();
    let text = index_text(text);
    for word in text.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()) {
        lowered.clear();
        lowered.extend(word.chars().flat_map(char::to_lowercase));
        if !seen.contains(&lowered) {
            f(&lowered);
            seen.push(lowered.clone());
        }
    }
}

/// Adds a source's words to the word frequencies (`by` = 1), or takes
/// them away (`by` = -1), allocating only for words not counted before.
pub(crate) fn count_words(counts: &mut HashMap<String, i64>, source: &str, by: i64) {
    for_each_index_word(source, |word| match counts.get_mut(word) {
        Some(count) => *count += by,
        None => {
            counts.insert(word.to_string(), by);
        }
    });
}

/// The words FTS5's `unicode61` tokenizer makes of a sentence, lowercased
/// and without repeats: what the index can be asked for.
pub(crate) fn index_words(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for_each_index_word(text, |word| out.push(word.to_string()));
    out
}

pub(crate) fn quoted(word: &str) -> String {
    format!("\"{}\"", word.replace('"', "\"\""))
}

pub(crate) fn primary(tag: &str) -> String {
    tag.split('-').next().unwrap_or(tag).to_ascii_lowercase()
}

/// Where the words of `query` appear in `text` as a run, in characters;
/// a query in Chinese or Japanese, written without spaces, wherever it
/// appears as written.
pub fn phrase_spans(text: &str, query: &str) -> Vec<crate::text::Span> {
    let query = query.trim();
    if query.chars().any(crate::text::stands_alone) {
        let length = query.chars().count() as u32;
        return text
            .match_indices(query)
            .map(|(byte, _)| {
                let start = text[..byte].chars().count() as u32;
                crate::text::Span { start, end: start + length }
            })
            .collect();
    }
    let wanted: Vec<String> = crate::text::words_with_spans(query).into_iter().map(|(w, _, _)| w).collect();
    if wanted.is_empty() {
        return Vec::new();
    }
    let found = crate::text::words_with_spans(text);
    let mut spans = Vec::new();
    for start in 0..found.len() {
        let run = found.get(start..start + wanted.len());
        if run.is_some_and(|run| run.iter().zip(&wanted).all(|((w, _, _), q)| w == q)) {
            let end = found[start + wanted.len() - 1].2;
            spans.push(crate::text::Span { start: found[start].1 as u32, end: end as u32 });
        }
    }
    spans
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phrase_spans_find_runs_of_words_in_characters() {
        let spans = phrase_spans("Él dijo: «Central Bank», y el central bank calló.", "central bank");
        assert_eq!(spans.iter().map(|s| (s.start, s.end)).collect::<Vec<_>>(), vec![(10, 22), (30, 42)]);
        assert!(phrase_spans("nothing here", "").is_empty());
    }

    #[test]
    fn chinese_and_japanese_are_indexed_by_character_pairs() {
        assert_eq!(index_words("经济政策"), vec!["经济", "济政", "政策"]);
        assert_eq!(index_words("新的经济政策，3月"), vec!["新的", "的经", "经济", "济政", "政策", "3", "月"]);
        assert_eq!(index_words("東京では"), vec!["東京", "京で", "では"]);
        assert_eq!(index_text("GDP rose"), "GDP rose", "other scripts untouched");
    }

    #[test]
    fn index_words_follow_the_fts_tokenizer() {
        assert_eq!(index_words("GDP rose 1,250.5 (GDP) in Q3"), vec!["gdp", "rose", "1", "250", "5", "in", "q3"]);
    }
}
