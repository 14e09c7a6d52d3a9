//! The analysis a translation is quoted on: how many words of a document
//! (or a project) are repetitions, and how much of the rest the memories
//! already cover, in the bands translation tools agree on.
//!
//! Counting rules (as Trados and memoQ count):
//! - Segments are taken in order: documents by id, segments by position.
//!   The first occurrence of a source sentence falls in its match band;
//!   each later identical occurrence (same text once surrounding spaces
//!   and runs of spaces are set aside) counts as a *repetition*, whatever
//!   the memories hold.
//! - A segment's band is its best match in any memory of the project, the
//!   analysed segments' own units left out (a translation of this very
//!   text is not a match for quoting it): *in context* (101%: the same
//!   sentence with the same neighbours; a document's first sentence has
//!   no previous one, so it is 100% at most), *100%*, *95–99*, *85–94*,
//!   *75–84*, *50–74*, or *no match*.
//! - A word is a word or a number of the shared tokenizer
//!   ([`crate::text::tokens`]): `1,250.5` is one word, each Han or kana
//!   character is one (Chinese and Japanese are counted in characters, as
//!   the industry does), a hyphen or an apostrophe separates words, and
//!   placeholders for inline codes (`⟦1⟧`) and punctuation are none.
//! - Characters are the characters that are not spaces, placeholders left
//!   out.

use serde::{Deserialize, Serialize};

use crate::text::{TokenKind, tokens};

/// A match band, from repetitions to no match.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "bindings", derive(ts_rs::TS))]
pub enum Band {
    Repetition,
    InContext,
    Exact,
    From95,
    From85,
    From75,
    From50,
    NoMatch,
}

impl Band {
    pub const ALL: [Band; 8] = [
        Band::Repetition,
        Band::InContext,
        Band::Exact,
        Band::From95,
        Band::From85,
        Band::From75,
        Band::From50,
        Band::NoMatch,
    ];

    /// The band of a best match (`None`: nothing of 50% or more).
    pub fn of(best: Option<(u8, bool)>) -> Band {
        match best {
            None => Band::NoMatch,
            Some((100, true)) => Band::InContext,
            Some((100.., false)) => Band::Exact,
            Some((95..=99, _)) => Band::From95,
            Some((85..=94, _)) => Band::From85,
            Some((75..=84, _)) => Band::From75,
            Some((50..=74, _)) => Band::From50,
            Some(_) => Band::NoMatch,
        }
    }

    /// How reports name it.
    pub fn label(self) -> &'static str {
        match self {
            Band::Repetition => "Repetitions",
            Band::InContext => "In context (101%)",
            Band::Exact => "100%",
            Band::From95 => "95–99%",
            Band::From85 => "85–94%",
            Band::From75 => "75–84%",
            Band::From50 => "50–74%",
            Band::NoMatch => "No match",
        }
    }
}

/// Segments, words and characters of one band.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "bindings", derive(ts_rs::TS))]
pub struct BandCount {
    pub band: Band,
    pub segments: u32,
    pub words: u32,
    pub characters: u32,
}

/// The analysis of a document or a project.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "bindings", derive(ts_rs::TS))]
pub struct Analysis {
    /// What was analysed: a document's title, or the project's name.
    pub scope: String,
    pub documents: u32,
    /// Every band, in [`Band::ALL`] order.
    pub bands: Vec<BandCount>,
    pub segments: u32,
    pub words: u32,
    pub characters: u32,
}

/// Words and characters of a text, by the rules above.
pub fn measure(text: &str) -> (u32, u32) {
    let mut words = 0;
    let mut codes = 0;
    for token in tokens(text) {
        match token.kind {
            TokenKind::Word | TokenKind::Number => words += 1,
            TokenKind::Code => codes += token.text.chars().filter(|c| !c.is_whitespace()).count(),
            TokenKind::Punctuation => {}
        }
    }
    let characters = text.chars().filter(|c| !c.is_whitespace()).count() - codes;
    (words, characters as u32)
}

/// Builds an analysis segment by segment, in document order.
#[derive(Debug)]
pub struct Analyser {
    seen: std::collections::HashSet<String>,
    bands: Vec<BandCount>,
}

impl Default for Analyser {
    fn default() -> Analyser {
        Analyser {
            seen: Default::default(),
            bands: Band::ALL.iter().map(|&band| BandCount { band, segments: 0, words: 0, characters: 0 }).collect(),
        }
    }
}

impl Analyser {
    /// Whether `source` was met before in this analysis (a repetition, to
    /// be counted without looking it up).
    pub fn is_repetition(&self, source: &str) -> bool {
        self.seen.contains(&key(source))
    }

    /// Counts a segment whose best match is `best` (ignored for a repetition).
    pub fn add(&mut self, source: &str, best: Option<(u8, bool)>) {
        let band = if self.seen.insert(key(source)) { Band::of(best) } else { Band::Repetition };
        let (words, characters) = measure(source);
        let count = &mut self.bands[Band::ALL.iter().position(|&b| b == band).expect("every band is listed")];
        count.segments += 1;
        count.words += words;
        count.characters += characters;
    }

    pub fn finish(self, scope: String, documents: u32) -> Analysis {
        let sum = |f: fn(&BandCount) -> u32| self.bands.iter().map(f).sum();
        Analysis {
            scope,
            documents,
            segments: sum(|b| b.segments),
            words: sum(|b| b.words),
            characters: sum(|b| b.characters),
            bands: self.bands,
        }
    }
}

/// What makes two sources the same sentence: the text with surrounding
/// spaces and runs of spaces set aside.
fn key(source: &str) -> String {
    source.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_are_the_tokenizers_words_and_numbers_and_cjk_counts_characters() {
        assert_eq!(measure("The budget is 1,250.5 billion."), (5, 26));
        assert_eq!(measure("  Press ⟦1⟧OK⟦/1⟧ now. "), (3, 11));
        assert_eq!(measure("央行周一加息。"), (6, 7));
        assert_eq!(measure("l'État well-known"), (4, 16));
        assert_eq!(measure(""), (0, 0));
    }

    #[test]
    fn bands_follow_the_percentages_and_the_first_occurrence_is_not_a_repetition() {
        assert_eq!(Band::of(Some((100, true))), Band::InContext);
        assert_eq!(Band::of(Some((100, false))), Band::Exact);
        assert_eq!(Band::of(Some((95, false))), Band::From95);
        assert_eq!(Band::of(Some((94, true))), Band::From85);
        assert_eq!(Band::of(Some((75, false))), Band::From75);
        assert_eq!(Band::of(Some((74, false))), Band::From50);
        assert_eq!(Band::of(Some((49, false))), Band::NoMatch);
        let mut analyser = Analyser::default();
        analyser.add("Thank you.", None);
        assert!(analyser.is_repetition(" Thank  you. "));
        analyser.add(" Thank  you. ", Some((100, true)));
        let analysis = analyser.finish("t".into(), 1);
        assert_eq!((analysis.bands[0].segments, analysis.bands[7].segments), (1, 1));
        assert_eq!((analysis.segments, analysis.words), (2, 4));
    }
}
