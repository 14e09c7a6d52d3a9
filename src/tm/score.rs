//! The match percentage: how much of a stored source a translator can keep.
//!
//! Both sentences are cut into tokens — words, numbers, punctuation marks
//! and inline-code placeholders (`⟦1⟧`); spaces are not tokens. The score is
//! a weighted Levenshtein distance over those tokens:
//!
//! | edit                                   | cost               |
//! |----------------------------------------|--------------------|
//! | insert / delete a word or number       | 1                  |
//! | insert / delete punctuation or a code  | 0.5                |
//! | replace a token by another             | the larger weight  |
//! | replace a number by another number     | 0.5                |
//! | same word, other letter case           | 0.1                |
//!
//! `percent = floor(100 × (1 − distance / max(weight(a), weight(b))))`,
//! where a sentence's weight is the sum of its tokens' weights. Like
//! OmegaT, a changed comma or code costs less than a changed word, because
//! it costs the translator less; a changed figure costs half a word since
//! only the figure needs retyping (and the QA check catches a missed one).
//! 100 is kept for identical text: a difference in spacing alone gives 99.

/// What a token is, which sets its weight.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenKind {
    Word,
    Number,
    Punctuation,
    Code,
}

impl TokenKind {
    fn weight(self) -> f64 {
        match self {
            TokenKind::Word | TokenKind::Number => 1.0,
            TokenKind::Punctuation | TokenKind::Code => 0.5,
        }
    }
}

/// One token: its text as written and where it sits, in characters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token<'a> {
    pub text: &'a str,
    pub kind: TokenKind,
    pub start: usize,
    pub end: usize,
}

/// Characters that are words on their own: Han, kana. Without spaces a run
/// of them would otherwise be one token.
fn stands_alone(c: char) -> bool {
    matches!(c as u32, 0x3040..=0x30FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF)
}

/// Cuts `text` into tokens. A number keeps its inner separators
/// (`1,250.5`), a placeholder `⟦…⟧` is one token.
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
        out.push(Token { text: &text[byte_at(start)..byte_at(i)], kind, start, end: i });
    }
    out
}

/// Case-blind equality without allocating: this runs in the innermost loop.
fn same_ignoring_case(a: &str, b: &str) -> bool {
    if a.is_ascii() && b.is_ascii() {
        return a.eq_ignore_ascii_case(b);
    }
    a.chars().flat_map(char::to_lowercase).eq(b.chars().flat_map(char::to_lowercase))
}

fn substitution(a: &Token<'_>, b: &Token<'_>) -> f64 {
    if a.text == b.text {
        0.0
    } else if a.kind == TokenKind::Number && b.kind == TokenKind::Number {
        0.5
    } else if a.kind == b.kind && same_ignoring_case(a.text, b.text) {
        0.1
    } else {
        a.kind.weight().max(b.kind.weight())
    }
}

/// The weighted token edit distance and the larger of the two weights.
fn distance(a: &[Token<'_>], b: &[Token<'_>]) -> (f64, f64) {
    let weight = |tokens: &[Token<'_>]| tokens.iter().map(|t| t.kind.weight()).sum::<f64>();
    let mut previous: Vec<f64> = std::iter::once(0.0)
        .chain(b.iter().scan(0.0, |sum, t| {
            *sum += t.kind.weight();
            Some(*sum)
        }))
        .collect();
    let mut current = vec![0.0; b.len() + 1];
    for x in a {
        current[0] = previous[0] + x.kind.weight();
        for (j, y) in b.iter().enumerate() {
            current[j + 1] = (previous[j] + substitution(x, y))
                .min(previous[j + 1] + x.kind.weight())
                .min(current[j] + y.kind.weight());
        }
        std::mem::swap(&mut previous, &mut current);
    }
    (previous[b.len()], weight(a).max(weight(b)))
}

/// The match percentage of a stored source `stored` for the sentence being
/// translated, `current` (0–100, see the module notes).
pub fn percent(stored: &str, current: &str) -> u8 {
    if stored == current {
        return 100;
    }
    percent_of(&tokens(stored), &tokens(current))
}

/// [`percent`] on tokens already cut, for scoring many candidates against
/// one sentence. Never 100: the caller compares the texts first.
pub fn percent_of(stored: &[Token<'_>], current: &[Token<'_>]) -> u8 {
    let (distance, longest) = distance(stored, current);
    if longest == 0.0 {
        return 99;
    }
    let score = (100.0 * (1.0 - distance / longest) + 1e-9).floor();
    score.clamp(0.0, 99.0) as u8
}

/// The best score `stored` could reach against `current` from weights
/// alone: skips candidates that cannot reach the threshold.
pub fn ceiling(stored: &[Token<'_>], current: &[Token<'_>]) -> u8 {
    let weight = |tokens: &[Token<'_>]| tokens.iter().map(|t| t.kind.weight()).sum::<f64>();
    let (a, b) = (weight(stored), weight(current));
    if a.max(b) == 0.0 { 100 } else { (100.0 * a.min(b) / a.max(b)).floor() as u8 }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(text: &str) -> Vec<(&str, TokenKind)> {
        tokens(text).into_iter().map(|t| (t.text, t.kind)).collect()
    }

    #[test]
    fn numbers_keep_their_separators_and_codes_are_one_token() {
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
    }

    #[test]
    fn identical_text_is_100_and_spacing_alone_99() {
        assert_eq!(percent("The minister spoke.", "The minister spoke."), 100);
        assert_eq!(percent("The minister spoke.", "The minister  spoke."), 99);
    }

    #[test]
    fn a_changed_word_costs_more_than_a_changed_figure_or_comma() {
        let base = "The ministry hired 250 new teachers in the north.";
        let word = percent(base, "The ministry hired 250 new nurses in the north.");
        let figure = percent(base, "The ministry hired 300 new teachers in the north.");
        let comma = percent(base, "The ministry hired 250 new teachers, in the north.");
        // 8 words + 1 number + a full stop weigh 9.5; one word replaced costs 1.
        assert_eq!(word, 89);
        assert_eq!(figure, 94);
        // One comma inserted: 0.5 of the longer weight, 10.
        assert_eq!(comma, 95);
        assert_eq!(percent(base, "the ministry hired 250 new teachers in the north."), 98);
    }

    #[test]
    fn unrelated_sentences_score_low_and_ceiling_bounds_the_score() {
        let a = tokens("Rain is expected tomorrow across the region.");
        let b = tokens("The central bank raised interest rates again.");
        assert!(percent_of(&a, &b) < 30);
        let short = tokens("Rain tomorrow.");
        assert!(percent_of(&short, &a) <= ceiling(&short, &a));
        assert_eq!(percent("", "x"), 0);
    }
}
