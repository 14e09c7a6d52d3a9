//! Text primitives every layer shares: character spans for highlighting,
//! the one word tokenizer (with character and byte offsets), the one reader
//! of written figures, the placeholders that stand for inline codes
//! (`⟦1⟧ … ⟦/1⟧`), and what a control character means.
//!
//! Engines build on the tokenizer rather than cutting text themselves, so a
//! word is the same thing to the memory's score, QA, the glossary, the diff
//! and provenance: what one of them calls a word, the others can find.
//!
//! Language rules live in `lang`; this module knows no language and no file
//! format, so the model, the engines and the formats can all use it.

use serde::{Deserialize, Serialize};

/// A range of characters (Unicode scalar values, not bytes), for highlighting.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "bindings", derive(ts_rs::TS))]
pub struct Span {
    pub start: u32,
    pub end: u32,
}

/// What a token is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenKind {
    Word,
    Number,
    Punctuation,
    Code,
}

/// One token: its text as written and where it sits, in characters
/// (`start..end`) and in bytes (from `byte`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token<'a> {
    pub text: &'a str,
    pub kind: TokenKind,
    pub start: usize,
    pub end: usize,
    pub byte: usize,
}

impl Token<'_> {
    /// Where the token sits in its text, in bytes.
    pub fn bytes(&self) -> std::ops::Range<usize> {
        self.byte..self.byte + self.text.len()
    }
}

/// Characters that are words on their own: Han, kana. Chinese and Japanese
/// leave no spaces between words, so a run of them would otherwise be one
/// token as long as the sentence.
pub fn stands_alone(c: char) -> bool {
    matches!(c as u32, 0x3040..=0x30FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF)
}

/// Cuts `text` into tokens; spaces are not tokens. A number keeps its
/// inner separators (`1,250.5`), a placeholder `⟦…⟧` is one token, and
/// each Han or kana character is a word of its own. An apostrophe is
/// punctuation, so an elided article stays apart from its noun (`l'` +
/// `État`, as a glossary term "État" must be found there).
pub fn tokens(text: &str) -> Vec<Token<'_>> {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let byte_at = |i: usize| chars.get(i).map_or(text.len(), |&(b, _)| b);
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i].1;
        let start = i;
        let kind = if c.is_whitespace() {
            i += 1;
            continue;
        } else if c == '⟦' {
            while i < chars.len() && chars[i].1 != '⟧' {
                i += 1;
            }
            i = (i + 1).min(chars.len());
            TokenKind::Code
        } else if stands_alone(c) {
            i += 1;
            TokenKind::Word
        } else if c.is_alphanumeric() {
            let mut digits_only = true;
            while i < chars.len() {
                let here = chars[i].1;
                let joins_number = matches!(here, '.' | ',')
                    && digits_only
                    && i > start
                    && chars.get(i + 1).is_some_and(|&(_, next)| next.is_ascii_digit());
                if here.is_alphanumeric() && !stands_alone(here) {
                    digits_only &= here.is_numeric();
                    i += 1;
                } else if joins_number {
                    i += 1;
                } else {
                    break;
                }
            }
            if digits_only { TokenKind::Number } else { TokenKind::Word }
        } else {
            i += 1;
            TokenKind::Punctuation
        };
        let byte = byte_at(start);
        out.push(Token { text: &text[byte..byte_at(i)], kind, start, end: i, byte });
    }
    out
}

/// A written figure in plain notation (`1250.5`), read the way a language
/// that writes decimal commas (`decimal_comma`) or points writes it: both
/// marks present, the last is the decimal one; one mark repeated, it
/// groups thousands; one mark once with three digits after, it groups if
/// it is the language's grouping mark (`1.250` in Spanish, `1,250` in
/// English) and is the decimal mark otherwise. Spaces, no-break and thin
/// spaces group. The text is kept, not a float, so `0.10` and `0.1` agree
/// and nothing is rounded.
pub fn plain_figure(written: &str, decimal_comma: bool) -> String {
    let written: String = written.chars().filter(|c| !matches!(c, ' ' | '\u{a0}' | '\u{202f}' | '\u{2009}')).collect();
    let separators: Vec<(usize, char)> = written.char_indices().filter(|(_, c)| matches!(c, '.' | ',')).collect();
    let digits = |s: &str| s.chars().filter(char::is_ascii_digit).collect::<String>();
    let Some(&(last_at, last)) = separators.last() else { return digits(&written) };
    let kinds_used = separators.iter().map(|(_, c)| *c).collect::<std::collections::HashSet<_>>().len();
    let after = written[last_at + 1..].chars().filter(char::is_ascii_digit).count();
    let decimal = if kinds_used == 2 {
        Some(last_at)
    } else if separators.len() > 1 {
        None
    } else if after == 3 {
        let grouping = if decimal_comma { '.' } else { ',' };
        (last != grouping).then_some(last_at)
    } else {
        Some(last_at)
    };
    match decimal {
        Some(at) => {
            let fraction = digits(&written[at + 1..]);
            let fraction = fraction.trim_end_matches('0');
            let whole = digits(&written[..at]);
            if fraction.is_empty() { whole } else { format!("{whole}.{fraction}") }
        }
        None => digits(&written),
    }
}

/// Lowercased alphanumeric runs with their character ranges: the words
/// SQLite's `unicode61` full-text tokenizer makes, which the memory's
/// concordance must ask for and highlight (so not [`tokens`], whose
/// apostrophes and number separators the index does not keep).
pub fn words_with_spans(text: &str) -> Vec<(String, usize, usize)> {
    let mut out = Vec::new();
    let mut current: Option<(String, usize)> = None;
    for (i, c) in text.chars().enumerate() {
        if c.is_alphanumeric() {
            current.get_or_insert_with(|| (String::new(), i)).0.extend(c.to_lowercase());
        } else if let Some((word, start)) = current.take() {
            out.push((word, start, i));
        }
    }
    if let Some((word, start)) = current {
        out.push((word, start, text.chars().count()));
    }
    out
}

/// How an inline code stands in segment text: `⟦1⟧` for a code or the
/// start of a paired one, `⟦/1⟧` for its end. Translators keep them in
/// place; exports write the original code back.
pub fn placeholder(marker: &str) -> String {
    format!("⟦{marker}⟧")
}

/// Splits text into plain runs and placeholder markers.
pub fn pieces(text: &str) -> Vec<(bool, &str)> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find('⟦') {
        let Some(length) = rest[start..].find('⟧') else { break };
        if start > 0 {
            out.push((false, &rest[..start]));
        }
        out.push((true, &rest[start + '⟦'.len_utf8()..start + length]));
        rest = &rest[start + length + '⟧'.len_utf8()..];
    }
    if !rest.is_empty() {
        out.push((false, rest));
    }
    out
}

/// What a control character means, decided once for every reader: tab,
/// line feed, carriage return and form feed are layout; NEXT LINE (U+0085)
/// is a line break (see `unify_line_breaks`); every other control character
/// (C0, DEL, C1) is not text, and a reader refuses it with its place. This
/// finds the first such character and its byte offset.
pub fn forbidden_control(text: &str) -> Option<(usize, char)> {
    text.char_indices().find(|(_, c)| c.is_control() && !matches!(c, '\t' | '\n' | '\r' | '\u{0C}' | '\u{85}'))
}

/// NEXT LINE (U+0085, a line break in EBCDIC-born and some Windows text)
/// becomes a line feed, so every reader breaks lines alike.
pub fn unify_line_breaks(text: String) -> String {
    if text.contains('\u{85}') { text.replace('\u{85}', "\n") } else { text }
}

/// The line and column (both from 1, the column in characters) of a byte
/// offset, for messages that name the place.
pub fn line_and_column(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line_start = before.rfind('\n').map_or(0, |p| p + 1);
    (before.matches('\n').count() + 1, before[line_start..].chars().count() + 1)
}

/// At most `max` characters of `text` for a message, cut with "…": an
/// error never quotes a file's content at length.
pub fn excerpt(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(text: &str) -> Vec<(&str, TokenKind)> {
        tokens(text).into_iter().map(|t| (t.text, t.kind)).collect()
    }

    #[test]
    fn numbers_keep_their_separators_apostrophes_part_words_and_codes_are_one_token() {
        use TokenKind::*;
        assert_eq!(
            kinds("Up 1,250.5 (⟦1⟧bold⟦/1⟧)."),
            vec![
                ("Up", Word),
                ("1,250.5", Number),
                ("(", Punctuation),
                ("⟦1⟧", Code),
                ("bold", Word),
                ("⟦/1⟧", Code),
                (")", Punctuation),
                (".", Punctuation)
            ]
        );
        assert_eq!(kinds("3.")[0], ("3", Number));
        assert_eq!(kinds("日本語")[1], ("本", Word));
        assert_eq!(tokens("a  b")[1].start, 3);
        assert_eq!(
            kinds("l’État 'n'"),
            vec![("l", Word), ("’", Punctuation), ("État", Word), ("'", Punctuation), ("n", Word), ("'", Punctuation)]
        );
        let text = "Él dijo 5";
        assert_eq!(&text[tokens(text)[2].bytes()], "5");
    }

    #[test]
    fn figures_are_read_in_each_languages_notation() {
        for (written, comma, plain) in [
            ("1,250.5", false, "1250.5"),
            ("1.250,5", true, "1250.5"),
            ("1,250", false, "1250"),
            ("1.250", true, "1250"),
            ("11,017", true, "11.017"),
            ("11.017", false, "11.017"),
            ("1.25", false, "1.25"),
            ("1.250", false, "1.25"),
            ("3,5", true, "3.5"),
            ("0,50", true, "0.5"),
            ("1.000.000", false, "1000000"),
            ("1\u{a0}250", true, "1250"),
            ("2026", false, "2026"),
        ] {
            assert_eq!(plain_figure(written, comma), plain, "{written} with decimal comma {comma}");
        }
    }

    #[test]
    fn control_characters_are_layout_a_line_break_or_refused_with_their_place() {
        assert_eq!(forbidden_control("tab\there\r\nform\u{0C}feed\u{85}next"), None);
        assert_eq!(forbidden_control("añ\u{0}x"), Some((3, '\0')));
        assert_eq!(forbidden_control("é\u{9F}"), Some((2, '\u{9F}')), "C1 controls are named, not their lead byte");
        assert_eq!(unify_line_breaks("one\u{85}two".to_string()), "one\ntwo");
        assert_eq!(line_and_column("ab\ncdé\u{0}", 7), (2, 4));
        assert_eq!(excerpt("abcdef", 3), "abc…");
        assert_eq!(excerpt("abc", 3), "abc");
    }
}
