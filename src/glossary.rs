//! The project glossary: agreed terms, their translations, and variants
//! translators must not use, matched in segment sources word by word after
//! stemming, so "interest rates" finds the term "interest rate"; and the
//! `Lexicon` that makes glossary and memory a bilingual dictionary.
//!
//! Terms come from TBX or CSV/TSV files (`formats::glossary`) and are
//! stored by `store/checks.rs`; this module does neither.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use crate::lang::LangTag;
use crate::text::{Span, TokenKind};

/// A term pair as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "bindings", derive(ts_rs::TS))]
pub struct Term {
    #[cfg_attr(feature = "bindings", ts(type = "number"))]
    pub id: i64,
    pub source_lang: String,
    pub target_lang: String,
    pub source: String,
    pub target: String,
    pub note: Option<String>,
    /// A variant not to use for `source`.
    pub forbidden: bool,
}

/// A term pair read from a file, before it is stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewTerm {
    pub source: String,
    pub target: String,
    pub note: Option<String>,
    pub forbidden: bool,
}

/// Where a glossary term occurs in a source sentence, with what to use.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "bindings", derive(ts_rs::TS))]
pub struct TermHit {
    pub span: Span,
    pub source: String,
    pub targets: Vec<String>,
    pub forbidden: Vec<String>,
    pub note: Option<String>,
}

/// Whether a stored or written language tag names `lang` (by its primary
/// subtag: a glossary for `es` serves `es-419`).
pub fn same_language(tag: &str, lang: &LangTag) -> bool {
    tag.split(['-', '_']).next().is_some_and(|p| p.eq_ignore_ascii_case(lang.primary()))
}

/// A word of a sentence, stemmed, with its character range.
struct Word {
    stem: String,
    start: usize,
    end: usize,
}

fn words(text: &str, stemmer: Option<&rust_stemmers::Stemmer>) -> Vec<Word> {
    crate::text::tokens(text)
        .into_iter()
        .filter(|t| matches!(t.kind, TokenKind::Word | TokenKind::Number))
        .map(|t| {
            let word: String = t.text.chars().flat_map(char::to_lowercase).collect();
            let stem = stemmer.map_or_else(|| word.clone(), |s| s.stem(&word).into_owned());
            Word { stem, start: t.start, end: t.end }
        })
        .collect()
}

/// A source term with what to use for it and what not.
#[derive(Default)]
struct Entry {
    source: String,
    targets: Vec<String>,
    forbidden: Vec<String>,
    note: Option<String>,
}

/// Finds terms in text by their stemmed words.
pub struct Matcher {
    /// First stem → (term stems, index into `entries`).
    first: HashMap<String, Vec<(Vec<String>, usize)>>,
    entries: Vec<Entry>,
    stemmer: Option<rust_stemmers::Stemmer>,
}

impl Matcher {
    pub fn new(terms: &[Term], source_lang: &LangTag) -> Matcher {
        let stemmer = source_lang.stemmer();
        let mut entries: Vec<Entry> = Vec::new();
        for term in terms {
            let index = match entries.iter().position(|e| e.source == term.source) {
                Some(i) => i,
                None => {
                    entries.push(Entry { source: term.source.clone(), ..Entry::default() });
                    entries.len() - 1
                }
            };
            let entry = &mut entries[index];
            if term.forbidden {
                entry.forbidden.push(term.target.clone())
            } else {
                entry.targets.push(term.target.clone())
            }
            if entry.note.is_none() {
                entry.note.clone_from(&term.note);
            }
        }
        let mut first: HashMap<String, Vec<(Vec<String>, usize)>> = HashMap::new();
        for (index, entry) in entries.iter().enumerate() {
            let stems: Vec<String> = words(&entry.source, stemmer.as_ref()).into_iter().map(|w| w.stem).collect();
            if let Some(head) = stems.first() {
                first.entry(head.clone()).or_default().push((stems, index));
            }
        }
        Matcher { first, entries, stemmer }
    }

    /// Term hits in `text`, longest first where terms overlap.
    pub fn hits(&self, text: &str) -> Vec<TermHit> {
        let found = words(text, self.stemmer.as_ref());
        let mut hits: Vec<TermHit> = Vec::new();
        let mut covered_to = 0;
        for (i, word) in found.iter().enumerate() {
            if word.start < covered_to {
                continue;
            }
            let Some(candidates) = self.first.get(&word.stem) else { continue };
            let best = candidates
                .iter()
                .filter(|(stems, _)| {
                    found.get(i..i + stems.len()).is_some_and(|run| run.iter().zip(stems).all(|(w, s)| &w.stem == s))
                })
                .max_by_key(|(stems, _)| stems.len());
            if let Some((stems, index)) = best {
                let entry = &self.entries[*index];
                let end = found[i + stems.len() - 1].end;
                hits.push(TermHit {
                    span: Span { start: word.start as u32, end: end as u32 },
                    source: entry.source.clone(),
                    targets: entry.targets.clone(),
                    forbidden: entry.forbidden.clone(),
                    note: entry.note.clone(),
                });
                covered_to = end;
            }
        }
        hits
    }
}

/// How many memory pairs a [`Lexicon`] learns word pairs from: enough for
/// the words that recur, and quick to count (about 50 ms).
pub const LEXICON_MEMORY_PAIRS: usize = 2_000;

/// A bilingual dictionary of phrase pairs (glossary terms, word pairs
/// learned from the translation memory) for finding the same concept in
/// texts of either language: alignment and summary provenance use it
/// where no translation links a sentence to its counterpart.
pub struct Lexicon {
    source: Matcher,
    /// The pairs reversed: target phrases found, source phrases named.
    target: Matcher,
    /// Concepts (lower-cased source phrases) that only the memory's word
    /// pairs give, not the glossary: a link through them says so.
    from_memory: std::collections::HashSet<String>,
}

/// One concept a text mentions: the source phrase that names it
/// (lower-cased, the same whichever side it was found on) and where it
/// stands in the text, in bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mention {
    pub concept: String,
    pub range: std::ops::Range<usize>,
}

impl Mention {
    /// Whether a word at `range` (bytes) is part of this mention.
    pub fn covers(&self, range: &std::ops::Range<usize>) -> bool {
        self.range.start <= range.start && range.end <= self.range.end
    }
}

impl Lexicon {
    pub fn new(pairs: &[(String, String)], source_lang: &LangTag, target_lang: &LangTag) -> Lexicon {
        let term = |source: &str, target: &str| Term {
            id: 0,
            source_lang: String::new(),
            target_lang: String::new(),
            source: source.to_string(),
            target: target.to_string(),
            note: None,
            forbidden: false,
        };
        let forward: Vec<Term> = pairs.iter().map(|(s, t)| term(s, t)).collect();
        let reversed: Vec<Term> = pairs.iter().map(|(s, t)| term(t, s)).collect();
        Lexicon {
            source: Matcher::new(&forward, source_lang),
            target: Matcher::new(&reversed, target_lang),
            from_memory: std::collections::HashSet::new(),
        }
    }

    /// The glossary's agreed (not forbidden) pairs, plus `more`.
    pub fn from_terms(
        terms: &[Term],
        more: Vec<(String, String)>,
        source_lang: &LangTag,
        target_lang: &LangTag,
    ) -> Lexicon {
        let pairs: Vec<(String, String)> =
            terms.iter().filter(|t| !t.forbidden).map(|t| (t.source.clone(), t.target.clone())).collect();
        Lexicon::from_pairs(pairs, more, source_lang, target_lang)
    }

    /// Glossary pairs, plus word pairs learned from a memory (`more`), each
    /// remembered as coming from the memory unless the glossary has it.
    pub fn from_pairs(
        mut pairs: Vec<(String, String)>,
        more: Vec<(String, String)>,
        source_lang: &LangTag,
        target_lang: &LangTag,
    ) -> Lexicon {
        let glossary: std::collections::HashSet<String> = pairs.iter().map(|(s, _)| s.to_lowercase()).collect();
        let from_memory = more.iter().map(|(s, _)| s.to_lowercase()).filter(|s| !glossary.contains(s)).collect();
        pairs.extend(more);
        Lexicon { from_memory, ..Lexicon::new(&pairs, source_lang, target_lang) }
    }

    /// Whether a concept comes from the memory's word pairs alone.
    pub fn is_memory_pair(&self, concept: &str) -> bool {
        self.from_memory.contains(concept)
    }

    pub fn is_empty(&self) -> bool {
        self.source.entries.is_empty()
    }

    /// Concepts named in a text of the source language.
    pub fn in_source(&self, text: &str) -> Vec<Mention> {
        mentions(text, self.source.hits(text), |hit| vec![hit.source.to_lowercase()])
    }

    /// Concepts named in a text of the target language.
    pub fn in_target(&self, text: &str) -> Vec<Mention> {
        mentions(text, self.target.hits(text), |hit| hit.targets.iter().map(|t| t.to_lowercase()).collect())
    }
}

fn mentions(text: &str, hits: Vec<TermHit>, concepts: impl Fn(&TermHit) -> Vec<String>) -> Vec<Mention> {
    // Matcher spans count characters; callers index text by bytes.
    let bytes: Vec<usize> = text.char_indices().map(|(i, _)| i).chain([text.len()]).collect();
    let byte = |char_offset: u32| bytes.get(char_offset as usize).copied().unwrap_or(text.len());
    hits.iter()
        .flat_map(|hit| {
            let range = byte(hit.span.start)..byte(hit.span.end);
            concepts(hit).into_iter().map(move |concept| Mention { concept, range: range.clone() })
        })
        .collect()
}

/// Whether `term` occurs in `text`, word by word after stemming with the
/// text's language; used by QA on translations.
pub fn contains(text: &str, term: &str, lang: &LangTag) -> bool {
    let stemmer = lang.stemmer();
    let (text, term) = (words(text, stemmer.as_ref()), words(term, stemmer.as_ref()));
    !term.is_empty() && text.windows(term.len()).any(|run| run.iter().zip(&term).all(|(a, b)| a.stem == b.stem))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn term(source: &str, target: &str, forbidden: bool) -> Term {
        Term {
            id: 0,
            source_lang: "en".into(),
            target_lang: "es".into(),
            source: source.into(),
            target: target.into(),
            note: None,
            forbidden,
        }
    }

    #[test]
    fn terms_match_inflected_and_longest_first() {
        let terms = [
            term("interest rate", "tipo de interés", false),
            term("rate", "tasa", false),
            term("interest rate", "rata", true),
        ];
        let matcher = Matcher::new(&terms, &LangTag::english());
        let hits = matcher.hits("Interest rates rose; the rate of growth fell.");
        assert_eq!(hits.len(), 2);
        assert_eq!((hits[0].span.start, hits[0].span.end), (0, 14));
        assert_eq!(hits[0].targets, vec!["tipo de interés"]);
        assert_eq!(hits[0].forbidden, vec!["rata"]);
        assert_eq!(hits[1].source, "rate");
        assert!(contains("Los tipos de interés subieron", "tipo de interés", &LangTag::spanish()));
        assert!(!contains("Los tipos subieron", "tipo de interés", &LangTag::spanish()));
    }
}
