//! Find and replace over segment text: what a translator types (plain
//! text or a regular expression, whole words, case) made into one pattern,
//! its hits as character spans, and the text a replacement makes.

use serde::{Deserialize, Serialize};

use crate::text::Span;

/// Why a search cannot run.
#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    #[error("nothing to find: type a word or a pattern")]
    Empty,
    #[error("not a valid regular expression: {0}")]
    Pattern(String),
    #[error("Replace changes translations only, never the source: search in translations or both")]
    SourceNotReplaced,
    #[error("“{0}” is not a change that can be undone")]
    NotUndoable(String),
}

/// Which side of the segments a search reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "bindings", derive(ts_rs::TS))]
pub enum FindIn {
    Source,
    #[default]
    Target,
    Both,
}

impl FindIn {
    pub fn parse(name: &str) -> Option<FindIn> {
        match name {
            "source" => Some(FindIn::Source),
            "target" | "translation" => Some(FindIn::Target),
            "both" => Some(FindIn::Both),
            _ => None,
        }
    }

    pub fn source(self) -> bool {
        self != FindIn::Target
    }

    pub fn target(self) -> bool {
        self != FindIn::Source
    }
}

/// What to look for, as typed in the find bar.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "bindings", derive(ts_rs::TS))]
pub struct FindOptions {
    pub text: String,
    /// `text` is a regular expression (Unicode-aware; `$1` in a
    /// replacement is its first group).
    pub regex: bool,
    pub whole_word: bool,
    pub match_case: bool,
}

/// A compiled search.
#[derive(Debug, Clone)]
pub struct Pattern {
    regex: regex::Regex,
    /// Plain-text searches replace with the text as typed: a `$` in it is
    /// a dollar sign, not a group.
    literal: bool,
}

/// Patterns compiled larger than this are refused: a search runs over
/// every segment of a project.
const PATTERN_SIZE: usize = 1 << 20;

impl Pattern {
    pub fn new(options: &FindOptions) -> Result<Pattern, SearchError> {
        if options.text.is_empty() {
            return Err(SearchError::Empty);
        }
        let body = if options.regex { options.text.clone() } else { regex::escape(&options.text) };
        let body = if options.whole_word { format!(r"\b(?:{body})\b") } else { body };
        let regex = regex::RegexBuilder::new(&body)
            .case_insensitive(!options.match_case)
            .size_limit(PATTERN_SIZE)
            .build()
            .map_err(|e| SearchError::Pattern(first_line(&e.to_string())))?;
        Ok(Pattern { regex, literal: !options.regex })
    }

    /// Where the pattern matches `text`, in characters; empty matches
    /// (a pattern like `x*`) are not hits.
    pub fn find(&self, text: &str) -> Vec<Span> {
        let mut out = Vec::new();
        let mut chars = 0;
        let mut byte = 0;
        for m in self.regex.find_iter(text).filter(|m| !m.is_empty()) {
            chars += text[byte..m.start()].chars().count();
            let start = chars;
            chars += m.as_str().chars().count();
            byte = m.end();
            out.push(Span { start: start as u32, end: chars as u32 });
        }
        out
    }

    pub fn is_match(&self, text: &str) -> bool {
        self.regex.find_iter(text).any(|m| !m.is_empty())
    }

    /// `text` with every hit replaced, or `None` when nothing matches or
    /// nothing would change.
    pub fn replace(&self, text: &str, replacement: &str) -> Option<String> {
        if !self.is_match(text) {
            return None;
        }
        let replaced = if self.literal {
            self.regex.replace_all(text, regex::NoExpand(replacement)).into_owned()
        } else {
            self.regex.replace_all(text, replacement).into_owned()
        };
        (replaced != text).then_some(replaced)
    }
}

/// The regex crate's messages draw the pattern over several lines; the
/// last says what is wrong.
fn first_line(message: &str) -> String {
    message.lines().rev().find(|l| !l.trim().is_empty()).unwrap_or(message).trim().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pattern(text: &str, regex: bool, whole_word: bool, match_case: bool) -> Pattern {
        Pattern::new(&FindOptions { text: text.into(), regex, whole_word, match_case }).expect("pattern")
    }

    fn spans(found: Vec<Span>) -> Vec<(u32, u32)> {
        found.into_iter().map(|s| (s.start, s.end)).collect()
    }

    #[test]
    fn plain_text_whole_words_and_case() {
        let text = "El gobierno y el Gobierno gubernamental";
        assert_eq!(spans(pattern("gobierno", false, false, false).find(text)), [(3, 11), (17, 25)]);
        assert_eq!(spans(pattern("gobierno", false, false, true).find(text)), [(3, 11)]);
        assert_eq!(spans(pattern("gob", false, true, false).find(text)), []);
        assert_eq!(spans(pattern("a.b", false, false, false).find("a.b axb")), [(0, 3)], "typed text is literal");
    }

    #[test]
    fn positions_are_characters_and_groups_replace() {
        let p = pattern(r"(\d+) de (\w+)", true, false, false);
        assert_eq!(spans(p.find("Años: 3 de marzo")), [(6, 16)]);
        assert_eq!(p.replace("el 3 de marzo", "$2 $1").as_deref(), Some("el marzo 3"));
        assert_eq!(pattern("€", false, false, false).replace("5 €", "$").as_deref(), Some("5 $"), "literal $");
        assert_eq!(pattern("x", false, false, false).replace("abc", "y"), None);
        assert_eq!(pattern("a", false, false, false).replace("a", "a"), None, "no change");
        assert!(pattern("x*", true, false, false).find("abc").is_empty(), "empty matches are no hits");
    }

    #[test]
    fn bad_patterns_say_what_is_wrong() {
        let error = Pattern::new(&FindOptions { text: "(".into(), regex: true, ..Default::default() })
            .expect_err("refused")
            .to_string();
        assert!(error.starts_with("not a valid regular expression") && !error.contains('\n'), "{error}");
        assert!(matches!(Pattern::new(&FindOptions::default()), Err(SearchError::Empty)));
    }
}
