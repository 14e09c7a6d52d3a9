//! Spell checking of translations and summaries with Hunspell dictionaries
//! (read by `spellbook`, no C library). The speller only knows a
//! language's words; what a translator never wants flagged is decided
//! here: figures, placeholders, web and e-mail addresses, words the
//! project's glossary or dictionary knows, and words the source itself
//! uses (names and brands carried over as they are written).

use std::collections::HashSet;
use std::sync::OnceLock;

use serde::Serialize;

use crate::text::Span;

/// Why a dictionary could not be used.
#[derive(Debug, thiserror::Error)]
#[error("not a Hunspell dictionary: {0}")]
pub struct SpellingError(String);

/// One language's dictionary.
pub struct Speller {
    dictionary: spellbook::Dictionary,
}

impl Speller {
    /// A speller from the text of a `.aff` and a `.dic` file.
    pub fn new(aff: &str, dic: &str) -> Result<Speller, SpellingError> {
        spellbook::Dictionary::new(aff, dic)
            .map(|dictionary| Speller { dictionary })
            .map_err(|e| SpellingError(e.to_string()))
    }

    /// Whether the dictionary knows `word` (typographic apostrophes read
    /// as the typewriter one the dictionaries use).
    pub fn knows(&self, word: &str) -> bool {
        self.dictionary.check(&word.replace('’', "'"))
    }

    /// Up to `limit` corrections for `word`, the likeliest first.
    pub fn suggestions(&self, word: &str, limit: usize) -> Vec<String> {
        let mut out = Vec::new();
        self.dictionary.suggest(&word.replace('’', "'"), &mut out);
        out.truncate(limit);
        out
    }
}

/// A word the dictionary does not know, where it is (in characters).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "bindings", derive(ts_rs::TS))]
pub struct Misspelling {
    pub word: String,
    pub span: Span,
}

/// Web and e-mail addresses, which are never words to check.
fn addresses() -> &'static regex::Regex {
    static PATTERN: OnceLock<regex::Regex> = OnceLock::new();
    PATTERN.get_or_init(|| {
        regex::Regex::new(r"(?i)\b(?:https?://|www\.)\S+|[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
            .expect("the address pattern is a valid constant")
    })
}

/// The words of `text` to check, with their character spans: runs of
/// letters joined by an apostrophe ("don't", "l'État"); a hyphen parts
/// words, which are checked each on its own. Runs touching a digit
/// ("COVID-19" parts aside, "3D", "G7") are not words.
fn words(text: &str) -> Vec<(String, Span)> {
    let skip: Vec<std::ops::Range<usize>> = addresses().find_iter(text).map(|m| m.range()).collect();
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut out = Vec::new();
    let mut i = 0;
    let mut in_placeholder = false;
    while i < chars.len() {
        let (byte, c) = chars[i];
        if c == '⟦' || c == '⟧' {
            in_placeholder = c == '⟦';
            i += 1;
            continue;
        }
        if in_placeholder || !c.is_alphanumeric() || crate::text::stands_alone(c) {
            i += 1;
            continue;
        }
        let start = i;
        let mut digits = false;
        while i < chars.len() {
            let here = chars[i].1;
            let joins = matches!(here, '\'' | '’')
                && i > start
                && chars.get(i + 1).is_some_and(|&(_, next)| next.is_alphabetic());
            if here.is_alphanumeric() && !crate::text::stands_alone(here) {
                digits |= here.is_numeric();
                i += 1;
            } else if joins {
                i += 1;
            } else {
                break;
            }
        }
        let end_byte = chars.get(i).map_or(text.len(), |&(b, _)| b);
        if !digits && !skip.iter().any(|r| r.contains(&byte)) {
            out.push((text[byte..end_byte].to_string(), Span { start: start as u32, end: i as u32 }));
        }
    }
    out
}

/// The words of `text` the speller does not know and nothing excuses:
/// `known` holds the project dictionary's and the glossary's words (lower
/// case), and a word of the source (`source_words`, see
/// [`source_words`]) is the source's name for something. Single letters and short all-capital words (acronyms such
/// as "OTAN") are not checked.
pub fn misspellings(
    speller: &Speller,
    text: &str,
    source_words: &HashSet<String>,
    known: &HashSet<String>,
) -> Vec<Misspelling> {
    words(text)
        .into_iter()
        .filter(|(word, _)| {
            let letters = word.chars().filter(|c| c.is_alphabetic()).count();
            let acronym = letters <= 6 && word.chars().all(|c| !c.is_lowercase());
            letters > 1
                && !acronym
                && !source_words.contains(word)
                && !known.contains(&word.to_lowercase())
                && !speller.knows(word)
                // A possessive or an elision the dictionary lacks: its stem.
                && !word.rsplit_once(['\'', '’']).is_some_and(|(stem, tail)| {
                    (tail.len() <= 2 && (speller.knows(stem) || source_words.contains(stem)))
                        || speller.knows(tail)
                })
        })
        .map(|(word, span)| Misspelling { word, span })
        .collect()
}

/// The words of a source text as written, for [`misspellings`]: a name
/// carried over from anywhere in the source document is not a misspelling.
pub fn source_words(source: &str) -> HashSet<String> {
    let mut out = HashSet::new();
    for (word, _) in words(source) {
        // "Anderson's" names Anderson.
        if let Some((stem, _)) = word.split_once(['\'', '’']) {
            out.insert(stem.to_string());
        }
        out.insert(word);
    }
    out
}

/// The lower-case words of `phrases` (glossary terms), each on its own.
pub fn known_words<'a>(phrases: impl IntoIterator<Item = &'a str>) -> HashSet<String> {
    phrases.into_iter().flat_map(|p| words(p).into_iter().map(|(w, _)| w.to_lowercase())).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A tiny dictionary in Hunspell's format, so these tests need no
    /// system package (tests/spelling.rs uses the real ones).
    fn speller() -> Speller {
        let aff = "SET UTF-8\nTRY esianrtolcdugmfphbyvkw\nSFX S Y 1\nSFX S 0 s .\n";
        let dic = "6\nthe\nminister/S\nsaid\ndon't\nborder\nplan\n";
        Speller::new(aff, dic).expect("dictionary")
    }

    fn flagged(text: &str, source: &str, known: &[&str]) -> Vec<String> {
        let known = known_words(known.iter().copied());
        misspellings(&speller(), text, &source_words(source), &known).into_iter().map(|m| m.word).collect()
    }

    #[test]
    fn unknown_words_are_found_with_their_places() {
        let found = misspellings(&speller(), "The ministers siad the plan", &HashSet::new(), &HashSet::new());
        assert_eq!(found, [Misspelling { word: "siad".into(), span: Span { start: 14, end: 18 } }]);
        assert!(speller().suggestions("siad", 5).contains(&"said".to_string()));
    }

    #[test]
    fn figures_codes_addresses_names_and_known_words_are_never_flagged() {
        assert_eq!(flagged("the plan 2026 ⟦1⟧ ⟦/1⟧ G7 3D", "", &[]), Vec::<String>::new());
        assert_eq!(flagged("see https://example.org/plann or ana@example.org", "", &[]), ["see", "or"]);
        assert_eq!(flagged("Sheinbaum said the plan", "La presidenta Sheinbaum", &[]), Vec::<String>::new());
        assert_eq!(flagged("Sheinbaum's plan, the OTAN border", "Sheinbaum", &[]), Vec::<String>::new());
        assert_eq!(flagged("the Guardia plan", "", &["Guardia Nacional"]), Vec::<String>::new());
        assert_eq!(flagged("don’t", "", &[]), Vec::<String>::new(), "a typographic apostrophe");
        assert_eq!(flagged("the plann", "", &[]), ["plann"]);
    }
}
